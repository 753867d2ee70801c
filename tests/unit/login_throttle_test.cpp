// actors/domain/login_throttle: the pure policy behind storage/login_throttle_repo.
#include <catch2/catch.hpp>

#include <chrono>
#include <climits>

#include "actors/domain/login_throttle.hpp"

using namespace hw::domain;
using namespace std::chrono_literals;
using clock_tp = std::chrono::system_clock::time_point;

namespace {
const clock_tp t0 = clock_tp{} + std::chrono::seconds{1'900'000'000};

// n failures one second apart starting at t0.
login_throttle_state fail_n(int n, const login_throttle_policy& p = {}) {
  std::optional<login_throttle_state> s;
  for (int i = 0; i < n; ++i) s = after_failure(s, t0 + std::chrono::seconds{i}, p);
  return *s;
}
}  // namespace

TEST_CASE("login_throttle: defaults are 5 free failures, 1 s doubling, 15 min cap, 1 h window",
          "[unit][login_throttle]") {
  login_throttle_policy p;
  CHECK(p.free_failures == 5);
  CHECK(p.base_lock == 1s);
  CHECK(p.max_lock == 15min);
  CHECK(p.window == 1h);
}

TEST_CASE("login_throttle: lock_duration is 0 below 5, then 2^(n-5) s, capped at 15 min",
          "[unit][login_throttle]") {
  CHECK(lock_duration(0) == 0s);
  CHECK(lock_duration(4) == 0s);
  CHECK(lock_duration(5) == 1s);
  CHECK(lock_duration(6) == 2s);
  CHECK(lock_duration(7) == 4s);
  CHECK(lock_duration(14) == 512s);
  CHECK(lock_duration(15) == 900s);  // 1024 s capped
  CHECK(lock_duration(1000) == 900s);
  CHECK(lock_duration(INT_MAX) == 900s);  // no overflow
  CHECK(lock_duration(-3) == 0s);
  // monotone
  for (int n = 0; n < 40; ++n) CHECK(lock_duration(n) <= lock_duration(n + 1));
}

TEST_CASE("login_throttle: the fifth failure in a window locks", "[unit][login_throttle]") {
  auto s4 = fail_n(4);
  CHECK(s4.failures == 4);
  CHECK(s4.window_start == t0);
  CHECK_FALSE(s4.locked_until);
  CHECK(remaining_lock(s4, t0 + 4s) == 0s);

  auto s5 = after_failure(s4, t0 + 10s);
  CHECK(s5.failures == 5);
  REQUIRE(s5.locked_until);
  CHECK(*s5.locked_until == t0 + 11s);
  CHECK(remaining_lock(s5, t0 + 10s) == 1s);
  CHECK(remaining_lock(s5, t0 + 11s) == 0s);

  auto s6 = after_failure(s5, t0 + 20s);
  CHECK(*s6.locked_until == t0 + 22s);
}

TEST_CASE("login_throttle: remaining_lock rounds up to whole seconds", "[unit][login_throttle]") {
  login_throttle_state s;
  s.locked_until = t0 + 1500ms;
  CHECK(remaining_lock(s, t0) == 2s);
  CHECK(remaining_lock(s, t0 + 1499ms) == 1s);
  CHECK(remaining_lock(s, t0 + 2s) == 0s);
}

TEST_CASE("login_throttle: a window older than an hour restarts the count",
          "[unit][login_throttle]") {
  auto s = fail_n(7);
  REQUIRE(s.failures == 7);
  auto later = after_failure(s, t0 + 1h);
  CHECK(later.failures == 1);
  CHECK(later.window_start == t0 + 1h);
  CHECK_FALSE(later.locked_until);  // the old lock (a few seconds) is long over

  auto inside = after_failure(s, t0 + 59min);
  CHECK(inside.failures == 8);
  CHECK(inside.window_start == t0);
}

TEST_CASE("login_throttle: a lock never shrinks", "[unit][login_throttle]") {
  login_throttle_policy p;
  p.window = 1s;  // every failure starts a new window
  login_throttle_state prev;
  prev.failures = 20;
  prev.window_start = t0;
  prev.locked_until = t0 + 10min;
  auto next = after_failure(prev, t0 + 2s, p);
  CHECK(next.failures == 1);
  REQUIRE(next.locked_until);
  CHECK(*next.locked_until == t0 + 10min);
}

TEST_CASE("login_throttle: a window in the future (clock stepped back) restarts",
          "[unit][login_throttle]") {
  login_throttle_state prev;
  prev.failures = 4;
  prev.window_start = t0 + 1h;
  auto next = after_failure(prev, t0);
  CHECK(next.failures == 1);
  CHECK(next.window_start == t0);
}

TEST_CASE("login_throttle: is_stale needs both the window and the lock to be over",
          "[unit][login_throttle]") {
  auto s = fail_n(14);  // locked 512 s from t0 + 13 s
  CHECK_FALSE(is_stale(s, t0 + 30min));
  CHECK(is_stale(s, t0 + 1h));
  login_throttle_policy p;
  p.window = 1s;
  CHECK_FALSE(is_stale(s, t0 + 100s, p));  // window over, lock not
  CHECK(is_stale(s, t0 + 13s + 512s, p));
}
