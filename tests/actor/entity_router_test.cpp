// The entity router and the organization entity on CAF's deterministic test scheduler, against
// an in-memory db actor. Nothing here touches the wall clock or a database.
#include <catch2/catch.hpp>

#include "actors/message_types.hpp"
#include "actors/organization/organization_actor.hpp"
#include "actors/registry/entity_router.hpp"
#include "tests/support/caf_fixture.hpp"
#include "tests/support/fake_db_actor.hpp"

using namespace hw;
using namespace hw::actors;
using hw::testing::fake_db;

namespace {

const std::string org_a = "00000000-0000-4000-8000-00000000000a";
const std::string org_b = "00000000-0000-4000-8000-00000000000b";

struct router_fixture : hw::testing::caf_fixture {
  std::shared_ptr<fake_db> store = std::make_shared<fake_db>();
  caf::actor db = sys.spawn(hw::testing::fake_db_actor, store);
  std::shared_ptr<router_stats> stats = std::make_shared<router_stats>();
  std::vector<caf::actor> spawned;  // every entity actor the router activated, in order
  caf::actor router;

  router_fixture() {
    store->add(org_a, "Acme");
    store->add(org_b, "Globex");
    organization_options opt;
    opt.idle_timeout = std::chrono::minutes(15);
    auto spec = organization_spec(db, opt);
    auto inner = spec.activate;
    spec.activate = [this, inner](caf::event_based_actor* r, const std::string& key,
                                  std::function<void(caf::expected<caf::actor>)> done) {
      inner(r, key, [this, done](caf::expected<caf::actor> a) {
        if (a) spawned.push_back(*a);
        done(std::move(a));
      });
    };
    router = spawn_entity_router(sys, spec, stats);
    sched.run();
  }

  ~router_fixture() {
    caf::anon_send_exit(router, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(db, caf::exit_reason::user_shutdown);
    sched.run();
  }

  auto get(const std::string& key) {
    return self->request(router, caf::infinite, route_atom::value, key, caf::make_message(caf::get_atom::value));
  }
  auto rename(const std::string& key, std::string name, std::int64_t if_match = no_precondition) {
    domain::org_patch p;
    p.name = std::move(name);
    return self->request(router, caf::infinite, route_atom::value, key,
                         caf::make_message(update_atom::value, p, if_match, actor_ref{"test", "t"}));
  }
  auto event(const std::string& key, domain::org_event ev) {
    return self->request(router, caf::infinite, route_atom::value, key,
                         caf::make_message(apply_atom::value, ev, actor_ref{"test", "t"}));
  }

  /// Two idle ticks: the first finds the last command, the second finds none and passivates.
  void idle_out() {
    for (int i = 0; i < 2; ++i) {
      sched.trigger_timeouts();
      sched.run();
    }
  }

  template <class Handle>
  domain::organization expect_org(Handle& h) {
    REQUIRE(has_mail());
    domain::organization out;
    bool ok = false;
    h.receive([&](domain::organization& o) { out = o; ok = true; },
              [&](caf::error& e) { FAIL("unexpected error: " << to_hw_error(e).detail); });
    REQUIRE(ok);
    return out;
  }

  template <class Handle>
  hw::error expect_error(Handle& h) {
    REQUIRE(has_mail());
    hw::error out;
    bool got = false;
    h.receive([&](domain::organization& o) { FAIL("unexpected success, version " << o.version); },
              [&](caf::error& e) { out = to_hw_error(e); got = true; });
    REQUIRE(got);
    return out;
  }
};

}  // namespace

TEST_CASE_METHOD(router_fixture, "entity_router: first message activates the entity by loading its row",
                 "[actor][entity_router]") {
  CHECK(stats->active.load() == 0);
  auto h = get(org_a);
  sched.run();
  auto o = expect_org(h);
  CHECK(o.name == "Acme");
  CHECK(store->loads == 1);
  CHECK(stats->active.load() == 1);

  auto h2 = get(org_a);
  sched.run();
  CHECK(expect_org(h2).name == "Acme");
  CHECK(store->loads == 1);  // served by the active entity, no second load
  CHECK(spawned.size() == 1);
}

TEST_CASE_METHOD(router_fixture, "entity_router: each key gets its own entity", "[actor][entity_router]") {
  auto ha = get(org_a);
  auto hb = get(org_b);
  sched.run();
  CHECK(expect_org(ha).name == "Acme");
  CHECK(expect_org(hb).name == "Globex");
  CHECK(stats->active.load() == 2);
  CHECK(spawned.size() == 2);
}

TEST_CASE_METHOD(router_fixture, "entity_router: messages for an entity that is still loading are queued in order",
                 "[actor][entity_router]") {
  store->hold_loads = true;
  auto h1 = get(org_a);
  auto h2 = rename(org_a, "Acme Two");
  auto h3 = get(org_a);
  sched.run();
  CHECK_FALSE(has_mail());      // nothing answered while the row is loading
  CHECK(store->held.size() == 1);  // one load, not three

  store->hold_loads = false;
  self->send(db, hw::testing::release_atom::value);
  sched.run();
  CHECK(expect_org(h1).version == 1);  // the read queued before the rename sees the old state
  auto renamed = expect_org(h2);
  CHECK(renamed.name == "Acme Two");
  CHECK(renamed.version == 2);
  auto after = expect_org(h3);
  CHECK(after.name == "Acme Two");
  CHECK(store->saves == 1);  // not duplicated
  CHECK_FALSE(has_mail());
  CHECK(spawned.size() == 1);
}

TEST_CASE_METHOD(router_fixture, "entity_router: a failed load answers every queued request and is retried later",
                 "[actor][entity_router]") {
  store->load_error = errc::unavailable;
  auto h1 = get(org_a);
  auto h2 = get(org_a);
  sched.run();
  CHECK(expect_error(h1).code == errc::unavailable);
  CHECK(expect_error(h2).code == errc::unavailable);
  CHECK(stats->active.load() == 0);

  store->load_error = errc::ok;
  auto h3 = get(org_a);
  sched.run();
  CHECK(expect_org(h3).name == "Acme");
  CHECK(store->loads == 2);
}

TEST_CASE_METHOD(router_fixture, "entity_router: an unknown id answers not_found and activates nothing",
                 "[actor][entity_router]") {
  auto h = get("00000000-0000-4000-8000-0000000000ff");
  sched.run();
  CHECK(expect_error(h).code == errc::not_found);
  CHECK(stats->active.load() == 0);
  CHECK(spawned.empty());
}

TEST_CASE_METHOD(router_fixture, "entity_router: an idle entity is passivated and reactivated transparently",
                 "[actor][entity_router]") {
  auto h = rename(org_a, "Renamed");
  sched.run();
  CHECK(expect_org(h).version == 2);
  CHECK(stats->active.load() == 1);

  sched.trigger_timeouts();  // first idle tick: there was a command since activation
  sched.run();
  CHECK(stats->active.load() == 1);
  sched.trigger_timeouts();  // second idle tick: nothing since the first
  sched.run();
  CHECK(stats->active.load() == 0);
  CHECK(store->loads == 1);

  auto h2 = get(org_a);
  sched.run();
  auto o = expect_org(h2);
  CHECK(o.name == "Renamed");  // the state came back from storage
  CHECK(o.version == 2);
  CHECK(store->loads == 2);
  CHECK(spawned.size() == 2);
  CHECK(stats->active.load() == 1);
}

TEST_CASE_METHOD(router_fixture, "entity_router: activity within the idle window keeps the entity active",
                 "[actor][entity_router]") {
  auto h = get(org_a);
  sched.run();
  expect_org(h);
  for (int window = 0; window < 3; ++window) {
    sched.trigger_timeouts();
    sched.run();
    auto h2 = get(org_a);
    sched.run();
    expect_org(h2);
    CHECK(stats->active.load() == 1);
  }
  CHECK(store->loads == 1);
  idle_out();
  CHECK(stats->active.load() == 0);
}

TEST_CASE_METHOD(router_fixture, "entity_router: a message arriving while the entity passivates is not lost",
                 "[actor][entity_router]") {
  auto h = get(org_a);
  sched.run();
  expect_org(h);
  REQUIRE(spawned.size() == 1);
  // The entity asks to passivate; before its stop and down message are through, a new request
  // comes in: it must wait and be served by a fresh activation.
  caf::send_as(spawned[0], router, passivate_atom::value, org_a);
  auto h2 = rename(org_a, "During passivation");
  sched.run();
  auto o = expect_org(h2);
  CHECK(o.name == "During passivation");
  CHECK(spawned.size() == 2);
  CHECK(store->loads == 2);
  CHECK(store->saves == 1);
  CHECK(stats->active.load() == 1);
}

TEST_CASE_METHOD(router_fixture, "entity_router: a passivation request from a stranger is ignored",
                 "[actor][entity_router]") {
  auto h = get(org_a);
  sched.run();
  expect_org(h);
  self->send(router, passivate_atom::value, org_a);  // not the entity
  sched.run();
  CHECK(stats->active.load() == 1);
  auto h2 = get(org_a);
  sched.run();
  expect_org(h2);
  CHECK(store->loads == 1);
}

TEST_CASE_METHOD(router_fixture, "organization_actor: a concurrent write elsewhere is reloaded, not overwritten",
                 "[actor][organization]") {
  auto h = get(org_a);
  sched.run();
  expect_org(h);
  // Another process changes the time zone behind this entity's back.
  store->orgs[org_a].time_zone = "Europe/Berlin";
  store->orgs[org_a].version = 2;

  auto h2 = rename(org_a, "Acme Renamed");
  sched.run();
  auto o = expect_org(h2);
  CHECK(o.name == "Acme Renamed");
  CHECK(o.time_zone == "Europe/Berlin");  // the other writer's change survives
  CHECK(o.version == 3);
  CHECK(store->saves == 2);  // one conflict, one success
  CHECK(store->loads == 2);  // activation + reload
  CHECK(store->orgs[org_a].name == "Acme Renamed");
}

TEST_CASE_METHOD(router_fixture, "organization_actor: a second conflict in a row answers version_conflict",
                 "[actor][organization]") {
  store->always_conflict = 2;
  auto h = rename(org_a, "Never");
  sched.run();
  CHECK(expect_error(h).code == errc::version_conflict);
  CHECK(store->orgs[org_a].name == "Acme");
  CHECK(store->saves == 2);
}

TEST_CASE_METHOD(router_fixture, "organization_actor: If-Match must name the current version",
                 "[actor][organization]") {
  auto h = rename(org_a, "Stale", 7);
  sched.run();
  auto e = expect_error(h);
  CHECK(e.code == errc::precondition_failed);
  CHECK(store->saves == 0);
  auto h2 = rename(org_a, "Fresh", 1);
  sched.run();
  CHECK(expect_org(h2).version == 2);
}

TEST_CASE_METHOD(router_fixture, "organization_actor: lifecycle follows the transition table and persists",
                 "[actor][organization]") {
  auto h = event(org_a, domain::org_event::reactivate);
  sched.run();
  CHECK(expect_error(h).code == errc::illegal_transition);
  CHECK(store->saves == 0);

  auto h2 = event(org_a, domain::org_event::suspend);
  sched.run();
  CHECK(expect_org(h2).state == domain::org_state::suspended);
  CHECK(store->orgs[org_a].state == domain::org_state::suspended);

  auto h3 = event(org_a, domain::org_event::reactivate);
  sched.run();
  CHECK(expect_org(h3).state == domain::org_state::active);

  auto h4 = event(org_a, domain::org_event::close);
  sched.run();
  CHECK(expect_org(h4).state == domain::org_state::closed);

  auto h5 = rename(org_a, "After close");
  sched.run();
  CHECK(expect_error(h5).code == errc::illegal_transition);
  CHECK(store->audit == std::vector<std::string>{"organization.suspend", "organization.reactivate",
                                                 "organization.close"});
}

TEST_CASE_METHOD(router_fixture, "organization_actor: an invalid patch is refused before any write",
                 "[actor][organization]") {
  domain::org_patch p;
  p.slug = "Not A Slug";
  auto h = self->request(router, caf::infinite, route_atom::value, org_a,
                         caf::make_message(update_atom::value, p, no_precondition, actor_ref{"test", "t"}));
  sched.run();
  auto e = expect_error(h);
  CHECK(e.code == errc::invalid_argument);
  CHECK(e.detail.find("slug") != std::string::npos);
  CHECK(store->saves == 0);
}

TEST_CASE_METHOD(router_fixture, "organization_actor: a patch that changes nothing writes nothing",
                 "[actor][organization]") {
  auto h = rename(org_a, "Acme");
  sched.run();
  CHECK(expect_org(h).version == 1);
  CHECK(store->saves == 0);
}
