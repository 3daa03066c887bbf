#include "instctl/crypto/pkey.hpp"

#include <openssl/bio.h>
#include <openssl/decoder.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>
#include <string>
#include <unordered_map>

#include "instctl/core/error.hpp"
#include "instctl/crypto/digest.hpp"

namespace instctl::crypto {

namespace {

using PKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

enum class KeyKind { public_key, private_key };

PKey read_key(std::string_view pem, KeyKind kind) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (!bio) return PKey(nullptr, EVP_PKEY_free);
  EVP_PKEY* key = nullptr;
  if (kind == KeyKind::private_key) {
    key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  } else {
    // SubjectPublicKeyInfo ("BEGIN PUBLIC KEY") or PKCS#1 ("BEGIN RSA PUBLIC KEY"), which
    // some servers publish.
    OSSL_DECODER_CTX* dctx = OSSL_DECODER_CTX_new_for_pkey(&key, "PEM", nullptr, nullptr,
                                                           EVP_PKEY_PUBLIC_KEY, nullptr, nullptr);
    if (dctx != nullptr) {
      const auto* data = reinterpret_cast<const unsigned char*>(pem.data());
      std::size_t len = pem.size();
      if (OSSL_DECODER_from_data(dctx, &data, &len) != 1) key = nullptr;
      OSSL_DECODER_CTX_free(dctx);
    }
  }
  return PKey(key, EVP_PKEY_free);
}

using PKeyCtx = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;

// A decoded public key, with its RSA verify context set up once (PKCS#1 v1.5 padding over a
// SHA-256 digest): setting one up costs about a quarter of the verify itself.
struct DecodedKey {
  PKey key{nullptr, EVP_PKEY_free};
  PKeyCtx rsa_verify{nullptr, EVP_PKEY_CTX_free};  // null for other key types
};

PKeyCtx rsa_verify_context(EVP_PKEY* key) {
  PKeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr), EVP_PKEY_CTX_free);
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1 ||
      EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) != 1) {
    return PKeyCtx(nullptr, EVP_PKEY_CTX_free);
  }
  return ctx;
}

// Decoding a PEM costs several times the RSA verify itself, and an inbox sees the same few
// senders' keys again and again: each thread keeps the keys it decoded, by their PEM text (a
// changed key is a different text, so nothing can be stale). Bounded: a flood of new keys only
// makes the thread start afresh.
const DecodedKey* decoded_public_key(std::string_view pem) {
  constexpr std::size_t k_max_keys = 512;
  thread_local std::unordered_map<std::string, DecodedKey> keys;
  if (const auto it = keys.find(std::string(pem)); it != keys.end()) return &it->second;
  DecodedKey decoded;
  decoded.key = read_key(pem, KeyKind::public_key);
  if (!decoded.key) return nullptr;
  if (EVP_PKEY_base_id(decoded.key.get()) == EVP_PKEY_RSA) {
    decoded.rsa_verify = rsa_verify_context(decoded.key.get());
  }
  if (keys.size() >= k_max_keys) keys.clear();
  return &keys.emplace(std::string(pem), std::move(decoded)).first->second;
}

KeyType type_of(const EVP_PKEY* key) {
  if (key == nullptr) return KeyType::unknown;
  switch (EVP_PKEY_base_id(key)) {
    case EVP_PKEY_RSA:
      return KeyType::rsa;
    case EVP_PKEY_ED25519:
      return KeyType::ed25519;
    default:
      return KeyType::unknown;
  }
}

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// `md` is SHA-256 for RSA and null for Ed25519 (which hashes on its own).
std::string sign_with(std::string_view private_pem, KeyType type, const EVP_MD* md,
                      std::string_view data) {
  PKey key = read_key(private_pem, KeyKind::private_key);
  if (!key) throw Error(ErrorKind::internal, "the signing key is not a readable PEM private key");
  if (type_of(key.get()) != type)
    throw Error(ErrorKind::internal, "the signing key is of another type");
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, bytes(data), data.size()) != 1) {
    throw Error(ErrorKind::internal, "signing failed");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, bytes(data),
                     data.size()) != 1) {
    throw Error(ErrorKind::internal, "signing failed");
  }
  sig.resize(len);
  return sig;
}

bool rsa_verify_with(const DecodedKey& k, std::string_view data, std::string_view signature) {
  const std::string digest = sha256(data);
  return k.rsa_verify && EVP_PKEY_verify(k.rsa_verify.get(), bytes(signature), signature.size(),
                                         bytes(digest), digest.size()) == 1;
}

bool ed25519_verify_with(const DecodedKey& k, std::string_view data, std::string_view signature) {
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, k.key.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), bytes(signature), signature.size(), bytes(data),
                          data.size()) == 1;
}

}  // namespace

KeyType public_key_type(std::string_view public_pem) {
  const DecodedKey* k = decoded_public_key(public_pem);
  return type_of(k ? k->key.get() : nullptr);
}

std::string rsa_sha256_sign(std::string_view private_pem, std::string_view data) {
  return sign_with(private_pem, KeyType::rsa, EVP_sha256(), data);
}

bool rsa_sha256_verify(std::string_view public_pem, std::string_view data,
                       std::string_view signature) {
  const DecodedKey* k = decoded_public_key(public_pem);
  return k && type_of(k->key.get()) == KeyType::rsa && rsa_verify_with(*k, data, signature);
}

std::string ed25519_sign(std::string_view private_pem, std::string_view data) {
  return sign_with(private_pem, KeyType::ed25519, nullptr, data);
}

bool ed25519_verify(std::string_view public_pem, std::string_view data,
                    std::string_view signature) {
  const DecodedKey* k = decoded_public_key(public_pem);
  return k && type_of(k->key.get()) == KeyType::ed25519 && ed25519_verify_with(*k, data, signature);
}

}  // namespace instctl::crypto
