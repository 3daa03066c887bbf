#include "instctl/crypto/random.hpp"

#include <openssl/rand.h>

#include "instctl/core/error.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::crypto {

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw Error(ErrorKind::internal, "the system's random number generator failed");
  }
  return out;
}

std::string random_token(std::size_t bytes) { return util::base64url_encode(random_bytes(bytes)); }

std::string random_string(std::size_t length, std::string_view alphabet) {
  const std::size_t n = alphabet.size();
  const unsigned limit = 256 - (256 % n);  // reject bytes that would bias the draw
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    for (unsigned char b : random_bytes(length * 2)) {
      if (b < limit) out += alphabet[b % n];
      if (out.size() == length) break;
    }
  }
  return out;
}

}  // namespace instctl::crypto
