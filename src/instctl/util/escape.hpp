#pragma once

// The one rule for text from outside on a screen or in a log line: what could move the
// cursor, clear the screen, retitle a terminal or start a new log line is shown escaped.
//   - C0 controls (U+0000..U+001F) and DEL: \n, \r, \t by name, the others as \xNN
//     (ESC is \x1b, BEL \x07);
//   - C1 controls (U+0080..U+009F, two bytes in UTF-8; a terminal may read U+009B as CSI):
//     \u0080..\u009f;
//   - bytes that are not well-formed UTF-8: each as \xNN;
//   - everything else, printable ASCII and valid non-ASCII text alike, as it is.
// Backslashes are kept: the escapes are for people to read, not to be decoded.
// JSON, NDJSON and CSV output are data and are written exact; tables, `show`, notes, error
// messages and the serve logs use this. The serve logs' JSON form (append_json_string) escapes
// the same characters the JSON way, so a log line is still one line of plain text.

#include <string>
#include <string_view>

namespace instctl::util {

// `text` with its control characters and invalid UTF-8 escaped; bytes listed in `also`
// (ASCII only, e.g. a log's field separators) are escaped as \xNN too.
std::string escape_control(std::string_view text, std::string_view also = {});

// `text` as a JSON string (quotes included) appended to `out`, for log lines a machine reads:
// quote and backslash as \" and \\; \n, \r, \t by name; the other C0 controls, DEL and the C1
// controls as \u00NN; each byte that is not well-formed UTF-8 as \ufffd (the replacement
// character), so the line is always valid JSON; everything else as it is.
void append_json_string(std::string& out, std::string_view text);

// The same for a message of several lines written by the program (a note, an error): its
// line breaks are kept, each line escaped.
std::string escape_control_lines(std::string_view text);

}  // namespace instctl::util
