// The job posting entity behind an entity_router, on CAF's deterministic test scheduler, against
// an in-memory job_store whose answers the test can hold. No wall clock, no database.
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "actors/domain/job_posting_fsm.hpp"
#include "actors/job_posting/job_posting_actor.hpp"
#include "actors/job_posting/job_posting_client.hpp"
#include "actors/message_types.hpp"
#include "actors/registry/entity_router.hpp"
#include "tests/support/caf_fixture.hpp"

using namespace hw;
using namespace hw::actors;

namespace {

const std::string org_a = "00000000-0000-4000-8000-00000000000a";
const std::string org_b = "00000000-0000-4000-8000-00000000000b";
const std::string job_1 = "00000000-0000-4000-8000-000000000001";
const std::string key_1 = org_a + "/" + job_1;

// The rows and a log of store calls. `hold` parks answers until release().
struct fake_jobs {
  std::map<std::string, std::pair<std::string, job_detail>> rows;  // job id -> (org, row)
  int loads = 0;
  int writes = 0;
  bool hold = false;
  std::vector<std::function<void()>> held;

  void add(const std::string& org, const std::string& id, const std::string& state) {
    job_detail d;
    d.summary.id = id;
    d.summary.title = "Engineer";
    d.summary.posting_state = state;
    d.version = 1;
    rows[id] = {org, d};
  }
  job_detail& row(const std::string& id) { return rows.at(id).second; }

  void answer(std::function<void()> f) {
    if (hold) held.push_back(std::move(f));
    else f();
  }
  void release() {
    auto h = std::move(held);
    held.clear();
    for (auto& f : h) f();
  }

  // The checks storage/job_posting_repo makes: tenant, If-Match (the entity's cached version).
  result<job_detail*> find(const org_id& org, const std::string& id, std::optional<std::int64_t> expected) {
    auto it = rows.find(id);
    if (it == rows.end() || it->second.first != org.value) return hw::error{errc::not_found, "no such job posting"};
    if (expected && *expected != it->second.second.version)
      return hw::error{errc::precondition_failed, "the job posting's version is not If-Match"};
    return &it->second.second;
  }
};

job_store fake_store(std::shared_ptr<fake_jobs> db) {
  job_store s;
  s.load = [db](const org_id& org, const std::string& job, job_store::reply reply) {
    ++db->loads;
    db->answer([db, org, job, reply] {
      auto r = db->find(org, job, std::nullopt);
      if (!r) reply(std::move(r).error());
      else reply(**r);
    });
  };
  s.edit = [db](const org_id& org, const std::string& job, const job_edit& e, std::int64_t expected,
                const actor_ref&, job_store::reply reply) {
    ++db->writes;
    db->answer([db, org, job, e, expected, reply] {
      auto r = db->find(org, job, expected);
      if (!r) return reply(std::move(r).error());
      if (e.title) (*r)->summary.title = *e.title;
      ++(*r)->version;
      reply(**r);
    });
  };
  s.transition = [db](const org_id& org, const std::string& job, const std::string& event, std::int64_t expected,
                      const actor_ref&, job_store::reply reply) {
    ++db->writes;
    db->answer([db, org, job, event, expected, reply] {
      auto r = db->find(org, job, expected);
      if (!r) return reply(std::move(r).error());
      auto t = domain::decide(*domain::parse_job_posting_state((*r)->summary.posting_state),
                              *domain::parse_job_posting_event(event), domain::job_driver::recruiter);
      if (!t) return reply(std::move(t).error());
      (*r)->summary.posting_state = std::string{domain::to_string(t->to)};
      ++(*r)->version;
      reply(**r);
    });
  };
  return s;
}

struct job_fixture : hw::testing::caf_fixture {
  std::shared_ptr<fake_jobs> db = std::make_shared<fake_jobs>();
  std::shared_ptr<router_stats> stats = std::make_shared<router_stats>();
  caf::actor router;

  explicit job_fixture(bool confirm_refusals = true) {
    db->add(org_a, job_1, "imported");
    job_posting_options opt;
    opt.confirm_refusals = confirm_refusals;
    opt.idle_timeout = std::chrono::minutes(15);
    opt.db_timeout = std::chrono::seconds(6);
    router = spawn_entity_router(sys, job_posting_spec(fake_store(db), opt), stats);
    sched.run();
  }
  ~job_fixture() {
    caf::anon_send_exit(router, caf::exit_reason::user_shutdown);
    sched.run();
  }

  auto send(const std::string& key, caf::message cmd) {
    return self->request(router, caf::infinite, route_atom::value, key, std::move(cmd));
  }
  auto get(const std::string& key = key_1) { return send(key, caf::make_message(caf::get_atom::value)); }
  auto event(std::string ev, std::int64_t if_match = no_precondition, const std::string& key = key_1) {
    return send(key, caf::make_message(job_event_atom::value, std::move(ev), if_match, actor_ref{"user", "u1"}));
  }
  auto edit_title(std::string title, std::int64_t if_match = no_precondition) {
    job_edit e;
    e.title = std::move(title);
    return send(key_1, caf::make_message(job_edit_atom::value, e, if_match, actor_ref{"user", "u1"}));
  }

  void idle_out() {
    for (int i = 0; i < 2; ++i) {
      sched.trigger_timeouts();
      sched.run();
    }
  }

  template <class Handle>
  job_detail expect_job(Handle& h) {
    REQUIRE(has_mail());
    job_detail out;
    bool ok = false;
    h.receive([&](job_detail& d) { out = d; ok = true; },
              [&](caf::error& e) { FAIL("unexpected error: " << to_hw_error(e).detail); });
    REQUIRE(ok);
    return out;
  }

  template <class Handle>
  hw::error expect_error(Handle& h) {
    REQUIRE(has_mail());
    hw::error out;
    bool got = false;
    h.receive([&](job_detail& d) { FAIL("unexpected success, version " << d.version); },
              [&](caf::error& e) { out = to_hw_error(e); got = true; });
    REQUIRE(got);
    return out;
  }
};

struct strict_job_fixture : job_fixture {
  strict_job_fixture() : job_fixture(false) {}
};

}  // namespace

TEST_CASE("job_posting key: both parts must be uuids and are lower-cased", "[actor][job_posting]") {
  auto k = parse_job_posting_key("00000000-0000-4000-8000-00000000000A/" + job_1);
  REQUIRE(k);
  CHECK(k->org.value == org_a);
  CHECK(k->job == job_1);
  CHECK_FALSE(parse_job_posting_key(org_a));
  CHECK_FALSE(parse_job_posting_key(org_a + "/nope"));
  CHECK_FALSE(parse_job_posting_key("nope/" + job_1));
  CHECK(job_posting_key_of(org_id{org_a}, job_1) == key_1);
}

TEST_CASE_METHOD(job_fixture, "job_posting_actor: first message loads the row, later reads use the cache",
                 "[actor][job_posting]") {
  auto h = get();
  sched.run();
  CHECK(expect_job(h).summary.posting_state == "imported");
  auto h2 = get();
  sched.run();
  CHECK(expect_job(h2).version == 1);
  CHECK(db->loads == 1);
  CHECK(stats->active.load() == 1);
}

TEST_CASE_METHOD(job_fixture, "job_posting_actor: another organization's job and a malformed key are not_found",
                 "[actor][job_posting]") {
  auto h = get(org_b + "/" + job_1);
  sched.run();
  CHECK(expect_error(h).code == errc::not_found);
  auto h2 = get("not-a-key");
  sched.run();
  CHECK(expect_error(h2).code == errc::not_found);
  CHECK(db->loads == 1);  // the malformed key never reached the store
  CHECK(stats->active.load() == 0);
}

TEST_CASE_METHOD(strict_job_fixture, "job_posting_actor: without confirm_refusals a refusal touches no store",
                 "[actor][job_posting]") {
  auto h = event("open");
  sched.run();
  CHECK(expect_error(h).code == errc::illegal_transition);
  auto h2 = event("claim", 7);
  sched.run();
  CHECK(expect_error(h2).code == errc::precondition_failed);
  CHECK(db->loads == 1);  // the activation only
  CHECK(db->writes == 0);
}

TEST_CASE_METHOD(job_fixture, "job_posting_actor: a refusal re-reads the row once, so a sync write is seen",
                 "[actor][job_posting]") {
  auto h0 = get();
  sched.run();
  expect_job(h0);
  db->row(job_1).summary.posting_state = "closed";  // the sync closed it behind the cache
  db->row(job_1).version = 2;
  auto h = event("reopen");  // the cache (imported) refuses: re-read, closed -> draft is legal
  sched.run();
  auto j = expect_job(h);
  CHECK(j.summary.posting_state == "draft");
  CHECK(j.version == 3);
  CHECK(db->loads == 2);
  CHECK(db->writes == 1);
  db->row(job_1).version = 4;  // the sync again; the client saw version 4 in a list
  db->row(job_1).approved_template_version_id = "tpl-v1";  // "ready" needs an approved template
  auto h2 = event("mark_ready", 4);
  sched.run();
  CHECK(expect_job(h2).version == 5);
  CHECK(db->loads == 3);
  CHECK(db->writes == 2);
  auto h3 = event("open", 4);  // now really stale
  sched.run();
  CHECK(expect_error(h3).code == errc::precondition_failed);
  CHECK(db->writes == 2);
}

TEST_CASE_METHOD(job_fixture, "job_posting_actor: an illegal transition is refused without a write",
                 "[actor][job_posting]") {
  auto h = event("open");  // imported -> open: no such edge
  sched.run();
  CHECK(expect_error(h).code == errc::illegal_transition);
  auto h2 = event("frobnicate");
  sched.run();
  CHECK(expect_error(h2).code == errc::invalid_argument);
  auto h3 = event("close");  // imported -> closed is the ATS sync's edge, not a recruiter's
  sched.run();
  CHECK(expect_error(h3).code == errc::illegal_transition);
  CHECK(db->writes == 0);
  CHECK(db->loads == 3);  // the activation, one re-read per FSM refusal, none for an unknown event
  CHECK(db->row(job_1).summary.posting_state == "imported");
}

TEST_CASE_METHOD(job_fixture, "job_posting_actor: If-Match other than the cached version is refused without a write",
                 "[actor][job_posting]") {
  auto h = event("claim", 7);
  sched.run();
  CHECK(expect_error(h).code == errc::precondition_failed);
  auto h2 = edit_title("New", 7);
  sched.run();
  CHECK(expect_error(h2).code == errc::precondition_failed);
  CHECK(db->writes == 0);
  auto h3 = event("claim", 1);
  sched.run();
  CHECK(expect_job(h3).version == 2);
}

TEST_CASE_METHOD(job_fixture, "job_posting_actor: a legal transition is persisted, then answered with the new state",
                 "[actor][job_posting]") {
  db->row(job_1).approved_template_version_id = "tpl-v1";  // "ready" needs an approved template
  db->hold = true;
  auto h0 = get();
  sched.run();
  db->release();
  sched.run();
  expect_job(h0);

  auto h = event("claim");
  sched.run();
  CHECK(db->writes == 1);
  CHECK_FALSE(has_mail());  // not answered before the write is durable
  db->release();
  sched.run();
  auto j = expect_job(h);
  CHECK(j.summary.posting_state == "draft");
  CHECK(j.version == 2);
  CHECK(db->row(job_1).summary.posting_state == "draft");

  db->hold = false;
  for (const char* ev : {"mark_ready", "open"}) {
    auto hx = event(ev);
    sched.run();
    expect_job(hx);
  }
  auto r = send(key_1, caf::make_message(ready_atom::value));
  sched.run();
  bool accepts = false;
  r.receive([&](bool b) { accepts = b; }, [&](caf::error& e) { FAIL(to_hw_error(e).detail); });
  CHECK(accepts);
  CHECK(db->row(job_1).summary.posting_state == "open");
  CHECK(db->loads == 1);
}

TEST_CASE_METHOD(job_fixture, "job_posting_actor: commands run one at a time", "[actor][job_posting]") {
  auto h0 = get();
  sched.run();
  expect_job(h0);
  db->hold = true;
  auto h1 = event("claim");
  auto h2 = edit_title("Senior Engineer");
  auto h3 = get();
  sched.run();
  CHECK(db->writes == 1);  // the edit waits for the transition
  CHECK_FALSE(has_mail());
  db->release();
  sched.run();
  CHECK(db->writes == 2);
  db->release();
  sched.run();
  auto a = expect_job(h1);
  CHECK(a.version == 2);
  auto b = expect_job(h2);
  CHECK(b.version == 3);
  CHECK(b.summary.title == "Senior Engineer");
  auto c = expect_job(h3);
  CHECK(c.version == 3);  // the read queued behind both writes sees them
  CHECK(c.summary.posting_state == "draft");
}

TEST_CASE_METHOD(job_fixture, "job_posting_actor: a row changed underneath is reloaded and decided again",
                 "[actor][job_posting]") {
  auto h0 = get();
  sched.run();
  expect_job(h0);

  SECTION("the fresh state still allows the event") {
    db->row(job_1).summary.title = "Renamed in the ATS";  // the sync wrote meanwhile
    db->row(job_1).version = 5;
    auto h = event("claim");
    sched.run();
    auto j = expect_job(h);
    CHECK(j.version == 6);
    CHECK(j.summary.posting_state == "draft");
    CHECK(j.summary.title == "Renamed in the ATS");
    CHECK(db->loads == 2);
    CHECK(db->writes == 2);
  }
  SECTION("the fresh state refuses it: no second write") {
    db->row(job_1).summary.posting_state = "archived";  // deleted upstream
    db->row(job_1).version = 2;
    auto h = event("claim");
    sched.run();
    CHECK(expect_error(h).code == errc::illegal_transition);
    CHECK(db->writes == 1);
    auto g = get();
    sched.run();
    CHECK(expect_job(g).summary.posting_state == "archived");
  }
  SECTION("If-Match of the stale cache fails after the reload") {
    db->row(job_1).version = 3;
    auto h = event("claim", 1);
    sched.run();
    CHECK(expect_error(h).code == errc::precondition_failed);
    CHECK(db->writes == 1);
  }
  SECTION("a second conflict in a row answers version_conflict") {
    db->hold = true;
    db->row(job_1).version = 3;
    auto h = event("claim");
    sched.run();
    db->release();  // precondition_failed on version 1
    sched.run();
    db->release();  // the reload sees version 3
    sched.run();
    db->row(job_1).version = 4;  // and the sync writes again
    db->release();
    sched.run();
    CHECK(expect_error(h).code == errc::version_conflict);
    CHECK(db->writes == 2);
  }
}

TEST_CASE_METHOD(job_fixture, "job_posting_actor: an archived job cannot be edited", "[actor][job_posting]") {
  db->row(job_1).summary.posting_state = "archived";
  auto h = edit_title("x");
  sched.run();
  CHECK(expect_error(h).code == errc::illegal_transition);
  CHECK(db->writes == 0);
}

TEST_CASE_METHOD(job_fixture, "job_posting_actor: an idle entity passivates and is loaded again on demand",
                 "[actor][job_posting]") {
  auto h = event("claim");
  sched.run();
  expect_job(h);
  CHECK(stats->active.load() == 1);
  idle_out();
  CHECK(stats->active.load() == 0);
  auto g = get();
  sched.run();
  CHECK(expect_job(g).summary.posting_state == "draft");
  CHECK(db->loads == 2);
}

TEST_CASE_METHOD(job_fixture, "job_posting_client: routes commands and refuses malformed ids without activation",
                 "[actor][job_posting]") {
  job_posting_client client{sys, router, std::chrono::seconds(5)};
  std::optional<result<job_detail>> got;
  client.get(org_id{org_a}, "nope", [&](result<job_detail> r) { got = std::move(r); });
  REQUIRE(got);
  CHECK(got->code() == errc::not_found);
  CHECK(db->loads == 0);

  got.reset();
  client.transition(org_id{org_a}, job_1, "claim", 1, actor_ref{"user", "u1"},
                    [&](result<job_detail> r) { got = std::move(r); });
  sched.run();
  REQUIRE(got);
  REQUIRE(got->has_value());
  CHECK((*got)->summary.posting_state == "draft");

  got.reset();
  job_edit e;
  e.title = "Staff Engineer";
  client.edit(org_id{org_a}, job_1, e, std::nullopt, actor_ref{"user", "u1"},
              [&](result<job_detail> r) { got = std::move(r); });
  sched.run();
  REQUIRE(got);
  REQUIRE(got->has_value());
  CHECK((*got)->summary.title == "Staff Engineer");

  std::optional<result<bool>> ready;
  client.accepts_invitations(org_id{org_a}, job_1, [&](result<bool> r) { ready = std::move(r); });
  sched.run();
  REQUIRE(ready);
  REQUIRE(ready->has_value());
  CHECK_FALSE(**ready);
}

TEST_CASE_METHOD(job_fixture, "job_posting_actor: an earlier call's timeout does not answer the current one",
                 "[actor][job_posting]") {
  auto h1 = event("claim");
  sched.run();
  expect_job(h1);  // its db timeout is still scheduled
  db->hold = true;
  auto h2 = edit_title("Senior Engineer");
  sched.run();
  // The earliest timeouts: the activation's load request (stale), then h1's db timeout.
  for (int i = 0; i < 2; ++i) {
    REQUIRE(sched.trigger_timeout());
    sched.run();
  }
  CHECK_FALSE(has_mail());
  db->release();
  sched.run();
  CHECK(expect_job(h2).summary.title == "Senior Engineer");
}

TEST_CASE_METHOD(job_fixture, "job_posting_actor: a store that never answers times out", "[actor][job_posting]") {
  auto h0 = get();
  sched.run();
  expect_job(h0);
  db->hold = true;
  auto h = event("claim");
  sched.run();
  sched.trigger_timeouts();
  sched.run();
  CHECK(expect_error(h).code == errc::timeout);
  auto g = get();  // not stuck: the entity serves again
  sched.run();
  CHECK(expect_job(g).version == 1);
}

TEST_CASE_METHOD(job_fixture, "job_posting_actor: mark_ready without an approved template is refused after one re-read",
                 "[actor][job_posting][content]") {
  auto h = event("claim");
  sched.run();
  expect_job(h);
  auto h2 = event("mark_ready");
  sched.run();
  auto e = expect_error(h2);
  CHECK(e.code == errc::illegal_transition);
  CHECK(e.detail == "the job has no approved interview template");
  CHECK(db->loads == 2);  // the activation and the one re-read of the refusal
  CHECK(db->writes == 1);  // the claim only
  CHECK(db->row(job_1).summary.posting_state == "draft");
}

TEST_CASE_METHOD(job_fixture, "job_posting_actor: a template approved behind the cache is seen by the re-read",
                 "[actor][job_posting][content]") {
  auto h = event("claim");
  sched.run();
  expect_job(h);
  // The content service approves the template: it writes job_postings, not through this entity.
  db->row(job_1).approved_template_version_id = "tpl-v1";
  db->row(job_1).approved_template_version = 1;
  ++db->row(job_1).version;
  auto h2 = event("mark_ready");
  sched.run();
  auto j = expect_job(h2);
  CHECK(j.summary.posting_state == "ready");
  CHECK(j.approved_template_version == 1);
  CHECK(db->loads == 2);
  CHECK(db->writes == 2);
}

TEST_CASE_METHOD(job_fixture, "job_posting_actor: load re-reads the row and later reads see it",
                 "[actor][job_posting][content]") {
  auto h = get();
  sched.run();
  CHECK_FALSE(expect_job(h).approved_template_version_id);
  db->row(job_1).approved_template_version_id = "tpl-v1";
  ++db->row(job_1).version;
  db->hold = true;
  auto w = event("claim");  // in flight: the reload waits behind it
  auto l = send(key_1, caf::make_message(load_atom::value));
  sched.run();
  CHECK(db->loads == 1);
  db->release();  // the claim: a precondition failure on the stale version, then its re-read
  sched.run();
  db->release();
  sched.run();
  db->release();  // the claim's second write
  sched.run();
  db->release();  // the reload
  sched.run();
  CHECK(expect_job(w).summary.posting_state == "draft");
  auto fresh = expect_job(l);
  CHECK(fresh.approved_template_version_id == std::optional<std::string>{"tpl-v1"});
  CHECK(fresh.summary.posting_state == "draft");
  db->hold = false;
  auto g = get();
  sched.run();
  CHECK(expect_job(g).approved_template_version_id == std::optional<std::string>{"tpl-v1"});
}
