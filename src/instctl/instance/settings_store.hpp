#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "instctl/core/clock.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::instance {

// The SQL of the instance settings (table settings): stored values only, no defaults.
class SettingsStore {
 public:
  explicit SettingsStore(db::Connection& db) : m_db(db) {}

  std::optional<std::string> get(std::string_view key) const;
  void put(std::string_view key, std::string_view value, UnixTime now);
  void remove(std::string_view key);

 private:
  db::Connection& m_db;
};

}  // namespace instctl::instance
