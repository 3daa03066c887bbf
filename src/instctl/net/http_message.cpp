#include "instctl/net/http_message.hpp"

#include "instctl/util/strings.hpp"
#include "instctl/util/url.hpp"

namespace instctl::http {

std::optional<std::string_view> Request::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return std::string_view(value);
  }
  return std::nullopt;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  return util::query_value(query, name);
}

void Request::set_target(std::string t) {
  target = std::move(t);
  const auto q = target.find('?');
  path = target.substr(0, q);
  query = q == std::string::npos ? std::string() : target.substr(q + 1);
}

Response json_response(int status, const Json& body, const char* content_type) {
  Response r;
  r.status = status;
  r.content_type = content_type;
  // Replace invalid UTF-8 instead of throwing: a stored value must never break a response.
  r.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return r;
}

Response error_response(int status, std::string_view message) {
  return json_response(status, Json{{"error", message}});
}

Response wait_for(std::shared_ptr<Pending> pending) {
  Response r;
  r.pending = std::move(pending);
  return r;
}

bool wants_activity_json(const Request& req) {
  const auto accept = req.header("accept");
  if (!accept) return false;
  const std::string a = util::to_lower(*accept);
  return a.find("application/activity+json") != std::string::npos ||
         a.find("application/ld+json") != std::string::npos;
}

bool wants_html(const Request& req) {
  const auto accept = req.header("accept");
  return accept && util::to_lower(*accept).find("text/html") != std::string::npos &&
         !wants_activity_json(req);
}

}  // namespace instctl::http
