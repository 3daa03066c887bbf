#include "instctl/db/restore.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "instctl/core/error.hpp"
#include "instctl/db/change_counter.hpp"
#include "instctl/db/dialect.hpp"
#include "instctl/db/maintenance.hpp"
#include "instctl/db/migrations.hpp"
#include "instctl/db/sqlite_connection.hpp"

namespace instctl::db {
namespace {

// An open descriptor with an flock on the file at `path`, re-opened until the lock is on the
// file the path names (a restore may rename another file into place meanwhile). -1 when the
// file does not exist; throws when the lock is held in a conflicting mode.
int lock_file(const std::string& path, int operation, const std::string& refusal) {
  for (;;) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return -1;
      throw Error(ErrorKind::internal,
                  fmt::format("cannot open {}: {}", path, std::strerror(errno)));
    }
    if (::flock(fd, operation | LOCK_NB) != 0) {
      ::close(fd);
      throw Error(ErrorKind::conflict, refusal);
    }
    struct stat held {
    }, named{};
    if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 &&
        held.st_ino == named.st_ino && held.st_dev == named.st_dev) {
      return fd;
    }
    ::close(fd);
  }
}

void fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

bool starts_like_sqlite(const std::string& path) {
  char header[16] = {};
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  const auto n = std::fread(header, 1, sizeof header, f);
  std::fclose(f);
  return n == sizeof header && std::memcmp(header, "SQLite format 3", 16) == 0;
}

void check_backup_file(const std::string& backup_path) {
  struct stat st {};
  if (::stat(backup_path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    throw Error(ErrorKind::not_found,
                fmt::format("no backup file at {}: give the path of a file made by 'instctl db "
                            "backup'",
                            backup_path));
  }
  if (!starts_like_sqlite(backup_path)) {
    throw Error(ErrorKind::invalid_data,
                fmt::format("{} is not an SQLite database: give a file made by 'instctl db "
                            "backup' (a PostgreSQL dump is restored with pg_restore)",
                            backup_path));
  }
}

// Checks the copy is an instctl database this binary can run, and brings an older one up to
// date. Returns the backup's schema version.
int prepare_copy(const std::string& copy, const std::string& backup_path) {
  auto conn = open_sqlite(copy, OpenMode::existing);
  const int version = schema_version(*conn);
  if (!table_exists(*conn, "instance")) {
    throw Error(ErrorKind::invalid_data,
                fmt::format("{} is an SQLite database but not an instctl one (it has no instance "
                            "table): give a file made by 'instctl db backup'",
                            backup_path));
  }
  if (version > latest_schema_version()) {
    throw Error(ErrorKind::conflict,
                fmt::format("{} comes from a newer instctl (schema version {}, this one knows up "
                            "to {}): restore it with that version",
                            backup_path, version, latest_schema_version()));
  }
  {
    auto check = conn->prepare("PRAGMA quick_check");
    check->step();
    if (check->get_text(0) != "ok") {
      throw Error(ErrorKind::invalid_data,
                  fmt::format("{} is damaged ({}): restore an older backup", backup_path,
                              check->get_text(0)));
    }
  }
  migrate(*conn);
  return version;
}

// Takes the database from every other process for the moment of the swap: leaving WAL mode
// needs the only connection, and the exclusive transaction keeps new ones out until the
// renamed file is in place. Returns the connection holding it (closed by the caller).
sqlite3* take_exclusively(const std::string& db_path) {
  sqlite3* conn = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &conn, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    const std::string why = sqlite3_errmsg(conn);
    sqlite3_close(conn);
    throw Error(ErrorKind::internal, fmt::format("cannot open {}: {}", db_path, why));
  }
  sqlite3_busy_timeout(conn, 2000);
  char* mode = nullptr;
  auto refuse = [&] {
    sqlite3_close(conn);
    throw Error(ErrorKind::conflict,
                fmt::format("another process is using {}: stop it (serve, a cron job, "
                            "federation deliver --loop) and run db restore again",
                            db_path));
  };
  if (sqlite3_exec(conn, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr) !=
      SQLITE_OK) {
    refuse();
  }
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(conn, "PRAGMA journal_mode=DELETE", -1, &st, nullptr);
  const bool stepped = st != nullptr && sqlite3_step(st) == SQLITE_ROW;
  if (stepped)
    mode = reinterpret_cast<char*>(const_cast<unsigned char*>(sqlite3_column_text(st, 0)));
  const bool left_wal = stepped && mode != nullptr && std::strcmp(mode, "delete") == 0;
  sqlite3_finalize(st);
  if (!left_wal) refuse();
  if (sqlite3_exec(conn, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) != SQLITE_OK) refuse();
  return conn;
}

}  // namespace

ServeHold::ServeHold(const std::string& path) {
  m_fd = lock_file(path, LOCK_SH,
                   fmt::format("a restore of {} is in progress ('instctl db restore'): start "
                               "serve again when it has finished",
                               path));
}

ServeHold::~ServeHold() {
  if (m_fd >= 0) ::close(m_fd);
}

RestoreResult restore_sqlite(const std::string& backup_path, const std::string& db_path) {
  check_backup_file(backup_path);
  require_target_directory(db_path);
  std::error_code ec;
  if (std::filesystem::equivalent(backup_path, db_path, ec)) {
    throw Error(ErrorKind::usage,
                fmt::format("{} is the database itself: give a backup file", backup_path));
  }
  // Held from here to the end: serve cannot start meanwhile, and one running refuses us.
  const int lock =
      lock_file(db_path, LOCK_EX,
                fmt::format("serve is running on {} (it holds the database): stop it first (e.g. "
                            "'systemctl stop instctl'), restore, then start it again",
                            db_path));
  struct Unlock {
    int fd;
    ~Unlock() {
      if (fd >= 0) ::close(fd);
    }
  } unlock{lock};

  RestoreResult result;
  result.database = db_path;
  const std::string copy = db_path + ".restore-tmp";
  std::remove(copy.c_str());
  try {
    backup_sqlite(backup_path, copy);
    result.backup_version = prepare_copy(copy, backup_path);
    result.schema_version = latest_schema_version();
    fsync_path(copy, O_RDONLY);
    if (lock >= 0) {
      sqlite3* current = take_exclusively(db_path);
      result.previous = db_path + ".before-restore";
      std::remove(result.previous.c_str());
      const bool kept = ::link(db_path.c_str(), result.previous.c_str()) == 0;
      const bool swapped = kept && std::rename(copy.c_str(), db_path.c_str()) == 0;
      const std::string why = std::strerror(errno);
      sqlite3_exec(current, "ROLLBACK", nullptr, nullptr, nullptr);
      sqlite3_close(current);
      if (!swapped) {
        throw Error(ErrorKind::internal,
                    fmt::format("could not put the restored copy in place of {} ({}); the "
                                "database is unchanged",
                                db_path, why));
      }
    } else if (std::rename(copy.c_str(), db_path.c_str()) != 0) {
      throw Error(ErrorKind::internal, fmt::format("could not put the restored copy at {}: {}",
                                                   db_path, std::strerror(errno)));
    }
  } catch (...) {
    std::remove(copy.c_str());
    std::remove((copy + "-wal").c_str());
    std::remove((copy + "-shm").c_str());
    std::remove(ChangeCounter::path_for(copy).c_str());
    throw;
  }
  // The copy's migration counted its commits beside it; the database keeps its own counter.
  std::remove(ChangeCounter::path_for(copy).c_str());
  const auto dir = std::filesystem::path(db_path).parent_path();
  fsync_path(dir.empty() ? "." : dir.string(), O_RDONLY | O_DIRECTORY);
  return result;
}

}  // namespace instctl::db
