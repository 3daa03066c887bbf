#include "instctl/crypto/structured_field.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "instctl/util/strings.hpp"

namespace instctl::crypto::sf {

namespace {

// A cursor over the field; each parse_* follows the RFC 8941 section named beside it and
// returns nullopt on the first error.
class Parser {
 public:
  explicit Parser(std::string_view s) : m_s(s) {}

  bool done() const { return m_i >= m_s.size(); }
  char peek() const { return done() ? '\0' : m_s[m_i]; }
  void skip_sp() {
    while (peek() == ' ') ++m_i;
  }
  void skip_ows() {
    while (peek() == ' ' || peek() == '\t') ++m_i;
  }

  // 4.2.2
  std::optional<Dictionary> dictionary() {
    Dictionary out;
    skip_sp();
    while (!done()) {
      auto key = this->key();
      if (!key) return std::nullopt;
      Member member;
      if (peek() == '=') {
        ++m_i;
        auto m = item_or_inner_list();
        if (!m) return std::nullopt;
        member = std::move(*m);
      } else {
        auto params = parameters();
        if (!params) return std::nullopt;
        member = Item{true, std::move(*params)};
      }
      put(out, std::move(*key), std::move(member));
      skip_ows();
      if (done()) return out;
      if (peek() != ',') return std::nullopt;
      ++m_i;
      skip_ows();
      if (done()) return std::nullopt;  // a trailing comma
    }
    return out;
  }

 private:
  template <typename Map, typename V>
  static void put(Map& map, std::string key, V value) {
    for (auto& [k, v] : map) {
      if (k == key) {
        v = std::move(value);
        return;
      }
    }
    map.emplace_back(std::move(key), std::move(value));
  }

  // 4.2.1.1
  std::optional<Member> item_or_inner_list() {
    if (peek() == '(') {
      auto l = inner_list();
      if (!l) return std::nullopt;
      return Member{std::move(*l)};
    }
    auto i = item();
    if (!i) return std::nullopt;
    return Member{std::move(*i)};
  }

  // 4.2.1.2
  std::optional<InnerList> inner_list() {
    ++m_i;  // '('
    InnerList out;
    while (!done()) {
      skip_sp();
      if (peek() == ')') {
        ++m_i;
        auto params = parameters();
        if (!params) return std::nullopt;
        out.params = std::move(*params);
        return out;
      }
      auto i = item();
      if (!i) return std::nullopt;
      out.items.push_back(std::move(*i));
      if (peek() != ' ' && peek() != ')') return std::nullopt;
    }
    return std::nullopt;  // no closing parenthesis
  }

  // 4.2.3
  std::optional<Item> item() {
    auto v = bare_item();
    if (!v) return std::nullopt;
    auto params = parameters();
    if (!params) return std::nullopt;
    return Item{std::move(*v), std::move(*params)};
  }

  // 4.2.3.1
  std::optional<BareItem> bare_item() {
    const char c = peek();
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    if (c == '"') {
      auto s = string();
      if (!s) return std::nullopt;
      return BareItem{std::move(*s)};
    }
    if (c == '*' || is_alpha(c)) return BareItem{Token{token()}};
    if (c == ':') return byte_sequence();
    if (c == '?') return boolean();
    return std::nullopt;
  }

  // 4.2.3.2
  std::optional<Parameters> parameters() {
    Parameters out;
    while (peek() == ';') {
      ++m_i;
      skip_sp();
      auto key = this->key();
      if (!key) return std::nullopt;
      BareItem value = true;
      if (peek() == '=') {
        ++m_i;
        auto v = bare_item();
        if (!v) return std::nullopt;
        value = std::move(*v);
      }
      put(out, std::move(*key), std::move(value));
    }
    return out;
  }

  // 4.2.3.3
  std::optional<std::string> key() {
    const char c = peek();
    if (!(c == '*' || (c >= 'a' && c <= 'z'))) return std::nullopt;
    const auto start = m_i;
    while (!done()) {
      const char k = peek();
      if (!((k >= 'a' && k <= 'z') || (k >= '0' && k <= '9') || k == '_' || k == '-' || k == '.' ||
            k == '*')) {
        break;
      }
      ++m_i;
    }
    return std::string(m_s.substr(start, m_i - start));
  }

  // 4.2.4
  std::optional<BareItem> number() {
    bool negative = false;
    if (peek() == '-') {
      negative = true;
      ++m_i;
    }
    if (!(peek() >= '0' && peek() <= '9')) return std::nullopt;
    std::int64_t integer = 0, fraction = 0;
    int int_digits = 0, frac_digits = 0;
    bool decimal = false;
    while (!done()) {
      const char c = peek();
      if (c >= '0' && c <= '9') {
        if (decimal) {
          if (++frac_digits > 3) return std::nullopt;
          fraction = fraction * 10 + (c - '0');
        } else {
          if (++int_digits > 15) return std::nullopt;
          integer = integer * 10 + (c - '0');
        }
      } else if (c == '.' && !decimal) {
        if (int_digits > 12) return std::nullopt;
        decimal = true;
      } else {
        break;
      }
      ++m_i;
    }
    const int sign = negative ? -1 : 1;
    if (!decimal) return BareItem{sign * integer};
    if (frac_digits == 0) return std::nullopt;  // "1." is not a decimal
    for (int i = frac_digits; i < 3; ++i) fraction *= 10;
    return BareItem{Decimal{sign * (integer * 1000 + fraction)}};
  }

  // 4.2.5
  std::optional<std::string> string() {
    ++m_i;  // '"'
    std::string out;
    while (!done()) {
      // The characters up to the next quote or backslash, checked and copied as one run.
      const auto stop = std::min(m_s.find_first_of("\"\\", m_i), m_s.size());
      for (auto k = m_i; k < stop; ++k) {
        const char c = m_s[k];
        if (c < 0x20 || c == 0x7f) return std::nullopt;  // also bytes >= 0x80 (char is signed)
      }
      out.append(m_s.substr(m_i, stop - m_i));
      m_i = stop;
      if (done()) return std::nullopt;
      if (m_s[m_i++] == '"') return out;
      if (done()) return std::nullopt;  // a backslash: it escapes a quote or a backslash only
      const char n = m_s[m_i++];
      if (n != '"' && n != '\\') return std::nullopt;
      out += n;
    }
    return std::nullopt;
  }

  // 4.2.6
  std::string token() {
    const auto start = m_i++;
    while (!done() && is_tchar_or(peek(), ":/")) ++m_i;
    return std::string(m_s.substr(start, m_i - start));
  }

  // 4.2.7
  std::optional<BareItem> byte_sequence() {
    ++m_i;  // ':'
    const auto end = m_s.find(':', m_i);
    if (end == std::string_view::npos) return std::nullopt;
    const auto text = m_s.substr(m_i, end - m_i);
    m_i = end + 1;
    auto bytes = util::base64_decode(text);  // which refuses anything but base64's alphabet
    if (!bytes) return std::nullopt;
    return BareItem{ByteSequence{std::move(*bytes)}};
  }

  // 4.2.8
  std::optional<BareItem> boolean() {
    ++m_i;  // '?'
    const char c = peek();
    if (c != '0' && c != '1') return std::nullopt;
    ++m_i;
    return BareItem{c == '1'};
  }

  static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
  // tchar (RFC 9110 5.6.2) or one of `extra`.
  static bool is_tchar_or(char c, std::string_view extra) {
    if (is_alpha(c) || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos ||
           extra.find(c) != std::string_view::npos;
  }

  std::string_view m_s;
  std::size_t m_i = 0;
};

std::string serialize_decimal(std::int64_t thousandths) {
  const bool negative = thousandths < 0;
  const std::int64_t v = negative ? -thousandths : thousandths;
  std::string frac = fmt::format("{:03d}", v % 1000);
  while (frac.size() > 1 && frac.back() == '0') frac.pop_back();
  return fmt::format("{}{}.{}", negative ? "-" : "", v / 1000, frac);
}

}  // namespace

std::optional<Dictionary> parse_dictionary(std::string_view text) {
  // Leading and trailing spaces are discarded (4.2, step 2), nothing else.
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return Parser(text).dictionary();
}

const Member* find(const Dictionary& dict, std::string_view key) {
  for (const auto& [k, v] : dict) {
    if (k == key) return &v;
  }
  return nullptr;
}

const BareItem* find(const Parameters& params, std::string_view key) {
  for (const auto& [k, v] : params) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::string serialize(const BareItem& item) {
  struct Visitor {
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(const Decimal& d) const { return serialize_decimal(d.thousandths); }
    std::string operator()(const std::string& s) const {
      std::string out = "\"";
      for (const char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      return out + '"';
    }
    std::string operator()(const Token& t) const { return t.text; }
    std::string operator()(const ByteSequence& b) const {
      return ":" + util::base64_encode(b.bytes) + ":";
    }
    std::string operator()(bool b) const { return b ? "?1" : "?0"; }
  };
  return std::visit(Visitor{}, item);
}

std::string serialize(const Parameters& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    out += ';' + k;
    if (const auto* b = std::get_if<bool>(&v); b && *b) continue;  // ";key" means true
    out += '=' + serialize(v);
  }
  return out;
}

std::string serialize(const InnerList& list) {
  std::string out = "(";
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    if (i > 0) out += ' ';
    out += serialize(list.items[i].value) + serialize(list.items[i].params);
  }
  return out + ")" + serialize(list.params);
}

}  // namespace instctl::crypto::sf
