#include "instctl/metrics/kept_text.hpp"

namespace instctl::metrics {

std::string KeptText::get(const std::function<std::string()>& make) {
  std::lock_guard lock(m_mutex);
  const Time now = m_now();
  if (!m_kept || now - m_made >= m_ttl) {
    m_kept = false;
    m_text = make();
    m_made = now;
    m_kept = true;
  }
  return m_text;
}

}  // namespace instctl::metrics
