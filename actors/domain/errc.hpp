#pragma once
// The error vocabulary shared by every layer. http/problem.cpp is the ONLY place that maps it to
// HTTP statuses; storage maps libpqxx exceptions into it; actors carry it inside caf::error.
#include <cstdint>
#include <string>
#include <string_view>

namespace hw {

enum class errc : std::uint8_t {
  ok = 0,
  invalid_argument,    // a field failed validation (detail names it)
  not_found,           // missing, or another organization's id
  conflict,            // a unique value is taken (slug)
  version_conflict,    // compare-and-swap lost, even after a reload
  precondition_failed, // If-Match did not match the current version
  illegal_transition,  // the state machine has no such edge
  unauthorized,        // no or bad credentials
  forbidden,           // authenticated, but not allowed
  unavailable,         // database down or reconnecting
  timeout,             // the actor or the database did not answer in time
  internal,            // a bug or an unexpected failure
  rate_limited,        // too many attempts: retry after error::retry_after_s (429)
};

std::string_view to_string(errc e) noexcept;

/// An error with a human-readable detail that is safe to show to the API caller
/// (never SQL text, tokens or personal data).
struct error {
  errc code = errc::internal;
  std::string detail;
  std::int32_t retry_after_s = 0;  // rate_limited / unavailable: the Retry-After hint (0: none)
};

}  // namespace hw
