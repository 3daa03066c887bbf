#pragma once

// A hold on libcurl: the library is loaded while any Lease lives, and can be unloaded again
// (release_unused) once none does, so a server that delivered a burst gives back the pages of
// libcurl and the libraries it pulls in (TLS, Kerberos, LDAP, SSH, IDN: about 4 MB of RSS)
// instead of keeping them for its lifetime. Declared apart from curl_api.hpp so a header that
// holds a Lease does not include libcurl's.

#include <cstddef>

namespace instctl::net::curl {

struct Api;

class Lease {
 public:
  // Loads and initialises libcurl when no Lease holds it (safe from any thread). Throws
  // Error(internal) naming the package to install when the library cannot be loaded.
  Lease();
  ~Lease();
  Lease(const Lease& other);
  Lease& operator=(const Lease&) = delete;

  const Api& operator*() const { return *m_api; }
  const Api* operator->() const { return m_api; }

 private:
  const Api* m_api;
};

// Unloads libcurl (curl_global_cleanup, dlclose) when no Lease holds it, and gives the freed
// heap back to the system (malloc_trim). True when it unloaded the library.
bool release_unused();

// How many times libcurl was loaded in this process (for tests).
std::size_t times_loaded();

}  // namespace instctl::net::curl
