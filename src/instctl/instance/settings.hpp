#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/db/env.hpp"

namespace instctl::instance {

struct Setting {
  std::string key;
  std::string value;  // the stored value, or the default
  bool is_default = true;
};

// Instance settings. Reads go to the database every time: a running `serve` sees a change
// made by the CLI at the next request.
class Settings {
 public:
  explicit Settings(db::Connection& db) : m_db(db) {}

  // The stored value, else the key's default ("" when it has none). Unknown keys throw.
  std::string get(std::string_view key) const;
  bool get_bool(std::string_view key) const { return get(key) == "true"; }
  std::optional<std::string> stored(std::string_view key) const;
  std::vector<Setting> list() const;

  // Validated, audited writes.
  std::string set(Env& env, std::string_view key, std::string_view value);
  void unset(Env& env, std::string_view key);

  // Internal write without audit, for init (which audits as a whole).
  void put(std::string_view key, std::string_view value, UnixTime now);

 private:
  db::Connection& m_db;
};

}  // namespace instctl::instance
