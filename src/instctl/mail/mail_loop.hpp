#pragma once

// The mail worker of `instctl serve`: a background thread with its own database connection
// that sends the queued mails of every kind (mail_queue.hpp) and polls for new ones when idle.
// Other senders (another serve, `waitlist process --send` from cron) may run at the same time:
// mails are claimed, so each goes out once. While the mail settings are missing it only waits.
//
//   mail::MailLoop loop(db_path, clock, on_error);   // starts the thread
//   ...
//   loop.stop();   // finishes the mail in hand, then joins (also done by the destructor)

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "instctl/core/clock.hpp"
#include "instctl/core/poll_loop.hpp"
#include "instctl/core/seams.hpp"

namespace instctl::mail {

class MailLoop {
 public:
  using Log = std::function<void(std::string_view)>;
  // `seams`: the composition root's (mail::DueMails, mail::InviteMailWriter).
  MailLoop(std::string db_path, const Clock& clock, const Seams& seams, Log log,
           std::chrono::milliseconds idle_poll = std::chrono::seconds(1));
  MailLoop(const MailLoop&) = delete;
  MailLoop& operator=(const MailLoop&) = delete;

  void stop() { m_loop.stop(); }

 private:
  PollLoop m_loop;
};

}  // namespace instctl::mail
