#pragma once

#include <string>
#include <string_view>

#include "instctl/core/clock.hpp"

namespace instctl::mail {

// A plain-text message. Addresses are bare (alice@example.com); names may be any UTF-8.
struct Message {
  std::string from_name;
  std::string from;
  std::string to;
  std::string subject;
  std::string body;  // UTF-8, lines separated by \n
  UnixTime date = 0;
  std::string message_id;  // without angle brackets: token@host
};

// The message as RFC 5322 text with CRLF line ends: Date, Message-ID, From, To, Subject,
// MIME-Version, Content-Type text/plain; charset=utf-8, and a quoted-printable body.
std::string render(const Message& m);

// A fresh Message-ID for mail from `domain` (a port, if any, is dropped).
std::string new_message_id(std::string_view domain);
// RFC 2045 quoted-printable, lines at most 76 characters, CRLF line ends.
std::string quoted_printable(std::string_view text);
// The text as is when it is plain ASCII without specials, else an RFC 2047 encoded word.
std::string header_text(std::string_view text);

}  // namespace instctl::mail
