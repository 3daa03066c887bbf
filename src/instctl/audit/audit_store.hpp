#pragma once

#include <string_view>
#include <vector>

#include "instctl/audit/audit_log.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::audit {

// The SQL of the audit log (table audit_log).
class AuditStore {
 public:
  explicit AuditStore(db::Connection& db) : m_db(db) {}

  void insert(std::string_view actor, std::string_view action, std::string_view target,
              const Json& details, UnixTime now);
  // `details`: one JSON object, already written.
  void insert_text(std::string_view actor, std::string_view action, std::string_view target,
                   std::string_view details, UnixTime now);
  // Many entries with multi-row INSERTs, in order.
  void insert_texts(std::string_view actor, const std::vector<TextEntry>& rows, UnixTime now);
  // Newest first.
  std::vector<Entry> list(const Filter& filter);

 private:
  db::Connection& m_db;
};

}  // namespace instctl::audit
