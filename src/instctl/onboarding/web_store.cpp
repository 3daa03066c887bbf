#include "instctl/onboarding/web_store.hpp"

#include <cmath>

namespace instctl::onboarding {

std::string WebStore::secret(std::string_view name, std::string_view fresh, UnixTime now) {
  auto ins = m_db.prepare(
      "INSERT INTO web_secrets (name, value, created_at) VALUES (?, ?, ?) "
      "ON CONFLICT (name) DO NOTHING");
  ins->bind_all(name, fresh, now).run();
  auto st = m_db.prepare("SELECT value FROM web_secrets WHERE name = ?");
  st->bind_all(name);
  st->step();
  return st->get_text(0);
}

std::optional<util::TokenBucket::State> WebStore::bucket(std::string_view bucket,
                                                         std::string_view client) {
  auto st = m_db.prepare(
      "SELECT tokens_milli, updated_at FROM rate_limits WHERE bucket = ? AND client = ?");
  st->bind_all(bucket, client);
  if (!st->step()) return std::nullopt;
  return util::TokenBucket::State{static_cast<double>(st->get_int(0)) / 1000.0, st->get_int(1)};
}

void WebStore::save_bucket(std::string_view bucket, std::string_view client,
                           const util::TokenBucket::State& state) {
  auto st = m_db.prepare(
      "INSERT INTO rate_limits (bucket, client, tokens_milli, updated_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (bucket, client) DO UPDATE SET tokens_milli = excluded.tokens_milli, "
      "updated_at = excluded.updated_at");
  st->bind_all(bucket, client, static_cast<std::int64_t>(std::llround(state.tokens * 1000.0)),
               state.updated_at)
      .run();
}

void WebStore::prune_buckets(UnixTime before) {
  m_db.prepare("DELETE FROM rate_limits WHERE updated_at < ?")->bind_all(before).run();
}

}  // namespace instctl::onboarding
