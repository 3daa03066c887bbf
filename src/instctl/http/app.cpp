#include "instctl/http/app.hpp"

#include "instctl/core/error.hpp"
#include "instctl/db/open.hpp"
#include "instctl/http/host_check.hpp"
#include "instctl/http/response_cache.hpp"
#include "instctl/http/seams.hpp"
#include "instctl/metrics/instruments.hpp"

namespace instctl::http {

namespace {

// Each server thread's database connection keeps at most this many KiB of pages (SQLite's
// default is 2 MiB); the operating system's file cache holds the rest.
constexpr std::int64_t k_server_cache_kib = 512;

class AppWorker final : public Worker {
 public:
  AppWorker(const Router& router, const std::string& db_path, const Clock& clock,
            const SiteOverrides& overrides)
      : m_router(router),
        m_db(db::open(db_path, db::OpenMode::existing)),
        m_clock(clock),
        m_overrides(overrides) {
    m_db->limit_cache(k_server_cache_kib);
    m_db->keep_reads();  // the instance, settings, domain rules, keys: db/read_memo.hpp
  }

  Response handle(const Request& req) override {
    // Before the cache: a cached answer must not spare a request without a Host its 400.
    if (m_overrides.listen_port != 0) {
      if (auto refused = check_host_field(req)) return std::move(*refused);
    }
    // Only a route whose answers may be kept asks for the data version: on PostgreSQL that
    // is a query.
    if ((req.method != "GET" && req.method != "HEAD") || !m_router.may_cache(req)) {
      return dispatch(req);
    }
    const auto version = m_db->data_version();
    if (!version) return dispatch(req);
    const auto now = ResponseCache::Clock::now();
    std::string key = ResponseCache::key_of(req);
    auto hit = m_cache.find(key, *version, now);
    metrics::count_cache("response", hit.has_value());
    if (hit) return std::move(*hit);
    Response res = dispatch(req);
    // Kept only when nothing changed while it was made: then it is what the database says.
    if (res.cacheable && m_db->data_version() == version) {
      res.version = version;
      m_cache.store(key, res, *version, now);
    }
    return res;
  }

  std::optional<std::uint64_t> data_version() override { return m_db->data_version(); }

  Response resume(const Request& req, Pending& pending) override {
    Env env{*m_db, m_clock, "http:" + req.remote, &seams()};
    try {
      return pending.finish(env);
    } catch (const Error& e) {
      return error_response_for(e);
    }
  }

 private:
  const Router& m_router;
  std::unique_ptr<db::Connection> m_db;
  const Clock& m_clock;
  const SiteOverrides& m_overrides;
  ResponseCache m_cache;

  Response dispatch(const Request& req) {
    // The audit log names the client of a change made over HTTP.
    Env env{*m_db, m_clock, "http:" + req.remote, &seams()};
    return m_router.dispatch(req, env, m_overrides);
  }
};

}  // namespace

std::unique_ptr<Worker> make_app_worker(const Router& router, const std::string& db_path,
                                        const Clock& clock, const SiteOverrides& overrides) {
  return std::make_unique<AppWorker>(router, db_path, clock, overrides);
}

}  // namespace instctl::http
