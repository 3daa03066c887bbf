#include "instctl/db/pq_api.hpp"

#include <dlfcn.h>

#include <fmt/format.h>
#include <mutex>

#include "instctl/core/error.hpp"

namespace instctl::db::pq {

namespace {

constexpr const char* k_library = "libpq.so.5";

template <typename F>
void bind(void* lib, F& slot, const char* name) {
  void* sym = dlsym(lib, name);
  if (sym == nullptr) {
    throw Error(ErrorKind::internal,
                fmt::format("{} has no {}: install libpq of PostgreSQL 15 or later (Debian "
                            "package libpq5)",
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
                fmt::format("cannot load {} ({}): a postgresql:// database needs libpq; install "
                            "the Debian package libpq5",
                            k_library, why != nullptr ? why : "unknown error"));
  }
  Api a{};
#define INSTCTL_PQ_BIND(name) bind(lib, a.name, #name)
  INSTCTL_PQ_BIND(PQconnectdbParams);
  INSTCTL_PQ_BIND(PQstatus);
  INSTCTL_PQ_BIND(PQerrorMessage);
  INSTCTL_PQ_BIND(PQfinish);
  INSTCTL_PQ_BIND(PQreset);
  INSTCTL_PQ_BIND(PQsetNoticeProcessor);
  INSTCTL_PQ_BIND(PQexec);
  INSTCTL_PQ_BIND(PQexecParams);
  INSTCTL_PQ_BIND(PQresultStatus);
  INSTCTL_PQ_BIND(PQresultErrorField);
  INSTCTL_PQ_BIND(PQresultErrorMessage);
  INSTCTL_PQ_BIND(PQclear);
  INSTCTL_PQ_BIND(PQntuples);
  INSTCTL_PQ_BIND(PQgetvalue);
  INSTCTL_PQ_BIND(PQgetlength);
  INSTCTL_PQ_BIND(PQgetisnull);
  INSTCTL_PQ_BIND(PQcmdStatus);
  INSTCTL_PQ_BIND(PQcmdTuples);
#undef INSTCTL_PQ_BIND
  return a;
}

}  // namespace

const Api& api() {
  static std::once_flag once;
  static Api loaded{};
  std::call_once(once, [] { loaded = load(); });
  return loaded;
}

}  // namespace instctl::db::pq
