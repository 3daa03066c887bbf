#include "instctl/http/html_page.hpp"

namespace instctl::http {

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

}  // namespace instctl::http
