// WebFinger from both sides: the acct: handles people type (federation lookup ACCT), the JRD
// answers of remote servers, and the resource parameter remote servers send to this one.
//
// Input: the first line is the handle asked for, the rest the server's answer.

#include "instctl/activitypub/webfinger.hpp"

#include "fuzz_support.hpp"
#include "instctl/activitypub/webfinger_parse.hpp"
#include "instctl/net/http_client.hpp"
#include "instctl/util/strings.hpp"

using namespace instctl;

namespace {

instance::InstanceInfo site() {
  instance::InstanceInfo s;
  s.domain = "social.example";
  s.account_domain = "example";
  s.public_url = "https://social.example";
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const instance::InstanceInfo k_site = site();
  std::string_view text = fuzz::as_text(data, size);
  const auto first = fuzz::take_line(text);

  if (const auto target = activitypub::parse_webfinger_resource(first, k_site)) {
    if (target->kind == activitypub::WebfingerTarget::Kind::user) {
      fuzz::require(
          !target->username.empty() && target->username.find_first_of("/@") == std::string::npos,
          "a WebFinger resource names a user without '/' or '@'");
    }
  }

  const auto acct = activitypub::parse_acct(first);
  if (!acct) return 0;
  fuzz::require(!acct->username.empty() && !acct->domain.empty(),
                "an acct has a user and a domain");
  fuzz::require(acct->domain == util::to_lower(acct->domain), "an acct's domain is lower case");
  fuzz::require(activitypub::parse_acct(acct->text()).has_value(), "an acct's text parses again");
  net::parse_url(activitypub::webfinger_url(*acct));

  const auto wf = activitypub::parse_webfinger(text, *acct);
  if (!wf) return 0;
  fuzz::require(
      util::starts_with_ci(wf->self, "https://") || util::starts_with_ci(wf->self, "http://"),
      "a WebFinger answer's actor is an http(s) URL");
  const auto subject = activitypub::parse_acct(wf->subject);
  fuzz::require(subject && util::iequals(subject->text(), acct->text()),
                "a WebFinger answer is about the account asked for");
  net::parse_url(wf->self);
  return 0;
}
