#include "instctl/mail/mail_loop.hpp"

#include <fmt/format.h>

#include "instctl/core/env.hpp"
#include "instctl/db/open.hpp"
#include "instctl/mail/mail_queue.hpp"
#include "instctl/mail/mail_sender.hpp"
#include "instctl/mail/mail_store.hpp"
#include "instctl/net/smtp_mailer.hpp"

namespace instctl::mail {

namespace {
constexpr std::int64_t k_cache_kib = 256;
}  // namespace

MailLoop::MailLoop(std::string db_path, const Clock& clock, Log log, std::chrono::milliseconds idle_poll)
    : m_db_path(std::move(db_path)), m_clock(clock), m_log(std::move(log)), m_idle_poll(idle_poll) {
  m_thread = std::thread([this] { run(); });
}

MailLoop::~MailLoop() { stop(); }

void MailLoop::stop() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_cv.notify_all();
  if (m_thread.joinable()) m_thread.join();
}

bool MailLoop::wait(std::chrono::milliseconds d) {
  std::unique_lock lock(m_mutex);
  return !m_cv.wait_for(lock, d, [this] { return m_stopping; });
}

void MailLoop::run() {
  try {
    auto db = db::open(m_db_path, db::OpenMode::existing);
    db->limit_cache(k_cache_kib);
    Env env{*db, m_clock, "serve:mail"};
    std::string last_error;
    while (true) {
      std::chrono::milliseconds pause = m_idle_poll;
      try {
        // Nothing to do (or nowhere to send it): no SMTP connection is opened.
        if (MailQueue(env).enabled() && MailStore(*db).count_by_state()["unsent"] > 0) {
          net::SmtpMailer mailer(load_mail_config(*db).smtp);
          const auto report = MailSender(env, mailer, load_mail_config(*db)).send_unsent();
          // A failing server is said once, not at every poll.
          if (!report.errors.empty() && report.errors.front() != last_error) {
            last_error = report.errors.front();
            m_log(fmt::format("mail: {} sent, {} failed (first error: {}); retrying", report.sent,
                              report.failed, last_error));
          }
          if (report.failed > 0) pause = m_idle_poll * 5;
          else last_error.clear();
        }
      } catch (const std::exception& e) {
        m_log(fmt::format("mail: {}", e.what()));
        pause = m_idle_poll * 5;
      }
      if (!wait(pause)) return;
    }
  } catch (const std::exception& e) {
    m_log(fmt::format("mail worker stopped: {}", e.what()));
  }
}

}  // namespace instctl::mail
