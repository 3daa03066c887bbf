#pragma once

// `users import`: many users from a file, streamed in batches. Each batch is one transaction,
// so an import killed at any point leaves every row either fully in or not at all, and running
// it again with OnConflict::skip completes it. No per-row key generation or password hashing:
// keys appear when first needed (UserService::ensure_keys).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "instctl/core/byte_reader.hpp"
#include "instctl/core/json.hpp"
#include "instctl/db/env.hpp"
#include "instctl/users/import_rows.hpp"

namespace instctl::users {

// What to do with a row whose username or email address already belongs to a user.
enum class OnConflict { fail, skip, update };
const char* to_string(OnConflict c);
OnConflict parse_on_conflict(std::string_view s);  // Error(usage) naming the choices

struct ImportOptions {
  std::optional<ImportFormat> format;  // detected from the input when not given
  OnConflict on_conflict = OnConflict::fail;
  bool dry_run = false;  // everything a real run does, then rolled back
  // Each new user gets a single-use invite bound to its address instead of an activation
  // link; redeeming it (the sign-up page, users create --invite) claims the account.
  bool invite = false;
  bool queue_mail = false;  // with invite: an unsent mail of the invite, for --send
  std::size_t batch_size = 5000;
};

enum class RowResult { created, updated, skipped, failed };
const char* to_string(RowResult r);

struct RowOutcome {
  std::size_t line = 0;
  RowResult result = RowResult::failed;
  std::string username;  // as the row gives it
  std::string email;
  std::string reason;                         // failed and skipped rows
  std::optional<std::string> activation_url;  // created (not in a dry run), shown once
  std::optional<std::string> invite_url;      // created with ImportOptions::invite
};
Json to_json(const RowOutcome& o);

struct ImportSummary {
  ImportFormat format = ImportFormat::csv;
  OnConflict on_conflict = OnConflict::fail;
  bool dry_run = false;
  std::size_t rows = 0;
  std::size_t created = 0;
  std::size_t updated = 0;
  std::size_t skipped = 0;
  std::size_t failed = 0;
};
Json to_json(const ImportSummary& s);

class ImportListener {
 public:
  virtual ~ImportListener() = default;
  // Every row, in file order, once its batch is committed.
  virtual void row_done(const RowOutcome& outcome) = 0;
  // After each batch: the bytes read so far, and the input's size when known.
  virtual void progress(std::uint64_t /*bytes_read*/, std::optional<std::uint64_t> /*total*/) {}
};

// Throws Error(invalid_data) when the input cannot be read at all (no header, unknown
// columns, not a JSON array); bad rows are reported to the listener and counted as failed.
ImportSummary import_users(Env& env, ByteReader& in, const ImportOptions& options,
                           ImportListener& listener);

}  // namespace instctl::users
