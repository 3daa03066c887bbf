#include "instctl/auth/jwt.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <cmath>
#include <limits>

#include "instctl/core/untrusted_json.hpp"
#include "instctl/crypto/digest.hpp"
#include "instctl/util/base64.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::auth {

namespace {

// Anything longer is not an ID token (and parsing it would only cost time).
constexpr std::size_t k_max_token = 16 * 1024;
constexpr int k_min_rsa_bits = 2048;

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using BldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using SigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>>;

std::optional<std::string> b64_member(const Json& j, const char* name) {
  const auto v = text_member(j, name);
  if (v.empty()) return std::nullopt;
  return util::base64url_decode(v);
}

BnPtr bignum(const std::string& bytes) {
  return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                         static_cast<int>(bytes.size()), nullptr));
}

PkeyPtr from_params(const char* type, OSSL_PARAM* params) {
  CtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    ERR_clear_error();  // a refused key is an answer, not a failure to keep queued
    return nullptr;
  }
  return PkeyPtr(key);
}

PkeyPtr rsa_key(const Json& j) {
  const auto n = b64_member(j, "n");
  const auto e = b64_member(j, "e");
  if (!n || !e || n->size() > 1024 || e->size() > 8) return nullptr;
  const auto bn_n = bignum(*n);
  const auto bn_e = bignum(*e);
  if (!bn_n || !bn_e || BN_num_bits(bn_n.get()) < k_min_rsa_bits || BN_is_odd(bn_e.get()) != 1) {
    return nullptr;
  }
  BldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return nullptr;
  }
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  return params ? from_params("RSA", params.get()) : nullptr;
}

PkeyPtr ec_p256_key(const Json& j) {
  if (text_member(j, "crv") != "P-256") return nullptr;
  const auto x = b64_member(j, "x");
  const auto y = b64_member(j, "y");
  if (!x || !y || x->size() != 32 || y->size() != 32) return nullptr;
  std::string point = "\x04" + *x + *y;  // uncompressed SEC1 point
  char group[] = "P-256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end()};
  // Importing checks that the point lies on the curve.
  return from_params("EC", params);
}

std::optional<Jwk> parse_jwk(const Json& j) {
  if (!j.is_object()) return std::nullopt;
  const auto use = text_member(j, "use");
  if (!use.empty() && use != "sig") return std::nullopt;
  Jwk k;
  k.kid = text_member(j, "kid");
  k.kty = text_member(j, "kty");
  k.alg = text_member(j, "alg");
  PkeyPtr key;
  if (k.kty == "RSA" && (k.alg.empty() || k.alg == "RS256")) key = rsa_key(j);
  if (k.kty == "EC" && (k.alg.empty() || k.alg == "ES256")) key = ec_p256_key(j);
  if (!key) return std::nullopt;
  k.key = std::shared_ptr<EVP_PKEY>(key.release(), EVP_PKEY_free);
  return k;
}

// The JWS form of an ECDSA signature (r||s) as the DER OpenSSL verifies.
std::optional<std::string> ecdsa_der(std::string_view raw) {
  if (raw.size() != 64) return std::nullopt;
  SigPtr sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

// A NumericDate (seconds), when the claim is a finite number in a sane range.
std::optional<std::int64_t> numeric_date(const Json& claims, const char* name) {
  const auto it = claims.find(name);
  if (it == claims.end() || !it->is_number()) return std::nullopt;
  const double v = it->get<double>();
  if (!std::isfinite(v) || v < 0 || v > 1e12) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

bool audience_ok(const Json& claims, const std::string& client_id) {
  if (!claims.contains("aud")) return false;
  const Json& aud = claims.at("aud");
  if (aud.is_string()) return aud.get<std::string>() == client_id;
  if (!aud.is_array() || aud.empty()) return false;
  bool found = false;
  for (const auto& a : aud) {
    if (!a.is_string()) return false;
    if (a.get<std::string>() == client_id) found = true;
  }
  // Several audiences: the token must say it was issued to us (OpenID Connect Core 3.1.3.7).
  if (found && aud.size() > 1) return claims.contains("azp");
  return found;
}

// azp, when present, names the party the token was issued to: us, whatever the audience.
bool authorized_party_ok(const Json& claims, const std::string& client_id) {
  if (!claims.contains("azp")) return true;
  return text_member(claims, "azp") == client_id;
}

VerifyResult problem(TokenProblem p) {
  VerifyResult r;
  r.problem = p;
  return r;
}

}  // namespace

std::optional<std::vector<Jwk>> parse_jwks(std::string_view text) {
  const auto doc = parse_untrusted_object(text);
  if (!doc) return std::nullopt;
  const auto it = doc->find("keys");
  if (it == doc->end() || !it->is_array()) return std::nullopt;
  std::vector<Jwk> keys;
  for (const auto& k : *it) {
    if (auto jwk = parse_jwk(k)) keys.push_back(std::move(*jwk));
  }
  return keys;
}

std::optional<Jws> parse_jws(std::string_view token) {
  if (token.size() > k_max_token) return std::nullopt;
  const auto first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  const auto header = util::base64url_decode(token.substr(0, first));
  const auto payload = util::base64url_decode(token.substr(first + 1, second - first - 1));
  const auto signature = util::base64url_decode(token.substr(second + 1));
  if (!header || !payload || !signature) return std::nullopt;
  auto h = parse_untrusted_object(*header);
  auto c = parse_untrusted_object(*payload);
  if (!h || !c) return std::nullopt;
  return Jws{std::move(*h), std::move(*c), std::string(token.substr(0, second)), *signature};
}

bool verify_signature(const Jwk& key, std::string_view alg, std::string_view data,
                      std::string_view signature) {
  std::string sig(signature);
  if (alg == "ES256") {
    if (key.kty != "EC") return false;
    const auto der = ecdsa_der(signature);
    if (!der) return false;
    sig = *der;
  } else if (alg != "RS256" || key.kty != "RSA") {
    return false;
  }
  MdCtxPtr md(EVP_MD_CTX_new());
  if (!md || EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, key.key.get()) != 1) {
    return false;
  }
  const bool ok =
      EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  ERR_clear_error();
  return ok;
}

VerifyResult verify_id_token(std::string_view token, const std::vector<Jwk>& keys,
                             const Expectations& expect) {
  const auto jws = parse_jws(token);
  if (!jws) return problem(TokenProblem::malformed);
  const auto alg = text_member(jws->header, "alg");
  if (alg != "RS256" && alg != "ES256") return problem(TokenProblem::bad_algorithm);
  if (jws->header.contains("crit")) return problem(TokenProblem::malformed);
  const auto kid = text_member(jws->header, "kid");
  const std::string kty = alg == "RS256" ? "RSA" : "EC";
  bool candidate = false;
  bool verified = false;
  for (const auto& k : keys) {
    if (k.kty != kty || (!k.alg.empty() && k.alg != alg) || (!kid.empty() && k.kid != kid))
      continue;
    candidate = true;
    if (verify_signature(k, alg, jws->signing_input, jws->signature)) {
      verified = true;
      break;
    }
  }
  if (!candidate) return problem(TokenProblem::unknown_key);
  if (!verified) return problem(TokenProblem::bad_signature);

  const auto& c = jws->claims;
  if (text_member(c, "iss") != expect.issuer) return problem(TokenProblem::wrong_issuer);
  if (!audience_ok(c, expect.audience)) return problem(TokenProblem::wrong_audience);
  if (!authorized_party_ok(c, expect.audience))
    return problem(TokenProblem::wrong_authorized_party);
  const auto exp = numeric_date(c, "exp");
  if (!exp || expect.now > *exp + expect.leeway) return problem(TokenProblem::expired);
  const auto iat = numeric_date(c, "iat");
  if (!iat || *iat > expect.now + expect.leeway) return problem(TokenProblem::not_yet_valid);
  if (c.contains("nbf")) {
    const auto nbf = numeric_date(c, "nbf");
    if (!nbf || *nbf > expect.now + expect.leeway) return problem(TokenProblem::not_yet_valid);
  }
  const auto nonce = text_member(c, "nonce");
  if (expect.nonce.empty() || !crypto::constant_time_equals(nonce, expect.nonce)) {
    return problem(TokenProblem::wrong_nonce);
  }
  const auto sub = text_member(c, "sub");
  if (sub.empty() || sub.size() > 255) return problem(TokenProblem::missing_subject);
  VerifyResult r;
  r.token = VerifiedToken{c, sub};
  return r;
}

const char* to_string(TokenProblem p) {
  switch (p) {
    case TokenProblem::malformed:
      return "malformed";
    case TokenProblem::bad_algorithm:
      return "bad_algorithm";
    case TokenProblem::unknown_key:
      return "unknown_key";
    case TokenProblem::bad_signature:
      return "bad_signature";
    case TokenProblem::wrong_issuer:
      return "wrong_issuer";
    case TokenProblem::wrong_audience:
      return "wrong_audience";
    case TokenProblem::wrong_authorized_party:
      return "wrong_authorized_party";
    case TokenProblem::expired:
      return "expired";
    case TokenProblem::not_yet_valid:
      return "not_yet_valid";
    case TokenProblem::wrong_nonce:
      return "wrong_nonce";
    case TokenProblem::missing_subject:
      return "missing_subject";
  }
  return "malformed";
}

std::string describe(TokenProblem p) {
  switch (p) {
    case TokenProblem::malformed:
      return "the provider's answer could not be read";
    case TokenProblem::bad_algorithm:
      return "the provider signed its answer with an algorithm this site does not accept";
    case TokenProblem::unknown_key:
    case TokenProblem::bad_signature:
      return "the provider's answer is not signed by the provider's key";
    case TokenProblem::wrong_issuer:
      return "the answer comes from another provider";
    case TokenProblem::wrong_audience:
    case TokenProblem::wrong_authorized_party:
      return "the answer was meant for another site";
    case TokenProblem::expired:
      return "the answer has expired";
    case TokenProblem::not_yet_valid:
      return "the answer is dated in the future";
    case TokenProblem::wrong_nonce:
      return "the answer belongs to another sign-in attempt";
    case TokenProblem::missing_subject:
      return "the answer does not say who you are";
  }
  return "the provider's answer could not be read";
}

}  // namespace instctl::auth
