// RFC 9112 framing: what Beast's parser leaves to http_framing.hpp.

#include "instctl/net/http_framing.hpp"

#include <gtest/gtest.h>

#include "instctl/http/host_check.hpp"

namespace instctl::http {
namespace {

constexpr std::size_t k_limit = 16 * 1024;

Request request(std::string target, std::vector<std::pair<std::string, std::string>> headers) {
  Request r;
  r.method = "GET";
  r.set_target(std::move(target));
  for (auto& [n, v] : headers) r.headers.emplace_back(n, v);
  return r;
}

std::string problem(Request r) { return check_framing(r).value_or(""); }

}  // namespace

TEST(Framing, HeaderBlockWaitsForItsEnd) {
  EXPECT_EQ(scan_header_block("GET / HTTP/1.1\r\nHost: a\r\n", k_limit), HeaderBlock::incomplete);
  EXPECT_EQ(scan_header_block("GET / HTTP/1.1\r\nHost: a\r\n\r\n", k_limit), HeaderBlock::complete);
  EXPECT_EQ(scan_header_block(std::string(k_limit, 'a'), k_limit), HeaderBlock::complete)
      << "too large: for the parser to refuse";
  EXPECT_EQ(scan_header_block("\x16\x03\x01\x02\x00", k_limit), HeaderBlock::complete)
      << "not HTTP (a TLS hello): for the parser to refuse at once";
}

TEST(Framing, FoldedLinesAreFound) {
  EXPECT_EQ(scan_header_block("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", k_limit),
            HeaderBlock::folded);
  EXPECT_EQ(scan_header_block("GET / HTTP/1.1\r\nHost: a\r\nX-A:\r\n\tc\r\n\r\n", k_limit),
            HeaderBlock::folded);
  EXPECT_EQ(scan_header_block("GET / HTTP/1.1\r\nHost: a\r\n Transfer-Encoding: chunked\r\n\r\n",
                              k_limit),
            HeaderBlock::folded);
  EXPECT_EQ(
      scan_header_block("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n\r\n a", k_limit),
      HeaderBlock::complete)
      << "the body is not the header";
  EXPECT_EQ(scan_header_block("GET / HTTP/1.1\r\nX-A: b c\t d\r\n\r\n", k_limit),
            HeaderBlock::complete);
}

TEST(Framing, OnlyChunkedAloneIsATransferEncoding) {
  EXPECT_EQ(problem(request("/", {{"transfer-encoding", "chunked"}})), "");
  EXPECT_EQ(problem(request("/", {{"transfer-encoding", "Chunked "}})), "");
  EXPECT_NE(problem(request("/", {{"transfer-encoding", "chunked, identity"}})), "");
  EXPECT_NE(problem(request("/", {{"transfer-encoding", "xchunked"}})), "");
  EXPECT_NE(problem(request("/", {{"transfer-encoding", "gzip"}})), "");
  EXPECT_NE(problem(request("/", {{"transfer-encoding", "gzip, chunked"}})), "");
  EXPECT_NE(
      problem(request("/", {{"transfer-encoding", "gzip"}, {"transfer-encoding", "chunked"}})), "");
  EXPECT_NE(problem(request("/", {{"transfer-encoding", "chunked"}, {"content-length", "4"}})), "");
  Request old = request("/", {{"transfer-encoding", "chunked"}});
  old.http_1_0 = true;
  EXPECT_NE(problem(old), "");
  EXPECT_EQ(problem(request("/", {{"content-length", "4"}})), "");
}

TEST(Framing, AbsoluteFormIsServedAsOriginForm) {
  Request r = request("http://Social.Example:8080/users/alice?x=1", {{"host", "other.example"}});
  EXPECT_FALSE(check_framing(r));
  EXPECT_EQ(r.target, "/users/alice?x=1");
  EXPECT_EQ(r.path, "/users/alice");
  EXPECT_EQ(r.query, "x=1");
  EXPECT_EQ(r.header("host"), "Social.Example:8080") << "the authority stands for the Host";
  Request bare = request("HTTPS://social.example", {{"host", "social.example"}});
  EXPECT_FALSE(check_framing(bare));
  EXPECT_EQ(bare.target, "/");
  Request query = request("http://social.example?q", {{"host", "social.example"}});
  EXPECT_FALSE(check_framing(query));
  EXPECT_EQ(query.target, "/?q");
  Request old = request("http://social.example/", {});
  old.http_1_0 = true;
  EXPECT_FALSE(check_framing(old));
  EXPECT_EQ(old.header("host"), "social.example");
  EXPECT_NE(problem(request("http://user@social.example/", {{"host", "social.example"}})), "");
  EXPECT_NE(problem(request("http:///path", {{"host", "social.example"}})), "");
}

TEST(Framing, AnAbsoluteFormAuthorityIsCheckedAsTheHost) {
  const HostNames names{"social.example", "social.example", "https://social.example", "127.0.0.1",
                        8080};
  Request good = request("http://social.example/users/alice", {{"host", "evil.example"}});
  ASSERT_FALSE(check_framing(good));
  EXPECT_FALSE(check_host(good, names));
  Request bad = request("http://evil.example/users/alice", {{"host", "social.example"}});
  ASSERT_FALSE(check_framing(bad));
  ASSERT_TRUE(check_host(bad, names));
  EXPECT_EQ(check_host(bad, names)->status, 421);
  Request none = request("http://social.example/users/alice", {});
  ASSERT_FALSE(check_framing(none));
  ASSERT_TRUE(check_host_field(none)) << "HTTP/1.1 still needs its Host field";
  EXPECT_EQ(check_host_field(none)->status, 400);
}

}  // namespace instctl::http
