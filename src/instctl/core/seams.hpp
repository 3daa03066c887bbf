#pragma once

#include <memory>
#include <typeindex>
#include <unordered_map>
#include <vector>

#include "instctl/core/error.hpp"

namespace instctl {

// The cross-concept seams of a process. A lower concept declares a small interface (e.g.
// users::AccountEvents), higher concepts implement it, and the composition root registers the
// implementations here once (http::seams(), used by cmd/ and http/app.cpp); a service finds
// them through its Env. Filled before use, read-only afterwards (shared by threads).
class Seams {
 public:
  template <class Interface>
  void add(std::shared_ptr<Interface> impl) {
    m_by_type[std::type_index(typeid(Interface))].push_back(std::move(impl));
  }
  // The implementations of `Interface`, in the order registered.
  template <class Interface>
  std::vector<Interface*> all() const {
    std::vector<Interface*> out;
    const auto it = m_by_type.find(std::type_index(typeid(Interface)));
    if (it == m_by_type.end()) return out;
    for (const auto& p : it->second) out.push_back(static_cast<Interface*>(p.get()));
    return out;
  }

 private:
  std::unordered_map<std::type_index, std::vector<std::shared_ptr<void>>> m_by_type;
};

// The implementations of `Interface` wired into `seams` (an Env's); Error(internal) when no
// seams are wired at all, or (one) when there is not exactly one.
template <class Interface>
std::vector<Interface*> wired(const Seams* seams) {
  if (seams == nullptr) {
    throw Error(ErrorKind::internal, "no cross-concept seams are wired into this environment");
  }
  return seams->all<Interface>();
}
template <class Interface>
Interface& wired_one(const Seams* seams) {
  const auto all = wired<Interface>(seams);
  if (all.size() != 1) throw Error(ErrorKind::internal, "a cross-concept seam is not wired");
  return *all.front();
}

}  // namespace instctl
