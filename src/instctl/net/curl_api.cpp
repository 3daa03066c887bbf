#include "instctl/net/curl_api.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/core/shared_library.hpp"

namespace instctl::net::curl {

namespace {

Api load() {
  const SharedLibrary lib("libcurl.so.4", "outbound requests and mail need libcurl", "libcurl4");
  Api a{};
  lib.bind(a.easy_init, "curl_easy_init");
  lib.bind(a.easy_cleanup, "curl_easy_cleanup");
  lib.bind(a.easy_setopt, "curl_easy_setopt");
  lib.bind(a.easy_perform, "curl_easy_perform");
  lib.bind(a.easy_getinfo, "curl_easy_getinfo");
  lib.bind(a.easy_strerror, "curl_easy_strerror");
  lib.bind(a.slist_append, "curl_slist_append");
  lib.bind(a.slist_free_all, "curl_slist_free_all");
  lib.bind(a.version_info, "curl_version_info");
  lib.bind(a.multi_init, "curl_multi_init");
  lib.bind(a.multi_cleanup, "curl_multi_cleanup");
  lib.bind(a.multi_add_handle, "curl_multi_add_handle");
  lib.bind(a.multi_remove_handle, "curl_multi_remove_handle");
  lib.bind(a.multi_perform, "curl_multi_perform");
  lib.bind(a.multi_poll, "curl_multi_poll");
  lib.bind(a.multi_wakeup, "curl_multi_wakeup");
  lib.bind(a.multi_info_read, "curl_multi_info_read");
  decltype(&curl_global_init) global_init = nullptr;
  lib.bind(global_init, "curl_global_init");
  if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    throw Error(ErrorKind::internal, "libcurl.so.4 could not initialise");
  }
  return a;
}

}  // namespace

const Api& api() {
  static const Api loaded = load();  // once, thread-safe; tried again after a failure
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
