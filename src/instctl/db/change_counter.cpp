#include "instctl/db/change_counter.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "instctl/db/dialect.hpp"

namespace instctl::db {

// Shared between processes through the mapping: an atomic that needs no lock works there.
static_assert(std::atomic_ref<std::uint64_t>::is_always_lock_free);

namespace {

constexpr std::size_t k_counter_bytes = sizeof(std::uint64_t);

}  // namespace

std::unique_ptr<ChangeCounter> ChangeCounter::open(const std::string& db_path) {
  if (is_postgres_uri(db_path)) return nullptr;
  struct stat db {};
  if (::stat(db_path.c_str(), &db) != 0 || !S_ISREG(db.st_mode)) return nullptr;
  const mode_t mode = db.st_mode & 0666;
  const int fd = ::open(path_for(db_path).c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return nullptr;
  struct stat file {};
  bool usable = ::fstat(fd, &file) == 0 && S_ISREG(file.st_mode);
  if (usable && file.st_size < static_cast<off_t>(k_counter_bytes)) {
    // New (or cut short): the database's permissions, whatever the umask, and its owner when
    // root made it, so the serve running as the database's owner can open it too. Growing it
    // from several processes at once is harmless: ftruncate to the same length keeps the bytes.
    if (file.st_size == 0) {
      if ((file.st_mode & 0777) != mode) (void)::fchmod(fd, mode);
      if (::geteuid() == 0 && file.st_uid != db.st_uid) (void)::fchown(fd, db.st_uid, db.st_gid);
    }
    usable = ::ftruncate(fd, k_counter_bytes) == 0;
  }
  void* mapping = usable
                      ? ::mmap(nullptr, k_counter_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
                      : MAP_FAILED;
  ::close(fd);
  if (mapping == MAP_FAILED) return nullptr;
  return std::unique_ptr<ChangeCounter>(new ChangeCounter(mapping));
}

ChangeCounter::~ChangeCounter() { ::munmap(m_value, k_counter_bytes); }

}  // namespace instctl::db
