#include "instctl/http/html_page.hpp"

#include <fmt/format.h>

#include "instctl/util/html.hpp"

namespace instctl::http {

namespace {

using util::html_escape;

// Readable from a 320 px phone to a desktop; system fonts; contrast above WCAG AA.
constexpr std::string_view k_style = R"(
*{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f4f5f7}
main{max-width:36rem;margin:0 auto;padding:1.25rem 1rem 3rem}
header{margin-bottom:1.5rem}
h1{font-size:1.6rem;line-height:1.2;margin:.5rem 0}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.card{background:#fff;border:1px solid #d0d7de;border-radius:.5rem;padding:1rem 1.25rem;margin:1rem 0}
.desc p{margin:.25rem 0;color:#424a53}
ol.rules{padding-left:1.5rem}
ol.rules li{margin:.35rem 0}
.hint{display:block;font-size:.9rem;color:#57606a}
.note{border-left:4px solid #6e40c9;padding:.5rem .75rem;background:#f6f2ff}
.field{margin:1rem 0}
label{display:block;font-weight:600;margin-bottom:.25rem}
input[type=text],input[type=email],input[type=password],textarea{width:100%;font:inherit;padding:.6rem .7rem;border:1px solid #8c959f;border-radius:.375rem;background:#fff}
input[readonly]{background:#eaeef2;color:#424a53}
input:focus,textarea:focus,button:focus{outline:3px solid #0969da;outline-offset:1px}
.check{display:flex;gap:.6rem;align-items:flex-start}
.check input{width:1.25rem;height:1.25rem;margin-top:.15rem}
.check label{font-weight:400}
[aria-invalid=true]{border-color:#cf222e}
.error{display:block;color:#a40e26;font-weight:600;margin-top:.25rem}
.alert{border:1px solid #cf222e;background:#fff0f0;color:#a40e26;padding:.75rem 1rem;border-radius:.375rem}
.ok{border:1px solid #1a7f37;background:#effff3;padding:.75rem 1rem;border-radius:.375rem}
button{font:inherit;font-weight:600;color:#fff;background:#1f6feb;border:0;border-radius:.375rem;padding:.7rem 1.4rem;cursor:pointer;width:100%}
a.button{display:block;text-align:center;text-decoration:none;font-weight:600;color:#fff;background:#1a7f37;border-radius:.375rem;padding:.7rem 1.4rem}
.handle{font-size:1.2rem;font-weight:700;word-break:break-all}
.big{font-size:2.5rem;font-weight:700;margin:.25rem 0}
ul.people{list-style:none;padding:0;margin:0}
ul.people li{padding:.6rem 0;border-top:1px solid #eaeef2}
ul.people li:first-child{border-top:0}
.who{font-weight:600;word-break:break-all}
.bio{display:block;color:#424a53}
a{color:#0550ae}
)";

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

std::string html_document(std::string_view title, std::string_view body) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"robots\" content=\"noindex\">\n<title>{}</title>\n<style>{}</style>\n"
      "</head>\n<body>\n<main>\n{}\n</main>\n</body>\n</html>\n",
      html_escape(title), k_style, body);
}

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
