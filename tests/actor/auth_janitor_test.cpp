// The auth janitor: on every tick it ships one purge db_task to the db pool (a fake db actor
// here, on CAF's deterministic scheduler) and schedules the next tick.
#include <catch2/catch.hpp>

#include "actors/accounts/auth_janitor.hpp"
#include "actors/message_types.hpp"
#include "tests/support/caf_fixture.hpp"

using namespace std::chrono_literals;

TEST_CASE("auth janitor: each interval sends one purge task to the database pool", "[actor][auth_janitor]") {
  hw::testing::caf_fixture f;
  auto tasks = std::make_shared<int>(0);
  auto fake_db = f.sys.spawn([tasks](caf::event_based_actor*) -> caf::behavior {
    return {[tasks](hw::actors::run_atom, const hw::actors::db_task& t) {
      ++*tasks;
      CHECK(t.run);
      CHECK(t.fail);
    }};
  });
  hw::actors::auth_janitor_options o;
  o.interval = 10min;
  auto j = f.sys.spawn(hw::actors::auth_janitor, fake_db, o);
  f.sched.run();
  CHECK(*tasks == 0);  // nothing before the first interval
  for (int i = 1; i <= 3; ++i) {
    REQUIRE(f.sched.trigger_timeout());
    f.sched.run();
    CHECK(*tasks == i);
  }
  caf::anon_send_exit(j, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(fake_db, caf::exit_reason::user_shutdown);
}
