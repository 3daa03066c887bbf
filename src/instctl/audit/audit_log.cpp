#include "instctl/audit/audit_log.hpp"

#include "instctl/audit/audit_store.hpp"
#include "instctl/util/time.hpp"

namespace instctl::audit {

void record(Env& env, std::string_view action, std::string_view target, const Json& details) {
  AuditStore(env.db).insert(env.actor, action, target, details, env.clock.now());
}

void record_text(Env& env, std::string_view action, std::string_view target,
                 std::string_view details) {
  AuditStore(env.db).insert_text(env.actor, action, target, details, env.clock.now());
}

void Batch::add(std::string_view action, std::string_view target, std::string details) {
  m_rows.push_back({std::string(action), std::string(target), std::move(details)});
}

void Batch::flush() {
  AuditStore(m_env.db).insert_texts(m_env.actor, m_rows, m_env.clock.now());
  m_rows.clear();
}

std::vector<Entry> list(db::Connection& db, const Filter& f) { return AuditStore(db).list(f); }

Json to_json(const Entry& e) {
  return Json{{"id", e.id},           {"actor", e.actor},
              {"action", e.action},   {"target", e.target},
              {"details", e.details}, {"created_at", util::format_time(e.created_at)}};
}

}  // namespace instctl::audit
