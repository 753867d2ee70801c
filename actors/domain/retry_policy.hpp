#pragma once
// PURE: exponential backoff with "full jitter" (security-and-reliability.md §2.4):
//   delay = min(cap, base * 2^(attempt-1)) * U(min_factor, 1.0)
// The random draw is a parameter so tests are deterministic.
#include <chrono>
#include <cstdint>

namespace hw::domain {

struct retry_policy {
  std::chrono::milliseconds base{10'000};
  std::chrono::milliseconds cap{6 * 3600 * 1000};
  double min_factor = 0.5;  // lower bound of the jitter factor

  /// The upper bound of the delay before attempt `attempt + 1` (attempt >= 1).
  std::chrono::milliseconds ceiling(std::uint32_t attempt) const noexcept;

  /// `unit_random` in [0, 1): the jitter draw.
  std::chrono::milliseconds next_delay(std::uint32_t attempt, double unit_random) const noexcept;
};

}  // namespace hw::domain
