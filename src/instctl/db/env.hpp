#pragma once

#include <string>

#include "instctl/core/clock.hpp"
#include "instctl/core/seams.hpp"
#include "instctl/db/connection.hpp"

namespace instctl {

// What every service needs: the database, the time, and who is acting (for the audit log:
// $INSTCTL_ACTOR, cli:<unix user>, or http:<client> in the server).
struct Env {
  db::Connection& db;
  const Clock& clock;
  std::string actor;
  // The cross-concept seams the composition root wired (core/seams.hpp); none in a worker
  // that never needs them.
  const Seams* seams = nullptr;
};

}  // namespace instctl
