#pragma once

#include <string>
#include <string_view>

#include "instctl/net/http_message.hpp"

namespace instctl::http {

// An application/x-www-form-urlencoded body, as HTML forms send it.
class Form {
 public:
  explicit Form(std::string body) : m_body(std::move(body)) {}
  static Form of(const Request& req) { return Form(req.body); }

  // The decoded value of the first field of that name; "" when absent or badly encoded.
  std::string get(std::string_view name) const;
  bool has(std::string_view name) const;

 private:
  std::string m_body;
};

// True when the request's Content-Type is `type` (parameters such as charset ignored).
bool has_content_type(const Request& req, std::string_view type);

}  // namespace instctl::http
