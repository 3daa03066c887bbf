#pragma once

// Counters and histograms for Prometheus' text exposition format, cheap enough for every
// request: each family keeps its values in a few shards (one cache line apart), a thread adds
// to its own shard with one relaxed atomic add, and only a scrape sums the shards. No lock is
// taken on the way. Label values are fixed when a family is made (an index picks the series),
// so a family's cardinality is bounded by construction: what comes from outside (a route, an
// activity type) is mapped to a known value or to "other" before it gets here.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace instctl::metrics {

inline constexpr std::size_t k_shards = 8;

// `n` monotonic values, sharded by thread.
class ShardedValues {
 public:
  explicit ShardedValues(std::size_t n);
  void add(std::size_t i, std::uint64_t v = 1) {
    m_shards[shard()].values[i].fetch_add(v, std::memory_order_relaxed);
  }
  std::uint64_t sum(std::size_t i) const;
  std::size_t size() const { return m_size; }

 private:
  struct alignas(64) Shard {
    std::unique_ptr<std::atomic<std::uint64_t>[]> values;
  };
  static std::size_t shard();
  std::size_t m_size;
  std::array<Shard, k_shards> m_shards;
};

// The labels of a family: names, and for each name its possible values. Series are the
// cartesian product, indexed row-major: index({a, b}) = a * values[1].size() + b.
struct Labels {
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> values;
  std::size_t series() const;
  // No allocation: a request's series is picked on every request.
  std::size_t index(std::initializer_list<std::size_t> at) const;
  // `name="value",...` of series i (escaped), without braces.
  std::string text(std::size_t series) const;
};

class CounterFamily {
 public:
  CounterFamily(std::string name, std::string help, Labels labels);
  void add(std::size_t series, std::uint64_t v = 1) { m_values.add(series, v); }
  std::uint64_t value(std::size_t series) const { return m_values.sum(series); }
  const Labels& labels() const { return m_labels; }
  // Series that never moved are left out (a scrape stays short); a family with no label
  // always shows its one value.
  void render(std::string& out) const;

 private:
  std::string m_name;
  std::string m_help;
  Labels m_labels;
  ShardedValues m_values;
};

// One histogram per series, with the same upper bounds (seconds).
class HistogramFamily {
 public:
  HistogramFamily(std::string name, std::string help, Labels labels, std::vector<double> bounds);
  void observe(std::size_t series, double seconds);
  void render(std::string& out) const;

 private:
  std::string m_name;
  std::string m_help;
  Labels m_labels;
  std::vector<double> m_bounds;
  // Per series: one count per bound (not cumulative), +Inf, then the sum in microseconds.
  ShardedValues m_values;
};

// Writers of the text format.
void write_header(std::string& out, std::string_view name, std::string_view help,
                  std::string_view type);
// A sample line: name{labels} value.
void write_sample(std::string& out, std::string_view name, std::string_view labels, double value);
// A label value as the format quotes it (backslash, double quote and newline escaped).
std::string escape_label_value(std::string_view value);

}  // namespace instctl::metrics
