#pragma once

// libcurl, loaded the first time something needs it (an outbound fetch, a delivery, a mail).
// A server that only answers requests never maps libcurl and the many libraries it pulls in
// (TLS, Kerberos, LDAP, SSH, IDN), which keeps its memory small.

#include <curl/curl.h>

#include <string>

namespace instctl::net::curl {

struct Api {
  CURL* (*easy_init)();
  void (*easy_cleanup)(CURL*);
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
  CURLcode (*easy_perform)(CURL*);
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
  const char* (*easy_strerror)(CURLcode);
  curl_slist* (*slist_append)(curl_slist*, const char*);
  void (*slist_free_all)(curl_slist*);
  curl_version_info_data* (*version_info)(CURLversion);
  // The multi interface (net/curl_multi.hpp drives it).
  CURLM* (*multi_init)();
  CURLMcode (*multi_cleanup)(CURLM*);
  CURLMcode (*multi_add_handle)(CURLM*, CURL*);
  CURLMcode (*multi_remove_handle)(CURLM*, CURL*);
  CURLMcode (*multi_perform)(CURLM*, int*);
  CURLMcode (*multi_poll)(CURLM*, curl_waitfd*, unsigned int, int, int*);
  CURLMcode (*multi_wakeup)(CURLM*);
  CURLMsg* (*multi_info_read)(CURLM*, int*);
};

// Loads and initialises libcurl once (safe from any thread). Throws Error(internal) naming the
// package to install when the library cannot be loaded.
const Api& api();

// The loaded libcurl's version, or why it cannot be loaded (for --version).
std::string library_version();

}  // namespace instctl::net::curl
