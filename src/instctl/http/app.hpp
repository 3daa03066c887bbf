#pragma once

#include <memory>
#include <string>

#include "instctl/core/clock.hpp"
#include "instctl/db/connection.hpp"
#include "instctl/http/router.hpp"
#include "instctl/http/server.hpp"

namespace instctl::http {

// A worker thread's request handler: its own connection to the instance database (SQLite in
// WAL mode: readers never wait for the command line's writes, and see them at the next
// request), the process clock, the shared router, and its cache of public documents
// (ResponseCache: kept until the database changes).
std::unique_ptr<Worker> make_app_worker(const Router& router, const std::string& db_path,
                                        const Clock& clock, const SiteOverrides& overrides);

// Sets hooks.data_version when the database `db` is connected to has a version every thread
// may read without a query (SQLite in WAL mode), on a connection of its own that the hooks
// keep open.
void share_data_version(const db::Connection& db, ServerHooks& hooks);

}  // namespace instctl::http
