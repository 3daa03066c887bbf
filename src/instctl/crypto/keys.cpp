#include "instctl/crypto/keys.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>

#include "instctl/core/error.hpp"

namespace instctl::crypto {

namespace {
std::string bio_string(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(len));
}

// A 2048-bit RSA key (what EVP_RSA_gen makes; that macro calls a variadic function, which
// crypto/libcrypto.cpp cannot pass on).
std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> new_rsa_key() {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr), EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), 2048) != 1 ||
      EVP_PKEY_generate(ctx.get(), &key) != 1) {
    key = nullptr;
  }
  return {key, EVP_PKEY_free};
}
}  // namespace

KeyPair generate_rsa_key_pair() {
  const auto key = new_rsa_key();
  if (!key) throw Error(ErrorKind::internal, "RSA key generation failed");
  std::unique_ptr<BIO, decltype(&BIO_free)> pub(BIO_new(BIO_s_mem()), BIO_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> priv(BIO_new(BIO_s_mem()), BIO_free);
  if (!pub || !priv || PEM_write_bio_PUBKEY(pub.get(), key.get()) != 1 ||
      PEM_write_bio_PrivateKey(priv.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throw Error(ErrorKind::internal, "could not encode the RSA key pair");
  }
  return {bio_string(pub.get()), bio_string(priv.get())};
}

}  // namespace instctl::crypto
