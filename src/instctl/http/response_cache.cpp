#include "instctl/http/response_cache.hpp"

namespace instctl::http {

namespace {

std::size_t cost(const std::string& key, const Response& r) {
  std::size_t n = key.size() + r.body.size() + r.content_type.size() + 64;
  for (const auto& [name, value] : r.headers) n += name.size() + value.size();
  return n;
}

}  // namespace

std::string ResponseCache::key_of(const Request& req) {
  std::string key = req.target;
  key += '\n';
  key += req.header("host").value_or("");
  key += '\n';
  key += req.header("accept").value_or("");
  return key;
}

std::optional<Response> ResponseCache::find(const std::string& key, Stamp version,
                                            Clock::time_point now) {
  const auto it = m_entries.find(key);
  if (it == m_entries.end()) return std::nullopt;
  if (it->second.version != version || now - it->second.stored > k_max_age) {
    m_bytes -= cost(it->first, it->second.response);
    m_entries.erase(it);
    return std::nullopt;
  }
  return it->second.response;
}

void ResponseCache::store(const std::string& key, const Response& res, Stamp version,
                          Clock::time_point now) {
  if (res.body.size() > k_max_body) return;
  if (const auto it = m_entries.find(key); it != m_entries.end()) {
    m_bytes -= cost(it->first, it->second.response);
    m_entries.erase(it);
  }
  const std::size_t c = cost(key, res);
  if (m_bytes + c > k_byte_budget) {
    // Many different targets (a crawler, or someone filling the cache): start again rather
    // than track recency for every hit.
    m_entries.clear();
    m_bytes = 0;
  }
  m_entries.emplace(key, Entry{res, version, now});
  m_bytes += c;
}

}  // namespace instctl::http
