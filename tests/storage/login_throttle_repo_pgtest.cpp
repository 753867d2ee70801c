// storage/login_throttle_repo: failure counting under a row lock, locks by the domain policy, the
// max remaining lock over several keys, success and purge. Time comes from the test.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <pqxx/pqxx>
#include <thread>
#include <vector>

#include "storage/login_throttle_repo.hpp"
#include "storage/pg.hpp"
#include "tests/support/pg_fixture.hpp"

using hw::testing::pg_fixture;
namespace st = hw::storage;
using namespace std::chrono_literals;

namespace {
const st::time_point t0 = st::time_point{} + std::chrono::seconds{1'900'000'000};
}

TEST_CASE("login_throttle_repo: keys", "[pg][login_throttle]") {
  CHECK(st::login_throttle_key_email("  Alice@Example.COM ") == "email:alice@example.com");
  CHECK(st::login_throttle_key_email("Not An Email") == "email:not an email");
  CHECK(st::login_throttle_key_ip("10.0.0.1") == "ip:10.0.0.1");
  // One IPv6 client owns a /64: rotating the interface id does not escape the throttle.
  CHECK(st::login_throttle_key_ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd") == "ip:2001:db8:1:2::/64");
  CHECK(st::login_throttle_key_ip("2001:db8:1:2::1") == st::login_throttle_key_ip("2001:db8:1:2:ffff::9"));
  CHECK(st::login_throttle_key_ip("2001:db8:1:3::1") != st::login_throttle_key_ip("2001:db8:1:2::1"));
  CHECK(st::login_throttle_key_ip("::ffff:192.0.2.7") == "ip:192.0.2.7");
  CHECK(st::login_throttle_key_ip("fe80::1%eth0") == "ip:fe80::/64");
  CHECK(st::login_throttle_key_email(std::string(400, 'a')).size() == 300);
}

TEST_CASE("login_throttle_repo: the fifth failure locks, check reports the longest lock",
          "[pg][login_throttle]") {
  pg_fixture db;
  auto c = db.connect();
  const auto email = st::login_throttle_key_email("alice@example.com");
  const auto ip = st::login_throttle_key_ip("10.0.0.1");
  for (int i = 0; i < 4; ++i) {
    auto s = st::record_login_failure(*c, email, t0 + std::chrono::seconds{i});
    REQUIRE(s);
    CHECK(s->failures == i + 1);
    CHECK_FALSE(s->locked_until);
  }
  CHECK(*st::check_login_throttle(*c, {email, ip}, t0 + 4s) == 0s);
  auto s5 = st::record_login_failure(*c, email, t0 + 4s);
  REQUIRE(s5);
  CHECK(s5->failures == 5);
  REQUIRE(s5->locked_until);
  CHECK(*s5->locked_until == t0 + 5s);
  CHECK(s5->window_start == t0);
  CHECK(*st::check_login_throttle(*c, {email, ip}, t0 + 4s) == 1s);
  CHECK(*st::check_login_throttle(*c, {email}, t0 + 5s) == 0s);
  for (int i = 0; i < 5; ++i) REQUIRE(st::record_login_failure(*c, email, t0 + 10s));
  // 10th failure: 2^5 = 32 s from t0 + 10 s
  CHECK(*st::check_login_throttle(*c, {ip, email}, t0 + 10s) == 32s);
  CHECK(*st::check_login_throttle(*c, {ip}, t0 + 10s) == 0s);
  CHECK(*st::check_login_throttle(*c, {}, t0) == 0s);

  SECTION("success clears the key") {
    REQUIRE(st::record_login_success(*c, email));
    CHECK(*st::check_login_throttle(*c, {email}, t0 + 10s) == 0s);
    CHECK(st::record_login_failure(*c, email, t0 + 11s)->failures == 1);
  }
  SECTION("after an hour the count restarts") {
    auto s = st::record_login_failure(*c, email, t0 + 1h);
    CHECK(s->failures == 1);
    CHECK_FALSE(s->locked_until);
  }
  SECTION("purge removes only rows whose window and lock are over") {
    REQUIRE(st::record_login_failure(*c, ip, t0 + 50min));
    auto n = st::purge_login_throttles(*c, t0 + 1h + 1s);
    REQUIRE(n);
    CHECK(*n == 1);  // email (window from t0); ip's window started at 50 min
    CHECK(*st::check_login_throttle(*c, {email}, t0 + 10s) == 0s);
  }
  SECTION("bad keys") {
    CHECK(st::record_login_failure(*c, "user:x", t0).code() == hw::errc::invalid_argument);
    CHECK(st::record_login_failure(*c, "ip:" + std::string(400, '1'), t0).code() ==
          hw::errc::invalid_argument);
    // quotes and braces cannot break the array parameter
    CHECK(*st::check_login_throttle(*c, {"email:\"},{x", "ip:\\"}, t0) == 0s);
  }
}

TEST_CASE("login_throttle_repo: concurrent failures are all counted", "[pg][login_throttle][concurrency]") {
  pg_fixture db;
  const auto key = st::login_throttle_key_ip("192.0.2.1");
  constexpr int threads = 4, per_thread = 5;
  std::vector<std::thread> ts;
  std::atomic<int> errors{0};
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&] {
      auto c = db.connect();
      for (int i = 0; i < per_thread; ++i) {
        if (!st::record_login_failure(*c, key, t0 + 1s)) ++errors;
      }
    });
  }
  for (auto& t : ts) t.join();
  CHECK(errors == 0);
  auto c = db.connect();
  pqxx::nontransaction tx{*c};
  CHECK(tx.exec1("SELECT failures FROM login_throttles")[0].as<int>() == threads * per_thread);
}
