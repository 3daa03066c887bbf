// The only translation unit that includes Boost.Beast (slow to compile; nothing else needs it).
//
// Threads: `threads` event loops, each with its own io_context and connections (a connection's
// I/O stays on the loop that accepted it, so no strands are needed), and the WorkPool's
// `workers` threads, where every request is handled (see server.hpp). A session hands its
// request to the pool and is answered back on its own loop; while a worker or another server
// holds it, the loop does nothing with it. Sessions may therefore end on any thread: the
// loop's list of them has a lock. A repeated GET of a public document is answered by the loop
// that read it, from its LoopCache: on SQLite at once, when instctl's change counter
// (db::ChangeCounter, one load from memory) has not moved since the kept answer was made; on
// PostgreSQL once a worker's reading of the database's version (read_version) finds it
// unchanged.

#include "instctl/http/server.hpp"

// GCC 12 cannot follow how Boost.Asio's scheduler finds its thread's state, and warns of a
// null dereference inside Asio (scheduler.ipp, compensating_work_started): not ours to fix.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#pragma GCC diagnostic pop

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "instctl/core/error.hpp"
#include "instctl/http/access_log.hpp"
#include "instctl/http/client_address.hpp"
#include "instctl/http/host_check.hpp"
#include "instctl/http/loop_cache.hpp"
#include "instctl/http/work_pool.hpp"
#include "instctl/metrics/instruments.hpp"
#include "instctl/net/http_framing.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/time.hpp"

namespace instctl::http {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::size_t k_drain_limit =
    1 << 20;  // bytes read and dropped before closing after an error
constexpr std::chrono::seconds k_drain_time{2};

class Server;
class Session;

struct Loop {
  // Destroyed after the io_context (members go in reverse order), whose handlers hold sessions
  // that unregister themselves here.
  std::mutex mutex;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  net::io_context ioc{1};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> guard;
  // Used on the loop's thread only. Destroyed first: the sessions waiting in it close their
  // sockets while the io_context is still there.
  LoopCache cache;
  // instctl's change counter of the database (SQLite), read on the loop itself; or none
  // (PostgreSQL): then a worker reads the database's version.
  const db::ChangeCounter* counter = nullptr;
  std::uintptr_t reader() const { return reinterpret_cast<std::uintptr_t>(this); }
};

// The Date header, formatted once a second per thread.
const std::string& http_date() {
  thread_local std::time_t last = 0;
  thread_local std::string value;
  const std::time_t now = std::time(nullptr);
  if (now != last) {
    last = now;
    value = util::format_http_date(now);
  }
  return value;
}

Request to_request(bhttp::request<bhttp::string_body>&& msg, const std::string& remote) {
  Request req;
  req.method = std::string(msg.method_string());
  req.set_target(std::string(msg.target()));
  req.http_1_0 = msg.version() == 10;
  req.headers.reserve(8);
  for (const auto& field : msg) {
    const auto name = field.name_string();
    req.headers.emplace_back(util::to_lower(std::string_view(name.data(), name.size())),
                             std::string(field.value()));
  }
  req.body = std::move(msg.body());
  req.remote = remote;
  return req;
}

using Work = std::function<Response(Worker&, const Request&)>;

// A handler that throws (it should not: the router answers errors) still gets an answer.
Response run_safely(const Work& work, Worker& worker, const Request& req) {
  try {
    return work(worker, req);
  } catch (const std::exception& e) {
    Response r = error_response(500, "Internal server error");
    r.log_note = e.what();
    return r;
  }
}

class Server {
 public:
  Server(const ServerOptions& o, const ServerHooks& h) : opts(o), hooks(h), m_acceptor(loop0()) {}

  void run();
  WorkPool& pool() { return *m_pool; }
  bool stopping() const { return m_stopping.load(); }
  // Open connections per client key: false (nothing counted) when the client has its cap.
  bool admit_client(const std::string& key);
  void release_client(const std::string& key);
  // Requests waiting on another server (Response::pending): the pool outlives them.
  void wait_began() {
    std::lock_guard lock(m_wait_mutex);
    ++m_waiting;
  }
  void wait_ended() {
    std::lock_guard lock(m_wait_mutex);
    if (--m_waiting == 0) m_waits_done.notify_all();
  }
  void session_ended() {
    if (m_sessions.fetch_sub(1) == 1 && m_stopping.load() && !m_ran.load()) finish();
  }
  void error(std::string_view message) const {
    if (hooks.on_error) hooks.on_error(message);
  }

  const ServerOptions& opts;
  const ServerHooks& hooks;

 private:
  net::io_context& loop0() {
    for (int i = 0; i < std::max(1, opts.threads); ++i) {
      m_loops.push_back(std::make_unique<Loop>());
    }
    return m_loops[0]->ioc;
  }
  void listen();
  void accept();
  void on_accept(Loop& loop, beast::error_code ec, tcp::socket socket);
  void begin_shutdown(std::string_view signal);
  void finish();

  // Declared before the loops: sessions still queued in a stopped loop end when its
  // io_context is destroyed, and count themselves out here.
  std::atomic<std::size_t> m_sessions{0};
  std::mutex m_clients_mutex;
  std::unordered_map<std::string, std::size_t> m_clients;
  std::mutex m_wait_mutex;
  std::condition_variable m_waits_done;
  std::size_t m_waiting = 0;
  std::atomic<bool> m_stopping{false};
  std::atomic<bool> m_ran{false};  // run() returned: nothing is posted to the loops any more
  std::once_flag m_finished;
  std::vector<std::unique_ptr<Loop>> m_loops;
  std::unique_ptr<WorkPool> m_pool;
  tcp::acceptor m_acceptor;
  std::optional<net::signal_set> m_signals;
  std::optional<net::steady_timer> m_hard_stop;
  std::atomic<std::size_t> m_next_loop{0};
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Server& server, Loop& loop, tcp::socket&& socket, std::string remote,
          std::string client_key)
      : m_server(server),
        m_loop(loop),
        m_stream(std::move(socket)),
        m_remote(std::move(remote)),
        m_client_key(std::move(client_key)) {}
  ~Session() {
    {
      std::lock_guard lock(m_loop.mutex);
      m_loop.sessions.erase(this);
    }
    m_server.release_client(m_client_key);
    m_server.session_ended();
  }

  void start() {
    {
      std::lock_guard lock(m_loop.mutex);
      m_loop.sessions.emplace(this, weak_from_this());
    }
    wait_for_request();
  }

  // The server is stopping: an idle connection closes now, a busy one after its response.
  // A connection whose next request has begun to arrive is busy, even if its read has not
  // been dispatched yet: cancelling it would drop a request the client already sent.
  void on_shutdown() {
    m_close_after = true;
    if (m_state != State::idle || request_arriving()) return;
    beast::error_code ec;
    m_stream.socket().cancel(ec);
  }

 private:
  enum class State { idle, reading, handling, writing, closing };

  // Bytes of a next request have reached us, read or not yet.
  bool request_arriving() {
    beast::error_code ec;
    return m_buffer.size() > 0 || (m_stream.socket().available(ec) > 0 && !ec);
  }

  void wait_for_request() {
    if (m_buffer.size() > 0) return read_request();  // pipelined: the next request is here
    if (m_close_after && !request_arriving()) return;
    m_state = State::idle;
    // A new connection has a short time to send its first request's headers.
    if (m_first)
      m_stream.expires_at(header_deadline());
    else
      m_stream.expires_after(m_server.opts.idle_timeout);
    m_stream.async_read_some(m_buffer.prepare(4096),
                             [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                               if (ec) return;  // timeout, close, shutdown: the session ends
                               self->m_buffer.commit(n);
                               self->read_request();
                             });
  }

  Clock::time_point header_deadline() const { return m_accepted + m_server.opts.header_timeout; }

  void read_request() {
    m_state = State::reading;
    m_started = Clock::now();
    // A connection's first request must have sent its headers by the header deadline; the
    // whole request is due by the read timeout.
    const auto whole = m_started + m_server.opts.read_timeout;
    m_stream.expires_at(m_first ? std::min(header_deadline(), whole) : whole);
    read_header_block();
  }

  // Beast unfolds folded header lines silently: the raw header is looked at first, once it
  // has all arrived (net/http_framing.hpp), then parsed.
  void read_header_block() {
    const auto data = m_buffer.data();
    const std::string_view bytes(static_cast<const char*>(data.data()), data.size());
    switch (scan_header_block(bytes, m_server.opts.header_limit)) {
      case HeaderBlock::folded:
        return fail(400, "Bad request: folded header lines (obs-fold)");
      case HeaderBlock::complete:
        return parse_request();
      case HeaderBlock::incomplete:
        break;
    }
    m_stream.async_read_some(m_buffer.prepare(4096),
                             [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                               if (ec) return;  // timeout, close: as in on_read
                               self->m_buffer.commit(n);
                               self->read_header_block();
                             });
  }

  void parse_request() {
    m_parser.emplace();
    m_parser->header_limit(static_cast<std::uint32_t>(m_server.opts.header_limit));
    m_parser->body_limit(m_server.opts.body_limit);
    m_first = false;
    m_stream.expires_at(m_started + m_server.opts.read_timeout);
    bhttp::async_read(
        m_stream, m_buffer, *m_parser,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == bhttp::error::header_limit) return fail(431);
    if (ec == bhttp::error::body_limit) return fail(413);
    if (ec == beast::error::timeout || ec == bhttp::error::end_of_stream || ec == net::error::eof ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted ||
        ec == bhttp::error::partial_message) {
      return;  // the client went away or took too long: nothing to answer
    }
    if (ec) return fail(400);
    m_keep_alive = m_parser->get().keep_alive();
    m_request = to_request(m_parser->release(), m_remote);
    if (auto problem = check_framing(m_request)) return fail(400, "Bad request: " + *problem);
    m_state = State::handling;
    if (wait_for_kept_answer()) return;
    run(shared_from_this(), handle);
  }

  static Response handle(Worker& w, const Request& r) { return w.handle(r); }

  // A GET or HEAD of something the loop keeps an answer for waits for a worker's reading of
  // the database's version (LoopCache's rule), not for a worker. The Host field is checked
  // first: a request without one (or with two) goes to a worker, which answers 400, even
  // when an answer for its target is kept.
  bool wait_for_kept_answer() {
    if (m_request.method != "GET" && m_request.method != "HEAD") return false;
    if (check_host_field(m_request)) return false;
    if (m_loop.counter) return answer_from_counter();
    auto resume = [self = shared_from_this()](std::optional<Response> kept) mutable {
      metrics::count_cache("loop", kept.has_value());
      if (kept) return self->respond(std::move(*kept));
      run(std::move(self), handle);
    };
    switch (m_loop.cache.wait(ResponseCache::key_of(m_request), m_started, std::move(resume))) {
      case LoopCache::Wait::ask_worker:
        return false;
      case LoopCache::Wait::waiting:
        return true;
      case LoopCache::Wait::read:
        read_version_soon(m_server, m_loop);
        return true;
    }
    return false;
  }

  // The loop reads the change counter itself (SQLite), now, after the request arrived: a kept
  // answer made at that count answers it. Otherwise the count read now goes with the request
  // to a worker, and its answer is kept at it (read before the worker reads anything, so the
  // answer is at least that fresh).
  bool answer_from_counter() {
    m_loop_version = m_loop.counter->read();
    const auto key = ResponseCache::key_of(m_request);
    if (!m_loop.cache.holds(key)) return false;
    auto kept = m_loop.cache.find_now(key, m_loop.reader(), *m_loop_version, Clock::now());
    metrics::count_cache("loop", kept.has_value());
    if (!kept) return false;
    respond(std::move(*kept));
    return true;
  }

  // A reading is asked for once the loop has handled what is ready now: the requests that
  // were read in the same turn of the loop then wait for it too, rather than for one reading
  // each (a reading taken at once, on another core, would be taken before they arrive).
  static void read_version_soon(Server& server, Loop& loop) {
    net::post(loop.ioc, [&server, &loop] { read_version(server, loop); });
  }

  // On a worker: its connection's version, read after the time it notes; then on the loop,
  // the requests that waited for it. A full pool gives no version: they ask a worker, and
  // get its 503.
  static void read_version(Server& server, Loop& loop) {
    auto deliver = [&server, &loop](LoopCache::Reading reading) {
      net::post(loop.ioc, [&server, &loop, reading] {
        if (loop.cache.on_reading(reading, Clock::now())) read_version_soon(server, loop);
      });
    };
    const bool queued = server.pool().submit([deliver](Worker& w) {
      LoopCache::Reading reading{reinterpret_cast<std::uintptr_t>(&w), std::nullopt, Clock::now()};
      try {
        reading.version = w.data_version();
      } catch (const std::exception&) {  // e.g. a lost PostgreSQL link: a worker answers them
      }
      deliver(reading);
    });
    if (!queued) deliver({0, std::nullopt, Clock::now()});
  }

  // The request's work, on a worker; the answer is written from this session's loop. A full
  // pool answers 503 at once. The session is passed along (moved), so the worker thread never
  // holds it once the answer is on its way.
  static void run(std::shared_ptr<Session> self, Work work) {
    Session& s = *self;
    auto job = std::make_shared<std::pair<std::shared_ptr<Session>, Work>>(std::move(self),
                                                                           std::move(work));
    const bool queued = s.m_server.pool().submit([job](Worker& w) {
      auto session = std::move(job->first);
      session->m_reader = reinterpret_cast<std::uintptr_t>(&w);
      Response res = run_safely(job->second, w, session->m_request);
      worked(std::move(session), std::move(res));
    });
    if (!queued) answer(std::move(job->first), busy());
  }

  static Response busy() {
    Response r = error_response(503, "The server is busy: try again in a moment");
    r.header("Retry-After", "1");
    return r;
  }

  // On a worker: answer, or wait on another server without holding the worker, then run the
  // rest on a worker again.
  static void worked(std::shared_ptr<Session> self, Response res) {
    if (!res.pending) return answer(std::move(self), std::move(res));
    Server& server = self->m_server;
    auto pending = std::move(res.pending);
    server.wait_began();
    auto held = std::make_shared<std::shared_ptr<Session>>(std::move(self));
    pending->start([held, pending, &server] {
      if (auto session = std::move(*held)) {
        run(std::move(session),
            [pending](Worker& w, const Request& r) { return w.resume(r, *pending); });
      }
      server.wait_ended();
    });
  }

  static void answer(std::shared_ptr<Session> self, Response res) {
    Loop& home = self->m_loop;
    net::post(home.ioc, [self = std::move(self), res = std::move(res)]() mutable {
      if (res.cacheable && res.version) {
        Loop& loop = self->m_loop;
        if (!loop.counter) {
          loop.cache.store(ResponseCache::key_of(self->m_request), res, self->m_reader,
                           *res.version, Clock::now());
        } else if (self->m_loop_version) {
          loop.cache.store(ResponseCache::key_of(self->m_request), res, loop.reader(),
                           *self->m_loop_version, Clock::now());
        }
      }
      self->respond(std::move(res));
    });
  }

  // An answer to a request that cannot be read as one: the connection closes after it.
  void fail(int status, std::string_view message = {}) {
    m_keep_alive = false;
    m_request = Request{};
    m_request.remote = m_remote;
    m_request.method = "-";
    m_request.target = "-";
    if (message.empty()) {
      message = status == 431   ? "Request header fields too large"
                : status == 413 ? "Payload too large"
                                : "Bad request";
    }
    respond(error_response(status, message));
  }

  void respond(Response res) {
    if (!res.log_note.empty() && m_server.hooks.on_request_error) {
      m_server.hooks.on_request_error(m_request, res.log_note);
    }
    const bool head = m_request.method == "HEAD";
    const bool keep = m_keep_alive && !m_close_after && !m_server.stopping();
    m_head.clear();  // keeps its capacity for the connection's next answer
    append_head(m_head, res, keep);
    m_body_bytes = head ? 0 : res.body.size();
    if (!head) m_body = std::move(res.body);
    m_status = res.status;
    m_state = State::writing;
    m_stream.expires_after(m_server.opts.write_timeout);
    // The head and the body in one gathered write (writev): no serializer, no copy of the body.
    const std::array<net::const_buffer, 2> bytes{net::buffer(m_head), net::buffer(m_body)};
    net::async_write(m_stream, bytes,
                     [self = shared_from_this(), keep](beast::error_code ec, std::size_t) {
                       self->on_write(ec, keep);
                     });
  }

  // The status line and the header fields, as Beast's serializer wrote them (the answers are
  // all HTTP/1.1 with a Content-Length); built in `out` without a field container.
  static void append_head(std::string& out, const Response& res, bool keep) {
    const auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(res.status));
    char status[4];
    const auto code = static_cast<unsigned>(std::clamp(res.status, 100, 999));
    status[0] = static_cast<char>('0' + code / 100);
    status[1] = static_cast<char>('0' + code / 10 % 10);
    status[2] = static_cast<char>('0' + code % 10);
    status[3] = ' ';
    out.append("HTTP/1.1 ").append(status, 4).append(reason.data(), reason.size());
    out.append("\r\nServer: instctl\r\nDate: ").append(http_date()).append("\r\n");
    if (!res.content_type.empty()) {
      out.append("Content-Type: ").append(res.content_type).append("\r\n");
    }
    for (const auto& [name, value] : res.headers) {
      out.append(name).append(": ").append(value).append("\r\n");
    }
    if (!keep) out.append("Connection: close\r\n");
    char length[24];
    const auto end = std::to_chars(length, length + sizeof length, res.body.size()).ptr;
    out.append("Content-Length: ").append(length, end).append("\r\n\r\n");
  }

  void on_write(beast::error_code ec, bool keep) {
    if (m_server.hooks.on_request) {
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - m_started).count();
      m_server.hooks.on_request(m_request, m_status, m_body_bytes, ms);
    }
    m_body = std::string();
    m_request = Request{};
    m_loop_version.reset();
    if (ec) return;
    if (!keep) return close_gracefully();
    wait_for_request();
  }

  // Stop sending, then read and drop what the client still sends for a moment, so that it
  // reads our answer (a 413 among others) instead of a connection reset.
  void close_gracefully() {
    m_state = State::closing;
    beast::error_code ec;
    m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    m_buffer.clear();
    m_stream.expires_after(k_drain_time);
    drain();
  }

  void drain() {
    m_stream.async_read_some(m_buffer.prepare(16 * 1024),
                             [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                               self->m_drained += n;
                               if (ec || self->m_drained > k_drain_limit) return;
                               self->drain();
                             });
  }

  Server& m_server;
  Loop& m_loop;
  beast::tcp_stream m_stream;
  beast::flat_buffer m_buffer;
  std::optional<bhttp::request_parser<bhttp::string_body>> m_parser;
  std::string m_head;  // the answer being written: its status line and fields, and its body
  std::string m_body;
  Request m_request;
  std::string m_remote;
  std::string m_client_key;
  std::uintptr_t m_reader = 0;  // the Worker that made the answer (LoopCache's reader)
  // The loop's reading of the change counter before the request went to a worker (SQLite).
  std::optional<std::uint64_t> m_loop_version;
  State m_state = State::idle;
  bool m_first = true;  // no request read yet on this connection
  bool m_keep_alive = true;
  bool m_close_after = false;
  int m_status = 0;
  std::size_t m_body_bytes = 0;
  std::size_t m_drained = 0;
  Clock::time_point m_started = Clock::now();
  const Clock::time_point m_accepted = Clock::now();
};

bool Server::admit_client(const std::string& key) {
  if (opts.max_client_connections == 0) return true;
  std::lock_guard lock(m_clients_mutex);
  auto& n = m_clients[key];
  if (n >= opts.max_client_connections) {
    if (n == 0) m_clients.erase(key);
    return false;
  }
  ++n;
  return true;
}

void Server::release_client(const std::string& key) {
  if (opts.max_client_connections == 0) return;
  std::lock_guard lock(m_clients_mutex);
  const auto it = m_clients.find(key);
  if (it != m_clients.end() && --it->second == 0) m_clients.erase(it);
}

void Server::listen() {
  beast::error_code ec;
  auto address = net::ip::make_address(opts.address, ec);
  if (ec) {
    tcp::resolver resolver(m_loops[0]->ioc);
    auto results = resolver.resolve(opts.address, std::to_string(opts.port), ec);
    if (ec || results.empty()) {
      throw Error(ErrorKind::usage,
                  fmt::format("cannot listen on '{}': not an address or a known host name; give "
                              "--listen ADDRESS:PORT such as 127.0.0.1:8080",
                              opts.address));
    }
    address = results.begin()->endpoint().address();
  }
  const tcp::endpoint endpoint(address, opts.port);
  auto fail = [&](const char* what) {
    throw Error(ErrorKind::internal,
                fmt::format("cannot listen on {}:{} ({}: {}); stop the other server using it or "
                            "choose another --listen",
                            opts.address, opts.port, what, ec.message()));
  };
  if (m_acceptor.open(endpoint.protocol(), ec); ec) fail("open");
  m_acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (m_acceptor.bind(endpoint, ec); ec) fail("bind");
  if (m_acceptor.listen(net::socket_base::max_listen_connections, ec); ec) fail("listen");
}

void Server::accept() {
  Loop& loop = *m_loops[m_next_loop++ % m_loops.size()];
  m_acceptor.async_accept(loop.ioc, [this, &loop](beast::error_code ec, tcp::socket socket) {
    on_accept(loop, ec, std::move(socket));
  });
}

void Server::on_accept(Loop& loop, beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || m_stopping) return;
  if (!ec) {
    std::string remote = socket.remote_endpoint(ec).address().to_string(ec);
    std::string key = client_key(remote);
    if (ec || m_sessions.load() >= opts.max_connections || !admit_client(key)) {
      socket.close(ec);
    } else {
      // Small answers must not wait for the peer's delayed ACK (about 40 ms).
      socket.set_option(tcp::no_delay(true), ec);
      ++m_sessions;
      net::post(loop.ioc, [this, &loop, s = std::move(socket), remote = std::move(remote),
                           key = std::move(key)]() mutable {
        std::make_shared<Session>(*this, loop, std::move(s), std::move(remote), std::move(key))
            ->start();
      });
    }
  } else if (ec != net::error::connection_aborted) {
    error(fmt::format("accept: {}", ec.message()));  // e.g. out of file descriptors
  }
  accept();
}

void Server::begin_shutdown(std::string_view signal) {
  m_stopping = true;
  if (hooks.on_stopping) hooks.on_stopping(signal);
  beast::error_code ec;
  m_acceptor.close(ec);
  m_hard_stop.emplace(m_loops[0]->ioc, opts.shutdown_grace);
  m_hard_stop->async_wait([this](beast::error_code e) {
    if (e) return;  // cancelled: everything finished in time
    error("requests still running after the shutdown grace period were cut off");
    for (auto& l : m_loops) l->ioc.stop();
  });
  for (auto& l : m_loops) {
    net::post(l->ioc, [loop = l.get()] {
      // Copy: closing a session may end it, which erases it from the set.
      std::vector<std::shared_ptr<Session>> open;
      {
        std::lock_guard lock(loop->mutex);
        for (auto& [p, weak] : loop->sessions) {
          if (auto s = weak.lock()) open.push_back(std::move(s));
        }
      }
      for (auto& s : open) s->on_shutdown();
    });
  }
  if (m_sessions.load() == 0) finish();
}

void Server::finish() {
  std::call_once(m_finished, [this] {
    net::post(m_loops[0]->ioc, [this] {
      if (m_hard_stop) m_hard_stop->cancel();
      for (auto& l : m_loops) l->guard.reset();
    });
  });
}

void Server::run() {
  for (auto& l : m_loops) l->counter = hooks.change_counter;
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < std::max(1, opts.workers); ++i) workers.push_back(hooks.make_worker());
  m_pool = std::make_unique<WorkPool>(std::move(workers), opts.queue_limit);
  listen();
  metrics::watch_connections(&m_sessions);
  m_signals.emplace(m_loops[0]->ioc, SIGINT, SIGTERM);
  m_signals->async_wait([this](beast::error_code ec, int sig) {
    if (!ec) begin_shutdown(sig == SIGINT ? "SIGINT" : "SIGTERM");
  });
  accept();
  if (hooks.on_listening) hooks.on_listening(opts.address, m_acceptor.local_endpoint().port());

  // Every loop's guard is set before any loop runs: once loop 0 runs, a shutdown may reset
  // them all (finish()), which must not meet this thread still setting a later one.
  for (auto& l : m_loops) l->guard.emplace(l->ioc.get_executor());
  std::vector<std::thread> threads;
  for (auto& l : m_loops) threads.emplace_back([loop = l.get()] { loop->ioc.run(); });
  for (auto& t : threads) t.join();
  // Requests still waiting on another server come back within their deadline; the pool
  // finishes their work (its answers are dropped with the stopped loops).
  {
    std::unique_lock lock(m_wait_mutex);
    m_waits_done.wait(lock, [this] { return m_waiting == 0; });
  }
  m_pool->join();
  metrics::watch_connections(nullptr);
  m_ran = true;
}

}  // namespace

void serve(const ServerOptions& options, const ServerHooks& hooks) {
  Server server(options, hooks);
  server.run();
}

}  // namespace instctl::http
