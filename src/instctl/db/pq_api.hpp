#pragma once

#include <libpq-fe.h>

namespace instctl::db::pq {

// libpq, opened with dlopen when a postgresql:// database is first used: an instance on
// SQLite never maps it (nor the Kerberos, LDAP and TLS libraries it pulls in). The members
// are the libpq functions of the same names, typed from libpq-fe.h itself, so a mismatch
// with the library's declarations cannot compile.
struct Api {
  decltype(&::PQconnectdbParams) PQconnectdbParams;
  decltype(&::PQstatus) PQstatus;
  decltype(&::PQerrorMessage) PQerrorMessage;
  decltype(&::PQfinish) PQfinish;
  decltype(&::PQreset) PQreset;
  decltype(&::PQsetNoticeProcessor) PQsetNoticeProcessor;
  decltype(&::PQexec) PQexec;
  decltype(&::PQexecParams) PQexecParams;
  decltype(&::PQprepare) PQprepare;
  decltype(&::PQexecPrepared) PQexecPrepared;
  decltype(&::PQresultStatus) PQresultStatus;
  decltype(&::PQresultErrorField) PQresultErrorField;
  decltype(&::PQresultErrorMessage) PQresultErrorMessage;
  decltype(&::PQclear) PQclear;
  decltype(&::PQntuples) PQntuples;
  decltype(&::PQgetvalue) PQgetvalue;
  decltype(&::PQgetlength) PQgetlength;
  decltype(&::PQgetisnull) PQgetisnull;
  decltype(&::PQcmdStatus) PQcmdStatus;
  decltype(&::PQcmdTuples) PQcmdTuples;
};

// Loads libpq.so.5 on first use; throws (naming the package to install) when it cannot.
const Api& api();

}  // namespace instctl::db::pq
