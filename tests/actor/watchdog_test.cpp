#include <catch2/catch.hpp>

#include "actors/watchdog.hpp"
#include "tests/support/caf_fixture.hpp"

using namespace hw::actors;

namespace {

caf::behavior idle_actor() {
  return {[](caf::get_atom) {}};
}

}  // namespace

TEST_CASE_METHOD(hw::testing::caf_fixture, "watchdog: a core actor that dies reports degraded, shutdown does not",
                 "[actor][watchdog]") {
  auto health = std::make_shared<health_board>();
  auto router = sys.spawn(idle_actor);
  auto sweeper = sys.spawn(idle_actor);
  auto dog = spawn_watchdog(sys, {{"organization_router", router.address()}, {"job_sweeper", sweeper.address()}},
                            health);
  sched.run();
  CHECK(health->problems().empty());

  caf::anon_send_exit(sweeper, caf::exit_reason::user_shutdown);  // an orderly stop
  sched.run();
  CHECK(health->problems().empty());

  caf::anon_send_exit(router, caf::exit_reason::kill);  // a crash
  sched.run();
  auto problems = health->problems();
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find("organization_router") == 0);
  caf::anon_send_exit(dog, caf::exit_reason::user_shutdown);
  sched.run();
}
