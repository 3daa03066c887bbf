#include "instctl/db/wal_version.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstring>

namespace instctl::db {

namespace {

constexpr std::size_t k_copy_words = 12;  // one copy of the header: 48 bytes
constexpr std::size_t k_mapped_bytes = 2 * k_copy_words * sizeof(std::uint32_t);
constexpr std::size_t k_is_init_byte = 12;  // 1 once a connection has set the index up
constexpr int k_attempts = 64;
// Readings taken while the header was being written: never equal to a settled one (the hash of
// a header), nor to each other.
constexpr std::uint64_t k_unsettled = std::uint64_t{1} << 63;
std::atomic<std::uint64_t> g_unsettled{0};

using Copy = std::array<std::uint32_t, k_copy_words>;

// Word by word with atomic loads: another process may be writing the header.
Copy load(const std::uint32_t* words) {
  Copy c;
  for (std::size_t i = 0; i < k_copy_words; ++i)
    c[i] = __atomic_load_n(words + i, __ATOMIC_RELAXED);
  return c;
}

std::uint64_t fnv1a(const Copy& c) {
  std::uint64_t h = 14695981039346656037ull;
  for (const auto w : c) {
    h ^= w;
    h *= 1099511628211ull;
  }
  return h & ~k_unsettled;
}

bool initialised(const Copy& c) {
  unsigned char bytes[sizeof(Copy)];
  std::memcpy(bytes, c.data(), sizeof bytes);
  return bytes[k_is_init_byte] == 1;
}

}  // namespace

std::unique_ptr<WalVersion> WalVersion::map(const std::string& db_path) {
  return map_index(db_path + "-shm");
}

std::unique_ptr<WalVersion> WalVersion::map_index(const std::string& index_path) {
  const int fd = ::open(index_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat st {};
  void* p = MAP_FAILED;
  // A shorter file has not been set up (SQLite sizes it in 32 KiB regions): reading past its
  // end would fault.
  if (::fstat(fd, &st) == 0 && static_cast<std::size_t>(st.st_size) >= k_mapped_bytes) {
    p = ::mmap(nullptr, k_mapped_bytes, PROT_READ, MAP_SHARED, fd, 0);
  }
  ::close(fd);  // the mapping stays
  if (p == MAP_FAILED) return nullptr;
  std::unique_ptr<WalVersion> v(new WalVersion(p));
  if (!initialised(load(static_cast<const std::uint32_t*>(p)))) return nullptr;
  return v;
}

WalVersion::~WalVersion() { ::munmap(const_cast<void*>(m_header), k_mapped_bytes); }

std::uint64_t WalVersion::read() const {
  const auto* words = static_cast<const std::uint32_t*>(m_header);
  for (int i = 0; i < k_attempts; ++i) {
    const Copy first = load(words);
    std::atomic_thread_fence(std::memory_order_acquire);
    const Copy second = load(words + k_copy_words);
    if (first == second && initialised(first)) return fnv1a(first);
    std::atomic_thread_fence(std::memory_order_acquire);
  }
  return k_unsettled | ++g_unsettled;
}

}  // namespace instctl::db
