#include "instctl/http/server_log.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace instctl::http {

namespace {
constexpr std::int64_t k_when = 1'795'000'000'123;  // 2026-11-18T11:06:40.123Z

Request request(std::string target, Headers headers = {}) {
  Request req;
  req.method = "GET";
  req.set_target(std::move(target));
  req.remote = "127.0.0.1";
  req.headers = std::move(headers);
  return req;
}

nlohmann::json parse_line(const std::string& line) {
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line: " << line;
  return nlohmann::json::parse(line);
}
}  // namespace

TEST(ServerLog, ParsesFormats) {
  EXPECT_EQ(parse_log_format("text"), LogFormat::text);
  EXPECT_EQ(parse_log_format("json"), LogFormat::json);
  EXPECT_EQ(parse_log_format("JSON"), std::nullopt);
}

TEST(ServerLog, TextAccessLineUnchanged) {
  EXPECT_EQ(access_line(LogFormat::text, k_when, request("/users/alice"), 200, 1412, 0.3114),
            "2026-11-18T11:06:40Z 127.0.0.1 GET /users/alice 200 1412 0.311ms\n");
}

TEST(ServerLog, JsonAccessLineHasTheDocumentedFields) {
  const auto j = parse_line(access_line(LogFormat::json, k_when,
                                        request("/users/alice?page=1", {{"x-request-id", "r-1"}}),
                                        404, 12, 1.5));
  EXPECT_EQ(j.at("ts"), "2026-11-18T11:06:40.123Z");
  EXPECT_EQ(j.at("level"), "info");
  EXPECT_EQ(j.at("msg"), "request");
  EXPECT_EQ(j.at("method"), "GET");
  EXPECT_EQ(j.at("path"), "/users/alice?page=1");
  EXPECT_EQ(j.at("status"), 404);
  EXPECT_EQ(j.at("bytes"), 12);
  EXPECT_DOUBLE_EQ(j.at("duration_ms").get<double>(), 1.5);
  EXPECT_EQ(j.at("client"), "127.0.0.1");
  EXPECT_EQ(j.at("request_id"), "r-1");
  EXPECT_FALSE(j.contains("key_id")) << "unsigned";
}

TEST(ServerLog, JsonRedactsSecretsAsTextDoes) {
  const auto j = parse_line(
      access_line(LogFormat::json, k_when, request("/invite/SeCrEt?code=abc"), 200, 0, 0));
  EXPECT_EQ(j.at("path"), "/invite/[redacted]?code=[redacted]");
}

TEST(ServerLog, HostileTargetEscapedInBoth) {
  const std::string target = "/a\x1b[2J\"\\\xff b";
  const std::string text = access_line(LogFormat::text, k_when, request(target), 404, 0, 0);
  EXPECT_NE(text.find("/a\\x1b[2J\\x22\\x5c\\xff\\x20b"), std::string::npos) << text;
  const auto j = parse_line(access_line(LogFormat::json, k_when, request(target), 404, 0, 0));
  EXPECT_EQ(j.at("path"), "/a\x1b[2J\"\\\xef\xbf\xbd b");
}

TEST(ServerLog, KeyIdOfASignedRequest) {
  const Headers cavage = {
      {"signature",
       "keyId=\"https://peer.example/users/a\x1b\xff#main-key\",algorithm=\"rsa-sha256\","
       "headers=\"date\",signature=\"YWJj\""}};
  auto j = parse_line(access_line(LogFormat::json, k_when, request("/inbox", cavage), 401, 0, 0));
  EXPECT_EQ(j.at("key_id"), "https://peer.example/users/a\x1b\xef\xbf\xbd#main-key");
  const Headers rfc9421 = {
      {"signature-input", "sig1=(\"@method\");keyid=\"https://peer.example/k\";alg=\"ed25519\""},
      {"signature", "sig1=:YWJj:"}};
  j = parse_line(access_line(LogFormat::json, k_when, request("/inbox", rfc9421), 202, 0, 0));
  EXPECT_EQ(j.at("key_id"), "https://peer.example/k");
  const Headers broken = {{"signature", "keyId=\"unterminated"}};
  j = parse_line(access_line(LogFormat::json, k_when, request("/inbox", broken), 401, 0, 0));
  EXPECT_FALSE(j.contains("key_id"));
}

TEST(ServerLog, ErrorLines) {
  EXPECT_EQ(error_line(LogFormat::text, k_when, LogLevel::error, "boom\x1b"),
            "2026-11-18T11:06:40Z instctl: error: boom\\x1b\n");
  EXPECT_EQ(error_line(LogFormat::text, k_when, LogLevel::info, "stopped"),
            "2026-11-18T11:06:40Z instctl: stopped\n");
  const Request req = request("/invite/SeCrEt", {{"x-request-id", "r\xff"}});
  EXPECT_EQ(error_line(LogFormat::text, k_when, LogLevel::error, "refused", &req),
            "2026-11-18T11:06:40Z instctl: error: GET /invite/[redacted]: refused\n");
  const auto j = parse_line(
      error_line(LogFormat::json, k_when, LogLevel::warning, "inbox refused \xff\n", &req));
  EXPECT_EQ(j.at("level"), "warning");
  EXPECT_EQ(j.at("msg"), "inbox refused \xef\xbf\xbd\n");
  EXPECT_EQ(j.at("path"), "/invite/[redacted]");
  EXPECT_EQ(j.at("request_id"), "r\xef\xbf\xbd");
  EXPECT_EQ(j.at("client"), "127.0.0.1");
}

}  // namespace instctl::http
