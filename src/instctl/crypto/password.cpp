#include "instctl/crypto/password.hpp"

#include <fmt/format.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <cstdio>

#include "instctl/core/error.hpp"
#include "instctl/crypto/digest.hpp"
#include "instctl/crypto/random.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::crypto {

namespace {

constexpr unsigned k_log_n = 15;
constexpr unsigned k_r = 8;
constexpr unsigned k_p = 1;
constexpr std::size_t k_hash_len = 32;

std::string scrypt(std::string_view password, std::string_view salt, unsigned log_n, unsigned r,
                   unsigned p) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "SCRYPT", nullptr);
  if (kdf == nullptr) throw Error(ErrorKind::internal, "OpenSSL has no scrypt");
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  std::uint64_t n = std::uint64_t{1} << log_n;
  std::uint32_t rr = r, pp = p;
  std::uint64_t maxmem = 1024ull * 1024 * 1024;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, const_cast<char*>(password.data()),
                                        password.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()),
                                        salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &rr),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &pp),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
      OSSL_PARAM_construct_end()};
  std::string out(k_hash_len, '\0');
  const int ok =
      EVP_KDF_derive(ctx, reinterpret_cast<unsigned char*>(out.data()), out.size(), params);
  EVP_KDF_CTX_free(ctx);
  if (ok != 1) throw Error(ErrorKind::internal, "scrypt failed");
  return out;
}

}  // namespace

std::string hash_password(std::string_view password) {
  const std::string salt = random_bytes(16);
  const std::string hash = scrypt(password, salt, k_log_n, k_r, k_p);
  return fmt::format("$scrypt$ln={},r={},p={}${}${}", k_log_n, k_r, k_p, util::base64_encode(salt),
                     util::base64_encode(hash));
}

bool verify_password(std::string_view password, std::string_view stored) {
  // $scrypt$ln=15,r=8,p=1$salt$hash
  const auto parts = util::split(stored, '$');
  if (parts.size() != 5 || !parts[0].empty() || parts[1] != "scrypt") return false;
  unsigned ln = 0, r = 0, p = 0;
  if (std::sscanf(parts[2].c_str(), "ln=%u,r=%u,p=%u", &ln, &r, &p) != 3 || ln < 10 || ln > 22 ||
      r == 0 || r > 32 || p == 0 || p > 16) {
    return false;
  }
  const std::string salt = util::base64_decode(parts[3]).value_or("");
  const std::string expected = util::base64_decode(parts[4]).value_or("");
  if (salt.empty() || expected.size() != k_hash_len) return false;
  return constant_time_equals(scrypt(password, salt, ln, r, p), expected);
}

const std::string& dummy_password_hash() {
  // No scrypt is run to make it (so a server that has not signed anyone in has not started
  // OpenSSL): an all-zero digest, which no password is known to give, under the current
  // parameters, so verifying against it costs what a real hash does.
  static const std::string hash = fmt::format("$scrypt$ln={},r={},p={}${}${}", k_log_n, k_r, k_p,
                                              util::base64_encode(std::string(16, '\0')),
                                              util::base64_encode(std::string(k_hash_len, '\0')));
  return hash;
}

std::optional<std::string> password_problem(std::string_view password) {
  if (util::utf8_width(password) < 8) return "the password is too short: use at least 8 characters";
  if (password.size() > 1024) return "the password is too long: at most 1024 bytes";
  if (!util::is_valid_utf8(password)) return "the password must be UTF-8 text";
  return std::nullopt;
}

void check_password_strength(std::string_view password) {
  if (auto p = password_problem(password)) throw Error(ErrorKind::usage, *p, "password");
}

}  // namespace instctl::crypto
