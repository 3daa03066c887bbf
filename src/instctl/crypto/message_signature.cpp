#include "instctl/crypto/message_signature.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "instctl/core/error.hpp"
#include "instctl/crypto/digest.hpp"
#include "instctl/crypto/pkey.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/time.hpp"

namespace instctl::crypto {

namespace {

constexpr std::string_view k_rsa_alg = "rsa-v1_5-sha256";
constexpr std::string_view k_ed25519_alg = "ed25519";

VerifyResult rfc9421_fail(VerifyStatus s, std::string message, SignatureParams params = {}) {
  params.standard = SignatureStandard::rfc9421;
  return VerifyResult{s, std::move(message), std::move(params)};
}

std::string_view path_of(std::string_view target) {
  return target.substr(0, std::min(target.find('?'), target.size()));
}

// The value of a derived component (RFC 9421 2.2) or a header field; nullopt when absent.
std::optional<std::string> component_value(const std::string& name, const IncomingRequest& req) {
  const auto authority = [&] {
    return util::to_lower(joined_header(req.headers, "host").value_or(""));
  };
  if (name == "@method") return req.method;
  if (name == "@authority") return authority();
  if (name == "@scheme") return util::to_lower(req.scheme);
  if (name == "@target-uri") return util::to_lower(req.scheme) + "://" + authority() + req.target;
  if (name == "@request-target") return req.target;
  if (name == "@path") {
    const auto p = path_of(req.target);
    return p.empty() ? "/" : std::string(p);
  }
  if (name == "@query") {
    const auto q = req.target.find('?');
    return q == std::string::npos ? "?" : req.target.substr(q);
  }
  if (name.front() == '@') return std::nullopt;
  return joined_header(req.headers, name);
}

const std::string* string_param(const sf::Parameters& params, std::string_view key) {
  const auto* v = sf::find(params, key);
  return v ? std::get_if<std::string>(v) : nullptr;
}

const std::int64_t* int_param(const sf::Parameters& params, std::string_view key) {
  const auto* v = sf::find(params, key);
  return v ? std::get_if<std::int64_t>(v) : nullptr;
}

bool covers(const SignatureParams& p, std::string_view c) {
  return std::find(p.headers.begin(), p.headers.end(), c) != p.headers.end();
}

// The one signature of the request: its covered components and parameters, and its bytes.
struct OneSignature {
  sf::InnerList input;
  std::string bytes;
};

std::optional<OneSignature> read_signature(const IncomingRequest& req, std::string& error) {
  const auto input_text = joined_header(req.headers, "signature-input");
  const auto sig_text = joined_header(req.headers, "signature");
  if (!input_text || !sig_text) {
    error = "the request needs both Signature-Input and Signature headers";
    return std::nullopt;
  }
  const auto inputs = sf::parse_dictionary(*input_text);
  if (!inputs) {
    error = "the Signature-Input header is not a structured-field dictionary (RFC 8941)";
    return std::nullopt;
  }
  const auto sigs = sf::parse_dictionary(*sig_text);
  if (!sigs) {
    error = "the Signature header is not a structured-field dictionary (RFC 8941)";
    return std::nullopt;
  }
  if (inputs->size() != 1 || sigs->size() != 1) {
    error = fmt::format(
        "the request carries {} signature inputs and {} signatures; exactly one is accepted",
        inputs->size(), sigs->size());
    return std::nullopt;
  }
  const auto& [label, member] = inputs->front();
  const auto* list = std::get_if<sf::InnerList>(&member);
  if (list == nullptr) {
    error =
        fmt::format("the Signature-Input member '{}' is not an inner list of components", label);
    return std::nullopt;
  }
  const auto* sig_member = sf::find(*sigs, label);
  const auto* sig_item = sig_member ? std::get_if<sf::Item>(sig_member) : nullptr;
  const auto* bytes = sig_item ? std::get_if<sf::ByteSequence>(&sig_item->value) : nullptr;
  if (bytes == nullptr || bytes->bytes.empty()) {
    error = fmt::format("the Signature header has no byte sequence labelled '{}'", label);
    return std::nullopt;
  }
  return OneSignature{*list, bytes->bytes};
}

// Fills params from the signature's parameters and components; "" or what is wrong.
std::string read_params(const sf::InnerList& input, SignatureParams& p) {
  for (const auto& item : input.items) {
    const auto* name = std::get_if<std::string>(&item.value);
    if (name == nullptr || name->empty()) return "a covered component is not a string";
    if (!item.params.empty()) {
      return fmt::format("the component \"{}\" has parameters, which are not supported", *name);
    }
    if (*name != util::to_lower(*name))
      return fmt::format("the component \"{}\" is not lower case", *name);
    if (covers(p, *name)) return fmt::format("the component \"{}\" is covered twice", *name);
    p.headers.push_back(*name);
  }
  const auto* key_id = string_param(input.params, "keyid");
  if (key_id == nullptr || key_id->empty()) return "the signature has no keyid parameter";
  p.key_id = *key_id;
  const auto* created = int_param(input.params, "created");
  if (created == nullptr) return "the signature has no created parameter";
  p.created = *created;
  if (sf::find(input.params, "expires")) {
    const auto* expires = int_param(input.params, "expires");
    if (expires == nullptr) return "the expires parameter is not an integer";
    p.expires = *expires;
  }
  if (sf::find(input.params, "alg")) {
    const auto* alg = string_param(input.params, "alg");
    if (alg == nullptr) return "the alg parameter is not a string";
    p.algorithm = *alg;
  }
  return "";
}

}  // namespace

std::string content_digest_value(std::string_view body) {
  return "sha-256=:" + util::base64_encode(sha256(body)) + ":";
}

std::string content_digest_problem(std::string_view header_value, std::string_view body) {
  const auto dict = sf::parse_dictionary(header_value);
  if (!dict) return "the Content-Digest header is not a structured-field dictionary (RFC 8941)";
  bool checked = false;
  for (const auto& [alg, member] : *dict) {
    if (alg != "sha-256" && alg != "sha-512") continue;  // others are not checked (RFC 9530)
    const auto* item = std::get_if<sf::Item>(&member);
    const auto* given = item ? std::get_if<sf::ByteSequence>(&item->value) : nullptr;
    if (given == nullptr) return fmt::format("the Content-Digest's {} is not a byte sequence", alg);
    const auto actual = alg == "sha-256" ? sha256(body) : sha512(body);
    if (!constant_time_equals(given->bytes, actual)) {
      return fmt::format("the Content-Digest's {} does not match the body", alg);
    }
    checked = true;
  }
  return checked ? "" : "the Content-Digest header has no sha-256 or sha-512 digest";
}

std::optional<std::string> signature_base(const sf::InnerList& input, const IncomingRequest& req,
                                          std::string& error) {
  std::string out;
  for (const auto& item : input.items) {
    const auto* name = std::get_if<std::string>(&item.value);
    if (name == nullptr || name->empty() || !item.params.empty()) {
      error = "a covered component is not a plain string";
      return std::nullopt;
    }
    const auto value = component_value(*name, req);
    if (!value) {
      error = name->front() == '@'
                  ? fmt::format("the derived component \"{}\" is not supported", *name)
                  : fmt::format("the covered header '{}' is missing from the request", *name);
      return std::nullopt;
    }
    if (value->find_first_of("\r\n") != std::string::npos) {
      error = fmt::format("the component \"{}\" holds a line break", *name);
      return std::nullopt;
    }
    out += sf::serialize(item.value) + ": " + *value + "\n";
  }
  return out + "\"@signature-params\": " + sf::serialize(input);
}

void sign_message(std::string_view method, std::string_view scheme, std::string_view target,
                  std::string_view body, Headers& headers, const std::string& key_id,
                  const std::string& private_pem, UnixTime now) {
  if (!find_header(headers, "host")) {
    throw Error(ErrorKind::internal, "a signed request needs a Host header");
  }
  set_header(headers, "Date", util::format_http_date(now));
  sf::InnerList input;
  for (const char* c : {"@method", "@target-uri", "@authority", "date"}) {
    input.items.push_back({std::string(c), {}});
  }
  if (!body.empty() || util::iequals(method, "POST")) {
    set_header(headers, "Content-Digest", content_digest_value(body));
    input.items.push_back({std::string("content-digest"), {}});
  }
  input.params = {
      {"alg", std::string(k_rsa_alg)}, {"keyid", key_id}, {"created", std::int64_t{now}}};
  IncomingRequest req{std::string(method), std::string(target), headers, "", std::string(scheme)};
  std::string error;
  const auto base = signature_base(input, req, error);
  if (!base) throw Error(ErrorKind::internal, "the signature base cannot be built: " + error);
  const auto sig = rsa_sha256_sign(private_pem, *base);
  set_header(headers, "Signature-Input", "sig1=" + sf::serialize(input));
  set_header(headers, "Signature", "sig1=" + sf::serialize(sf::BareItem{sf::ByteSequence{sig}}));
}

VerifyResult check_message(const IncomingRequest& req, UnixTime now, const VerifyPolicy& policy) {
  std::string error;
  const auto sig = read_signature(req, error);
  if (!sig) return rfc9421_fail(VerifyStatus::malformed, error);
  SignatureParams p;
  p.standard = SignatureStandard::rfc9421;
  p.signature = sig->bytes;
  if (auto problem = read_params(sig->input, p); !problem.empty()) {
    return rfc9421_fail(VerifyStatus::malformed, problem, p);
  }
  if (!p.algorithm.empty() && p.algorithm != k_rsa_alg && p.algorithm != k_ed25519_alg) {
    return rfc9421_fail(
        VerifyStatus::unsupported_algorithm,
        fmt::format(
            "unsupported signature algorithm '{}' (rsa-v1_5-sha256 and ed25519 are accepted)",
            p.algorithm),
        p);
  }
  const bool has_body = !req.body.empty() || util::iequals(req.method, "POST");
  const char* missing =
      !covers(p, "@method") ? "@method"
      : !covers(p, "@target-uri") && !(covers(p, "@authority") && covers(p, "@path"))
          ? "@target-uri (or @authority and @path)"
      : has_body && !covers(p, "content-digest") ? "content-digest"
                                                 : nullptr;
  if (missing != nullptr) {
    return rfc9421_fail(VerifyStatus::insufficient_coverage,
                        fmt::format("the signature does not cover {}", missing), p);
  }
  if (*p.created > now + policy.max_skew || *p.created < now - policy.max_skew) {
    return rfc9421_fail(VerifyStatus::stale,
                        fmt::format("the signature's created ({}) is too far from now",
                                    util::format_time(*p.created)),
                        p);
  }
  if (p.expires && *p.expires < now) {
    return rfc9421_fail(VerifyStatus::stale,
                        fmt::format("the signature expired at {}", util::format_time(*p.expires)),
                        p);
  }
  if (covers(p, "date")) {
    const auto date = find_header(req.headers, "date");
    const auto t = date ? util::parse_http_date(*date) : std::nullopt;
    if (date && (!t || *t > now + policy.max_skew || *t < now - policy.max_skew)) {
      return rfc9421_fail(VerifyStatus::stale,
                          "the signed Date header is not an HTTP date near now", p);
    }
  }
  if (covers(p, "content-digest")) {
    const auto digest = joined_header(req.headers, "content-digest");
    const auto problem = digest ? content_digest_problem(*digest, req.body)
                                : std::string("the covered Content-Digest header is missing");
    if (!problem.empty()) return rfc9421_fail(VerifyStatus::bad_digest, problem, p);
  }
  auto base = signature_base(sig->input, req, error);
  if (!base) return rfc9421_fail(VerifyStatus::missing_header, error, p);
  p.base = std::move(*base);
  return VerifyResult{VerifyStatus::ok, "", std::move(p)};
}

VerifyResult verify_message(const SignatureParams& p, std::string_view public_pem) {
  const auto type = public_key_type(public_pem);
  const bool rsa_alg = p.algorithm == k_rsa_alg, ed_alg = p.algorithm == k_ed25519_alg;
  if ((type == KeyType::rsa && ed_alg) || (type == KeyType::ed25519 && rsa_alg)) {
    return rfc9421_fail(VerifyStatus::bad_signature,
                        fmt::format("alg is {} but the key {} is {}", p.algorithm, p.key_id,
                                    type == KeyType::rsa ? "an RSA key" : "an Ed25519 key"),
                        p);
  }
  const bool ok = type == KeyType::rsa       ? rsa_sha256_verify(public_pem, p.base, p.signature)
                  : type == KeyType::ed25519 ? ed25519_verify(public_pem, p.base, p.signature)
                                             : false;
  if (!ok) {
    return rfc9421_fail(VerifyStatus::bad_signature,
                        fmt::format("the signature does not verify with the key {}", p.key_id), p);
  }
  return VerifyResult{VerifyStatus::ok, "", p};
}

}  // namespace instctl::crypto
