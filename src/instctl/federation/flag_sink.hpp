#pragma once

// Where the inbox hands an authenticated Flag: reports are a concept above federation, so the
// inbox knows only this seam. reports::FlagReports implements it; whoever builds the inbox
// (the HTTP route) wires one in.

#include <cstddef>

#include "instctl/federation/flag.hpp"

namespace instctl::federation {

class FlagSink {
 public:
  virtual ~FlagSink() = default;
  // Records the Flag; how many reports it made (or made already, when redelivered). 0: it was
  // dropped (its domain's reports are rejected) or names no local account.
  virtual std::size_t receive(const IncomingFlag& flag) = 0;
};

}  // namespace instctl::federation
