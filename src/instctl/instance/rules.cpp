#include "instctl/instance/rules.hpp"

#include <fmt/format.h>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/instance/rule_store.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/time.hpp"

namespace instctl::instance {

std::vector<Rule> list_rules(db::Connection& db) { return RuleStore(db).list(); }

Rule get_rule(db::Connection& db, std::int64_t id) {
  auto rule = RuleStore(db).find(id);
  if (!rule) {
    throw Error(ErrorKind::not_found,
                fmt::format("no rule with id {}: 'instctl rules list' shows them", id));
  }
  return *rule;
}

Rule add_rule(Env& env, std::string_view text_in, std::string_view hint_in) {
  const auto text = std::string(util::trim(text_in));
  const auto hint = std::string(util::trim(hint_in));
  if (text.empty()) throw Error(ErrorKind::usage, "a rule needs a text");
  if (text.size() > 1000 || hint.size() > 1000) {
    throw Error(ErrorKind::usage, "rule texts and hints are limited to 1000 bytes");
  }
  if (!util::is_valid_utf8(text) || !util::is_valid_utf8(hint)) {
    throw Error(ErrorKind::usage, "rule texts must be UTF-8");
  }
  db::Transaction tx(env.db);
  const auto id = RuleStore(env.db).insert(text, hint, env.clock.now());
  audit::record(env, "rules.add", fmt::format("rule:{}", id), Json{{"text", text}, {"hint", hint}});
  tx.commit();
  return get_rule(env.db, id);
}

void remove_rule(Env& env, std::int64_t id) {
  db::Transaction tx(env.db);
  const Rule r = get_rule(env.db, id);
  RuleStore(env.db).mark_removed(id, env.clock.now());
  audit::record(env, "rules.remove", fmt::format("rule:{}", id), Json{{"text", r.text}});
  tx.commit();
}

Json to_json(const Rule& r) {
  return Json{{"id", r.id},
              {"text", r.text},
              {"hint", r.hint},
              {"created_at", util::format_time(r.created_at)}};
}

}  // namespace instctl::instance
