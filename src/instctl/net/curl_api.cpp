#include "instctl/net/curl_api.hpp"

#include <dlfcn.h>

#include <fmt/format.h>
#include <mutex>

#include "instctl/core/error.hpp"

namespace instctl::net::curl {

namespace {

constexpr const char* k_library = "libcurl.so.4";

template <typename F>
void bind(void* lib, F& slot, const char* name) {
  void* sym = dlsym(lib, name);
  if (sym == nullptr) {
    throw Error(ErrorKind::internal,
                fmt::format("{} has no {}: install a libcurl of version 7.85 or later (Debian "
                            "package libcurl4)",
                            k_library, name));
  }
  slot = reinterpret_cast<F>(sym);
}

Api load() {
  // RTLD_NODELETE: the library stays for the life of the process, as a linked one would.
  void* lib = dlopen(k_library, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (lib == nullptr) {
    const char* why = dlerror();
    throw Error(ErrorKind::internal,
                fmt::format("cannot load {} ({}): outbound requests and mail need libcurl; "
                            "install the Debian package libcurl4",
                            k_library, why != nullptr ? why : "unknown error"));
  }
  Api a{};
  bind(lib, a.easy_init, "curl_easy_init");
  bind(lib, a.easy_cleanup, "curl_easy_cleanup");
  bind(lib, a.easy_setopt, "curl_easy_setopt");
  bind(lib, a.easy_perform, "curl_easy_perform");
  bind(lib, a.easy_getinfo, "curl_easy_getinfo");
  bind(lib, a.easy_strerror, "curl_easy_strerror");
  bind(lib, a.slist_append, "curl_slist_append");
  bind(lib, a.slist_free_all, "curl_slist_free_all");
  bind(lib, a.version_info, "curl_version_info");
  CURLcode (*global_init)(long) = nullptr;
  bind(lib, global_init, "curl_global_init");
  if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    throw Error(ErrorKind::internal, fmt::format("{} could not initialise", k_library));
  }
  return a;
}

}  // namespace

const Api& api() {
  static std::once_flag once;
  static Api loaded{};
  std::call_once(once, [] { loaded = load(); });
  return loaded;
}

std::string library_version() {
  try {
    return api().version_info(CURLVERSION_NOW)->version;
  } catch (const Error& e) {
    return fmt::format("not available: {}", e.what());
  }
}

}  // namespace instctl::net::curl
