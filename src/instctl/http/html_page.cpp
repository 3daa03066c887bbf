#include "instctl/http/html_page.hpp"

#include <fmt/format.h>

#include "instctl/util/html.hpp"

namespace instctl::http {

namespace {

using util::html_escape;

std::string describedby(const Input& in) {
  std::string ids;
  if (!in.hint.empty()) ids += in.name + "-hint";
  if (!in.error.empty()) ids += (ids.empty() ? "" : " ") + in.name + "-error";
  return ids.empty() ? "" : fmt::format(" aria-describedby=\"{}\"", ids);
}

std::string hint_and_error(const Input& in) {
  std::string out;
  if (!in.hint.empty()) {
    out += fmt::format("<span class=\"hint\" id=\"{}-hint\">{}</span>", in.name, html_escape(in.hint));
  }
  if (!in.error.empty()) {
    out += fmt::format("<span class=\"error\" id=\"{}-error\">{}</span>", in.name,
                       html_escape(in.error));
  }
  return out;
}

std::string common_attributes(const Input& in) {
  std::string a = fmt::format("id=\"{0}\" name=\"{0}\"", html_escape(in.name));
  if (in.required) a += " required";
  if (in.locked) a += " readonly";
  if (in.max_length > 0) a += fmt::format(" maxlength=\"{}\"", in.max_length);
  if (!in.autocomplete.empty()) a += fmt::format(" autocomplete=\"{}\"", html_escape(in.autocomplete));
  if (!in.error.empty()) a += " aria-invalid=\"true\"";
  return a + describedby(in);
}

}  // namespace

Response html_response(int status, std::string document) {
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(document);
  r.header("Cache-Control", "no-store");
  r.header("Content-Security-Policy",
           "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
           "frame-ancestors 'none'; base-uri 'none'");
  r.header("X-Frame-Options", "DENY");
  r.header("X-Content-Type-Options", "nosniff");
  r.header("Referrer-Policy", "same-origin");
  return r;
}

std::string tag(std::string_view name, std::string_view text) {
  return fmt::format("<{0}>{1}</{0}>", name, html_escape(text));
}

std::string input_field(const Input& in) {
  return fmt::format(
      "<div class=\"field\"><label for=\"{0}\">{1}</label>"
      "<input type=\"{2}\" {3} value=\"{4}\">{5}</div>\n",
      html_escape(in.name), html_escape(in.label), html_escape(in.type), common_attributes(in),
      in.type == "password" ? "" : html_escape(in.value), hint_and_error(in));
}

std::string textarea_field(const Input& in) {
  return fmt::format(
      "<div class=\"field\"><label for=\"{0}\">{1}</label>"
      "<textarea rows=\"4\" {2}>{3}</textarea>{4}</div>\n",
      html_escape(in.name), html_escape(in.label), common_attributes(in), html_escape(in.value),
      hint_and_error(in));
}

std::string checkbox_field(std::string_view name, std::string_view label_html, bool checked,
                           std::string_view error) {
  const auto n = html_escape(name);
  std::string err;
  if (!error.empty()) {
    err = fmt::format("<span class=\"error\" id=\"{}-error\">{}</span>", n, html_escape(error));
  }
  return fmt::format(
      "<div class=\"field\"><div class=\"check\"><input type=\"checkbox\" id=\"{0}\" "
      "name=\"{0}\" value=\"yes\" required{1}{2}><label for=\"{0}\">{3}</label></div>{4}</div>\n",
      n, checked ? " checked" : "",
      error.empty() ? "" : fmt::format(" aria-invalid=\"true\" aria-describedby=\"{}-error\"", n),
      label_html, err);
}

std::string hidden_field(std::string_view name, std::string_view value) {
  return fmt::format("<input type=\"hidden\" name=\"{}\" value=\"{}\">", html_escape(name),
                     html_escape(value));
}

std::string form_error(std::string_view message) {
  return fmt::format("<p class=\"alert\" role=\"alert\">{}</p>\n", html_escape(message));
}

}  // namespace instctl::http
