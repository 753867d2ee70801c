#include "actors/domain/login_throttle.hpp"

#include <algorithm>
#include <climits>

namespace hw::domain {

std::chrono::seconds lock_duration(int failures, const login_throttle_policy& p) noexcept {
  if (failures < p.free_failures || p.base_lock.count() <= 0) return std::chrono::seconds{0};
  const auto cap = std::max(p.max_lock, std::chrono::seconds{0});
  // base * 2^k, doubling until the cap: no shift past the width of the type.
  auto lock = p.base_lock;
  for (int k = failures - p.free_failures; k > 0 && lock < cap; --k) lock *= 2;
  return std::min(lock, cap);
}

login_throttle_state after_failure(const std::optional<login_throttle_state>& prev,
                                   std::chrono::system_clock::time_point now,
                                   const login_throttle_policy& p) noexcept {
  login_throttle_state s;
  if (!prev || now - prev->window_start >= p.window || now < prev->window_start) {
    // No row, or its window is over (or lies in the future: a clock step back): a new count.
    s.failures = 1;
    s.window_start = now;
  } else {
    s.failures = prev->failures < INT_MAX ? prev->failures + 1 : prev->failures;
    s.window_start = prev->window_start;
  }
  if (prev && prev->locked_until && *prev->locked_until > now) s.locked_until = prev->locked_until;
  const auto lock = lock_duration(s.failures, p);
  if (lock.count() > 0) {
    const auto until = now + lock;
    if (!s.locked_until || *s.locked_until < until) s.locked_until = until;
  }
  return s;
}

std::chrono::seconds remaining_lock(const login_throttle_state& s,
                                    std::chrono::system_clock::time_point now) noexcept {
  if (!s.locked_until || *s.locked_until <= now) return std::chrono::seconds{0};
  return std::chrono::ceil<std::chrono::seconds>(*s.locked_until - now);
}

bool is_stale(const login_throttle_state& s, std::chrono::system_clock::time_point now,
              const login_throttle_policy& p) noexcept {
  const bool window_over = now - s.window_start >= p.window;
  const bool lock_over = !s.locked_until || *s.locked_until <= now;
  return window_over && lock_over;
}

}  // namespace hw::domain
