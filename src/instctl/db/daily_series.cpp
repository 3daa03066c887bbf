#include "instctl/db/daily_series.hpp"

#include <vector>

namespace instctl::db {

Json daily_series(Connection& db, std::string_view sql, UnixTime day0) {
  std::vector<std::int64_t> buckets(k_series_days, 0);
  auto st = db.prepare(sql);
  st->bind_all(day0);
  while (st->step()) {
    const auto day = (st->get_int(0) - day0) / 86400;
    if (day >= 0 && day < k_series_days) ++buckets[static_cast<std::size_t>(day)];
  }
  return Json(buckets);
}

}  // namespace instctl::db
