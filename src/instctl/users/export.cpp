#include "instctl/users/export.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "instctl/core/csv.hpp"

namespace instctl::users {

namespace {
constexpr std::int64_t k_page = 1000;

std::string text_of(const Json& v) { return v.is_string() ? v.get<std::string>() : ""; }

class Encoder {
 public:
  Encoder(ImportFormat format, const ExportWriter& write) : m_format(format), m_write(write) {}

  void begin() {
    if (m_format == ImportFormat::csv) {
      m_write(csv_row(std::vector<std::string>(k_import_fields.begin(), k_import_fields.end())));
    } else if (m_format == ImportFormat::json) {
      m_write("[");
    }
  }

  void add(const User& u, std::string& chunk) {
    const Json j = to_import_json(u);
    switch (m_format) {
      case ImportFormat::csv: {
        std::vector<std::string> values;
        for (auto f : k_import_fields) values.push_back(text_of(j[std::string(f)]));
        chunk += csv_row(values);
        break;
      }
      case ImportFormat::json:
        chunk += m_first ? "\n  " : ",\n  ";
        chunk += j.dump();
        break;
      case ImportFormat::ndjson:
        chunk += j.dump() + "\n";
        break;
    }
    m_first = false;
  }

  void end() {
    if (m_format == ImportFormat::json) m_write(m_first ? "]\n" : "\n]\n");
  }

 private:
  ImportFormat m_format;
  const ExportWriter& m_write;
  bool m_first = true;
};
}  // namespace

Json to_import_json(const User& u) {
  return Json{{"username", u.username},
              {"email", u.email ? Json(*u.email) : Json(nullptr)},
              {"display_name", u.display_name},
              {"role", to_string(u.role)},
              {"note", u.note}};
}

std::size_t export_users(db::Connection& db, const ListFilter& filter, ImportFormat format,
                         const ExportWriter& write) {
  AccountStore store(db);
  db::Transaction snapshot(db, db::Transaction::Mode::read);  // one consistent view
  Encoder encoder(format, write);
  encoder.begin();
  ListFilter page = filter;
  page.include_deleted = false;
  std::size_t written = 0;
  std::string chunk;
  for (;;) {
    const std::int64_t left =
        filter.limit > 0 ? filter.limit - static_cast<std::int64_t>(written) : k_page;
    page.limit = std::min(k_page, left);
    if (page.limit <= 0) break;
    const auto users = store.list_local(page);
    chunk.clear();
    for (const auto& u : users) encoder.add(u, chunk);
    if (!chunk.empty()) write(chunk);
    written += users.size();
    if (static_cast<std::int64_t>(users.size()) < page.limit) break;
    page.after_id = users.back().id;
  }
  encoder.end();
  return written;
}

}  // namespace instctl::users
