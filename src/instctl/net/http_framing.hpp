#pragma once

// RFC 9112 message framing that Boost.Beast's parser leaves open, checked before a request is
// dispatched. A request whose length two parties could read differently (a proxy in front and
// this server) is refused with 400 and its connection closed, so that no part of it can be
// read as a second request (request smuggling):
//   - obsolete line folding (a header line that starts with a space or a tab), which Beast
//     unfolds silently;
//   - a Transfer-Encoding other than exactly "chunked" ("gzip", "chunked, identity",
//     "xchunked"), which Beast ignores, reading no body;
//   - more than one Transfer-Encoding field, Transfer-Encoding with Content-Length, and
//     Transfer-Encoding in an HTTP/1.0 request.
// Beast itself refuses conflicting Content-Length values and a Content-Length after a chunked
// Transfer-Encoding (and the reverse).
// An absolute-form target (GET http://host/path) is served as its origin-form (/path), its
// authority standing for the Host (RFC 9112 3.2.2), which check_host then checks.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "instctl/net/http_message.hpp"

namespace instctl::http {

enum class HeaderBlock {
  incomplete,  // the empty line that ends the header has not arrived yet
  folded,      // a header line is folded (obs-fold)
  // The whole header is there, or more than `limit` bytes without its end, or bytes no header
  // may hold (for the parser to refuse at once).
  complete,
};

// What the bytes received so far (from the request line on) say about the request's header.
HeaderBlock scan_header_block(std::string_view bytes, std::size_t limit);

// Checks a parsed request's framing and turns an absolute-form target into origin-form. The
// problem, for a 400, when the request must be refused.
std::optional<std::string> check_framing(Request& req);

}  // namespace instctl::http
