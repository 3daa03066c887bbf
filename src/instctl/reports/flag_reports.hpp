#pragma once

// The inbox's FlagSink (federation/flag_sink.hpp): a Flag from another instance becomes
// reports, through ReportService::receive_flag.

#include <cstddef>

#include "instctl/db/env.hpp"
#include "instctl/federation/flag_sink.hpp"

namespace instctl::reports {

class FlagReports final : public federation::FlagSink {
 public:
  explicit FlagReports(Env& env) : m_env(env) {}
  std::size_t receive(const federation::IncomingFlag& flag) override;

 private:
  Env& m_env;
};

}  // namespace instctl::reports
