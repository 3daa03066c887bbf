#include "instctl/metrics/registry.hpp"

#include <fmt/format.h>

#include <cmath>

namespace instctl::metrics {

ShardedValues::ShardedValues(std::size_t n) : m_size(n) {
  for (auto& s : m_shards) {
    s.values = std::make_unique<std::atomic<std::uint64_t>[]>(n);
    for (std::size_t i = 0; i < n; ++i) s.values[i].store(0, std::memory_order_relaxed);
  }
}

std::size_t ShardedValues::shard() {
  static std::atomic<std::size_t> next{0};
  thread_local const std::size_t mine = next.fetch_add(1, std::memory_order_relaxed) % k_shards;
  return mine;
}

std::uint64_t ShardedValues::sum(std::size_t i) const {
  std::uint64_t total = 0;
  for (const auto& s : m_shards) total += s.values[i].load(std::memory_order_relaxed);
  return total;
}

std::size_t Labels::series() const {
  std::size_t n = 1;
  for (const auto& v : values) n *= v.size();
  return n;
}

std::size_t Labels::index(std::initializer_list<std::size_t> at) const {
  std::size_t i = 0;
  const std::size_t* value = at.begin();
  for (std::size_t k = 0; k < values.size() && value != at.end(); ++k) {
    i = i * values[k].size() + *value++;
  }
  return i;
}

std::string Labels::text(std::size_t series) const {
  std::vector<std::size_t> at(values.size());
  for (std::size_t k = values.size(); k-- > 0;) {
    at[k] = series % values[k].size();
    series /= values[k].size();
  }
  std::string out;
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (k) out += ',';
    out += fmt::format("{}=\"{}\"", names[k], escape_label_value(values[k][at[k]]));
  }
  return out;
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

void write_header(std::string& out, std::string_view name, std::string_view help,
                  std::string_view type) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void write_sample(std::string& out, std::string_view name, std::string_view labels, double value) {
  const std::string number = std::isinf(value) ? (value > 0 ? "+Inf" : "-Inf")
                             : value == std::floor(value) && std::fabs(value) < 1e15
                                 ? fmt::format("{}", static_cast<long long>(value))
                                 : fmt::format("{}", value);
  if (labels.empty())
    out += fmt::format("{} {}\n", name, number);
  else
    out += fmt::format("{}{{{}}} {}\n", name, labels, number);
}

CounterFamily::CounterFamily(std::string name, std::string help, Labels labels)
    : m_name(std::move(name)),
      m_help(std::move(help)),
      m_labels(std::move(labels)),
      m_values(m_labels.series()) {}

void CounterFamily::render(std::string& out) const {
  write_header(out, m_name, m_help, "counter");
  for (std::size_t i = 0; i < m_values.size(); ++i) {
    const auto v = m_values.sum(i);
    if (v == 0 && !m_labels.names.empty()) continue;
    write_sample(out, m_name, m_labels.text(i), static_cast<double>(v));
  }
}

HistogramFamily::HistogramFamily(std::string name, std::string help, Labels labels,
                                 std::vector<double> bounds)
    : m_name(std::move(name)),
      m_help(std::move(help)),
      m_labels(std::move(labels)),
      m_bounds(std::move(bounds)),
      m_values(m_labels.series() * (m_bounds.size() + 2)) {}

void HistogramFamily::observe(std::size_t series, double seconds) {
  const std::size_t base = series * (m_bounds.size() + 2);
  std::size_t b = 0;
  while (b < m_bounds.size() && seconds > m_bounds[b]) ++b;
  m_values.add(base + b);
  m_values.add(base + m_bounds.size() + 1,
               static_cast<std::uint64_t>(std::max(0.0, seconds) * 1e6 + 0.5));
}

void HistogramFamily::render(std::string& out) const {
  write_header(out, m_name, m_help, "histogram");
  const std::size_t width = m_bounds.size() + 2;
  for (std::size_t s = 0; s < m_labels.series(); ++s) {
    const std::size_t base = s * width;
    std::vector<std::uint64_t> counts(m_bounds.size() + 1);
    std::uint64_t total = 0;
    for (std::size_t b = 0; b <= m_bounds.size(); ++b) total += counts[b] = m_values.sum(base + b);
    if (total == 0) continue;
    const std::string labels = m_labels.text(s);
    const std::string prefix = labels.empty() ? "" : labels + ",";
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < m_bounds.size(); ++b) {
      cumulative += counts[b];
      write_sample(out, m_name + "_bucket", fmt::format("{}le=\"{}\"", prefix, m_bounds[b]),
                   static_cast<double>(cumulative));
    }
    write_sample(out, m_name + "_bucket", prefix + "le=\"+Inf\"", static_cast<double>(total));
    write_sample(out, m_name + "_sum", labels,
                 static_cast<double>(m_values.sum(base + width - 1)) / 1e6);
    write_sample(out, m_name + "_count", labels, static_cast<double>(total));
  }
}

}  // namespace instctl::metrics
