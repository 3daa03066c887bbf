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
// messages and the serve logs use this.

#include <string>
#include <string_view>

namespace instctl::util {

// `text` with its control characters and invalid UTF-8 escaped; bytes listed in `also`
// (ASCII only, e.g. a log's field separators) are escaped as \xNN too.
std::string escape_control(std::string_view text, std::string_view also = {});

// The same for a message of several lines written by the program (a note, an error): its
// line breaks are kept, each line escaped.
std::string escape_control_lines(std::string_view text);

}  // namespace instctl::util
