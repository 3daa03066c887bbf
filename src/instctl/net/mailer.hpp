#pragma once

#include <string>
#include <string_view>

namespace instctl::net {

struct SendResult {
  bool ok = false;
  // The server or the connection failed (not just this recipient): sending more now is futile.
  bool connection_failed = false;
  std::string error;  // for people; never carries the password
};

// Sends complete RFC 5322 messages. Implementations keep one connection for many messages.
class Mailer {
 public:
  virtual ~Mailer() = default;
  virtual SendResult send(const std::string& from, const std::string& to,
                          std::string_view message) = 0;
  // Connections opened so far (1 for a batch that reused its connection throughout).
  virtual long connections() const = 0;
};

}  // namespace instctl::net
