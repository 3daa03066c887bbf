#include "instctl/db/pq_api.hpp"

#include "instctl/core/shared_library.hpp"

namespace instctl::db::pq {

namespace {

Api load() {
  const SharedLibrary lib("libpq.so.5", "a postgresql:// database needs libpq", "libpq5");
  Api a{};
#define INSTCTL_PQ_BIND(name) lib.bind(a.name, #name)
  INSTCTL_PQ_BIND(PQconnectdbParams);
  INSTCTL_PQ_BIND(PQstatus);
  INSTCTL_PQ_BIND(PQerrorMessage);
  INSTCTL_PQ_BIND(PQfinish);
  INSTCTL_PQ_BIND(PQreset);
  INSTCTL_PQ_BIND(PQsetNoticeProcessor);
  INSTCTL_PQ_BIND(PQexec);
  INSTCTL_PQ_BIND(PQexecParams);
  INSTCTL_PQ_BIND(PQprepare);
  INSTCTL_PQ_BIND(PQexecPrepared);
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
  static const Api loaded = load();  // once, thread-safe; tried again after a failure
  return loaded;
}

}  // namespace instctl::db::pq
