#include "instctl/crypto/random.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstdint>

#include "instctl/core/error.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::crypto {

// The kernel's CSPRNG (getrandom(2)): no library state to set up, so a server that has not
// yet verified a signature has not loaded OpenSSL's providers either.
std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  std::size_t done = 0;
  while (done < n) {
    const ssize_t got = ::getrandom(out.data() + done, n - done, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw Error(ErrorKind::internal, "the system's random number generator failed");
    }
    done += static_cast<std::size_t>(got);
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

double random_fraction() {
  const auto b = random_bytes(4);
  std::uint32_t v = 0;
  for (unsigned char c : b) v = (v << 8) | c;
  return static_cast<double>(v) / 4294967296.0;
}

}  // namespace instctl::crypto
