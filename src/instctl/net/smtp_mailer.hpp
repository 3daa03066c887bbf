#pragma once

#include <string>

#include "instctl/net/curl_lease.hpp"
#include "instctl/net/mailer.hpp"

typedef void CURL;

namespace instctl::net {

struct SmtpConfig {
  std::string url;  // smtp://host[:port] (STARTTLS when offered) or smtps://host[:port]
  std::string user;
  std::string password;
  std::string ca_file;  // CA certificates to verify the server with; empty: the system's store
  long timeout_seconds = 60;
};

// SMTP through libcurl. One easy handle for the mailer's lifetime, so libcurl keeps the
// connection open between messages of a batch.
class SmtpMailer final : public Mailer {
 public:
  explicit SmtpMailer(SmtpConfig config);
  ~SmtpMailer() override;
  SmtpMailer(const SmtpMailer&) = delete;
  SmtpMailer& operator=(const SmtpMailer&) = delete;

  SendResult send(const std::string& from, const std::string& to,
                  std::string_view message) override;
  long connections() const override { return m_connections; }

 private:
  SmtpConfig m_config;
  curl::Lease m_lib;  // libcurl stays loaded while the mailer lives
  CURL* m_curl;
  long m_connections = 0;
};

}  // namespace instctl::net
