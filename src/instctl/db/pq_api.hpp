#pragma once

#include <libpq-fe.h>

namespace instctl::db::pq {

// libpq, opened with dlopen when a postgresql:// database is first used: an instance on
// SQLite never maps it (nor the Kerberos, LDAP and TLS libraries it pulls in). The members
// are the libpq functions of the same names.
struct Api {
  PGconn* (*PQconnectdbParams)(const char* const*, const char* const*, int);
  ConnStatusType (*PQstatus)(const PGconn*);
  char* (*PQerrorMessage)(const PGconn*);
  void (*PQfinish)(PGconn*);
  void (*PQreset)(PGconn*);
  PQnoticeProcessor (*PQsetNoticeProcessor)(PGconn*, PQnoticeProcessor, void*);
  PGresult* (*PQexec)(PGconn*, const char*);
  PGresult* (*PQexecParams)(PGconn*, const char*, int, const Oid*, const char* const*,
                            const int*, const int*, int);
  PGresult* (*PQprepare)(PGconn*, const char*, const char*, int, const Oid*);
  PGresult* (*PQexecPrepared)(PGconn*, const char*, int, const char* const*, const int*,
                              const int*, int);
  ExecStatusType (*PQresultStatus)(const PGresult*);
  char* (*PQresultErrorField)(const PGresult*, int);
  char* (*PQresultErrorMessage)(const PGresult*);
  void (*PQclear)(PGresult*);
  int (*PQntuples)(const PGresult*);
  char* (*PQgetvalue)(const PGresult*, int, int);
  int (*PQgetlength)(const PGresult*, int, int);
  int (*PQgetisnull)(const PGresult*, int, int);
  char* (*PQcmdStatus)(PGresult*);
  char* (*PQcmdTuples)(PGresult*);
};

// Loads libpq.so.5 on first use; throws (naming the package to install) when it cannot.
const Api& api();

}  // namespace instctl::db::pq
