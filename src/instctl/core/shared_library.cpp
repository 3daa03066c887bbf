#include "instctl/core/shared_library.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include "instctl/core/error.hpp"

namespace instctl {

SharedLibrary::SharedLibrary(std::string soname, std::string purpose, std::string package,
                             Lifetime lifetime)
    : m_soname(std::move(soname)), m_package(std::move(package)), m_lifetime(lifetime) {
  // RTLD_NODELETE: the library stays for the life of the process, as a linked one would.
  const int keep = lifetime == Lifetime::process ? RTLD_NODELETE : 0;
  m_handle = dlopen(m_soname.c_str(), RTLD_NOW | RTLD_LOCAL | keep);
  if (m_handle == nullptr) {
    const char* why = dlerror();
    throw Error(ErrorKind::internal,
                fmt::format("cannot load {} ({}): {}; install the Debian package {}", m_soname,
                            why != nullptr ? why : "unknown error", purpose, m_package));
  }
}

SharedLibrary::~SharedLibrary() {
  if (m_lifetime == Lifetime::object && m_handle != nullptr) dlclose(m_handle);
}

void* SharedLibrary::symbol(const char* name) const {
  void* sym = dlsym(m_handle, name);
  if (sym == nullptr) {
    throw Error(ErrorKind::internal,
                fmt::format("{} has no {}: it is too old; install a current {} (Debian package)",
                            m_soname, name, m_package));
  }
  return sym;
}

}  // namespace instctl
