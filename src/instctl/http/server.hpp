#pragma once

// The HTTP/1.1 server of `instctl serve`. Asynchronous (Boost.Beast, kept inside server.cpp):
// a slow or idle client costs a socket and a buffer, never a thread.
//
// Execution model: `threads` event loops only read requests and write answers; every request
// is handled once, by a route, on one of `workers` worker threads (each with its own Worker:
// a database connection and a response cache). At most `queue_limit` requests wait for a
// worker; beyond, the answer is 503 with Retry-After, at once. Work that waits on another
// server (Response::pending) waits without holding a worker. A repeated request for a public
// document is answered by the event loop that read it, from the loop's own copy, once the
// database's version read after the request arrived is found unchanged (LoopCache): on SQLite
// the loop reads instctl's change counter itself (db::ChangeCounter: no system call, no
// database call, no hand-off); on PostgreSQL a worker reads the snapshot, and the requests
// waiting on the same loop share that reading.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "instctl/db/change_counter.hpp"
#include "instctl/net/http_message.hpp"

namespace instctl::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;                       // 0: any free port (told to on_listening)
  int threads = 2;                                 // event loops (network I/O only)
  int workers = 4;                                 // worker threads that run the routes (database)
  std::size_t queue_limit = 512;                   // requests waiting for a worker; 503 beyond
  std::chrono::milliseconds read_timeout{10'000};  // a whole request, from its first byte
  std::chrono::milliseconds idle_timeout{60'000};  // waiting for a next request
  // A new connection's first request headers, from the accept.
  std::chrono::milliseconds header_timeout{5'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds shutdown_grace{10'000};  // in-flight requests after a signal
  std::size_t header_limit = 16 * 1024;              // 431 beyond
  std::size_t body_limit = 256 * 1024;               // 413 beyond
  std::size_t max_connections = 10'000;              // further connections are closed at once
  // Open connections per client (an IPv4 address, an IPv6 /64; see client_key); 0: no cap.
  std::size_t max_client_connections = 256;
};

// Answers requests on one worker thread at a time, with its own resources (a database
// connection).
class Worker {
 public:
  virtual ~Worker() = default;
  virtual Response handle(const Request& req) = 0;
  // The answer of a request whose handler waited on another server (Response::pending).
  virtual Response resume(const Request& req, Pending& pending) = 0;
  // The database's version as this worker's connection reads it now (Connection::data_version);
  // none when answers may not be kept.
  virtual std::optional<std::uint64_t> data_version() { return std::nullopt; }
};

struct ServerHooks {
  std::function<std::unique_ptr<Worker>()> make_worker;  // called once per worker, up front
  // After each response: status, body bytes, milliseconds since the request's first byte.
  std::function<void(const Request&, int status, std::size_t bytes, double ms)> on_request;
  std::function<void(std::string_view message)> on_error;
  // A response's log_note (what went wrong inside), with the request it answers (its target
  // still holds any secret: the log redacts it, see server_log.hpp).
  std::function<void(const Request&, std::string_view note)> on_request_error;
  std::function<void(const std::string& address, std::uint16_t port)> on_listening;
  std::function<void(std::string_view signal)> on_stopping;
  // The database's change counter (SQLite), which the event loops read themselves, so a kept
  // answer needs no worker's reading and no database call (LoopCache). nullptr: workers read
  // the database's version. It outlives serve().
  const db::ChangeCounter* change_counter = nullptr;
};

// Serves until SIGINT or SIGTERM; then stops accepting, closes idle connections, lets requests
// in flight finish (up to shutdown_grace) and returns. Throws Error(internal) when it cannot
// listen (address in use, no such address).
void serve(const ServerOptions& options, const ServerHooks& hooks);

}  // namespace instctl::http
