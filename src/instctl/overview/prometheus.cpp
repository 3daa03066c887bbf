#include "instctl/overview/prometheus.hpp"

#include <fmt/format.h>

#include "instctl/federation/delivery_store.hpp"
#include "instctl/metrics/registry.hpp"
#include "instctl/overview/stats.hpp"

namespace instctl::overview {

namespace {

using metrics::escape_label_value;
using metrics::write_header;
using metrics::write_sample;

double number(const Json& v) { return v.is_number() ? v.get<double>() : 0; }

void gauge(std::string& out, const char* name, const char* help, const Json& value) {
  write_header(out, name, help, "gauge");
  write_sample(out, name, "", number(value));
}

// One series per key of an object: {"active": 3, ...} as name{label="active"} 3.
void by_label(std::string& out, const char* name, const char* help, const char* label,
              const Json& values, const char* type = "gauge") {
  write_header(out, name, help, type);
  if (!values.is_object()) return;
  for (auto it = values.begin(); it != values.end(); ++it) {
    write_sample(out, name, fmt::format("{}=\"{}\"", label, escape_label_value(it.key())),
                 number(*it));
  }
}

}  // namespace

std::string prometheus_text(db::Connection& db, UnixTime now) {
  const Json c = collect_counts(db, now);
  std::string out;
  by_label(out, "instctl_users", "Local accounts, by status", "status", c["users"]);
  gauge(out, "instctl_pending_signups", "Sign-ups waiting for an admin's approval",
        c["users"].value("pending", Json(0)));
  gauge(out, "instctl_remote_accounts", "Accounts of other instances known here",
        c["remote_accounts"]);
  by_label(out, "instctl_invites", "Invites, by status", "status", c["invites"]);
  by_label(out, "instctl_waitlist", "Waitlist entries, by status", "status", c["waitlist"]);
  by_label(out, "instctl_reports", "Reports, by status (open ones wait for a moderator)", "status",
           c["reports"]);
  gauge(out, "instctl_blocked_domains", "Domains under a federation block", c["blocked_domains"]);
  gauge(out, "instctl_blocked_email_domains", "Email domains refused at sign-up",
        c["blocked_email_domains"]);
  gauge(out, "instctl_known_peers", "Instances this one has talked to", c["known_peers"]);
  gauge(out, "instctl_subscriptions", "Blocklists subscribed to", c["subscriptions"]);
  gauge(out, "instctl_subscription_pending_drafts",
        "Changes the subscribed lists propose, waiting for review", c["pending_drafts"]);
  by_label(out, "instctl_subscription_lists",
           "Subscribed lists, by the result of their last refresh (never before the first)",
           "result", c["subscription_refresh"]);
  gauge(out, "instctl_subscription_last_refresh_timestamp_seconds",
        "When a subscribed list was last refreshed (Unix time; 0 before the first)",
        c["subscription_last_refresh_at"]);
  by_label(out, "instctl_delivery_queue", "Outbound deliveries, by state", "state",
           c["deliveries"]);
  gauge(out, "instctl_delivery_oldest_queued_age_seconds",
        "Age of the oldest delivery still to make (0 when none waits)", c["oldest_delivery_age"]);
  gauge(out, "instctl_delivery_failing_peers",
        "Peers with deliveries still to make whose last attempt failed", c["failing_peers"]);
  const auto failing = federation::DeliveryStore(db).failing_peers(k_peer_series);
  write_header(out, "instctl_delivery_peer_failing_seconds",
               fmt::format("For the peers failing longest (at most {}): seconds since their "
                           "oldest failing delivery was queued",
                           k_peer_series),
               "gauge");
  for (const auto& p : failing) {
    write_sample(out, "instctl_delivery_peer_failing_seconds",
                 fmt::format("peer=\"{}\"", escape_label_value(p.domain)),
                 static_cast<double>(std::max<UnixTime>(0, now - p.since)));
  }
  write_header(out, "instctl_delivery_peer_failing_jobs",
               "For the same peers: deliveries still to make whose last attempt failed", "gauge");
  for (const auto& p : failing) {
    write_sample(out, "instctl_delivery_peer_failing_jobs",
                 fmt::format("peer=\"{}\"", escape_label_value(p.domain)),
                 static_cast<double>(p.jobs));
  }
  by_label(out, "instctl_mail_queue",
           "Mails of every kind, by state; failing: unsent after a failed attempt", "state",
           c["mail_queue"]);
  write_header(out, "instctl_mail_failed_attempts_total",
               "Attempts to send a mail that failed, over the mails kept", "counter");
  write_sample(out, "instctl_mail_failed_attempts_total", "", number(c["mail_failed_attempts"]));
  return out;
}

}  // namespace instctl::overview
