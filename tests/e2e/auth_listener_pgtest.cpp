// Cross-process invalidation: a NOTIFY committed by any connection (another server process)
// evicts the cached session here; a lost LISTEN connection disables the cache until it is back.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include <pqxx/pqxx>

#include "actors/accounts/auth_listener.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/pg_fixture.hpp"

using namespace std::chrono_literals;

namespace {

using hw::testing::eventually;

hw::actors::session_cache::entry entry_for(const std::string& user) {
  hw::principal p;
  p.user_id = user;
  auto now = std::chrono::system_clock::now();
  return {p, now + 1h, now + 2h, now};
}

void notify(const std::string& dsn, const std::string& payload) {
  pqxx::connection c{dsn};
  pqxx::work tx{c};
  tx.exec_params("SELECT pg_notify('hw_auth', $1)", payload);
  tx.commit();
}

}  // namespace

TEST_CASE("auth listener: NOTIFYs from another connection evict sessions and users", "[pg][auth_listener]") {
  hw::testing::pg_fixture db;
  auto cache = std::make_shared<hw::actors::session_cache>(100, 3600s, 60s);
  hw::actors::auth_listener_options o;
  o.dsn = db.dsn();
  o.poll = 20ms;
  hw::actors::auth_listener l{o, cache};
  CHECK_FALSE(cache->enabled());
  l.start();
  REQUIRE(eventually([&] { return l.listening(); }));
  CHECK(cache->enabled());
  auto now = std::chrono::system_clock::now();
  REQUIRE(cache->put("s1", entry_for("alice"), cache->generation()));
  REQUIRE(cache->put("s2", entry_for("bob"), cache->generation()));
  REQUIRE(cache->put("s3", entry_for("bob"), cache->generation()));

  notify(db.dsn(), "session:s1");
  REQUIRE(eventually([&] { return l.received() >= 1; }));
  CHECK_FALSE(cache->find("s1", now));
  CHECK(cache->find("s2", now));

  notify(db.dsn(), "user:bob");
  REQUIRE(eventually([&] { return l.received() >= 2; }));
  CHECK_FALSE(cache->find("s2", now));
  CHECK_FALSE(cache->find("s3", now));

  // A rolled-back NOTIFY is never delivered.
  {
    pqxx::connection c{db.dsn()};
    pqxx::work tx{c};
    tx.exec("SELECT pg_notify('hw_auth', 'session:s9')");
    tx.abort();
  }
  REQUIRE(cache->put("s9", entry_for("carol"), cache->generation()));
  notify(db.dsn(), "session:other");  // a marker after the rolled-back one
  REQUIRE(eventually([&] { return l.received() >= 3; }));
  CHECK(l.received() == 3);
  CHECK(cache->find("s9", now));
  l.stop();
  CHECK_FALSE(cache->enabled());
}

TEST_CASE("auth listener: a killed LISTEN connection disables the cache until it listens again",
          "[pg][auth_listener]") {
  hw::testing::pg_fixture db;
  auto cache = std::make_shared<hw::actors::session_cache>(100, 3600s, 60s);
  hw::actors::auth_listener_options o;
  o.dsn = db.dsn();
  o.poll = 20ms;
  o.reconnect_min = 20ms;
  hw::actors::auth_listener l{o, cache};
  l.start();
  REQUIRE(eventually([&] { return l.listening(); }));
  REQUIRE(cache->put("s1", entry_for("alice"), cache->generation()));

  // Kill the listener's backend: its notifications would be lost, so the cache must not be trusted.
  {
    pqxx::connection c{db.admin_dsn()};
    pqxx::work tx{c};
    auto r = tx.exec_params(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'LISTEN%'",
      db.database());
    tx.commit();
    REQUIRE(r.size() == 1);
  }
  REQUIRE(eventually([&] { return !cache->find("s1", std::chrono::system_clock::now()); }));
  // It reconnects, and the cache works again (and starts empty).
  REQUIRE(eventually([&] { return l.listening() && cache->enabled(); }));
  REQUIRE(cache->put("s2", entry_for("bob"), cache->generation()));
  notify(db.dsn(), "user:bob");
  REQUIRE(eventually([&] { return !cache->find("s2", std::chrono::system_clock::now()); }));
  l.stop();
}
