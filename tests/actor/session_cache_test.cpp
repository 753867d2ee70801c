// The session cache: hits without the database, expiry by the injected clock, the touch claim,
// eviction by session and by user, and the fill race (an eviction between load and insert wins).
#include <catch2/catch.hpp>

#include "actors/accounts/auth_listener.hpp"
#include "actors/accounts/session_cache.hpp"

using hw::actors::session_cache;
using namespace std::chrono_literals;

namespace {

using tp = std::chrono::system_clock::time_point;
const tp t0 = tp{} + 1'000'000s;

session_cache::entry entry_for(const std::string& user, tp now) {
  hw::principal p;
  p.user_id = user;
  p.roles["org-a"] = hw::domain::role::admin;
  return session_cache::entry{p, now + 3600s, now + 12h, now};
}

struct enabled_cache : session_cache {
  enabled_cache() : session_cache(100, 3600s, 60s) { set_enabled(true); }
};

}  // namespace

TEST_CASE("session cache: a stored session is found until its idle or absolute expiry", "[actor][session_cache]") {
  enabled_cache c;
  REQUIRE(c.put("h1", entry_for("u1", t0), c.generation()));
  auto hit = c.find("h1", t0 + 10s);
  REQUIRE(hit);
  CHECK(hit->who.user_id == "u1");
  CHECK(hit->who.role_in("org-a") == hw::domain::role::admin);
  CHECK_FALSE(hit->touch_due);
  CHECK_FALSE(c.find("h1", t0 + 3600s));  // idle past the local view: the database decides
  CHECK(c.size() == 0);
  CHECK_FALSE(c.find("unknown", t0));
}

TEST_CASE("session cache: the absolute expiry ends a session however busy it is", "[actor][session_cache]") {
  enabled_cache c;
  REQUIRE(c.put("h1", entry_for("u1", t0), c.generation()));
  // Used every 30 minutes: the idle expiry keeps moving, the absolute one does not.
  tp t = t0;
  for (int i = 0; i < 23; ++i) {
    t += 30min;
    REQUIRE(c.find("h1", t));
  }
  CHECK_FALSE(c.find("h1", t0 + 12h));
}

TEST_CASE("session cache: exactly one request per interval is told to write the idle expiry back",
          "[actor][session_cache]") {
  enabled_cache c;
  REQUIRE(c.put("h1", entry_for("u1", t0), c.generation()));
  CHECK_FALSE(c.find("h1", t0 + 59s)->touch_due);
  CHECK(c.find("h1", t0 + 61s)->touch_due);
  CHECK_FALSE(c.find("h1", t0 + 62s)->touch_due);  // claimed by the previous request
  CHECK(c.find("h1", t0 + 122s)->touch_due);
}

TEST_CASE("session cache: evictions by session and by user", "[actor][session_cache]") {
  enabled_cache c;
  auto g = c.generation();
  REQUIRE(c.put("a1", entry_for("alice", t0), g));
  REQUIRE(c.put("a2", entry_for("alice", t0), g));
  REQUIRE(c.put("b1", entry_for("bob", t0), g));
  c.evict_session("a1");
  CHECK_FALSE(c.find("a1", t0));
  CHECK(c.find("a2", t0));
  c.evict_user("alice");
  CHECK_FALSE(c.find("a2", t0));
  CHECK(c.find("b1", t0));
  c.clear();
  CHECK_FALSE(c.find("b1", t0));
}

TEST_CASE("session cache: a load that raced with an eviction is not cached", "[actor][session_cache]") {
  enabled_cache c;
  const auto before_load = c.generation();
  c.evict_user("alice");  // e.g. a NOTIFY for a role change arrives while the load runs
  CHECK_FALSE(c.put("a1", entry_for("alice", t0), before_load));
  CHECK_FALSE(c.find("a1", t0));
  CHECK(c.put("a1", entry_for("alice", t0), c.generation()));
}

TEST_CASE("session cache: while disabled (listener down) nothing is cached", "[actor][session_cache]") {
  session_cache c{100, 3600s, 60s};
  CHECK_FALSE(c.put("h1", entry_for("u1", t0), c.generation()));
  c.set_enabled(true);
  REQUIRE(c.put("h1", entry_for("u1", t0), c.generation()));
  c.set_enabled(false);
  CHECK_FALSE(c.find("h1", t0));
}

TEST_CASE("session cache: bounded size", "[actor][session_cache]") {
  session_cache c{3, 3600s, 60s};
  c.set_enabled(true);
  for (int i = 0; i < 10; ++i) REQUIRE(c.put("h" + std::to_string(i), entry_for("u", t0), c.generation()));
  CHECK(c.size() <= 3);
  CHECK(c.find("h9", t0));
}

TEST_CASE("auth listener payloads evict what they name and nothing else", "[actor][session_cache]") {
  enabled_cache c;
  auto g = c.generation();
  REQUIRE(c.put("abc", entry_for("alice", t0), g));
  REQUIRE(c.put("def", entry_for("bob", t0), g));
  hw::actors::auth_listener::apply(c, "session:abc");
  CHECK_FALSE(c.find("abc", t0));
  CHECK(c.find("def", t0));
  hw::actors::auth_listener::apply(c, "bogus:def");
  CHECK(c.find("def", t0));
  hw::actors::auth_listener::apply(c, "user:bob");
  CHECK_FALSE(c.find("def", t0));
}
