#pragma once

// What a process asked of its database, for tests and profiling: with INSTCTL_SQL_STATS set
// to a file, the process appends one JSON line to it when it exits,
//   {"statements": N, "vm_steps": M, "commits": C}
// statements: statements run (each run of a prepared statement, and each script given to
// Connection::exec); vm_steps: the loop steps of SQLite's virtual machine over them (its
// progress handler: rows visited, sorted and written; 0 on PostgreSQL); commits: transactions
// that wrote and were committed (on SQLite its commit hook, so a write outside a transaction
// counts too; on PostgreSQL the COMMITs of write transactions). A test counts them per unit
// of work to catch a path whose cost grows with the size of the data (a scan, a sort, a statement
// per row too many) or that commits, and so syncs the disk, more often than it should.

#include <cstdint>

namespace instctl::db::sql_stats {

// True once INSTCTL_SQL_STATS has been found set (read when the first connection opens).
bool enabled();
void count_statement();
void count_vm_steps(std::int64_t steps);
void count_commit();

}  // namespace instctl::db::sql_stats
