#include "instctl/crypto/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <memory>

#include "instctl/core/error.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::crypto {

namespace {

// Each digest fetched once: EVP_sha256() in a digest call looks the algorithm up every time,
// which costs more than hashing a small body.
using Md = std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)>;

std::string digest(std::string_view data, const Md& md) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!md || EVP_Digest(data.data(), data.size(), out, &len, md.get(), nullptr) != 1) {
    throw Error(ErrorKind::internal, "OpenSSL could not compute a digest");
  }
  return std::string(reinterpret_cast<char*>(out), len);
}

}  // namespace

std::string sha256(std::string_view data) {
  static const Md md(EVP_MD_fetch(nullptr, "SHA256", nullptr), EVP_MD_free);
  return digest(data, md);
}

std::string sha512(std::string_view data) {
  static const Md md(EVP_MD_fetch(nullptr, "SHA512", nullptr), EVP_MD_free);
  return digest(data, md);
}

std::string sha256_hex(std::string_view data) { return util::hex_encode(sha256(data)); }

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace instctl::crypto
