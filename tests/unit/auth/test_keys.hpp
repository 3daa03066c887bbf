#pragma once

// Keys made in the test, their JWKs, and ID tokens signed with them: what a provider does.

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "instctl/core/json.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::test {

class SigningKey {
 public:
  enum class Type { rsa, ec };
  explicit SigningKey(Type type, std::string kid, int rsa_bits = 2048)
      : m_type(type), m_kid(std::move(kid)) {
    EVP_PKEY* k = type == Type::rsa
                      ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(rsa_bits))
                      : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    if (k == nullptr) throw std::runtime_error("key generation failed");
    m_key.reset(k);
  }
  std::string alg() const { return m_type == Type::rsa ? "RS256" : "ES256"; }
  const std::string& kid() const { return m_kid; }

  Json jwk() const {
    if (m_type == Type::rsa) {
      return Json{{"kty", "RSA"},
                  {"kid", m_kid},
                  {"use", "sig"},
                  {"alg", "RS256"},
                  {"n", bn_param(OSSL_PKEY_PARAM_RSA_N, 0)},
                  {"e", bn_param(OSSL_PKEY_PARAM_RSA_E, 0)}};
    }
    return Json{{"kty", "EC"},
                {"kid", m_kid},
                {"crv", "P-256"},
                {"use", "sig"},
                {"x", bn_param(OSSL_PKEY_PARAM_EC_PUB_X, 32)},
                {"y", bn_param(OSSL_PKEY_PARAM_EC_PUB_Y, 32)}};
  }

  // A compact JWS over `claims`, with `header_extra` merged into the header.
  std::string sign(const Json& claims, Json header = Json::object()) const {
    if (!header.contains("alg")) header["alg"] = alg();
    if (!header.contains("kid")) header["kid"] = m_kid;
    header["typ"] = "JWT";
    const auto input =
        util::base64url_encode(header.dump()) + "." + util::base64url_encode(claims.dump());
    return input + "." + util::base64url_encode(raw_signature(input));
  }

  std::string raw_signature(const std::string& input) const {
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    std::size_t len = 0;
    EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, m_key.get());
    EVP_DigestSign(md, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    std::string sig(len, '\0');
    EVP_DigestSign(md, reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    EVP_MD_CTX_free(md);
    sig.resize(len);
    if (m_type == Type::rsa) return sig;
    // DER ECDSA-Sig-Value to the JWS form r||s.
    const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    std::string out(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(out.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(out.data()) + 32, 32);
    ECDSA_SIG_free(es);
    return out;
  }

 private:
  std::string bn_param(const char* name, int pad) const {
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(m_key.get(), name, &bn);
    std::string out(
        pad > 0 ? static_cast<std::size_t>(pad) : static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
    BN_free(bn);
    return util::base64url_encode(out);
  }
  struct Free {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
  };
  Type m_type;
  std::string m_kid;
  std::unique_ptr<EVP_PKEY, Free> m_key;
};

inline std::string jwks_of(std::initializer_list<const SigningKey*> keys) {
  Json arr = Json::array();
  for (const auto* k : keys) arr.push_back(k->jwk());
  return Json{{"keys", arr}}.dump();
}

}  // namespace instctl::test
