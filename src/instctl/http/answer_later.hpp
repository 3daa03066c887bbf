#pragma once

// An answer held back until a given time without holding a worker: a page whose timing must
// not tell anything (POST /auth/forgot answers no sooner than a floor, whether it queued a
// mail or not). The route makes its answer at once and returns answer_at(answer, when); the
// server waits (Response::pending) on one timer thread shared by the process, then sends the
// answer. A worker is held only for the route's own work, so many such requests cannot keep
// other requests waiting.
//
//   return answer_at(html_response(200, page), began + k_floor);

#include <chrono>

#include "instctl/net/http_message.hpp"

namespace instctl::http {

// `answer`, sent at `when` (at once when that has passed).
Response answer_at(Response answer, std::chrono::steady_clock::time_point when);

}  // namespace instctl::http
