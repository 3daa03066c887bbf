#pragma once

// CLI11's parse errors as messages that name the fix: the accepted form of an option's value,
// the nearest command or option to a mistyped one, the verbs a group offers.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace instctl::cli {

// `args` are the command line's arguments without the program name.
std::string explain_parse_error(CLI::App& app, const CLI::ParseError& e,
                                const std::vector<std::string>& args);

}  // namespace instctl::cli
