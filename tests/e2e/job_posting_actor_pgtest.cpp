// The job posting entity against PostgreSQL: a real db pool, the real router and
// storage/job_posting_repo through db_job_store, driven by job_posting_client.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <pqxx/pqxx>

#include <caf/all.hpp>

#include "actors/db/db_worker.hpp"
#include "actors/health.hpp"
#include "actors/job_posting/job_posting_actor.hpp"
#include "actors/job_posting/job_posting_client.hpp"
#include "actors/message_types.hpp"
#include "actors/registry/entity_router.hpp"
#include "storage/ats_connection_repo.hpp"
#include "tests/support/pg_fixture.hpp"

using namespace hw::actors;
using namespace std::chrono_literals;

namespace {

struct jp_threaded_config : caf::actor_system_config {
  jp_threaded_config() {
    set("scheduler.max-threads", 2);
    set("logger.verbosity", caf::atom("quiet"));
  }
};

template <class T, class F>
hw::result<T> wait_result(F&& start) {
  auto p = std::make_shared<std::promise<hw::result<T>>>();
  auto f = p->get_future();
  auto calls = std::make_shared<std::atomic<int>>(0);
  start([p, calls](hw::result<T> r) {
    if (++*calls == 1) p->set_value(std::move(r));
  });
  REQUIRE(f.wait_for(30s) == std::future_status::ready);
  return f.get();
}

struct jp_world {
  hw::testing::pg_fixture db{hw::testing::pg_fixture::schema::migrated, hw::testing::pg_fixture::app_role::create};
  jp_threaded_config cfg;
  caf::actor_system sys{cfg};
  caf::actor pool;
  caf::actor router;
  std::unique_ptr<job_posting_client> client;
  hw::org_id a, b;
  hw::actor_ref who{"user", "u-1"};

  jp_world() {
    db_options o;
    o.dsn = db.app_dsn();
    pool = spawn_db_pool(sys, 1, o, std::make_shared<db_pool_stats>(), std::make_shared<health_board>());
    job_posting_options jo;
    jo.db_timeout = 20s;
    router = spawn_entity_router(sys, job_posting_spec(db_job_store(pool), jo), std::make_shared<router_stats>());
    client = std::make_unique<job_posting_client>(sys, router, 25s);
    a = hw::org_id{db.make_org("org-a")};
    b = hw::org_id{db.make_org("org-b")};
  }
  ~jp_world() {
    caf::anon_send_exit(router, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
  }

  std::string add_job(const hw::org_id& org) {
    auto c = db.connect();
    return hw::testing::add_imported_job(*c, org);
  }
};

}  // namespace

TEST_CASE("job_posting_actor (PostgreSQL): edit and transitions go through the entity",
          "[e2e][job_posting][pg]") {
  jp_world w;
  const auto job = w.add_job(w.a);

  auto g = wait_result<hw::job_detail>([&](auto cb) { w.client->get(w.a, job, cb); });
  REQUIRE(g);
  CHECK(g->summary.posting_state == "imported");
  const auto v1 = g->version;

  hw::job_edit e;
  e.title = "Senior Engineer";
  auto ed = wait_result<hw::job_detail>([&](auto cb) { w.client->edit(w.a, job, e, v1, w.who, cb); });
  INFO((ed ? "" : ed.error().detail));
  REQUIRE(ed);
  CHECK(ed->summary.title == "Senior Engineer");
  CHECK(ed->version == v1 + 1);

  auto stale = wait_result<hw::job_detail>([&](auto cb) { w.client->transition(w.a, job, "claim", v1, w.who, cb); });
  REQUIRE_FALSE(stale);
  CHECK(stale.code() == hw::errc::precondition_failed);

  auto illegal = wait_result<hw::job_detail>([&](auto cb) { w.client->transition(w.a, job, "open", std::nullopt, w.who, cb); });
  REQUIRE_FALSE(illegal);
  CHECK(illegal.code() == hw::errc::illegal_transition);

  auto claimed = wait_result<hw::job_detail>([&](auto cb) { w.client->transition(w.a, job, "claim", std::nullopt, w.who, cb); });
  REQUIRE(claimed);
  // "Ready to invite" needs an approved interview template (issue 5).
  auto not_ready = wait_result<hw::job_detail>([&](auto cb) { w.client->transition(w.a, job, "mark_ready", std::nullopt, w.who, cb); });
  REQUIRE_FALSE(not_ready);
  CHECK(not_ready.code() == hw::errc::illegal_transition);
  CHECK(not_ready.error().detail == "the job has no approved interview template");
  {
    // What a template approval commits (storage/interview_template_repo), behind the entity's cache.
    auto c = w.db.connect();
    pqxx::work tx{*c};
    tx.exec_params0("UPDATE job_postings SET approved_template_version_id = gen_random_uuid(),"
                    " approved_template_version = 1, version = version + 1 WHERE job_id = $1::uuid", job);
    tx.commit();
  }
  for (const char* ev : {"mark_ready", "open"}) {
    auto t = wait_result<hw::job_detail>([&](auto cb) { w.client->transition(w.a, job, ev, std::nullopt, w.who, cb); });
    INFO(ev << ": " << (t ? "" : t.error().detail));
    REQUIRE(t);
  }
  auto open = wait_result<bool>([&](auto cb) { w.client->accepts_invitations(w.a, job, cb); });
  REQUIRE(open);
  CHECK(*open);

  // The ATS sync writes behind the entity's back: it reloads and decides again.
  {
    auto c = w.db.connect();
    pqxx::work tx{*c};
    tx.exec_params0("UPDATE job_postings SET ats_title = 'Renamed', version = version + 1 WHERE job_id = $1::uuid",
                    job);
    tx.commit();
  }
  auto close =
    wait_result<hw::job_detail>([&](auto cb) { w.client->transition(w.a, job, "close", std::nullopt, w.who, cb); });
  INFO((close ? "" : close.error().detail));
  REQUIRE(close);
  CHECK(close->summary.posting_state == "closed");
  {
    auto c = w.db.connect();
    pqxx::work tx{*c};
    tx.exec_params0("UPDATE job_postings SET posting_state = 'open', version = version + 1 WHERE job_id = $1::uuid",
                    job);
    tx.commit();
  }
  // The cache says closed (close refused) but the row is open again: the refusal re-reads it.
  auto close2 =
    wait_result<hw::job_detail>([&](auto cb) { w.client->transition(w.a, job, "close", std::nullopt, w.who, cb); });
  INFO((close2 ? "" : close2.error().detail));
  REQUIRE(close2);
  CHECK(close2->summary.posting_state == "closed");
  auto reopen =
    wait_result<hw::job_detail>([&](auto cb) { w.client->transition(w.a, job, "reopen", std::nullopt, w.who, cb); });
  INFO((reopen ? "" : reopen.error().detail));
  REQUIRE(reopen);
  CHECK(reopen->summary.posting_state == "draft");

  auto c = w.db.connect();
  pqxx::nontransaction tx{*c};
  CHECK(tx.exec_params1("SELECT posting_state FROM job_postings WHERE job_id = $1::uuid", job)[0].as<std::string>() ==
        "draft");
  CHECK(tx.exec_params1("SELECT count(*) FROM audit_events WHERE action = 'job.state_changed' AND target = $1",
                        job)[0]
          .as<int>() == 6);
}

TEST_CASE("job_posting_actor (PostgreSQL): another organization's job is not_found", "[e2e][job_posting][pg]") {
  jp_world w;
  const auto job = w.add_job(w.a);
  auto g = wait_result<hw::job_detail>([&](auto cb) { w.client->get(w.b, job, cb); });
  REQUIRE_FALSE(g);
  CHECK(g.code() == hw::errc::not_found);
  hw::job_edit e;
  e.title = "Hijacked";
  auto ed = wait_result<hw::job_detail>([&](auto cb) { w.client->edit(w.b, job, e, std::nullopt, w.who, cb); });
  REQUIRE_FALSE(ed);
  CHECK(ed.code() == hw::errc::not_found);
  auto bad = wait_result<hw::job_detail>([&](auto cb) { w.client->get(w.a, "not-a-uuid", cb); });
  REQUIRE_FALSE(bad);
  CHECK(bad.code() == hw::errc::not_found);
}
