#pragma once

// Reads a connection may keep while the database cannot have changed: serve's workers ask the
// same few rows for every request (the instance, a setting, a domain's block, a remote key),
// and a memory look-up costs a fraction of a statement. A store wraps such a read:
//
//   return db::remembered(m_db, "setting", key, [&] { return read_setting(key); });
//
// The rule, in one place (Connection::memo_version): a kept value is used only under the
// database version it was read at (on SQLite, instctl's change counter, change_counter.hpp, read
// before the transaction it was read in began), while this connection holds no change of its
// own that is not committed, and for at most k_max_age (writes by other programs, such as the
// sqlite3 shell, do not move the counter). Connections keep nothing unless asked
// (Connection::keep_reads: serve's workers do); commands and PostgreSQL always read.

#include <any>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "instctl/db/connection.hpp"

namespace instctl::db {

class ReadMemo {
 public:
  static constexpr std::chrono::milliseconds k_max_age{1000};
  static constexpr std::size_t k_max_entries = 4096;  // then everything is dropped at once

  // Drops everything kept under another version, or for longer than k_max_age.
  void renew(std::uint64_t version, std::chrono::steady_clock::time_point now) {
    if (version == m_version && now - m_since < k_max_age && m_kept.size() < k_max_entries) {
      return;
    }
    m_kept.clear();
    m_version = version;
    m_since = now;
  }
  template <typename T>
  const T* find(const std::string& key) const {
    const auto it = m_kept.find(key);
    return it == m_kept.end() ? nullptr : std::any_cast<T>(&it->second);
  }
  template <typename T>
  void keep(std::string key, T value) {
    m_kept.insert_or_assign(std::move(key), std::any(std::move(value)));
  }

 private:
  std::unordered_map<std::string, std::any> m_kept;
  std::uint64_t m_version = 0;
  std::chrono::steady_clock::time_point m_since{};
};

// load() when nothing may be kept now; else the value kept under (kind, key), read with load()
// when there is none. T must be copyable. An exception from load() keeps nothing.
template <typename Load>
auto remembered(Connection& db, std::string_view kind, std::string_view key, Load&& load)
    -> decltype(load()) {
  using T = decltype(load());
  ReadMemo* kept_reads = db.memo();
  const auto version = kept_reads ? db.memo_version() : std::nullopt;
  if (!version) return load();
  ReadMemo& memo = *kept_reads;
  memo.renew(*version, std::chrono::steady_clock::now());
  std::string k;
  k.reserve(kind.size() + 1 + key.size());
  k.append(kind).push_back('\n');
  k.append(key);
  if (const T* kept = memo.find<T>(k)) return *kept;
  T value = load();
  memo.keep(std::move(k), value);
  return value;
}

}  // namespace instctl::db
