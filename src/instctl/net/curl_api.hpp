#pragma once

// libcurl, loaded the first time something needs it (an outbound fetch, a delivery, a mail),
// and unloaded again when nothing holds it (net/curl_lease.hpp). A server that only answers
// requests never maps libcurl and the many libraries it pulls in (TLS, Kerberos, LDAP, SSH,
// IDN), which keeps its memory small.

#include <curl/curl.h>

#include <string>

#include "instctl/net/curl_lease.hpp"

namespace instctl::net::curl {

// Each member's type is taken from libcurl's own declaration, so a signature that does not
// match the header fails to compile instead of calling through the wrong type.
struct Api {
  decltype(&curl_easy_init) easy_init;
  decltype(&curl_easy_cleanup) easy_cleanup;
  decltype(&curl_easy_setopt) easy_setopt;
  decltype(&curl_easy_perform) easy_perform;
  decltype(&curl_easy_getinfo) easy_getinfo;
  decltype(&curl_easy_strerror) easy_strerror;
  decltype(&curl_slist_append) slist_append;
  decltype(&curl_slist_free_all) slist_free_all;
  decltype(&curl_version_info) version_info;
  // The multi interface (net/curl_multi.hpp drives it).
  decltype(&curl_multi_init) multi_init;
  decltype(&curl_multi_cleanup) multi_cleanup;
  decltype(&curl_multi_add_handle) multi_add_handle;
  decltype(&curl_multi_remove_handle) multi_remove_handle;
  decltype(&curl_multi_perform) multi_perform;
  decltype(&curl_multi_poll) multi_poll;
  decltype(&curl_multi_wakeup) multi_wakeup;
  decltype(&curl_multi_info_read) multi_info_read;
};

// The loaded library's functions: call only while a Lease is held (the caller's own, or the
// one of the transfer it runs in); Error(internal) when libcurl is not loaded.
const Api& api();

// The loaded libcurl's version, or why it cannot be loaded (for --version).
std::string library_version();

}  // namespace instctl::net::curl
