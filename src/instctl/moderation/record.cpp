#include "instctl/moderation/record.hpp"

#include "instctl/moderation/strike_store.hpp"
#include "instctl/reports/report_store.hpp"
#include "instctl/util/time.hpp"

namespace instctl::moderation {

void add_moderation_record(db::Connection& db, std::int64_t account_id, Json& record) {
  reports::ListFilter open;
  open.status = reports::Status::open;
  open.target_id = account_id;
  Json reports = Json::array();
  for (const auto& r : reports::ReportStore(db).list(open)) {
    reports.push_back(Json{{"id", r.id},
                           {"category", reports::to_string(r.category)},
                           {"reporter", r.reporter ? Json(*r.reporter) : Json(nullptr)},
                           {"origin", r.origin.empty() ? std::string("local") : r.origin},
                           {"assigned_to", r.assigned_to ? Json(*r.assigned_to) : Json(nullptr)},
                           {"created_at", util::format_time(r.created_at)}});
  }
  record["open_reports"] = reports;
  Json strikes = Json::array();
  for (const auto& s : StrikeStore(db).for_account(account_id)) {
    Json j = to_json(s);
    j.erase("account");
    strikes.push_back(j);
  }
  record["strikes"] = strikes;
}

}  // namespace instctl::moderation
