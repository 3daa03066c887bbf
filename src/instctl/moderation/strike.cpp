#include "instctl/moderation/strike.hpp"

#include "instctl/util/time.hpp"

namespace instctl::moderation {

Json to_json(const Strike& s) {
  return Json{{"id", s.id},
              {"account", s.account},
              {"action", to_string(s.action)},
              {"text", s.text},
              {"report_id", s.report_id ? Json(*s.report_id) : Json(nullptr)},
              {"moderator", s.moderator},
              {"created_at", util::format_time(s.created_at)}};
}

}  // namespace instctl::moderation
