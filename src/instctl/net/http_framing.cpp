#include "instctl/net/http_framing.hpp"

#include <algorithm>

#include "instctl/util/strings.hpp"

namespace instctl::http {

namespace {

constexpr std::string_view k_end_of_header = "\r\n\r\n";

// "http://Host:8080/p?q" -> authority "Host:8080", target "/p?q". Not absolute-form: false.
bool split_absolute_form(std::string_view target, std::string& authority, std::string& origin) {
  std::size_t scheme = 0;
  if (util::starts_with_ci(target, "http://"))
    scheme = 7;
  else if (util::starts_with_ci(target, "https://"))
    scheme = 8;
  else
    return false;
  target.remove_prefix(scheme);
  const auto end = target.find_first_of("/?#");
  authority = std::string(target.substr(0, end));
  origin = end == std::string_view::npos ? std::string("/") : std::string(target.substr(end));
  if (origin.front() != '/') origin = "/" + origin;  // "http://host?q"
  return true;
}

std::optional<std::string> adopt_absolute_form(Request& req) {
  std::string authority, origin;
  if (!split_absolute_form(req.target, authority, origin)) return std::nullopt;
  if (authority.empty() || authority.find('@') != std::string::npos) {
    return "the request target's authority must be a host[:port], without user information";
  }
  if (origin.find('#') != std::string::npos) return "a request target has no fragment";
  req.set_target(std::move(origin));
  // The target's authority stands for the Host (RFC 9112 3.2.2): a missing or repeated Host
  // field is still refused by check_host, as for any request.
  bool had_host = false;
  for (auto& [name, value] : req.headers) {
    if (name == "host") {
      value = authority;
      had_host = true;
    }
  }
  if (!had_host && req.http_1_0) req.headers.emplace_back("host", authority);
  return std::nullopt;
}

// A control character other than CR, LF and tab, which no request line or header may hold.
bool has_control(std::string_view bytes) {
  return std::any_of(bytes.begin(), bytes.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return (c < 0x20 && c != '\r' && c != '\n' && c != '\t') || c == 0x7f;
  });
}

}  // namespace

HeaderBlock scan_header_block(std::string_view bytes, std::size_t limit) {
  const auto end = bytes.find(k_end_of_header);
  if (end == std::string_view::npos && bytes.size() < limit) {
    // Not HTTP (a TLS hello on the plain port): the parser refuses it at once.
    return has_control(bytes) ? HeaderBlock::complete : HeaderBlock::incomplete;
  }
  // Up to the end of the last header line (or what arrived, for Beast to refuse as too large).
  const std::string_view head =
      bytes.substr(0, end == std::string_view::npos ? bytes.size() : end + 2);
  for (std::size_t nl = head.find('\n'); nl != std::string_view::npos;
       nl = head.find('\n', nl + 1)) {
    if (nl + 1 < head.size() && (head[nl + 1] == ' ' || head[nl + 1] == '\t')) {
      return HeaderBlock::folded;
    }
  }
  return HeaderBlock::complete;
}

std::optional<std::string> check_framing(Request& req) {
  std::optional<std::string_view> coding;
  for (const auto& [name, value] : req.headers) {
    if (name != "transfer-encoding") continue;
    if (coding) return "more than one Transfer-Encoding field";
    coding = value;
  }
  if (coding) {
    if (!util::iequals(util::trim(*coding), "chunked")) {
      return "the only Transfer-Encoding accepted is chunked";
    }
    if (req.header("content-length")) return "Transfer-Encoding and Content-Length together";
    if (req.http_1_0) return "Transfer-Encoding in an HTTP/1.0 request";
  }
  return adopt_absolute_form(req);
}

}  // namespace instctl::http
