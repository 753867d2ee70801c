// notification_supervisor on CAF's deterministic test scheduler, with event-based fake workers
// (the worker factory is injectable): restart after backoff, degraded after K restarts within the
// window, cleared by a clean run, shutdown. Time moves only through the test clock.
#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include "actors/health.hpp"
#include "actors/message_types.hpp"
#include "actors/notify/notification_supervisor.hpp"
#include "tests/support/caf_fixture.hpp"

using namespace std::chrono_literals;
namespace ha = hw::actors;

namespace {

using crash_atom = caf::atom_constant<caf::atom("crash")>;  // test only: the fake crashes
using clean_atom = caf::atom_constant<caf::atom("clean")>;  // test only: the fake reports healthy

struct spawned {
  std::vector<caf::actor> workers;  // in spawn order
  std::vector<int> slots;
  int nudges = 0;
};

// A fake worker: crashes (quits with an error) or reports a clean run on command.
caf::behavior fake_worker(caf::event_based_actor* self, caf::actor sup, int slot, std::shared_ptr<spawned> log) {
  return {
    [=](crash_atom) { self->quit(caf::sec::runtime_error); },
    [=](clean_atom) { self->send(sup, ha::healthy_atom::value, slot); },
    [=](ha::nudge_atom) { ++log->nudges; },
  };
}

struct supervisor_env : hw::testing::caf_fixture {
  std::shared_ptr<spawned> log = std::make_shared<spawned>();
  std::shared_ptr<ha::health_board> health = std::make_shared<ha::health_board>();
  caf::actor sup;

  explicit supervisor_env(int workers = 2) {
    ha::notify_supervisor_options opt;
    opt.workers = workers;
    opt.restart = hw::domain::retry_policy{100ms, 10s, 0.5};
    opt.degraded_after = 3;
    opt.degraded_window = 60s;
    opt.jitter = [] { return 1.0; };  // delay == the policy's ceiling
    auto l = log;
    ha::notify_worker_factory factory = [l](caf::actor_system& sys, caf::actor s, int slot) {
      auto w = sys.spawn(fake_worker, s, slot, l);
      l->workers.push_back(w);
      l->slots.push_back(slot);
      return w;
    };
    sup = sys.spawn(ha::notification_supervisor, opt, factory, health);
    sched.run();
  }
  ~supervisor_env() {
    caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
    sched.run();
  }

  caf::actor_clock::time_point now() { return sched.clock().now(); }
  void crash(std::size_t spawn_index) {
    caf::anon_send(log->workers.at(spawn_index), crash_atom::value);
    sched.run();
  }
  /// Fires the pending restart timer; returns how far the clock moved.
  caf::actor_clock::duration_type fire_restart() {
    const auto before = now();
    REQUIRE(sched.clock().trigger_timeout());
    sched.run();
    return now() - before;
  }
  bool degraded() { return !health->problems().empty(); }
};

}  // namespace

TEST_CASE("notification_supervisor: spawns one worker per slot and forwards nudges", "[notify][actor]") {
  supervisor_env env{3};
  CHECK(env.log->slots == std::vector<int>{0, 1, 2});
  caf::anon_send(env.sup, ha::nudge_atom::value);
  env.sched.run();
  CHECK(env.log->nudges == 3);
  CHECK_FALSE(env.degraded());
}

TEST_CASE("notification_supervisor: a crashed worker is restarted after the backoff delay", "[notify][actor]") {
  supervisor_env env;
  env.crash(0);
  // Nothing yet: the restart waits for its timer.
  CHECK(env.log->workers.size() == 2);
  CHECK(env.sched.clock().schedule().size() == 1);
  CHECK(env.fire_restart() == std::chrono::milliseconds{100});
  REQUIRE(env.log->workers.size() == 3);
  CHECK(env.log->slots.back() == 0);  // the same slot gets the new worker

  SECTION("repeated crashes of one slot back off exponentially") {
    env.crash(2);
    CHECK(env.fire_restart() == std::chrono::milliseconds{200});
    env.crash(3);
    CHECK(env.fire_restart() == std::chrono::milliseconds{400});
    CHECK(env.log->slots.back() == 0);
  }
  SECTION("a clean run resets the backoff") {
    caf::anon_send(env.log->workers[2], clean_atom::value);
    env.sched.run();
    env.crash(2);
    CHECK(env.fire_restart() == std::chrono::milliseconds{100});
  }
  SECTION("the other slot is independent") {
    env.crash(1);
    CHECK(env.fire_restart() == std::chrono::milliseconds{100});
    CHECK(env.log->slots.back() == 1);
  }
}

TEST_CASE("notification_supervisor: K restarts within the window report degraded until a clean run",
          "[notify][actor]") {
  supervisor_env env;
  env.crash(0);
  env.fire_restart();
  env.crash(2);
  env.fire_restart();
  CHECK_FALSE(env.degraded());
  env.crash(3);  // the third restart within 60 s
  REQUIRE(env.degraded());
  CHECK(env.health->problems().front().rfind("notifications: ", 0) == 0);
  env.fire_restart();
  CHECK(env.degraded());  // restarting is not yet running cleanly
  caf::anon_send(env.log->workers.back(), clean_atom::value);
  env.sched.run();
  CHECK_FALSE(env.degraded());
}

TEST_CASE("notification_supervisor: restarts spread beyond the window do not degrade", "[notify][actor]") {
  supervisor_env env;
  for (int i = 0; i < 4; ++i) {
    env.crash(env.log->workers.size() - (i == 0 ? 2 : 1));
    env.fire_restart();
    env.sched.clock().advance_time(61s);
  }
  CHECK(env.log->workers.size() == 6);
  CHECK_FALSE(env.degraded());
}

TEST_CASE("notification_supervisor: an exit stops every worker and no restart follows", "[notify][actor]") {
  supervisor_env env;
  auto w0 = env.log->workers[0];
  auto w1 = env.log->workers[1];
  env.self->monitor(w0);
  env.self->monitor(w1);
  caf::anon_send_exit(env.sup, caf::exit_reason::user_shutdown);
  env.sched.run();
  int downs = 0;
  while (env.has_mail()) {
    env.self->receive([&](caf::down_msg&) { ++downs; });
  }
  CHECK(downs == 2);
  CHECK(env.sched.clock().schedule().empty());  // no restart timer
  CHECK(env.log->workers.size() == 2);
}
