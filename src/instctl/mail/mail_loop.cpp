#include "instctl/mail/mail_loop.hpp"

#include <fmt/format.h>

#include "instctl/db/env.hpp"
#include "instctl/db/open.hpp"
#include "instctl/mail/mail_queue.hpp"
#include "instctl/mail/mail_seams.hpp"
#include "instctl/mail/mail_sender.hpp"
#include "instctl/mail/mail_store.hpp"
#include "instctl/net/curl_lease.hpp"
#include "instctl/net/smtp_mailer.hpp"

namespace instctl::mail {

namespace {
constexpr std::int64_t k_cache_kib = 256;
}  // namespace

MailLoop::MailLoop(std::string db_path, const Clock& clock, const Seams& seams, Log log,
                   std::chrono::milliseconds idle_poll)
    : m_loop(
          "mail",
          [db_path = std::move(db_path), &clock, &seams, log, idle_poll]() -> PollLoop::Round {
            struct State {
              std::unique_ptr<db::Connection> db;
              Env env;
              std::string last_error;
            };
            auto db = db::open(db_path, db::OpenMode::existing);
            db->limit_cache(k_cache_kib);
            auto& conn = *db;
            auto s = std::make_shared<State>(
                State{std::move(db), Env{conn, clock, "serve:mail", &seams}, ""});
            return [s, log, idle_poll](const PollLoop::Beat&) {
              // Nothing to send, or nowhere to send it: no SMTP connection is opened.
              // The staff's daily digests are queued here too (exactly once: claimed).
              if (MailQueue(s->env).enabled()) {
                for (auto* due : due_mails(s->env)) due->queue_due(s->env);
              }
              // (A failing mail waits for its retry time: it is not due before.)
              if (!MailQueue(s->env).enabled() ||
                  MailStore(*s->db).count_due(s->env.clock.now()) == 0) {
                return idle_poll;
              }
              const auto report = [&] {
                const auto config = load_mail_config(*s->db);
                net::SmtpMailer mailer(config.smtp);
                return MailSender(s->env, mailer, config).send_unsent(MailSender::Backoff::wait);
              }();
              // The mailer is gone: libcurl is unloaded unless an outbound request holds it.
              net::curl::release_unused();
              if (report.failed == 0) {
                s->last_error.clear();
                return idle_poll;
              }
              // A failing server is said once, not at every round.
              if (!report.errors.empty() && report.errors.front() != s->last_error) {
                s->last_error = report.errors.front();
                log(fmt::format("mail: {} sent, {} failed (first error: {}); retrying", report.sent,
                                report.failed, s->last_error));
              }
              return idle_poll * 5;
            };
          },
          log, idle_poll) {}

}  // namespace instctl::mail
