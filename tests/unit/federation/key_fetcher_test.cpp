// KeyFetcher against a key host that accepts connections and never answers: requests for one
// keyId share one fetch, the fetch ends by its deadline, and the host is not asked again for a
// while (another key on it fails at once, with no connection).

#include "instctl/federation/key_fetcher.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "instctl/crypto/keys.hpp"

namespace instctl::federation {

namespace {

// Listens on 127.0.0.1 and counts connections; never answers them.
class SilentHost {
 public:
  SilentHost() {
    m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(m_fd, 64);
    socklen_t len = sizeof a;
    ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&a), &len);
    m_port = ntohs(a.sin_port);
    m_thread = std::thread([this] {
      for (;;) {
        const int c = ::accept(m_fd, nullptr, nullptr);
        if (c < 0) return;
        ++m_connections;
        std::lock_guard l(m_mutex);
        m_held.push_back(c);
      }
    });
  }
  ~SilentHost() {
    ::shutdown(m_fd, SHUT_RDWR);
    ::close(m_fd);
    m_thread.join();
    for (int c : m_held) ::close(c);
  }
  int port() const { return m_port; }
  int connections() const { return m_connections.load(); }

 private:
  int m_fd = -1;
  int m_port = 0;
  std::atomic<int> m_connections{0};
  std::mutex m_mutex;
  std::vector<int> m_held;
  std::thread m_thread;
};

struct Results {
  std::mutex m;
  std::condition_variable cv;
  std::vector<KeyFetch> got;
  void add(const KeyFetch& k) {
    {
      std::lock_guard l(m);
      got.push_back(k);
    }
    cv.notify_all();
  }
  bool wait_for(std::size_t n, std::chrono::seconds limit) {
    std::unique_lock l(m);
    return cv.wait_for(l, limit, [&] { return got.size() >= n; });
  }
};

KeyFetchOrder order(int port, const std::string& name) {
  KeyFetchOrder o;
  o.key_id = "http://127.0.0.1:" + std::to_string(port) + "/users/" + name + "#main-key";
  o.options.allow_http = true;
  o.options.allow_private_addresses = true;
  static const auto signer_key = crypto::generate_rsa_key_pair();
  o.signer = {"https://local.example/actor#main-key", signer_key.private_pem, {}};
  return o;
}

}  // namespace

TEST(KeyFetcher, AFloodNamingADeadHostCostsOneFetch) {
  SilentHost host;
  KeyFetcher::Limits limits;
  limits.deadline = std::chrono::milliseconds(500);
  KeyFetcher fetcher(limits);
  Results results;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 50; ++i) {
    fetcher.fetch(order(host.port(), "ghost"), [&](const KeyFetch& k) { results.add(k); });
  }
  ASSERT_TRUE(results.wait_for(50, std::chrono::seconds(20)));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5))
      << "the fetch ends by its deadline";
  for (const auto& k : results.got) {
    EXPECT_FALSE(k.key);
    EXPECT_TRUE(k.unreachable);
  }
  EXPECT_EQ(host.connections(), 1) << "fifty requests for one key share one fetch";
  EXPECT_EQ(fetcher.started(), 1u);

  // The host failed a moment ago: another key on it fails at once, without a connection.
  Results later;
  fetcher.fetch(order(host.port(), "other"), [&](const KeyFetch& k) { later.add(k); });
  ASSERT_TRUE(later.wait_for(1, std::chrono::seconds(1)));
  EXPECT_FALSE(later.got.front().key);
  EXPECT_NE(later.got.front().key.error.find("did not answer a moment ago"), std::string::npos)
      << later.got.front().key.error;
  EXPECT_EQ(host.connections(), 1);
  EXPECT_EQ(fetcher.started(), 1u);
}

TEST(KeyFetcher, AtMostAFewFetchesAtOncePerHost) {
  SilentHost host;
  KeyFetcher::Limits limits;
  limits.per_host = 2;
  limits.deadline = std::chrono::milliseconds(800);
  KeyFetcher fetcher(limits);
  Results results;
  for (int i = 0; i < 10; ++i) {
    fetcher.fetch(order(host.port(), "k" + std::to_string(i)),
                  [&](const KeyFetch& k) { results.add(k); });
  }
  ASSERT_TRUE(results.wait_for(10, std::chrono::seconds(20)));
  EXPECT_LE(host.connections(), 2) << "two at once; the rest failed with the host";
  EXPECT_EQ(fetcher.started(), static_cast<std::size_t>(host.connections()));
}

// Fetches wait on sockets, not threads: forty keys on a silent host, all allowed at once, all
// connect at once (a pool of a few threads would reach only a few before the deadline).
TEST(KeyFetcher, WaitsWithoutAThreadPerFetch) {
  SilentHost host;
  KeyFetcher::Limits limits;
  limits.per_host = 40;
  limits.deadline = std::chrono::milliseconds(1500);
  KeyFetcher fetcher(limits);
  Results results;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 40; ++i) {
    fetcher.fetch(order(host.port(), "k" + std::to_string(i)),
                  [&](const KeyFetch& k) { results.add(k); });
  }
  ASSERT_TRUE(results.wait_for(40, std::chrono::seconds(20)));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(6))
      << "every fetch ends by the one deadline";
  EXPECT_EQ(host.connections(), 40);
  EXPECT_EQ(fetcher.started(), 40u);
  for (const auto& k : results.got) EXPECT_TRUE(k.unreachable);
}

}  // namespace instctl::federation
