#include "instctl/crypto/http_signature.hpp"

#include <fmt/format.h>

#include <memory>
#include <string>

#include "instctl/core/error.hpp"
#include "instctl/crypto/digest.hpp"
#include "instctl/crypto/message_signature.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/time.hpp"

namespace instctl::crypto {

namespace {

VerifyResult fail(VerifyStatus s, std::string message, SignatureParams params = {}) {
  return VerifyResult{s, std::move(message), std::move(params)};
}

bool contains(const std::vector<std::string>& v, std::string_view x) {
  for (const auto& e : v) {
    if (e == x) return true;
  }
  return false;
}

// Splits `a="b",c=1` into pairs; values are quoted strings or bare tokens.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_params(std::string_view s) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == ',')) ++i;
    if (i >= s.size()) break;
    const auto eq = s.find('=', i);
    if (eq == std::string_view::npos) return std::nullopt;
    std::string name = util::to_lower(util::trim(s.substr(i, eq - i)));
    i = eq + 1;
    std::string value;
    if (i < s.size() && s[i] == '"') {
      const auto end = s.find('"', i + 1);
      if (end == std::string_view::npos) return std::nullopt;
      value = std::string(s.substr(i + 1, end - i - 1));
      i = end + 1;
    } else {
      const auto end = s.find(',', i);
      value =
          std::string(util::trim(s.substr(i, end == std::string_view::npos ? s.npos : end - i)));
      i = end == std::string_view::npos ? s.size() : end;
    }
    if (name.empty()) return std::nullopt;
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

// A covered header the signing string can be built with: a header of the request, or a
// pseudo-header this implementation knows ((created) and (expires) need their parameter).
bool is_present(const std::string& name, const SignatureParams& p, const Headers& headers) {
  if (name == "(request-target)") return true;
  if (name == "(created)") return p.created.has_value();
  if (name == "(expires)") return p.expires.has_value();
  return name.front() != '(' && find_header(headers, name).has_value();
}

std::optional<std::int64_t> parse_int(const std::string& s) {
  if (s.empty() || s.size() > 15 || s.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(s);
}

}  // namespace

std::optional<std::string> joined_header(const Headers& headers, std::string_view name) {
  std::optional<std::string> out;
  for (const auto& h : headers) {
    if (!util::iequals(h.name, name)) continue;
    const std::string v(util::trim(h.value));
    out = out ? *out + ", " + v : v;
  }
  return out;
}

std::optional<std::string> find_header(const Headers& headers, std::string_view name) {
  for (const auto& h : headers) {
    if (util::iequals(h.name, name)) return h.value;
  }
  return std::nullopt;
}

void set_header(Headers& headers, std::string_view name, std::string value) {
  std::erase_if(headers, [&](const Header& h) { return util::iequals(h.name, name); });
  headers.push_back({std::string(name), std::move(value)});
}

std::string digest_header_value(std::string_view body) {
  return "SHA-256=" + util::base64_encode(sha256(body));
}

bool digest_matches(std::string_view header_value, std::string_view body) {
  for (const auto& part : util::split(header_value, ',')) {
    const auto entry = util::trim(part);
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    if (!util::iequals(entry.substr(0, eq), "SHA-256")) continue;
    const auto given = util::base64_decode(entry.substr(eq + 1));
    return given && constant_time_equals(*given, sha256(body));
  }
  return false;
}

std::optional<SignatureParams> parse_signature_header(std::string_view value) {
  value = util::trim(value);
  if (util::starts_with_ci(value, "Signature ")) value.remove_prefix(10);  // Authorization form
  const auto pairs = parse_params(value);
  if (!pairs) return std::nullopt;
  SignatureParams p;
  bool have_headers = false, have_sig = false;
  for (const auto& [name, v] : *pairs) {
    if (name == "keyid")
      p.key_id = v;
    else if (name == "algorithm")
      p.algorithm = util::to_lower(v);
    else if (name == "headers") {
      have_headers = true;
      for (const auto& h : util::split(v, ' ')) {
        if (!h.empty()) p.headers.push_back(util::to_lower(h));
      }
    } else if (name == "signature") {
      auto raw = util::base64_decode(v);
      if (!raw || raw->empty()) return std::nullopt;
      p.signature = std::move(*raw);
      have_sig = true;
    } else if (name == "created" || name == "expires") {
      const auto n = parse_int(v);
      if (!n) return std::nullopt;
      (name == "created" ? p.created : p.expires) = *n;
    }
  }
  if (p.key_id.empty() || !have_sig) return std::nullopt;
  if (!have_headers) p.headers = {"date"};
  if (p.headers.empty()) return std::nullopt;
  return p;
}

std::string format_signature_header(const SignatureParams& p) {
  std::string out = fmt::format("keyId=\"{}\"", p.key_id);
  if (!p.algorithm.empty()) out += fmt::format(",algorithm=\"{}\"", p.algorithm);
  if (p.created) out += fmt::format(",created={}", *p.created);
  if (p.expires) out += fmt::format(",expires={}", *p.expires);
  out += fmt::format(",headers=\"{}\"", util::join(p.headers, " "));
  out += fmt::format(",signature=\"{}\"", util::base64_encode(p.signature));
  return out;
}

std::optional<std::string> signing_string(const SignatureParams& p, std::string_view method,
                                          std::string_view target, const Headers& headers) {
  std::string out;
  for (const auto& name : p.headers) {
    std::string value;
    if (name == "(request-target)") {
      value = util::to_lower(method) + " " + std::string(target);
    } else if (name == "(created)") {
      if (!p.created) return std::nullopt;
      value = std::to_string(*p.created);
    } else if (name == "(expires)") {
      if (!p.expires) return std::nullopt;
      value = std::to_string(*p.expires);
    } else {
      auto v = joined_header(headers, name);
      if (!v) return std::nullopt;
      value = std::move(*v);
    }
    if (!out.empty()) out += '\n';
    out += name + ": " + value;
  }
  return out;
}

void sign_request(std::string_view method, std::string_view target, std::string_view body,
                  Headers& headers, const std::string& key_id, const std::string& private_pem,
                  UnixTime now) {
  set_header(headers, "Date", util::format_http_date(now));
  SignatureParams p;
  p.key_id = key_id;
  p.algorithm = "rsa-sha256";
  p.headers = {"(request-target)", "host", "date"};
  const bool has_body = !body.empty() || util::iequals(method, "POST");
  if (has_body) {
    set_header(headers, "Digest", digest_header_value(body));
    p.headers.push_back("digest");
    if (find_header(headers, "content-type")) p.headers.push_back("content-type");
  }
  if (!find_header(headers, "host")) {
    throw Error(ErrorKind::internal, "a signed request needs a Host header");
  }
  const auto text = signing_string(p, method, target, headers);
  p.signature = rsa_sha256_sign(private_pem, *text);
  set_header(headers, "Signature", format_signature_header(p));
}

const char* to_string(VerifyStatus s) {
  switch (s) {
    case VerifyStatus::ok:
      return "ok";
    case VerifyStatus::missing_signature:
      return "missing_signature";
    case VerifyStatus::malformed:
      return "malformed";
    case VerifyStatus::unsupported_algorithm:
      return "unsupported_algorithm";
    case VerifyStatus::insufficient_coverage:
      return "insufficient_coverage";
    case VerifyStatus::missing_header:
      return "missing_header";
    case VerifyStatus::stale:
      return "stale";
    case VerifyStatus::bad_digest:
      return "bad_digest";
    case VerifyStatus::bad_signature:
      return "bad_signature";
  }
  return "malformed";
}

namespace {

// Says which standard failed, for the 401 body and the error log.
VerifyResult labelled(VerifyResult r) {
  if (!r.ok()) {
    r.message =
        (r.params.standard == SignatureStandard::rfc9421 ? "RFC 9421: " : "draft-cavage: ") +
        r.message;
  }
  return r;
}

VerifyResult check_cavage(const IncomingRequest& req, UnixTime now, const VerifyPolicy& policy);

}  // namespace

const char* to_string(SignatureStandard s) {
  return s == SignatureStandard::rfc9421 ? "rfc9421" : "cavage";
}

std::optional<SignatureStandard> parse_signature_standard(std::string_view s) {
  if (s == "cavage") return SignatureStandard::cavage;
  if (s == "rfc9421") return SignatureStandard::rfc9421;
  return std::nullopt;
}

VerifyResult check_request(const IncomingRequest& req, UnixTime now, const VerifyPolicy& policy) {
  if (find_header(req.headers, "signature-input")) return labelled(check_message(req, now, policy));
  return labelled(check_cavage(req, now, policy));
}

VerifyResult verify_request(const IncomingRequest& req, const SignatureParams& p,
                            std::string_view public_pem) {
  if (p.standard == SignatureStandard::rfc9421) return labelled(verify_message(p, public_pem));
  const auto text = signing_string(p, req.method, req.target, req.headers);
  if (!text) return labelled(fail(VerifyStatus::missing_header, "a signed header is missing", p));
  if (!rsa_sha256_verify(public_pem, *text, p.signature)) {
    return labelled(fail(VerifyStatus::bad_signature,
                         fmt::format("the signature does not verify with the key {}", p.key_id),
                         p));
  }
  return VerifyResult{VerifyStatus::ok, "", p};
}

namespace {

VerifyResult check_cavage(const IncomingRequest& req, UnixTime now, const VerifyPolicy& policy) {
  auto header = find_header(req.headers, "signature");
  if (!header) {
    const auto auth = find_header(req.headers, "authorization");
    if (auth && util::starts_with_ci(util::trim(*auth), "Signature ")) header = auth;
  }
  if (!header)
    return fail(VerifyStatus::missing_signature, "the request carries no Signature header");
  auto parsed = parse_signature_header(*header);
  if (!parsed) return fail(VerifyStatus::malformed, "the Signature header cannot be parsed");
  SignatureParams p = std::move(*parsed);
  if (!p.algorithm.empty() && p.algorithm != "rsa-sha256" && p.algorithm != "hs2019") {
    return fail(VerifyStatus::unsupported_algorithm,
                fmt::format("unsupported signature algorithm '{}'", p.algorithm), p);
  }
  std::vector<std::string> required = policy.required;
  if (!req.body.empty() || util::iequals(req.method, "POST")) required.push_back("digest");
  for (const auto& r : required) {
    if (!contains(p.headers, r)) {
      return fail(VerifyStatus::insufficient_coverage,
                  fmt::format("the signature does not cover '{}'", r), p);
    }
  }
  for (const auto& h : p.headers) {
    if (!is_present(h, p, req.headers)) {
      return fail(VerifyStatus::missing_header,
                  fmt::format("the signed header '{}' is missing from the request", h), p);
    }
  }
  if (const auto date = find_header(req.headers, "date")) {
    const auto t = util::parse_http_date(*date);
    if (!t) return fail(VerifyStatus::stale, "the Date header is not an HTTP date", p);
    if (*t > now + policy.max_skew || *t < now - policy.max_skew) {
      return fail(VerifyStatus::stale,
                  fmt::format("the Date header ({}) is too far from now", *date), p);
    }
  }
  if (p.expires && *p.expires < now)
    return fail(VerifyStatus::stale, "the signature has expired", p);
  if (p.created && *p.created > now + policy.max_skew) {
    return fail(VerifyStatus::stale, "the signature was created in the future", p);
  }
  if (contains(p.headers, "digest")) {
    const auto digest = find_header(req.headers, "digest");
    if (!digest || !digest_matches(*digest, req.body)) {
      return fail(VerifyStatus::bad_digest, "the Digest header does not match the body (SHA-256)",
                  p);
    }
  }
  return VerifyResult{VerifyStatus::ok, "", std::move(p)};
}

}  // namespace

}  // namespace instctl::crypto
