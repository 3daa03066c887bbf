#include "instctl/net/curl_api.hpp"

#include <fmt/format.h>
#include <malloc.h>

#include <memory>
#include <mutex>

#include "instctl/core/error.hpp"
#include "instctl/core/shared_library.hpp"

namespace instctl::net::curl {

namespace {

// libcurl while it is loaded: the open library, its functions, and its cleanup.
struct Loaded {
  SharedLibrary lib{"libcurl.so.4", "outbound requests and mail need libcurl", "libcurl4",
                    SharedLibrary::Lifetime::object};
  Api api{};
  decltype(&curl_global_cleanup) global_cleanup = nullptr;

  Loaded() {
    lib.bind(api.easy_init, "curl_easy_init");
    lib.bind(api.easy_cleanup, "curl_easy_cleanup");
    lib.bind(api.easy_setopt, "curl_easy_setopt");
    lib.bind(api.easy_perform, "curl_easy_perform");
    lib.bind(api.easy_getinfo, "curl_easy_getinfo");
    lib.bind(api.easy_strerror, "curl_easy_strerror");
    lib.bind(api.slist_append, "curl_slist_append");
    lib.bind(api.slist_free_all, "curl_slist_free_all");
    lib.bind(api.version_info, "curl_version_info");
    lib.bind(api.multi_init, "curl_multi_init");
    lib.bind(api.multi_cleanup, "curl_multi_cleanup");
    lib.bind(api.multi_add_handle, "curl_multi_add_handle");
    lib.bind(api.multi_remove_handle, "curl_multi_remove_handle");
    lib.bind(api.multi_perform, "curl_multi_perform");
    lib.bind(api.multi_poll, "curl_multi_poll");
    lib.bind(api.multi_wakeup, "curl_multi_wakeup");
    lib.bind(api.multi_info_read, "curl_multi_info_read");
    lib.bind(global_cleanup, "curl_global_cleanup");
    decltype(&curl_global_init) global_init = nullptr;
    lib.bind(global_init, "curl_global_init");
    if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw Error(ErrorKind::internal, "libcurl.so.4 could not initialise");
    }
  }
  ~Loaded() { global_cleanup(); }
  Loaded(const Loaded&) = delete;
  Loaded& operator=(const Loaded&) = delete;
};

struct State {
  std::mutex mutex;
  std::unique_ptr<Loaded> loaded;
  std::size_t leases = 0;
  std::size_t loads = 0;
};

// Never destroyed: threads that still hold a Lease while the process exits may use it.
State& state() {
  static State* const s = new State;
  return *s;
}

const Api* acquire() {
  State& s = state();
  std::lock_guard lock(s.mutex);
  if (!s.loaded) {
    s.loaded = std::make_unique<Loaded>();  // tried again after a failure
    ++s.loads;
  }
  ++s.leases;
  return &s.loaded->api;
}

}  // namespace

Lease::Lease() : m_api(acquire()) {}

Lease::Lease(const Lease&) : m_api(acquire()) {}

Lease::~Lease() {
  State& s = state();
  std::lock_guard lock(s.mutex);
  --s.leases;
}

bool release_unused() {
  State& s = state();
  {
    std::lock_guard lock(s.mutex);
    if (!s.loaded || s.leases > 0) return false;
    s.loaded.reset();  // curl_global_cleanup, then dlclose
  }
  malloc_trim(0);
  return true;
}

std::size_t times_loaded() {
  State& s = state();
  std::lock_guard lock(s.mutex);
  return s.loads;
}

const Api& api() {
  State& s = state();
  std::lock_guard lock(s.mutex);
  if (!s.loaded) throw Error(ErrorKind::internal, "libcurl is used without being loaded");
  return s.loaded->api;
}

std::string library_version() {
  std::string version;
  try {
    const Lease lib;
    version = lib->version_info(CURLVERSION_NOW)->version;
  } catch (const Error& e) {
    return fmt::format("not available: {}", e.what());
  }
  release_unused();  // a process that only asked for the version does not keep libcurl
  return version;
}

}  // namespace instctl::net::curl
