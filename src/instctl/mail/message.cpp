#include "instctl/mail/message.hpp"

#include <fmt/format.h>

#include <ctime>

#include "instctl/crypto/random.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/time.hpp"

namespace instctl::mail {

namespace {
constexpr std::size_t k_qp_line = 76;

bool is_plain_header(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e || c == '"' || c == '=' || c == '?') return false;
  }
  return true;
}

// A display name as a quoted string (or an encoded word when it is not plain ASCII).
std::string display_name(std::string_view name) {
  if (!is_plain_header(name)) return header_text(name);
  std::string out = "\"";
  for (char c : name) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

// RFC 5322 date-time in UTC: Sat, 28 Nov 2026 06:21:38 +0000 (English names whatever the
// locale).
std::string mail_date(UnixTime t) {
  static const char* const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0000", days[tm.tm_wday], tm.tm_mday,
                     months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

// Header values never carry line breaks: a value with one could add headers.
std::string one_line(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}
}  // namespace

std::string header_text(std::string_view text) {
  if (is_plain_header(text)) return std::string(text);
  return fmt::format("=?UTF-8?B?{}?=", util::base64_encode(text));
}

std::string quoted_printable(std::string_view text) {
  std::string out;
  std::size_t col = 0;
  auto emit = [&](std::string_view piece) {
    if (col + piece.size() > k_qp_line - 1) {  // leave room for the soft break's '='
      out += "=\r\n";
      col = 0;
    }
    out += piece;
    col += piece.size();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += "\r\n";
      col = 0;
      continue;
    }
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    const bool line_end = i + 1 == text.size() || text[i + 1] == '\n' || text[i + 1] == '\r';
    const bool literal =
        (c >= 33 && c <= 126 && c != '=') || (c == ' ' && !line_end) || (c == '\t' && !line_end);
    // A dot starting a line is encoded so no SMTP server can mistake it for the end of data.
    if (literal && !(c == '.' && col == 0)) {
      emit(std::string_view(&text[i], 1));
    } else {
      emit(fmt::format("={:02X}", c));
    }
  }
  return out;
}

std::string new_message_id(std::string_view domain) {
  std::string host(domain.substr(0, domain.find(':')));
  if (host.empty()) host = "localhost";
  return fmt::format("{}@{}", crypto::random_token(18), host);
}

std::string render(const Message& m) {
  std::string out;
  out += fmt::format("Date: {}\r\n", mail_date(m.date));
  out += fmt::format("Message-ID: <{}>\r\n", one_line(m.message_id));
  if (m.from_name.empty())
    out += fmt::format("From: <{}>\r\n", one_line(m.from));
  else
    out += fmt::format("From: {} <{}>\r\n", display_name(one_line(m.from_name)), one_line(m.from));
  out += fmt::format("To: <{}>\r\n", one_line(m.to));
  out += fmt::format("Subject: {}\r\n", header_text(one_line(m.subject)));
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: quoted-printable\r\n";
  out += "\r\n";
  out += quoted_printable(m.body);
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
  return out;
}

}  // namespace instctl::mail
