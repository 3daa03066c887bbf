// The address guard and the connection read a URL the same way: each URL below is parsed by
// util::parse_url (what the domain policy, the signer and the guard see), then sent through
// the real client to a local server, which records the Host and request target that arrived.
// The ones the parser refuses never reach the server.

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "fake_peer.hpp"
#include "instctl/core/error.hpp"
#include "instctl/core/json.hpp"
#include "instctl/net/http_client.hpp"
#include "instctl/util/url.hpp"

namespace instctl::net {
namespace {

class UrlAgreement : public ::testing::Test {
 protected:
  UrlAgreement() : peer(root.file("")) {}

  ClientOptions options() {
    ClientOptions o;
    o.allow_http = true;
    o.trusted_addresses = {"127.0.0.1"};
    o.timeout_ms = 5000;
    return o;
  }

  std::string port() const { return std::to_string(peer.port()); }

  std::vector<Json> posts() const {
    std::vector<Json> out;
    std::ifstream in(peer.log());
    for (std::string line; std::getline(in, line);) out.push_back(Json::parse(line));
    return out;
  }

  test::TempDir root;
  test::FakePeer peer;
};

TEST_F(UrlAgreement, TheServerIsAskedForWhatTheParserRead) {
  const std::string p = port();
  const std::vector<std::string> urls = {
      "http://127.0.0.1:" + p + "/inbox",
      "HTTP://127.0.0.1:" + p + "/a/../b?x=1#fragment",  // dot segments sent as signed
      "http://127.0.0.1.:" + p + "/trailing-dot",
      "http://127.0.0.1:" + p + "?only=query",
      "http://127.0.0.1:" + p + "/%2e%2e/encoded",
      "http://127.0.0.1:" + p + "/back\\slash",
      "http://127.0.0.1:" + p + "/at@in-path",
  };
  auto client = make_http_client(options());
  for (const auto& url : urls) {
    const auto parts = util::parse_url(url);
    ASSERT_TRUE(parts) << url;
    EXPECT_EQ(parts->host, "127.0.0.1") << url;
    const auto before = posts().size();
    HttpRequest req{"POST", url, {{"Content-Type", "application/json"}}, "{}", true, {}};
    EXPECT_EQ(client->send(req).status, 202) << url;
    const auto after = posts();
    ASSERT_EQ(after.size(), before + 1) << url;
    EXPECT_EQ(after.back()["path"], parts->target) << url;
    EXPECT_EQ(after.back()["headers"]["Host"], parts->host_header()) << url;
  }
}

TEST_F(UrlAgreement, WhatTheParserRefusesIsNeverSent) {
  const std::string p = port();
  const std::vector<std::string> urls = {
      "http://user@127.0.0.1:" + p + "/",
      "http://127.0.0.1:" + p + "\\@evil.example/",
      "http://evil.example\\@127.0.0.1:" + p + "/",
      "http://127.1:" + p + "/",
      "http://2130706433:" + p + "/",
      "http://0x7f.0.0.1:" + p + "/",
      "http://127.0.0.1%2f:" + p + "/",
      "http://127.0.0.1:" + p + "0000/",
      "http://127.0.0.1:" + p + "/a b",
      "http://[::ffff:127.0.0.1%25lo]:" + p + "/",
      "gopher://127.0.0.1:" + p + "/",
  };
  auto client = make_http_client(options());
  for (const auto& url : urls) {
    EXPECT_FALSE(util::parse_url(url)) << url;
    try {
      client->send(HttpRequest{"POST", url, {}, "{}", true, {}});
      ADD_FAILURE() << "sent " << url;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("is not an http(s) URL"), std::string::npos) << e.what();
    }
  }
  EXPECT_TRUE(posts().empty());
}

}  // namespace
}  // namespace instctl::net
