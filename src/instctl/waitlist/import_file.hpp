#pragma once

// The file of `waitlist import`: CSV with a header (email, and optionally username, reason,
// source, priority), or a plain list of addresses, one a line. Reading only: WaitlistService
// checks and adds the rows.

#include <string_view>
#include <vector>

#include "instctl/waitlist/waitlist_service.hpp"

namespace instctl::waitlist {

// The rows that could be read; the others go to `problems` with their line. Throws
// Error(invalid_data) for a file that cannot be read as CSV or names an unknown column.
std::vector<ImportRow> parse_import_file(std::string_view text,
                                         std::vector<ImportProblem>& problems);

}  // namespace instctl::waitlist
