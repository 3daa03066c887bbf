#include "instctl/http/form.hpp"

#include "instctl/util/strings.hpp"
#include "instctl/util/url.hpp"

namespace instctl::http {

std::string Form::get(std::string_view name) const {
  return util::query_value(m_body, name).value_or("");
}

bool Form::has(std::string_view name) const { return util::query_value(m_body, name).has_value(); }

bool has_content_type(const Request& req, std::string_view type) {
  const auto ct = req.header("content-type");
  if (!ct) return false;
  const auto semi = ct->find(';');
  return util::iequals(util::trim(ct->substr(0, semi)), type);
}

}  // namespace instctl::http
