#pragma once

#include <string>

namespace instctl {

// A shared library opened with dlopen when first needed, for the optional dependencies a
// process may never use (libcurl for outbound requests, libpq for PostgreSQL): an instance
// that does not need them never maps them, nor the libraries they pull in.
class SharedLibrary {
 public:
  // process: the library stays mapped for the life of the process, as a linked one would;
  // object: it is closed (dlclose) with this object, unmapping it and what only it pulled in.
  enum class Lifetime { process, object };

  // Opens `soname`. `purpose` and `package` go into the error (Error(internal)) when it cannot
  // be loaded: "cannot load libpq.so.5 (…): a postgresql:// database needs libpq; install the
  // Debian package libpq5".
  SharedLibrary(std::string soname, std::string purpose, std::string package,
                Lifetime lifetime = Lifetime::process);
  ~SharedLibrary();
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;

  // Sets `slot` to the library's function `name`; throws Error(internal) when it has none.
  template <typename F>
  void bind(F& slot, const char* name) const {
    slot = reinterpret_cast<F>(symbol(name));
  }

 private:
  void* symbol(const char* name) const;

  std::string m_soname;
  std::string m_package;
  void* m_handle = nullptr;
  Lifetime m_lifetime;
};

}  // namespace instctl
