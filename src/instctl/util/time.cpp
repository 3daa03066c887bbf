#include "instctl/util/time.hpp"

#include <charconv>
#include <ctime>

namespace instctl::util {

namespace {

// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm), valid for all years here.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool read_int(std::string_view s, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > s.size()) return false;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  auto r = std::from_chars(s.data() + pos, s.data() + pos + len, out);
  return r.ec == std::errc{};
}

std::tm to_tm(std::int64_t t) {
  std::tm tm{};
  const std::time_t tt = static_cast<std::time_t>(t);
  gmtime_r(&tt, &tm);
  return tm;
}

std::string strftime_utc(std::int64_t t, const char* fmt) {
  std::tm tm = to_tm(t);
  char buf[64];
  const std::size_t n = std::strftime(buf, sizeof buf, fmt, &tm);
  return std::string(buf, n);
}

}  // namespace

std::string format_time(std::int64_t t) { return strftime_utc(t, "%Y-%m-%dT%H:%M:%SZ"); }
std::string format_date(std::int64_t t) { return strftime_utc(t, "%Y-%m-%d"); }
std::string format_time_for_people(std::int64_t t) {
  return strftime_utc(t, "%A %-d %B %Y, %H:%M UTC");
}

std::string format_http_date(std::int64_t t) {
  return strftime_utc(t, "%a, %d %b %Y %H:%M:%S GMT");
}

std::optional<std::int64_t> parse_time(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (s.find_first_not_of("0123456789") == std::string_view::npos) {
    std::int64_t v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc{} || v > k_max_time) return std::nullopt;
    return v;
  }
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (!read_int(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !read_int(s, 5, 2, mo) ||
      s[7] != '-' || !read_int(s, 8, 2, d)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  std::size_t pos = 10;
  std::int64_t offset = 0;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != ' ') return std::nullopt;
    if (!read_int(s, pos + 1, 2, h) || s.size() < pos + 6 || s[pos + 3] != ':' ||
        !read_int(s, pos + 4, 2, mi)) {
      return std::nullopt;
    }
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!read_int(s, pos + 1, 2, sec)) return std::nullopt;
      pos += 3;
    }
    if (pos < s.size() && s[pos] == '.') {  // fractional seconds are dropped
      ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    }
    if (pos < s.size()) {
      if (s[pos] == 'Z' && pos + 1 == s.size()) {
        pos = s.size();
      } else if ((s[pos] == '+' || s[pos] == '-') && s.size() == pos + 6 && s[pos + 3] == ':') {
        int oh, om;
        if (!read_int(s, pos + 1, 2, oh) || !read_int(s, pos + 4, 2, om)) return std::nullopt;
        offset = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
        pos = s.size();
      } else {
        return std::nullopt;
      }
    }
    if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
  }
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
         h * 3600 + mi * 60 + sec - offset;
}

std::optional<std::int64_t> parse_duration(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::int64_t unit = 1;
  std::string_view digits = s;
  switch (s.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    case 'w':
      unit = 7 * 86400;
      break;
    default:
      unit = 0;
  }
  if (unit != 0)
    digits.remove_suffix(1);
  else
    unit = 1;
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  std::int64_t v = 0;
  auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (r.ec != std::errc{} || v <= 0 || v > k_max_duration / unit) return std::nullopt;
  return v * unit;
}

std::optional<std::int64_t> parse_http_date(std::string_view s) {
  // IMF-fixdate only, as every current implementation sends: Sun, 06 Nov 1994 08:49:37 GMT
  static constexpr std::string_view months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s.substr(25) != " GMT") return std::nullopt;
  int d, y, h, mi, sec;
  if (!read_int(s, 5, 2, d) || !read_int(s, 12, 4, y) || !read_int(s, 17, 2, h) ||
      !read_int(s, 20, 2, mi) || !read_int(s, 23, 2, sec)) {
    return std::nullopt;
  }
  unsigned mo = 0;
  for (unsigned i = 0; i < 12; ++i) {
    if (s.substr(8, 3) == months[i]) mo = i + 1;
  }
  if (mo == 0 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  return days_from_civil(y, mo, static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + sec;
}

}  // namespace instctl::util
