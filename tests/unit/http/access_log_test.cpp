#include "instctl/http/access_log.hpp"

#include <gtest/gtest.h>

namespace instctl::http {

TEST(AccessLogRedaction, LeavesOrdinaryTargetsAlone) {
  EXPECT_EQ(redact_target("/users/alice"), "/users/alice");
  EXPECT_EQ(redact_target("/users/alice/outbox?page=1"), "/users/alice/outbox?page=1");
  EXPECT_EQ(redact_target("/.well-known/webfinger?resource=acct:a@b"),
            "/.well-known/webfinger?resource=acct:a@b");
  EXPECT_EQ(redact_target("/invite/"), "/invite/");
  EXPECT_EQ(redact_target("/x?"), "/x?");
  EXPECT_EQ(redact_target("/x?a&b=1&&"), "/x?a&b=1&&");
}

TEST(AccessLogRedaction, HidesInviteCodes) {
  EXPECT_EQ(redact_target("/invite/Xy7kQ2"), "/invite/[redacted]");
  EXPECT_EQ(redact_target("/invite/Xy7kQ2?lang=fr"), "/invite/[redacted]?lang=fr");
  EXPECT_EQ(redact_target("/auth/activate/tok_EN-1"), "/auth/activate/[redacted]");
  EXPECT_EQ(redact_target("/auth/reset/tok_EN-1"), "/auth/reset/[redacted]");
  EXPECT_EQ(redact_target("/auth/password/tok_EN-1"), "/auth/password/[redacted]");
  EXPECT_EQ(redact_target("/waitlist/confirm/tok_EN-1"), "/waitlist/confirm/[redacted]");
  EXPECT_EQ(redact_target("/auth/sign_in"), "/auth/sign_in");
}

TEST(AccessLogRedaction, HidesCredentialsInTheQuery) {
  EXPECT_EQ(redact_target("/auth/oidc/callback?code=abc&state=def"),
            "/auth/oidc/callback?code=[redacted]&state=[redacted]");
  EXPECT_EQ(redact_target("/cb?iss=https%3A%2F%2Fidp&code=abc"),
            "/cb?iss=https%3A%2F%2Fidp&code=[redacted]");
  EXPECT_EQ(redact_target("/cb?id_token=a.b.c&access_token=t&token=u"),
            "/cb?id_token=[redacted]&access_token=[redacted]&token=[redacted]");
  // Only whole names count; a name without a value has nothing to hide.
  EXPECT_EQ(redact_target("/cb?postcode=1&code"), "/cb?postcode=1&code");
}

}  // namespace instctl::http
