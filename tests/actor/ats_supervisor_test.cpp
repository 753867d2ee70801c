// ats_supervisor on CAF's deterministic test scheduler with event-based fake workers (the worker
// factory is injectable) and hand-answered storage reads (ats_supervisor_io): scheduling of due
// pulls, one pull at a time per connection, requests for unknown connections, delegated tests,
// restart backoff, failing reporting, stop on disconnect, webhook job dispatch, shutdown, and
// connections whose sync lease another server process holds (schedule rows and busy reports).
// Time moves only through the test clocks: the supervisor's `now` and the scheduler's timers.
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <vector>

#include "actors/ats/ats_supervisor.hpp"
#include "actors/message_types.hpp"
#include "storage/ats_connection_repo.hpp"
#include "tests/support/caf_fixture.hpp"

using namespace std::chrono_literals;
namespace ha = hw::actors;
using hw::domain::ats_connection_state;

namespace {

using crash_atom = caf::atom_constant<caf::atom("crash")>;  // test only: the fake crashes

const hw::org_id org_a{"00000000-0000-4000-8000-00000000000a"};
const hw::org_id org_b{"00000000-0000-4000-8000-00000000000b"};
const std::string conn1 = "10000000-0000-4000-8000-000000000001";
const std::string conn2 = "10000000-0000-4000-8000-000000000002";
const std::string me = "ats-this-process";
const std::string other = "ats-other-process";

struct world {
  // factory
  std::vector<caf::actor> workers;            // spawn order
  std::vector<std::string> spawned_for;       // connection id per spawn
  std::vector<std::shared_ptr<std::atomic<bool>>> stops;
  // what the fakes saw
  std::map<std::string, int> syncs;           // connection id -> ats_sync_atom received
  std::map<std::string, int> crash_notes;     // connection id -> (ats_sync_atom, note) received
  std::map<std::string, std::vector<std::int64_t>> jobs;
  int exits = 0;                              // workers that got an exit message
  // io
  int loads = 0;
  int claims = 0;
  std::vector<std::vector<std::string>> ensured;  // per claim: the connections it ensures jobs for
  int purges = 0;
  std::vector<std::int64_t> dropped;           // dead-lettered
  std::vector<std::int64_t> requeued;          // given back with a retry delay
  std::vector<std::vector<std::string>> failing_reports;
  hw::storage::time_point now = hw::storage::time_point{std::chrono::hours{480'000}};
};

caf::behavior fake_worker(caf::event_based_actor* self, std::shared_ptr<world> w, std::string id) {
  self->set_exit_handler([self, w](caf::exit_msg& em) {
    ++w->exits;
    self->quit(em.reason);
  });
  return {
    [=](ha::ats_sync_atom) { ++w->syncs[id]; },
    [=](ha::ats_sync_atom, const std::string&) { ++w->crash_notes[id]; },
    [=](ha::ats_test_atom, const hw::org_id&, const std::string&) { return ha::ats_test_outcome{true, "ok"}; },
    [=](ha::ats_job_atom, const hw::storage::job& j) { w->jobs[id].push_back(j.id); },
    [=](crash_atom) { self->quit(caf::sec::runtime_error); },
  };
}

hw::storage::ats_schedule_row row(const hw::org_id& org, const std::string& id, ats_connection_state s,
                                  std::optional<hw::storage::time_point> next = std::nullopt) {
  hw::storage::ats_schedule_row r;
  r.org = org;
  r.connection_id = id;
  r.vendor = "greenhouse";
  r.state = s;
  r.next_sync_at = next;
  return r;
}

/// `r` with its sync lease held by `owner` until `until`.
hw::storage::ats_schedule_row leased(hw::storage::ats_schedule_row r, const std::string& owner,
                                     hw::storage::time_point until) {
  r.sync_lease_owner = owner;
  r.sync_lease_until = until;
  return r;
}

struct sup_env : hw::testing::caf_fixture {
  std::shared_ptr<world> w = std::make_shared<world>();
  caf::actor sup;

  sup_env() {
    ha::ats_supervisor_options opt;
    opt.schedule_interval = 60s;
    opt.poll_interval = 2s;
    opt.purge_interval = 24h;
    opt.claim_batch = 10;
    opt.restart = hw::domain::retry_policy{100ms, 10s, 0.0};
    opt.jitter = [] { return 1.0; };  // delay == the policy's ceiling
    opt.now = [w = w] { return w->now; };
    opt.on_failing = [w = w](const std::vector<std::string>& ids) { w->failing_reports.push_back(ids); };
    opt.lease_owner = me;
    ha::ats_supervisor_io io;
    io.load_schedule = [w = w](const caf::actor&) { ++w->loads; };
    io.claim_webhook_jobs = [w = w](const caf::actor&, int, std::vector<hw::storage::webhook_job_target> ensure) {
      ++w->claims;
      std::vector<std::string> ids;
      for (const auto& t : ensure) ids.push_back(t.org.value + "/" + t.connection_id);
      w->ensured.push_back(std::move(ids));
    };
    io.fail_job = [w = w](const hw::storage::job& j, const std::string&, std::optional<std::chrono::milliseconds> in) {
      (in ? w->requeued : w->dropped).push_back(j.id);
    };
    io.purge = [w = w] { ++w->purges; };
    ha::ats_worker_factory factory = [w = w](caf::actor_system& s, caf::actor, const ha::ats_worker_key& k,
                                             std::shared_ptr<std::atomic<bool>> stop) {
      auto a = s.spawn(fake_worker, w, k.connection_id);
      w->workers.push_back(a);
      w->spawned_for.push_back(k.connection_id);
      w->stops.push_back(std::move(stop));
      return a;
    };
    sup = sys.spawn(ha::ats_supervisor, opt, io, factory);
    sched.run();
  }
  ~sup_env() {
    caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
    sched.run();
  }

  void answer_load(std::vector<hw::storage::ats_schedule_row> rows, bool ok = true) {
    ha::ats_schedule_load l;
    l.ok = ok;
    l.rows = std::move(rows);
    if (!ok) l.error = "the database is unavailable";
    caf::anon_send(sup, ha::ats_sched_atom::value, std::move(l));
    sched.run();
  }
  void report(const std::string& id, ha::ats_worker_report::what kind, bool ok,
              std::optional<ats_connection_state> s, std::optional<hw::storage::time_point> next = std::nullopt) {
    caf::anon_send(sup, ha::ats_report_atom::value, id, ha::ats_worker_report{kind, ok, s, next, ""});
    sched.run();
  }
  /// A worker's report that another process holds the connection's sync lease until `until`.
  void report_busy(const std::string& id, std::optional<hw::storage::time_point> until) {
    ha::ats_worker_report r{ha::ats_worker_report::what::busy, false, ats_connection_state::connected,
                            std::nullopt, "another server process is pulling it", until};
    caf::anon_send(sup, ha::ats_report_atom::value, id, std::move(r));
    sched.run();
  }
  bool status(const hw::org_id& org, const std::string& id) {
    auto h = self->request(sup, caf::infinite, ha::ats_status_atom::value, org, id);
    sched.run();
    bool syncing = false;
    bool got = false;
    h.receive([&](bool b) { syncing = b; got = true; }, [&](caf::error& e) { FAIL(ha::to_hw_error(e).detail); });
    REQUIRE(got);
    return syncing;
  }
  /// "sync now": true when answered ok.
  bool sync_now(const hw::org_id& org, const std::string& id) {
    auto h = self->request(sup, caf::infinite, ha::ats_sync_atom::value, org, id);
    sched.run();
    bool ok = false;
    h.receive([&]() { ok = true; }, [&](caf::error& e) { FAIL(ha::to_hw_error(e).detail); });
    return ok;
  }
  /// Fires the earliest timer; returns how far the scheduler clock moved.
  caf::actor_clock::duration_type fire() {
    const auto before = sched.clock().now();
    REQUIRE(sched.clock().trigger_timeout());
    sched.run();
    return sched.clock().now() - before;
  }
  /// Fires timers until the supervisor asks for a schedule read, then answers it with `rows`.
  void next_read(std::vector<hw::storage::ats_schedule_row> rows) {
    const int n = w->loads;
    while (w->loads == n) fire();
    answer_load(std::move(rows));
  }
  template <class Handle>
  hw::error expect_error(Handle& h) {
    REQUIRE(has_mail());
    hw::error out;
    bool got = false;
    h.receive([&]() { FAIL("unexpected success"); }, [&](caf::error& e) {
      out = ha::to_hw_error(e);
      got = true;
    });
    REQUIRE(got);
    return out;
  }
};

hw::storage::job webhook_job(std::int64_t id, const hw::org_id& org, const std::string& conn) {
  hw::storage::job j;
  j.org = org;
  j.id = id;
  j.kind = hw::storage::ats_webhook_job_kind;
  j.args = R"({"inbox_id":)" + std::to_string(id) + R"(,"connection_id":")" + conn + R"("})";
  j.attempt = 1;
  return j;
}

}  // namespace

TEST_CASE("ats_supervisor: reads the schedule at start, spawns a worker per live connection, pulls what is due",
          "[actor][ats]") {
  sup_env env;
  CHECK(env.w->loads == 1);
  CHECK(env.w->claims == 1);
  CHECK(env.w->purges == 1);
  env.answer_load({row(org_a, conn1, ats_connection_state::connected),  // never synced: due now
                   row(org_b, conn2, ats_connection_state::pending)});
  CHECK(env.w->spawned_for == std::vector<std::string>{conn1, conn2});
  CHECK(env.w->syncs[conn1] == 1);
  CHECK(env.w->syncs[conn2] == 0);  // pending: nothing to sync before a successful test
}

TEST_CASE("ats_supervisor: a pull is sent when next_sync_at comes due, one at a time per connection",
          "[actor][ats]") {
  sup_env env;
  const auto later = env.w->now + 30min;
  env.answer_load({row(org_a, conn1, ats_connection_state::degraded, later)});
  CHECK(env.w->syncs[conn1] == 0);

  env.w->now = later;
  CHECK(env.fire() == 2s);  // the webhook poll tick comes first
  CHECK(env.w->syncs[conn1] == 0);
  // The minute tick re-reads the schedule and dispatches what is due.
  env.next_read({row(org_a, conn1, ats_connection_state::degraded, later)});
  CHECK(env.w->syncs[conn1] == 1);
  env.next_read({row(org_a, conn1, ats_connection_state::degraded, later)});
  CHECK(env.w->syncs[conn1] == 1);  // still running: not sent again

  SECTION("a sync asked for during a run is queued once and sent when the run reports") {
    (void)env.self->request(env.sup, caf::infinite, ha::ats_sync_atom::value, org_a, conn1);
    (void)env.self->request(env.sup, caf::infinite, ha::ats_sync_atom::value, org_a, conn1);
    env.sched.run();
    CHECK(env.w->syncs[conn1] == 1);
    env.report(conn1, ha::ats_worker_report::what::sync, true, ats_connection_state::connected, later + 1h);
    CHECK(env.w->syncs[conn1] == 2);
    env.report(conn1, ha::ats_worker_report::what::sync, true, ats_connection_state::connected, later + 1h);
    CHECK(env.w->syncs[conn1] == 2);
  }
  SECTION("the report's next_sync_at decides the next pull") {
    env.report(conn1, ha::ats_worker_report::what::sync, true, ats_connection_state::connected, later + 1h);
    env.w->now = later + 59min;
    env.next_read({row(org_a, conn1, ats_connection_state::connected, later + 1h)});
    CHECK(env.w->syncs[conn1] == 1);
    env.w->now = later + 1h;
    env.next_read({row(org_a, conn1, ats_connection_state::connected, later + 1h)});
    CHECK(env.w->syncs[conn1] == 2);
  }
}

TEST_CASE("ats_supervisor: sync requests answer by state, and unknown connections after a fresh read",
          "[actor][ats]") {
  sup_env env;
  env.answer_load({row(org_a, conn1, ats_connection_state::pending)});
  {
    auto h = env.self->request(env.sup, caf::infinite, ha::ats_sync_atom::value, org_a, conn1);
    env.sched.run();
    CHECK(env.expect_error(h).code == hw::errc::illegal_transition);
  }
  {
    // Another organization's connection is not found, even though it exists.
    auto h = env.self->request(env.sup, caf::infinite, ha::ats_sync_atom::value, org_b, conn1);
    env.sched.run();
    CHECK_FALSE(env.has_mail());  // parked until the next read
    CHECK(env.w->loads == 2);
    env.answer_load({row(org_a, conn1, ats_connection_state::pending)});
    CHECK(env.expect_error(h).code == hw::errc::not_found);
  }
  {
    // A connection created after the last read is found by the read the request triggers.
    auto h = env.self->request(env.sup, caf::infinite, ha::ats_sync_atom::value, org_b, conn2);
    env.sched.run();
    CHECK_FALSE(env.has_mail());
    env.answer_load({row(org_a, conn1, ats_connection_state::pending),
                     row(org_b, conn2, ats_connection_state::connected, env.w->now + 1h)});
    REQUIRE(env.has_mail());
    bool ok = false;
    h.receive([&]() { ok = true; }, [&](caf::error& e) { FAIL(ha::to_hw_error(e).detail); });
    CHECK(ok);
    CHECK(env.w->syncs[conn2] == 1);
  }
  {
    auto h = env.self->request(env.sup, caf::infinite, ha::ats_status_atom::value, org_b, conn2);
    env.sched.run();
    bool syncing = false;
    h.receive([&](bool b) { syncing = b; }, [&](caf::error& e) { FAIL(ha::to_hw_error(e).detail); });
    CHECK(syncing);
  }
  {
    // A failed read answers unavailable rather than not_found.
    auto h = env.self->request(env.sup, caf::infinite, ha::ats_test_atom::value, org_b,
                               std::string{"10000000-0000-4000-8000-000000000009"});
    env.sched.run();
    env.answer_load({}, false);
    CHECK(env.expect_error(h).code == hw::errc::unavailable);
  }
}

TEST_CASE("ats_supervisor: a test is answered by the worker, and a first successful test starts a pull",
          "[actor][ats]") {
  sup_env env;
  env.answer_load({row(org_a, conn1, ats_connection_state::pending)});
  auto h = env.self->request(env.sup, caf::infinite, ha::ats_test_atom::value, org_a, conn1);
  env.sched.run();
  REQUIRE(env.has_mail());
  ha::ats_test_outcome out;
  h.receive([&](ha::ats_test_outcome& o) { out = o; }, [&](caf::error& e) { FAIL(ha::to_hw_error(e).detail); });
  CHECK(out.ok);
  CHECK(env.w->syncs[conn1] == 0);
  env.report(conn1, ha::ats_worker_report::what::test, true, ats_connection_state::connected);
  CHECK(env.w->syncs[conn1] == 1);
}

TEST_CASE("ats_supervisor: a crashed worker is restarted after full-jitter backoff", "[actor][ats]") {
  sup_env env;
  env.answer_load({row(org_a, conn1, ats_connection_state::connected, env.w->now + 1h)});
  REQUIRE(env.w->workers.size() == 1);
  caf::anon_send(env.w->workers[0], crash_atom::value);
  env.sched.run();
  CHECK(env.w->workers.size() == 1);  // waits for its timer
  CHECK(env.fire() == 100ms);
  REQUIRE(env.w->workers.size() == 2);
  CHECK(env.w->spawned_for.back() == conn1);

  SECTION("repeated crashes back off exponentially") {
    caf::anon_send(env.w->workers[1], crash_atom::value);
    env.sched.run();
    CHECK(env.fire() == 200ms);
    caf::anon_send(env.w->workers[2], crash_atom::value);
    env.sched.run();
    CHECK(env.fire() == 400ms);
    CHECK(env.w->workers.size() == 4);
  }
  SECTION("a pull asked for while the worker restarts is sent to the new worker") {
    caf::anon_send(env.w->workers[1], crash_atom::value);
    env.sched.run();
    (void)env.self->request(env.sup, caf::infinite, ha::ats_sync_atom::value, org_a, conn1);
    env.sched.run();
    CHECK(env.w->syncs[conn1] == 0);
    env.fire();
    CHECK(env.w->syncs[conn1] == 1);
  }
  SECTION("a clean run resets the backoff") {
    env.report(conn1, ha::ats_worker_report::what::sync, true, ats_connection_state::connected, env.w->now + 1h);
    caf::anon_send(env.w->workers[1], crash_atom::value);
    env.sched.run();
    CHECK(env.fire() == 100ms);
  }
  SECTION("a crash during a pull is recorded as a failed run by the new worker") {
    (void)env.self->request(env.sup, caf::infinite, ha::ats_sync_atom::value, org_a, conn1);
    env.sched.run();
    CHECK(env.w->syncs[conn1] == 1);
    caf::anon_send(env.w->workers[1], crash_atom::value);
    env.sched.run();
    CHECK(env.fire() == 200ms);
    CHECK(env.w->crash_notes[conn1] == 1);
    CHECK(env.w->syncs[conn1] == 1);
    env.report(conn1, ha::ats_worker_report::what::sync, false, ats_connection_state::connected, env.w->now + 1h);
    (void)env.self->request(env.sup, caf::infinite, ha::ats_sync_atom::value, org_a, conn1);
    env.sched.run();
    CHECK(env.w->syncs[conn1] == 2);
  }
}

TEST_CASE("ats_supervisor: failing connections are reported by id and cleared on recovery", "[actor][ats]") {
  sup_env env;
  env.answer_load({row(org_a, conn1, ats_connection_state::degraded, env.w->now + 1h),
                   row(org_b, conn2, ats_connection_state::connected, env.w->now + 1h)});
  CHECK(env.w->failing_reports.empty());
  env.report(conn1, ha::ats_worker_report::what::sync, false, ats_connection_state::failing, env.w->now + 1h);
  REQUIRE(env.w->failing_reports.size() == 1);
  CHECK(env.w->failing_reports.back() == std::vector<std::string>{conn1});
  env.report(conn2, ha::ats_worker_report::what::sync, false, ats_connection_state::degraded, env.w->now + 1h);
  CHECK(env.w->failing_reports.size() == 1);  // unchanged set: no new report
  env.report(conn1, ha::ats_worker_report::what::sync, true, ats_connection_state::connected, env.w->now + 1h);
  REQUIRE(env.w->failing_reports.size() == 2);
  CHECK(env.w->failing_reports.back().empty());
}

TEST_CASE("ats_supervisor: a disconnected or deleted connection's worker is stopped", "[actor][ats]") {
  sup_env env;
  env.answer_load({row(org_a, conn1, ats_connection_state::connected, env.w->now + 1h),
                   row(org_b, conn2, ats_connection_state::connected, env.w->now + 1h)});
  REQUIRE(env.w->workers.size() == 2);
  caf::anon_send(env.sup, ha::ats_reload_atom::value, org_a, conn1);
  env.sched.run();
  CHECK(env.w->loads == 2);
  env.answer_load({row(org_b, conn2, ats_connection_state::connected, env.w->now + 1h)});
  CHECK(env.w->exits == 1);
  CHECK(env.w->stops[0]->load());  // a running pull would be cancelled
  CHECK_FALSE(env.w->stops[1]->load());
  // A worker that finds its row gone asks to be stopped too; no restart follows.
  env.report(conn2, ha::ats_worker_report::what::gone, false, std::nullopt);
  CHECK(env.w->exits == 2);
  CHECK(env.w->workers.size() == 2);
}

TEST_CASE("ats_supervisor: webhook jobs go to their connection's worker", "[actor][ats]") {
  sup_env env;
  using targets = std::vector<hw::storage::webhook_job_target>;
  const auto a1 = org_a.value + "/" + conn1;
  const auto b2 = org_b.value + "/" + conn2;
  CHECK(env.w->ensured == std::vector<std::vector<std::string>>{{}});  // the first claim, at start
  // A schedule read asks for a claim that ensures every live connection's job (rows committed by a
  // process that stopped before its claim); the first claim is still in flight: remembered.
  env.answer_load({row(org_a, conn1, ats_connection_state::connected, env.w->now + 1h)});
  CHECK(env.w->claims == 1);
  caf::anon_send(env.sup, ha::ats_claimed_atom::value, std::vector<hw::storage::job>{});  // the first claim
  env.sched.run();
  CHECK(env.w->claims == 2);
  CHECK(env.w->ensured.back() == std::vector<std::string>{a1});
  caf::anon_send(env.sup, ha::ats_claimed_atom::value, std::vector<hw::storage::job>{});
  env.sched.run();
  CHECK(env.w->claims == 2);
  caf::anon_send(env.sup, ha::ats_hook_atom::value, targets{{org_a, conn1}});
  env.sched.run();
  CHECK(env.w->claims == 2);  // claimed hook_delay (50 ms) later, with whatever else arrives by then
  caf::anon_send(env.sup, ha::ats_hook_atom::value, targets{{org_b, conn2}, {org_a, conn1}});
  env.sched.run();
  env.sched.clock().advance_time(49ms);
  env.sched.run();
  CHECK(env.w->claims == 2);
  env.sched.clock().advance_time(1ms);
  env.sched.run();
  CHECK(env.w->claims == 3);  // one claim for both hooks, ensuring each connection once
  CHECK(env.w->ensured.back() == std::vector<std::string>{a1, b2});
  // A claim is in flight: the hook is remembered, not doubled, and its connection kept for later.
  caf::anon_send(env.sup, ha::ats_hook_atom::value, targets{{org_a, conn1}});
  env.sched.run();
  env.sched.clock().advance_time(50ms);
  env.sched.run();
  CHECK(env.w->claims == 3);
  caf::anon_send(env.sup, ha::ats_claimed_atom::value,
                 std::vector<hw::storage::job>{webhook_job(7, org_a, conn1), webhook_job(8, org_b, conn2)});
  env.sched.run();
  CHECK(env.w->jobs[conn1] == std::vector<std::int64_t>{7});
  CHECK(env.w->claims == 4);  // the remembered wake-up
  CHECK(env.w->ensured.back() == std::vector<std::string>{a1});
  caf::anon_send(env.sup, ha::ats_claimed_atom::value, std::vector<hw::storage::job>{});
  env.sched.run();
  // The unknown connection's job waits for a fresh read, then is dead-lettered.
  CHECK(env.w->dropped.empty());
  env.answer_load({row(org_a, conn1, ats_connection_state::connected, env.w->now + 1h)});
  CHECK(env.w->dropped == std::vector<std::int64_t>{8});

  // A job whose worker is restarting goes back to the queue instead of waiting for its lease.
  caf::anon_send(env.w->workers[0], crash_atom::value);
  env.sched.run();
  caf::anon_send(env.sup, ha::ats_claimed_atom::value, std::vector<hw::storage::job>{webhook_job(9, org_a, conn1)});
  env.sched.run();
  CHECK(env.w->requeued == std::vector<std::int64_t>{9});
  CHECK(env.w->jobs[conn1] == std::vector<std::int64_t>{7});
}

TEST_CASE("ats_supervisor: retention runs at start and once a day", "[actor][ats]") {
  sup_env env;
  env.answer_load({});
  caf::anon_send(env.sup, ha::ats_claimed_atom::value, std::vector<hw::storage::job>{});
  env.sched.run();
  CHECK(env.w->purges == 1);
  env.sched.clock().advance_time(24h - 1s);
  env.sched.run();
  CHECK(env.w->purges == 1);
  env.sched.clock().advance_time(1s);
  env.sched.run();
  CHECK(env.w->purges == 2);
}

TEST_CASE("ats_supervisor: an exit stops every worker and no restart follows", "[actor][ats]") {
  sup_env env;
  env.answer_load({row(org_a, conn1, ats_connection_state::connected),
                   row(org_b, conn2, ats_connection_state::connected)});
  caf::anon_send_exit(env.sup, caf::exit_reason::user_shutdown);
  env.sched.run();
  CHECK(env.w->exits == 2);
  CHECK(env.w->stops[0]->load());
  CHECK(env.w->workers.size() == 2);
}

TEST_CASE("ats_supervisor: a due connection whose lease another process holds is not pulled here until it runs out",
          "[actor][ats][lease]") {
  sup_env env;
  const auto until = env.w->now + 5min;
  env.answer_load({leased(row(org_a, conn1, ats_connection_state::connected), other, until),  // due
                   leased(row(org_b, conn2, ats_connection_state::connected), me, until)});
  CHECK(env.w->syncs[conn1] == 0);  // the other process is pulling it
  CHECK(env.w->syncs[conn2] == 1);  // our own lease (a worker of ours left it): not another process's
  // The dashboard's `syncing` stays truthful, "sync now" answers ok (like "already syncing") and is
  // neither sent nor queued: the other process's pull is the pull.
  CHECK(env.status(org_a, conn1));
  CHECK(env.sync_now(org_a, conn1));
  CHECK(env.w->syncs[conn1] == 0);
  env.w->now = until - 1s;
  env.next_read({leased(row(org_a, conn1, ats_connection_state::connected), other, until),
                 leased(row(org_b, conn2, ats_connection_state::connected), me, until)});
  CHECK(env.w->syncs[conn1] == 0);
  CHECK(env.w->failing_reports.empty());

  SECTION("an expired lease (a crashed process) is nobody's: the due pull goes out") {
    env.w->now = until;
    env.next_read({leased(row(org_a, conn1, ats_connection_state::connected), other, until)});
    CHECK(env.w->syncs[conn1] == 1);
  }
  SECTION("released, with the next run scheduled by the other process: nothing is due") {
    env.w->now = until - 500ms;
    env.next_read({row(org_a, conn1, ats_connection_state::connected, env.w->now + 1h)});
    CHECK_FALSE(env.status(org_a, conn1));
    CHECK(env.w->syncs[conn1] == 0);
    CHECK(env.sync_now(org_a, conn1));  // now it is ours to run
    CHECK(env.w->syncs[conn1] == 1);
  }
}

TEST_CASE("ats_supervisor: a worker that finds the lease held reports busy: no error, no retry until it runs out",
          "[actor][ats][lease]") {
  sup_env env;
  env.answer_load({row(org_a, conn1, ats_connection_state::connected)});  // due, no lease seen yet
  REQUIRE(env.w->syncs[conn1] == 1);
  // A second "sync now" during our run is queued, as before ...
  CHECK(env.sync_now(org_a, conn1));
  CHECK(env.w->syncs[conn1] == 1);
  // ... but the worker's claim lost the race to another process.
  const auto until = env.w->now + 5min;
  env.report_busy(conn1, until);
  CHECK(env.w->syncs[conn1] == 1);  // the queued pull is covered by the other process's run
  CHECK(env.status(org_a, conn1));
  CHECK(env.w->failing_reports.empty());
  CHECK(env.sync_now(org_a, conn1));
  CHECK(env.w->syncs[conn1] == 1);
  // The next read shows the lease too: still due here, yet nothing is sent.
  env.next_read({leased(row(org_a, conn1, ats_connection_state::connected), other, until)});
  CHECK(env.w->syncs[conn1] == 1);

  SECTION("once the lease ran out without a new schedule, the pull is ours") {
    env.w->now = until + 1s;
    env.next_read({row(org_a, conn1, ats_connection_state::connected)});
    CHECK(env.w->syncs[conn1] == 2);
  }
  SECTION("a busy report without an expiry (lease lost mid-pull) ends our run without retrying it") {
    env.w->now = until + 1s;
    env.next_read({row(org_a, conn1, ats_connection_state::connected, env.w->now + 1h)});
    CHECK(env.sync_now(org_a, conn1));
    REQUIRE(env.w->syncs[conn1] == 2);
    env.report_busy(conn1, std::nullopt);
    CHECK(env.w->syncs[conn1] == 2);
    CHECK(env.w->failing_reports.empty());
  }
}
