#pragma once

#include "instctl/core/seams.hpp"

namespace instctl::http {

// The process's cross-concept seams, made once: what a lower concept declares and higher ones
// implement (users::AccountEvents: auth, federation, invites, waitlist; users::Invitations:
// invites; mail::InviteMailWriter: invites; mail::DueMails: overview's staff digest). The
// composition root puts it in every Env (cmd/cli.cpp, http/app.cpp, serve's mail worker).
const Seams& seams();

}  // namespace instctl::http
