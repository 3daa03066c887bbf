#pragma once

#include <optional>
#include <string>

namespace instctl::activitypub {

// What a parser of remote documents returns: a value, or the reason it was refused.
template <typename T>
struct Parsed {
  std::optional<T> value;
  std::string error;  // set when value is empty

  static Parsed ok(T v) { return Parsed{std::move(v), ""}; }
  static Parsed fail(std::string why) { return Parsed{std::nullopt, std::move(why)}; }
  explicit operator bool() const { return value.has_value(); }
  const T& operator*() const { return *value; }
  const T* operator->() const { return &*value; }
};

}  // namespace instctl::activitypub
