#include "instctl/net/smtp_mailer.hpp"

#include <fmt/format.h>

#include <cstring>

#include "instctl/core/error.hpp"
#include "instctl/net/curl_api.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::net {

namespace {

struct Upload {
  std::string_view data;
  std::size_t pos = 0;
};

std::size_t read_upload(char* buf, std::size_t size, std::size_t n, void* user) {
  auto* up = static_cast<Upload*>(user);
  const std::size_t len = std::min(size * n, up->data.size() - up->pos);
  std::memcpy(buf, up->data.data() + up->pos, len);
  up->pos += len;
  return len;
}

bool breaks_connection(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_LOGIN_DENIED:
    case CURLE_GOT_NOTHING:
    case CURLE_USE_SSL_FAILED:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
      return true;
    default:
      return false;
  }
}

}  // namespace

SmtpMailer::SmtpMailer(SmtpConfig config)
    : m_config(std::move(config)), m_curl(m_lib->easy_init()) {
  if (m_curl == nullptr) throw Error(ErrorKind::internal, "libcurl could not start");
  m_lib->easy_setopt(m_curl, CURLOPT_URL, m_config.url.c_str());
  m_lib->easy_setopt(m_curl, CURLOPT_NOSIGNAL, 1L);
  m_lib->easy_setopt(m_curl, CURLOPT_CONNECTTIMEOUT, 10L);
  m_lib->easy_setopt(m_curl, CURLOPT_TIMEOUT, m_config.timeout_seconds);
  m_lib->easy_setopt(m_curl, CURLOPT_UPLOAD, 1L);
  m_lib->easy_setopt(m_curl, CURLOPT_READFUNCTION, read_upload);
  // smtp://: upgrade with STARTTLS when the server offers it; smtps:// is TLS from the start.
  // A password never crosses the wire in clear: with a user name, STARTTLS is required, so a
  // server (or a man in the middle) that does not offer it fails the send.
  if (util::starts_with_ci(m_config.url, "smtp://")) {
    const long tls = m_config.user.empty() ? CURLUSESSL_TRY : CURLUSESSL_ALL;
    m_lib->easy_setopt(m_curl, CURLOPT_USE_SSL, tls);
  }
  if (!m_config.ca_file.empty())
    m_lib->easy_setopt(m_curl, CURLOPT_CAINFO, m_config.ca_file.c_str());
  if (!m_config.user.empty()) {
    m_lib->easy_setopt(m_curl, CURLOPT_USERNAME, m_config.user.c_str());
    m_lib->easy_setopt(m_curl, CURLOPT_PASSWORD, m_config.password.c_str());
  }
}

SmtpMailer::~SmtpMailer() { m_lib->easy_cleanup(m_curl); }

SendResult SmtpMailer::send(const std::string& from, const std::string& to,
                            std::string_view message) {
  const std::string mail_from = "<" + from + ">";
  const std::string rcpt_to = "<" + to + ">";
  curl_slist* rcpt = m_lib->slist_append(nullptr, rcpt_to.c_str());
  Upload up{message};
  char errbuf[CURL_ERROR_SIZE] = {0};
  m_lib->easy_setopt(m_curl, CURLOPT_ERRORBUFFER, errbuf);
  m_lib->easy_setopt(m_curl, CURLOPT_MAIL_FROM, mail_from.c_str());
  m_lib->easy_setopt(m_curl, CURLOPT_MAIL_RCPT, rcpt);
  m_lib->easy_setopt(m_curl, CURLOPT_READDATA, &up);
  m_lib->easy_setopt(m_curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  const CURLcode rc = m_lib->easy_perform(m_curl);
  long opened = 0;
  m_lib->easy_getinfo(m_curl, CURLINFO_NUM_CONNECTS, &opened);
  m_connections += opened;
  m_lib->easy_setopt(m_curl, CURLOPT_MAIL_RCPT, nullptr);
  m_lib->easy_setopt(m_curl, CURLOPT_ERRORBUFFER, nullptr);
  m_lib->slist_free_all(rcpt);
  SendResult r;
  if (rc == CURLE_OK) {
    r.ok = true;
    return r;
  }
  long code = 0;
  m_lib->easy_getinfo(m_curl, CURLINFO_RESPONSE_CODE, &code);
  r.connection_failed = breaks_connection(rc);
  r.error = errbuf[0] ? errbuf : m_lib->easy_strerror(rc);
  if (code != 0) r.error += fmt::format(" (SMTP {})", code);
  return r;
}

}  // namespace instctl::net
