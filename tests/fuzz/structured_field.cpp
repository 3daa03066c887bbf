// RFC 8941 structured fields as RFC 9421 (Signature-Input, Signature) and RFC 9530
// (Content-Digest) carry them: the input is one field value, parsed as a Dictionary.
// Properties: an inner list that parses serializes to text that parses back to the same
// serialization; the Content-Digest check never throws on what parses or not.

#include "instctl/crypto/structured_field.hpp"

#include <variant>

#include "fuzz_support.hpp"
#include "instctl/crypto/message_signature.hpp"

using namespace instctl;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  crypto::content_digest_problem(text, "{}");
  const auto dict = crypto::sf::parse_dictionary(text);
  if (!dict) return 0;
  for (const auto& [key, member] : *dict) {
    fuzz::require(!key.empty(), "a dictionary key is never empty");
    std::string once;
    if (const auto* list = std::get_if<crypto::sf::InnerList>(&member)) {
      once = crypto::sf::serialize(*list);
    } else {
      const auto& item = std::get<crypto::sf::Item>(member);
      once = crypto::sf::serialize(item.value) + crypto::sf::serialize(item.params);
    }
    const auto again = crypto::sf::parse_dictionary(key + "=" + once);
    fuzz::require(again && again->size() == 1, "a serialized member parses back");
    const auto& m2 = again->front().second;
    std::string twice;
    if (const auto* list = std::get_if<crypto::sf::InnerList>(&m2)) {
      twice = crypto::sf::serialize(*list);
    } else {
      const auto& item = std::get<crypto::sf::Item>(m2);
      twice = crypto::sf::serialize(item.value) + crypto::sf::serialize(item.params);
    }
    fuzz::require(once == twice, "serialization is stable");
  }
  return 0;
}
