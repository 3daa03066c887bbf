#include "instctl/federation/delivery_loop.hpp"

#include <fmt/format.h>

#include "instctl/db/env.hpp"
#include "instctl/db/open.hpp"
#include "instctl/federation/delivery_worker.hpp"
#include "instctl/instance/client_options.hpp"
#include "instctl/net/http_client.hpp"

namespace instctl::federation {

namespace {
// Small batches, so a stop request is noticed between them.
constexpr std::int64_t k_batch = 20;
// The worker's connection keeps few pages: it reads the queue and little else.
constexpr std::int64_t k_cache_kib = 256;
}  // namespace

DeliveryLoop::DeliveryLoop(std::string db_path, const Clock& clock, Log log,
                           std::chrono::milliseconds idle_poll)
    : m_loop(
          "delivery",
          [db_path = std::move(db_path), &clock, idle_poll]() -> PollLoop::Round {
            struct State {
              std::unique_ptr<db::Connection> db;
              Env env;
              std::unique_ptr<net::HttpClient> client;
              std::unique_ptr<DeliveryWorker> worker;
            };
            auto db = db::open(db_path, db::OpenMode::existing);
            db->limit_cache(k_cache_kib);
            auto& conn = *db;
            auto s = std::make_shared<State>(
                State{std::move(db), Env{conn, clock, "serve:delivery"}, nullptr, nullptr});
            s->client = net::make_http_client(instance::client_options(conn));
            s->worker = std::make_unique<DeliveryWorker>(s->env, *s->client);
            return [s, idle_poll](const PollLoop::Beat& beat) {
              const auto report = s->worker->run(k_batch, [&beat](std::size_t) { beat(); });
              return report.total() > 0 ? std::chrono::milliseconds(0) : idle_poll;
            };
          },
          std::move(log), idle_poll) {}

std::optional<std::chrono::steady_clock::time_point> DeliveryLoop::heartbeat() const {
  return m_loop.heartbeat();
}

}  // namespace instctl::federation
