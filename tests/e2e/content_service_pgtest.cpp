// actors/content/content_service_impl against a real PostgreSQL: a threaded CAF actor system with
// the real db worker pool (connected as the non-superuser app role, so row-level security
// applies), the real job posting entities behind their router, and the fake OpenAI-compatible
// server for the LLM path.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <string>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "actors/ats/credential_box.hpp"
#include "actors/content/content_service_impl.hpp"
#include "actors/content/openai_provider.hpp"
#include "actors/db/db_worker.hpp"
#include "actors/domain/content_data.hpp"
#include "actors/health.hpp"
#include "actors/job_posting/job_posting_actor.hpp"
#include "actors/job_posting/job_posting_client.hpp"
#include "actors/message_types.hpp"
#include "actors/registry/entity_router.hpp"
#include "storage/ats_connection_repo.hpp"
#include "tests/support/fake_llm.hpp"
#include "tests/support/pg_fixture.hpp"

using namespace hw::actors;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

constexpr auto wait_limit = 30s;
const std::string key_ring = "k1:" + std::string(64, 'b') + ";current=k1";
const std::string author_id = "11111111-1111-4111-8111-111111111111";
const std::string reviewer_id = "22222222-2222-4222-8222-222222222222";

struct cs_threaded_config : caf::actor_system_config {
  cs_threaded_config() {
    set("scheduler.max-threads", 2);
    set("logger.verbosity", caf::atom("quiet"));
  }
};

template <class T, class F>
hw::result<T> wait_for(F&& start) {
  auto p = std::make_shared<std::promise<hw::result<T>>>();
  auto f = p->get_future();
  auto calls = std::make_shared<std::atomic<int>>(0);
  start([p, calls](hw::result<T> r) {
    if (++*calls == 1) p->set_value(std::move(r));
  });
  REQUIRE(f.wait_for(wait_limit) == std::future_status::ready);
  return f.get();
}

hw::content_rights rights_of(const std::string& user) {
  hw::content_rights r;
  r.user_id = user;
  r.content_create = r.content_approve = r.template_update = r.template_approve = r.skill_manage = true;
  return r;
}

json item_json(const std::string& title, const std::string& skill = "postgres") {
  return json{{"kind", "technical"},
              {"title", title},
              {"prompt", "Explain how " + title + " works in practice, with an example from your own work."},
              {"rubric", {{"strong", "Precise and complete."}, {"acceptable", "Mostly right."}, {"weak", "Vague."}}},
              {"expected_minutes", 10},
              {"difficulty", "medium"},
              {"skills", {skill}},
              {"seniorities", {"mid", "senior"}},
              {"categories", {"engineering"}}};
}

json template_json(const std::vector<std::pair<std::string, int>>& entries) {
  json items = json::array();
  for (const auto& [id, v] : entries) items.push_back({{"item_id", id}, {"item_version", v}, {"time_limit_minutes", 10}, {"weight", 1}});
  return json{{"instructions", "Answer in your own words."}, {"sections", {{{"title", "Technical"}, {"items", items}}}}};
}

const std::string job_description =
  "<p>We are hiring a <b>Senior Backend Engineer</b> to build our hiring platform.</p>"
  "<h3>Requirements</h3><ul><li>5+ years of experience building services in Python</li>"
  "<li>Deep knowledge of PostgreSQL (indexes, query plans, replication)</li>"
  "<li>Running services on Kubernetes and Docker</li><li>Designing REST APIs</li></ul>"
  "<h3>Nice to have</h3><ul><li>Terraform</li><li>Kafka</li></ul>";

struct world {
  hw::testing::pg_fixture db{hw::testing::pg_fixture::schema::migrated, hw::testing::pg_fixture::app_role::create};
  cs_threaded_config cfg;
  caf::actor_system sys{cfg};
  caf::actor pool;
  caf::actor router;
  std::unique_ptr<job_posting_client> jobs;
  std::shared_ptr<const hw::ats::credential_key_ring> keys;
  std::unique_ptr<content_service_impl> svc;
  std::shared_ptr<std::atomic<int>> approvals = std::make_shared<std::atomic<int>>(0);
  hw::org_id a, b;
  hw::content_rights author = rights_of(author_id);
  hw::content_rights reviewer = rights_of(reviewer_id);
  hw::content_rights api_key = rights_of("");
  hw::actor_ref author_ref{"user", author_id, std::string{"127.0.0.1"}, std::nullopt, std::string{"rid-1"}};
  hw::actor_ref reviewer_ref{"user", reviewer_id};
  hw::actor_ref key_ref{"api_key", "key-1"};

  world() {
    db_options o;
    o.dsn = db.app_dsn();
    pool = spawn_db_pool(sys, 2, o, std::make_shared<db_pool_stats>(), std::make_shared<health_board>());
    job_posting_options jo;
    jo.db_timeout = 20s;
    router = spawn_entity_router(sys, job_posting_spec(db_job_store(pool), jo), std::make_shared<router_stats>());
    jobs = std::make_unique<job_posting_client>(sys, router, 25s);
    auto ring = hw::ats::credential_key_ring::parse(key_ring);
    REQUIRE(ring);
    keys = std::make_shared<const hw::ats::credential_key_ring>(std::move(*ring));
    content_service_options opt;
    opt.db_timeout = 20s;
    opt.llm_allow_private_addresses = true;  // the fake LLM listens on loopback
    svc = std::make_unique<content_service_impl>(sys, pool, keys, opt);
    svc->on_template_approved([r = router, n = approvals](const hw::org_id& org, const std::string& job) {
      ++*n;
      caf::anon_send(r, route_atom::value, job_posting_key_of(org, job), caf::make_message(load_atom::value));
    });
    a = hw::org_id{db.make_org("org-a")};
    b = hw::org_id{db.make_org("org-b")};
  }
  ~world() {
    svc.reset();
    jobs.reset();
    caf::anon_send_exit(router, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
  }

  std::string add_job(const hw::org_id& org, const std::string& title = "Engineer", const std::string& html = "",
                      const std::string& state = "imported") {
    auto c = db.connect();
    return hw::testing::add_imported_job(*c, org, title, html, state);
  }

  long count(const std::string& sql) {
    auto c = db.connect();
    pqxx::nontransaction tx{*c};
    return tx.exec1(sql)[0].as<long>();
  }

  hw::result<hw::item_view> create(const hw::org_id& org, const json& body, const hw::content_rights& r) {
    return wait_for<hw::item_view>([&](auto cb) { svc->create_item(org, body, r, author_ref, cb); });
  }
  hw::result<hw::item_view> step(const hw::org_id& org, const std::string& id, const std::string& ev,
                                 const hw::content_rights& r, std::optional<std::int64_t> if_match = std::nullopt,
                                 std::optional<std::string> comment = std::nullopt) {
    const auto& who = r.user_id == reviewer_id ? reviewer_ref : r.user_id.empty() ? key_ref : author_ref;
    return wait_for<hw::item_view>(
      [&](auto cb) { svc->transition_item(org, id, ev, comment, if_match, r, who, cb); });
  }
  hw::result<hw::item_view> get_item(const hw::org_id& org, const std::string& id,
                                     std::optional<std::int32_t> v = std::nullopt) {
    return wait_for<hw::item_view>([&](auto cb) { svc->get_item(org, id, v, cb); });
  }
  /// Created by the author, approved by the reviewer.
  hw::item_view approved_item(const hw::org_id& org, const std::string& title, const std::string& skill = "postgres") {
    auto v = create(org, item_json(title, skill), author);
    INFO((v ? "" : v.error().detail));
    REQUIRE(v);
    REQUIRE(step(org, v->id, "submit", author));
    auto ok = step(org, v->id, "approve", reviewer);
    INFO((ok ? "" : ok.error().detail));
    REQUIRE(ok);
    return *ok;
  }
  hw::result<hw::template_view> save(const hw::org_id& org, const std::string& job, const json& body,
                                     std::optional<std::int64_t> if_match = std::nullopt) {
    return wait_for<hw::template_view>([&](auto cb) { svc->save_template(org, job, body, if_match, author, author_ref, cb); });
  }
  hw::result<hw::template_view> tstep(const hw::org_id& org, const std::string& job, const std::string& ev,
                                      const hw::content_rights& r) {
    const auto& who = r.user_id == reviewer_id ? reviewer_ref : author_ref;
    return wait_for<hw::template_view>(
      [&](auto cb) { svc->transition_template(org, job, ev, std::nullopt, r, who, cb); });
  }
  hw::result<hw::job_detail> job_event(const hw::org_id& org, const std::string& job, const std::string& ev) {
    return wait_for<hw::job_detail>([&](auto cb) { jobs->transition(org, job, ev, std::nullopt, author_ref, cb); });
  }
};

}  // namespace

TEST_CASE("content_service: create submit and approve by another user", "[e2e][content_service][pg]") {
  world w;
  auto v = w.create(w.a, item_json("PostgreSQL MVCC"), w.author);
  INFO((v ? "" : v.error().detail));
  REQUIRE(v);
  CHECK(v->latest.state == "draft");
  CHECK(v->latest.number == 1);
  CHECK(v->latest.author_id == author_id);
  CHECK(v->latest.origin == "manual");
  CHECK(v->latest.body.at("skills") == json{"postgresql"});  // the synonym was canonicalized

  auto sub = w.step(w.a, v->id, "submit", w.author, v->version);
  REQUIRE(sub);
  CHECK(sub->latest.state == "in_review");

  auto own = w.step(w.a, v->id, "approve", w.author);
  REQUIRE_FALSE(own);
  CHECK(own.code() == hw::errc::forbidden);
  auto by_key = w.step(w.a, v->id, "approve", w.api_key);
  REQUIRE_FALSE(by_key);
  CHECK(by_key.code() == hw::errc::forbidden);
  auto no_comment = w.step(w.a, v->id, "request_changes", w.reviewer);
  CHECK(no_comment.code() == hw::errc::invalid_argument);

  auto ok = w.step(w.a, v->id, "approve", w.reviewer, sub->version);
  INFO((ok ? "" : ok.error().detail));
  REQUIRE(ok);
  CHECK(ok->latest.state == "approved");
  CHECK(ok->approved_version == std::optional<std::int32_t>{1});
  CHECK(ok->latest.reviewed_by == std::optional<std::string>{reviewer_id});

  auto bad = w.create(w.a, json{{"kind", "technical"}, {"title", ""}, {"skills", {"no-such-skill-xyz"}}}, w.author);
  REQUIRE_FALSE(bad);
  CHECK(bad.code() == hw::errc::invalid_argument);
  CHECK(bad.error().detail.find("no-such-skill-xyz") != std::string::npos);

  auto cm = wait_for<hw::comment_view>(
    [&](auto cb) { w.svc->add_comment(w.a, v->id, "Looks good.", w.reviewer, w.reviewer_ref, cb); });
  REQUIRE(cm);
  auto comments = wait_for<std::vector<hw::comment_view>>([&](auto cb) { w.svc->list_comments(w.a, v->id, cb); });
  REQUIRE(comments);
  CHECK(comments->size() == 1);

  for (const char* action : {"content.item_created", "content.item_submitted", "content.item_approved",
                             "content.comment_added"}) {
    CAPTURE(action);
    CHECK(w.count(std::string{"SELECT count(*) FROM audit_events WHERE action = '"} + action + "'") == 1);
  }
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'content.item_approved' AND actor_id = '" +
                reviewer_id + "'") == 1);
}

TEST_CASE("content_service: an edit before the approval makes the stale approval fail", "[e2e][content_service][pg]") {
  world w;
  auto v = w.create(w.a, item_json("Index types"), w.author);
  REQUIRE(v);
  auto sub = w.step(w.a, v->id, "submit", w.author);
  REQUIRE(sub);
  // The reviewer opened version `sub->version`; the author edits meanwhile.
  auto ed = wait_for<hw::item_view>([&](auto cb) {
    w.svc->update_item(w.a, v->id, item_json("Index types edited"), sub->version, w.author, w.author_ref, cb);
  });
  REQUIRE(ed);
  CHECK(ed->latest.state == "draft");  // the reviewer must see the new text
  CHECK(ed->latest.body.at("title") == "Index types edited");
  auto late = w.step(w.a, v->id, "approve", w.reviewer, sub->version);
  REQUIRE_FALSE(late);
  CHECK(late.code() == hw::errc::precondition_failed);
  auto cur = w.get_item(w.a, v->id);
  REQUIRE(cur);
  CHECK(cur->latest.state == "draft");
  CHECK_FALSE(cur->approved_version);
}

TEST_CASE("content_service: an approval racing an edit has exactly one outcome", "[e2e][content_service][pg]") {
  world w;
  for (int round = 0; round < 4; ++round) {
    CAPTURE(round);
    auto v = w.create(w.a, item_json("Race " + std::to_string(round)), w.author);
    REQUIRE(v);
    REQUIRE(w.step(w.a, v->id, "submit", w.author));
    // Both start at once without preconditions; the pool has two connections.
    auto pa = std::make_shared<std::promise<hw::result<hw::item_view>>>();
    auto pe = std::make_shared<std::promise<hw::result<hw::item_view>>>();
    auto fa = pa->get_future();
    auto fe = pe->get_future();
    w.svc->transition_item(w.a, v->id, "approve", std::nullopt, std::nullopt, w.reviewer, w.reviewer_ref,
                           [pa](hw::result<hw::item_view> r) { pa->set_value(std::move(r)); });
    w.svc->update_item(w.a, v->id, item_json("Race edited"), std::nullopt, w.author, w.author_ref,
                       [pe](hw::result<hw::item_view> r) { pe->set_value(std::move(r)); });
    REQUIRE(fa.wait_for(wait_limit) == std::future_status::ready);
    REQUIRE(fe.wait_for(wait_limit) == std::future_status::ready);
    auto ra = fa.get();
    auto re = fe.get();
    auto cur = w.get_item(w.a, v->id);
    REQUIRE(cur);
    REQUIRE((ra || re));
    if (ra && re) {  // approved first, then the edit made version 2
      CHECK(cur->approved_version == std::optional<std::int32_t>{1});
      CHECK(cur->latest.number == 2);
      CHECK(cur->latest.body.at("title") == "Race edited");
    } else if (ra) {  // the edit lost its CAS and said so
      CHECK(re.code() == hw::errc::version_conflict);
      CHECK(cur->latest.state == "approved");
      CHECK(cur->latest.number == 1);
    } else {  // the edit won: the approval of the old text is refused
      CHECK((ra.code() == hw::errc::version_conflict || ra.code() == hw::errc::illegal_transition));
      CHECK(cur->latest.state == "draft");
      CHECK(cur->latest.body.at("title") == "Race edited");
      CHECK_FALSE(cur->approved_version);
    }
  }
}

TEST_CASE("content_service: editing an approved item creates v2 and the template keeps v1",
          "[e2e][content_service][pg]") {
  world w;
  const auto job = w.add_job(w.a);
  auto it = w.approved_item(w.a, "Replication");
  auto t = w.save(w.a, job, template_json({{it.id, 1}}));
  INFO((t ? "" : t.error().detail));
  REQUIRE(t);
  REQUIRE(w.tstep(w.a, job, "submit", w.author));
  auto ap = w.tstep(w.a, job, "approve", w.reviewer);
  INFO((ap ? "" : ap.error().detail));
  REQUIRE(ap);

  auto ed = wait_for<hw::item_view>([&](auto cb) {
    w.svc->update_item(w.a, it.id, item_json("Replication v2"), std::nullopt, w.author, w.author_ref, cb);
  });
  REQUIRE(ed);
  CHECK(ed->latest.number == 2);
  CHECK(ed->latest.state == "draft");
  CHECK(ed->approved_version == std::optional<std::int32_t>{1});
  auto v1 = w.get_item(w.a, it.id, 1);
  REQUIRE(v1);
  CHECK(v1->latest.body.at("title") == "Replication");
  CHECK(v1->latest.state == "approved");

  auto tv = wait_for<hw::template_view>([&](auto cb) { w.svc->get_template(w.a, job, std::nullopt, cb); });
  REQUIRE(tv);
  REQUIRE(tv->latest.sections.size() == 1);
  const auto& e = tv->latest.sections[0].items.at(0);
  CHECK(e.item_version == 1);
  CHECK(e.item_state == "approved");
  CHECK(e.body.at("title") == "Replication");
  CHECK(e.candidate.is_object());
  CHECK_FALSE(e.candidate.contains("rubric"));
  CHECK(tv->latest.state == "approved");
}

TEST_CASE("content_service: a template with unapproved items cannot be submitted until they are approved",
          "[e2e][content_service][pg]") {
  world w;
  const auto job = w.add_job(w.a);
  auto ok = w.approved_item(w.a, "Query plans");
  auto draft = w.create(w.a, item_json("Vacuum"), w.author);
  REQUIRE(draft);
  auto foreign = w.create(w.b, item_json("Other org"), w.author);
  REQUIRE(foreign);

  auto refused = w.save(w.a, job, template_json({{ok.id, 1}, {foreign->id, 1}}));
  REQUIRE_FALSE(refused);
  CHECK(refused.code() == hw::errc::invalid_argument);
  CHECK(refused.error().detail.find("does not exist") != std::string::npos);

  auto t = w.save(w.a, job, template_json({{ok.id, 1}, {draft->id, 1}}));
  INFO((t ? "" : t.error().detail));
  REQUIRE(t);
  CHECK(t->latest.state == "draft");
  REQUIRE(t->latest.blocking.size() == 1);
  CHECK(t->latest.blocking[0].find(draft->id) != std::string::npos);
  CHECK(t->latest.total_minutes == 20);

  auto sub = w.tstep(w.a, job, "submit", w.author);
  REQUIRE_FALSE(sub);
  CHECK(sub.code() == hw::errc::illegal_transition);
  CHECK(sub.error().detail.find(draft->id) != std::string::npos);

  REQUIRE(w.step(w.a, draft->id, "submit", w.author));
  REQUIRE(w.step(w.a, draft->id, "approve", w.reviewer));
  auto sub2 = w.tstep(w.a, job, "submit", w.author);
  INFO((sub2 ? "" : sub2.error().detail));
  REQUIRE(sub2);
  CHECK(sub2->latest.state == "pending_approval");
  CHECK(sub2->latest.blocking.empty());
  auto by_key = wait_for<hw::template_view>(
    [&](auto cb) { w.svc->transition_template(w.a, job, "approve", std::nullopt, w.api_key, w.key_ref, cb); });
  CHECK(by_key.code() == hw::errc::forbidden);
  auto ap = w.tstep(w.a, job, "approve", w.reviewer);
  REQUIRE(ap);
  CHECK(ap->latest.state == "approved");
  CHECK(ap->approved_version == std::optional<std::int32_t>{1});
  CHECK(ap->approved_version_id);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'template.approved'") == 1);
}

TEST_CASE("content_service: mark_ready is refused before and accepted after the template approval",
          "[e2e][content_service][pg]") {
  world w;
  const auto job = w.add_job(w.a);
  REQUIRE(w.job_event(w.a, job, "claim"));  // the entity is active and caches the row
  auto early = w.job_event(w.a, job, "mark_ready");
  REQUIRE_FALSE(early);
  CHECK(early.code() == hw::errc::illegal_transition);
  CHECK(early.error().detail == "the job has no approved interview template");

  auto it = w.approved_item(w.a, "Connection pooling");
  REQUIRE(w.save(w.a, job, template_json({{it.id, 1}})));
  REQUIRE(w.tstep(w.a, job, "submit", w.author));
  auto ap = w.tstep(w.a, job, "approve", w.reviewer);
  REQUIRE(ap);
  CHECK(w.approvals->load() == 1);

  auto ready = w.job_event(w.a, job, "mark_ready");
  INFO((ready ? "" : ready.error().detail));
  REQUIRE(ready);
  CHECK(ready->summary.posting_state == "ready");
  CHECK(ready->approved_template_version_id == ap->approved_version_id);
  CHECK(ready->approved_template_version == std::optional<std::int32_t>{1});
}

TEST_CASE("content_service: the starter library loads once and is idempotent", "[e2e][content_service][pg]") {
  world w;
  const auto doc = json::parse(hw::domain::starter_library_json());
  const auto shipped = static_cast<int>(doc.at("items").size());
  auto first = wait_for<hw::library_import_result>(
    [&](auto cb) { w.svc->load_starter_library(w.a, w.author, w.author_ref, cb); });
  if (shipped == 0) {
    WARN("the starter library is still empty in this tree");
    CHECK_FALSE(first);
    return;
  }
  INFO((first ? "" : first.error().detail));
  REQUIRE(first);
  CHECK(first->created == shipped);
  CHECK(first->skipped == 0);
  CHECK(static_cast<int>(first->item_ids.size()) == shipped);
  auto again = wait_for<hw::library_import_result>(
    [&](auto cb) { w.svc->load_starter_library(w.a, w.author, w.author_ref, cb); });
  REQUIRE(again);
  CHECK(again->created == 0);
  CHECK(again->skipped == shipped);
  // Starter items wait in review with no author: any reviewer, even the one who loaded them.
  auto one = w.get_item(w.a, first->item_ids.front());
  REQUIRE(one);
  CHECK(one->latest.state == "in_review");
  CHECK(one->latest.origin == "starter:v1");
  CHECK(one->latest.author_id.empty());
  auto ok = w.step(w.a, one->id, "approve", w.author);
  INFO((ok ? "" : ok.error().detail));
  CHECK(ok);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'content.library_imported'") == 2);
  // Another organization loads its own copy.
  auto other = wait_for<hw::library_import_result>(
    [&](auto cb) { w.svc->load_starter_library(w.b, w.author, w.author_ref, cb); });
  REQUIRE(other);
  CHECK(other->created == shipped);
}

TEST_CASE("content_service: export and import round trip", "[e2e][content_service][pg]") {
  world w;
  auto i1 = w.approved_item(w.a, "Transactions");
  auto i2 = w.approved_item(w.a, "Kubernetes probes", "k8s");
  REQUIRE(w.create(w.a, item_json("Not approved yet"), w.author));
  auto ex = wait_for<json>([&](auto cb) { w.svc->export_library(w.a, cb); });
  REQUIRE(ex);
  CHECK(ex->at("format") == "hirewire.library.v1");
  REQUIRE(ex->at("items").size() == 2);

  // All or nothing: one bad item refuses the whole import.
  json broken = *ex;
  broken["items"][1]["body"]["title"] = "";
  auto bad = wait_for<hw::library_import_result>(
    [&](auto cb) { w.svc->import_library(w.b, broken, w.author, w.author_ref, cb); });
  REQUIRE_FALSE(bad);
  CHECK(bad.code() == hw::errc::invalid_argument);
  CHECK(bad.error().detail.find("/items/1/body/title") != std::string::npos);
  CHECK(w.count("SELECT count(*) FROM content_items WHERE org_id = '" + w.b.value + "'") == 0);

  auto im = wait_for<hw::library_import_result>(
    [&](auto cb) { w.svc->import_library(w.b, *ex, w.author, w.author_ref, cb); });
  INFO((im ? "" : im.error().detail));
  REQUIRE(im);
  CHECK(im->created == 2);
  std::set<std::string> titles;
  for (const auto& id : im->item_ids) {
    auto v = w.get_item(w.b, id);
    REQUIRE(v);
    CHECK(v->latest.state == "draft");
    CHECK(v->latest.origin == "import");
    CHECK(v->latest.author_id == author_id);
    titles.insert(v->latest.body.at("title").get<std::string>());
    REQUIRE(w.step(w.b, id, "submit", w.author));
    REQUIRE(w.step(w.b, id, "approve", w.reviewer));
  }
  CHECK(titles == std::set<std::string>{i1.latest.body.at("title").get<std::string>(),
                                        i2.latest.body.at("title").get<std::string>()});
  auto ex2 = wait_for<json>([&](auto cb) { w.svc->export_library(w.b, cb); });
  REQUIRE(ex2);
  REQUIRE(ex2->at("items").size() == 2);
  std::set<std::string> bodies_a, bodies_b;
  for (const auto& x : ex->at("items")) bodies_a.insert(x.at("body").dump());
  for (const auto& x : ex2->at("items")) bodies_b.insert(x.at("body").dump());
  CHECK(bodies_a == bodies_b);
}

TEST_CASE("content_service: a proposal from an imported job description and applying it",
          "[e2e][content_service][pg]") {
  world w;
  const auto job = w.add_job(w.a, "Senior Backend Engineer", job_description);
  auto lib = w.approved_item(w.a, "PostgreSQL query plans");
  auto p = wait_for<hw::proposal_view>([&](auto cb) { w.svc->propose_template(w.a, job, hw::proposal_request{}, cb); });
  INFO((p ? "" : p.error().detail));
  REQUIRE(p);
  const auto& j = p->json;
  INFO(j.dump(2).substr(0, 4000));
  CHECK(j.at("profile").at("seniority") == "senior");
  std::set<std::string> skills;
  for (const auto& s : j.at("profile").at("skills")) skills.insert(s.at("slug").get<std::string>());
  CHECK(skills.count("postgresql") == 1);
  CHECK(skills.count("kubernetes") == 1);
  CHECK(skills.count("python") == 1);
  bool uses_library = false;
  for (const auto& e : j.at("entries")) {
    if (e.at("source") == "library" && e.at("item_id") == lib.id) uses_library = true;
  }
  CHECK(uses_library);
  for (const auto& c : j.at("coverage")) {
    if (c.at("skill") == "postgresql") {
      CHECK(c.at("covered") == true);
      CHECK(c.at("by").dump().find("library:" + lib.id + "@v1") != std::string::npos);
    }
  }
  CHECK(j.at("llm").at("used") == false);
  REQUIRE_FALSE(j.at("generated").empty());
  for (const auto& g : j.at("generated"))
    CHECK(g.at("origin").get<std::string>().rfind("generated from job " + job + " by rule ", 0) == 0);

  // The SPA sends the (possibly edited) proposal back as sections.
  json sections = json::array();
  std::map<std::string, std::size_t> at;
  for (const auto& e : j.at("entries")) {
    const auto sec = e.at("section").get<std::string>();
    if (!at.count(sec)) {
      at[sec] = sections.size();
      sections.push_back({{"title", sec}, {"items", json::array()}});
    }
    json entry;
    if (e.at("source") == "library") {
      entry = {{"item_id", e.at("item_id")}, {"item_version", e.at("item_version")}};
    } else {
      const auto& g = j.at("generated").at(e.at("generated_index").get<std::size_t>());
      entry = {{"generated", g.at("body")}, {"origin", g.at("origin")}, {"rule", g.at("rule")}};
    }
    entry["time_limit_minutes"] = e.at("time_limit_minutes");
    entry["weight"] = e.at("weight");
    sections[at[sec]]["items"].push_back(entry);
  }
  json apply = {{"instructions", "Good luck."}, {"submit_generated", true}, {"sections", sections}};
  auto t = wait_for<hw::template_view>([&](auto cb) {
    w.svc->apply_proposal(w.a, job, hw::proposal_apply{apply}, std::nullopt, w.author, w.author_ref, cb);
  });
  INFO((t ? "" : t.error().detail));
  REQUIRE(t);
  CHECK(t->latest.state == "draft");
  const auto generated = j.at("generated").size();
  CHECK(t->latest.blocking.size() == generated);  // the new drafts wait for their review
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'template.proposal_applied'") == 1);
  // The generated items are in review, by the caller, with their origin; another user approves them.
  std::size_t seen = 0;
  for (const auto& s : t->latest.sections) {
    for (const auto& e : s.items) {
      if (e.item_state == "approved") continue;
      ++seen;
      auto v = w.get_item(w.a, e.item_id);
      REQUIRE(v);
      CHECK(v->latest.state == "in_review");
      CHECK(v->latest.author_id == author_id);
      CHECK(v->latest.origin.rfind("generated from job " + job + " by rule ", 0) == 0);
      CHECK_FALSE(w.step(w.a, e.item_id, "approve", w.author));
      auto ok = w.step(w.a, e.item_id, "approve", w.reviewer);
      INFO((ok ? "" : ok.error().detail));
      REQUIRE(ok);
    }
  }
  CHECK(seen == generated);
  REQUIRE(w.tstep(w.a, job, "submit", w.author));
  auto ap = w.tstep(w.a, job, "approve", w.reviewer);
  INFO((ap ? "" : ap.error().detail));
  REQUIRE(ap);
  CHECK(ap->latest.state == "approved");
}

TEST_CASE("content_service: ids of another organization are not_found", "[e2e][content_service][pg]") {
  world w;
  const auto job = w.add_job(w.a);
  auto it = w.approved_item(w.a, "Locks");
  REQUIRE(w.save(w.a, job, template_json({{it.id, 1}})));
  CHECK(w.get_item(w.b, it.id).code() == hw::errc::not_found);
  CHECK(w.get_item(w.a, "not-a-uuid").code() == hw::errc::not_found);
  CHECK(w.step(w.b, it.id, "archive", w.author).code() == hw::errc::not_found);
  CHECK(wait_for<hw::item_view>([&](auto cb) {
          w.svc->update_item(w.b, it.id, item_json("x"), std::nullopt, w.author, w.author_ref, cb);
        }).code() == hw::errc::not_found);
  CHECK(wait_for<std::vector<hw::comment_view>>([&](auto cb) { w.svc->list_comments(w.b, it.id, cb); }).code() ==
        hw::errc::not_found);
  CHECK(wait_for<hw::template_view>([&](auto cb) { w.svc->get_template(w.b, job, std::nullopt, cb); }).code() ==
        hw::errc::not_found);
  CHECK(w.save(w.b, job, template_json({{it.id, 1}})).code() == hw::errc::not_found);
  CHECK(w.tstep(w.b, job, "submit", w.author).code() == hw::errc::not_found);
  CHECK(wait_for<hw::proposal_view>([&](auto cb) { w.svc->propose_template(w.b, job, hw::proposal_request{}, cb); })
          .code() == hw::errc::not_found);
  const auto job_b = w.add_job(w.b);
  CHECK(wait_for<hw::item_view>([&](auto cb) {
          w.svc->create_variant(w.b, it.id, 1, job_b, json(nullptr), w.author, w.author_ref, cb);
        }).code() == hw::errc::not_found);
  // A variant inside the organization works and needs its own approval.
  auto var = wait_for<hw::item_view>([&](auto cb) {
    w.svc->create_variant(w.a, it.id, 1, job, item_json("Locks for this team"), w.author, w.author_ref, cb);
  });
  INFO((var ? "" : var.error().detail));
  REQUIRE(var);
  CHECK(var->job_id == std::optional<std::string>{job});
  CHECK(var->latest.state == "draft");
  CHECK(var->variant_of == std::optional<std::string>{it.id + "@v1"});
}

TEST_CASE("content_service: custom skills and LLM settings", "[e2e][content_service][pg]") {
  world w;
  hw::skill_view s{"acme-dsl", "Acme DSL", {"acmescript"}, "engineering", true};
  auto added = wait_for<hw::skill_view>([&](auto cb) { w.svc->add_skill(w.a, s, w.author, w.author_ref, cb); });
  INFO((added ? "" : added.error().detail));
  REQUIRE(added);
  CHECK(added->custom);
  auto dup = wait_for<hw::skill_view>([&](auto cb) { w.svc->add_skill(w.a, s, w.author, w.author_ref, cb); });
  CHECK_FALSE(dup);
  auto v = w.create(w.a, item_json("Acme pipelines", "AcmeScript"), w.author);
  INFO((v ? "" : v.error().detail));
  REQUIRE(v);
  CHECK(v->latest.body.at("skills") == json{"acme-dsl"});
  CHECK_FALSE(w.create(w.b, item_json("Acme pipelines", "acmescript"), w.author));  // org a's skill only
  auto all = wait_for<std::vector<hw::skill_view>>([&](auto cb) { w.svc->list_skills(w.a, cb); });
  REQUIRE(all);
  CHECK(all->size() > 150);
  CHECK(std::count_if(all->begin(), all->end(), [](const hw::skill_view& x) { return x.custom; }) == 1);

  auto st0 = wait_for<hw::llm_settings_view>([&](auto cb) { w.svc->get_llm_settings(w.a, cb); });
  REQUIRE(st0);
  CHECK_FALSE(st0->enabled);
  hw::llm_settings_patch bad;
  bad.enabled = true;
  bad.base_url = "ftp://example.com/v1";
  bad.model = "m";
  CHECK(wait_for<hw::llm_settings_view>([&](auto cb) { w.svc->update_llm_settings(w.a, bad, std::nullopt, w.author_ref, cb); })
          .code() == hw::errc::invalid_argument);
  hw::llm_settings_patch p;
  p.enabled = true;
  p.base_url = "https://llm.example.com/v1";
  p.model = "gpt-test";
  p.api_key = "sk-secret-DO-NOT-LEAK-123456";
  auto up = wait_for<hw::llm_settings_view>(
    [&](auto cb) { w.svc->update_llm_settings(w.a, p, std::nullopt, w.author_ref, cb); });
  INFO((up ? "" : up.error().detail));
  REQUIRE(up);
  CHECK(up->has_api_key);
  CHECK(up->enabled);
  {
    auto c = w.db.connect();
    pqxx::nontransaction tx{*c};
    auto all_rows = tx.exec1("SELECT coalesce(string_agg(t::text, '|'), '') FROM audit_events t")[0].as<std::string>();
    CHECK(all_rows.find("DO-NOT-LEAK") == std::string::npos);
    CHECK(all_rows.find("content.llm_settings_updated") != std::string::npos);
  }
  hw::llm_settings_patch stale;
  stale.model = "other";
  CHECK(wait_for<hw::llm_settings_view>([&](auto cb) { w.svc->update_llm_settings(w.a, stale, 0, w.author_ref, cb); })
          .code() == hw::errc::precondition_failed);
  hw::llm_settings_patch clear;
  clear.api_key = "";
  auto cl = wait_for<hw::llm_settings_view>(
    [&](auto cb) { w.svc->update_llm_settings(w.a, clear, up->version, w.author_ref, cb); });
  REQUIRE(cl);
  CHECK_FALSE(cl->has_api_key);
}

TEST_CASE("content_service: a proposal with the fake LLM filters and records its items", "[e2e][content_service][pg]") {
  world w;
  hw::testing::fake_llm llm;
  const auto job = w.add_job(w.a, "Senior Backend Engineer", job_description);
  hw::proposal_request req;
  req.use_llm = true;
  auto off = wait_for<hw::proposal_view>([&](auto cb) { w.svc->propose_template(w.a, job, req, cb); });
  REQUIRE_FALSE(off);
  CHECK(off.code() == hw::errc::invalid_argument);  // not enabled for the organization

  hw::llm_settings_patch p;
  p.enabled = true;
  p.base_url = llm.base_url();
  p.model = llm.options().model;
  p.api_key = llm.options().api_key;
  p.timeout_seconds = 10;
  auto up = wait_for<hw::llm_settings_view>(
    [&](auto cb) { w.svc->update_llm_settings(w.a, p, std::nullopt, w.author_ref, cb); });
  INFO((up ? "" : up.error().detail));
  REQUIRE(up);

  SECTION("good items replace rule-based drafts") {
    llm.set_mode(hw::testing::fake_llm_mode::good);
    auto r = wait_for<hw::proposal_view>([&](auto cb) { w.svc->propose_template(w.a, job, req, cb); });
    INFO((r ? "" : r.error().detail));
    REQUIRE(r);
    const auto& j = r->json;
    INFO(j.at("llm").dump());
    CHECK(j.at("llm").at("used") == true);
    CHECK(j.at("llm").at("model") == llm.options().model);
    CHECK_FALSE(j.at("llm").contains("error"));
    REQUIRE(llm.request_count() == 1);
    CHECK(llm.requests()[0].authorization == "Bearer " + llm.options().api_key);
    int by_model = 0;
    for (const auto& g : j.at("generated")) {
      if (g.at("origin").get<std::string>() == "generated from job " + job + " by model " + llm.options().model) {
        ++by_model;
        CHECK(g.at("rule") == "llm:" + llm.options().model);
      }
    }
    CHECK(by_model > 0);
  }
  SECTION("personal data is dropped with its reason") {
    llm.set_mode(hw::testing::fake_llm_mode::personal_data);
    auto r = wait_for<hw::proposal_view>([&](auto cb) { w.svc->propose_template(w.a, job, req, cb); });
    REQUIRE(r);
    const auto& dropped = r->json.at("llm").at("dropped");
    INFO(dropped.dump());
    REQUIRE(dropped.size() >= 1);
    const auto reasons = dropped[0].at("reasons").dump();
    CHECK((reasons.find("phone") != std::string::npos || reasons.find("mail") != std::string::npos));
  }
  SECTION("a provider failure still answers the rule-based proposal") {
    llm.set_mode(hw::testing::fake_llm_mode::server_error);
    auto r = wait_for<hw::proposal_view>([&](auto cb) { w.svc->propose_template(w.a, job, req, cb); });
    REQUIRE(r);
    CHECK(r->json.at("llm").contains("error"));
    CHECK_FALSE(r->json.at("generated").empty());
    CHECK(r->json.dump().find(llm.options().api_key) == std::string::npos);
  }
}
