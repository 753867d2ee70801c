#pragma once
// Login throttling policy (issue 3, ASVS 2.4.1 / 6.3.x anti-automation). PURE: STL only.
//
// A throttle key ("email:<normalized>" or "ip:<address>") counts failed logins inside a window.
// The first `free_failures - 1` failures cost nothing; failure number n >= free_failures locks the
// key for base * 2^(n - free_failures), capped at max_lock. A window that started more than
// `window` ago restarts the count at the next failure. A success clears the key (storage deletes
// the row). storage/login_throttle_repo.cpp applies this function under a row lock, so concurrent
// failures are all counted.
#include <chrono>
#include <optional>

namespace hw::domain {

struct login_throttle_policy {
  int free_failures = 5;                      // the 5th failure is the first that locks
  std::chrono::seconds base_lock{1};          // lock of the free_failures-th failure
  std::chrono::seconds max_lock{15 * 60};     // cap of the exponential lock
  std::chrono::seconds window{60 * 60};       // a failure older than this starts a new count
};

/// What is stored per key.
struct login_throttle_state {
  int failures = 0;
  std::chrono::system_clock::time_point window_start{};
  std::optional<std::chrono::system_clock::time_point> locked_until;
};

/// The lock that the `failures`-th failure inside a window earns (zero below free_failures).
/// Monotone in `failures`, never above policy.max_lock, never negative, no overflow for any int.
std::chrono::seconds lock_duration(int failures, const login_throttle_policy& p = {}) noexcept;

/// The state after one more failure at `now`. `prev` is nothing for a key with no row. A window
/// older than policy.window restarts at 1 failure with window_start = now. An existing lock that
/// ends later than the new one is kept (a lock never shrinks).
login_throttle_state after_failure(const std::optional<login_throttle_state>& prev,
                                   std::chrono::system_clock::time_point now,
                                   const login_throttle_policy& p = {}) noexcept;

/// Whole seconds (rounded up) until the lock ends; zero when not locked at `now`.
std::chrono::seconds remaining_lock(const login_throttle_state& s,
                                    std::chrono::system_clock::time_point now) noexcept;

/// True when the row can be deleted at `now`: its window and any lock are over (so deleting it
/// changes no decision).
bool is_stale(const login_throttle_state& s, std::chrono::system_clock::time_point now,
              const login_throttle_policy& p = {}) noexcept;

}  // namespace hw::domain
