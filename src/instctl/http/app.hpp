#pragma once

#include <memory>
#include <string>

#include "instctl/core/clock.hpp"
#include "instctl/http/router.hpp"
#include "instctl/http/server.hpp"

namespace instctl::http {

// A worker thread's request handler: its own connection to the instance database (SQLite in
// WAL mode: readers never wait for the command line's writes, and see them at the next
// request), the process clock, the shared router, and its cache of public documents
// (ResponseCache: kept until the database changes).
std::unique_ptr<Worker> make_app_worker(const Router& router, const std::string& db_path,
                                        const Clock& clock, const SiteOverrides& overrides);

}  // namespace instctl::http
