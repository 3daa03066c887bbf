#include "instctl/http/app.hpp"

#include "instctl/db/sqlite_connection.hpp"

namespace instctl::http {

namespace {

class AppWorker final : public Worker {
 public:
  AppWorker(const Router& router, const std::string& db_path, const Clock& clock,
            const SiteOverrides& overrides)
      : m_router(router),
        m_db(db::open_sqlite(db_path, db::OpenMode::existing)),
        m_clock(clock),
        m_overrides(overrides) {}

  Response handle(const Request& req) override {
    // The audit log names the client of a change made over HTTP.
    Env env{*m_db, m_clock, "http:" + req.remote};
    return m_router.dispatch(req, env, m_overrides);
  }

 private:
  const Router& m_router;
  std::unique_ptr<db::Connection> m_db;
  const Clock& m_clock;
  const SiteOverrides& m_overrides;
};

}  // namespace

std::unique_ptr<Worker> make_app_worker(const Router& router, const std::string& db_path,
                                        const Clock& clock, const SiteOverrides& overrides) {
  return std::make_unique<AppWorker>(router, db_path, clock, overrides);
}

}  // namespace instctl::http
