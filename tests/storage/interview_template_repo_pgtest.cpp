// storage/interview_template_repo (migration 0014): one template per job, saves (create, in place,
// back to draft, n+1 after approval), steps with CAS, approval superseding the previous version and
// setting the job posting's approved template version, the blocking-entries query, applying a
// proposal in one transaction, and another organization's jobs under row-level security.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <thread>

#include "storage/ats_connection_repo.hpp"
#include "storage/content_repo.hpp"
#include "storage/interview_template_repo.hpp"
#include "storage/job_posting_repo.hpp"
#include "storage/organization_repo.hpp"
#include "storage/pg.hpp"
#include "tests/support/pg_fixture.hpp"

using hw::testing::pg_fixture;
namespace st = hw::storage;
namespace dm = hw::domain;

namespace {

constexpr std::int64_t t0_s = 1'900'000'000;
const st::time_point t0 = st::time_point{} + std::chrono::seconds{t0_s};
const std::string editor_id = "11111111-1111-1111-1111-111111111111";
const std::string approver_id = "22222222-2222-2222-2222-222222222222";
const hw::actor_ref editor{"user", editor_id};
const hw::actor_ref approver{"user", approver_id};

st::time_point at(int s) { return t0 + std::chrono::seconds{s}; }

using ts = dm::template_state;
using te = dm::template_event;
using rs = dm::review_state;
using re = dm::review_event;

dm::content_item_body item_body(const std::string& title) {
  dm::content_item_body b;
  b.title = title;
  b.prompt = "Explain.";
  b.guidance = {"s", "a", "w"};
  b.skills = {"postgresql"};
  b.seniorities = {dm::seniority::mid};
  b.categories = {dm::job_category::engineering};
  return b;
}

dm::template_body tbody(std::vector<std::pair<std::string, std::int32_t>> entries,
                        const std::string& instructions = "Good luck") {
  dm::template_body b;
  b.instructions = instructions;
  dm::template_section s;
  s.title = "Main";
  for (const auto& [id, v] : entries) s.items.push_back({id, v, 10, 1});
  b.sections.push_back(s);
  return b;
}

st::template_step tstep(const st::template_record& t, ts to, te ev,
                        const std::string& who = approver_id) {
  st::template_step s;
  s.expected_version = t.version;
  s.expected_number = t.latest.number;
  s.from = t.latest.state;
  s.to = to;
  s.event = ev;
  s.actor_id = who;
  return s;
}

struct world : hw::testing::two_org_world {
  using two_org_world::two_org_world;

  std::string add_job(const hw::org_id& org, const std::string& ext) {
    return two_org_world::add_job(org, ext, t0, editor);
  }
  hw::item_view item(const hw::org_id& org, const std::string& title, bool approve) {
    st::new_item it;
    it.first.body = item_body(title);
    it.first.author_id = editor_id;
    it.first.origin = "manual";
    auto v = st::create_item(*c, org, it, t0, editor);
    REQUIRE(v);
    if (!approve) return *v;
    st::item_step s;
    s.expected_version = v->version;
    s.from = rs::draft;
    s.to = rs::in_review;
    s.event = re::submit;
    auto sub = st::apply_item_step(*c, org, v->id, s, t0, editor);
    REQUIRE(sub);
    s.expected_version = sub->version;
    s.from = rs::in_review;
    s.to = rs::approved;
    s.event = re::approve;
    s.reviewer_id = approver_id;
    auto ok = st::apply_item_step(*c, org, v->id, s, t0, approver);
    REQUIRE(ok);
    return *ok;
  }
  long count(const std::string& s) {
    pqxx::nontransaction tx{*c};
    return tx.exec1(s)[0].as<long>();
  }
};

}  // namespace

TEST_CASE("template_repo: saves and approval supersede and set the job posting column",
          "[pg][template]") {
  world w;
  const auto job = w.add_job(w.a, "j1");
  const auto i1 = w.item(w.a, "One", true);
  const auto i2 = w.item(w.a, "Two", true);
  CHECK(st::get_template(*w.c, w.a, job).code() == hw::errc::not_found);
  CHECK(st::save_template(*w.c, w.a, job, tbody({{i1.id, 1}}), 3, editor_id, t0, editor).code() ==
        hw::errc::precondition_failed);

  auto t =
      st::save_template(*w.c, w.a, job, tbody({{i1.id, 1}}), std::nullopt, editor_id, t0, editor);
  INFO((t ? "" : t.error().detail));
  REQUIRE(t);
  CHECK(t->job_id == job);
  CHECK(t->latest.number == 1);
  CHECK(t->latest.state == ts::draft);
  CHECK(t->latest.total_minutes == 10);
  CHECK(t->version == 1);
  CHECK_FALSE(t->approved_version);
  const auto v1_id = t->latest.version_id;

  // in place while draft; stale CAS refused
  t = st::save_template(*w.c, w.a, job, tbody({{i1.id, 1}, {i2.id, 1}}), 1, editor_id, at(1),
                        editor);
  REQUIRE(t);
  CHECK(t->version == 2);
  CHECK(t->latest.number == 1);
  CHECK(t->latest.total_minutes == 20);
  CHECK(
      st::save_template(*w.c, w.a, job, tbody({{i1.id, 1}}), 1, editor_id, at(1), editor).code() ==
      hw::errc::version_conflict);

  // submit; an edit while pending puts it back to draft
  t = st::apply_template_step(
      *w.c, w.a, job, tstep(*t, ts::pending_approval, te::submit, editor_id), at(2), editor);
  REQUIRE(t);
  CHECK(t->latest.state == ts::pending_approval);
  CHECK(t->latest.submitted_by == std::optional<std::string>{editor_id});
  t = st::save_template(*w.c, w.a, job, tbody({{i1.id, 1}, {i2.id, 1}}, "Changed"), t->version,
                        editor_id, at(3), editor);
  REQUIRE(t);
  CHECK(t->latest.state == ts::draft);
  CHECK(t->latest.number == 1);
  CHECK_FALSE(t->latest.submitted_by);

  // no approved template yet: the job cannot be marked ready
  REQUIRE(st::transition_job_posting(*w.c, w.a, job, "claim", std::nullopt, at(3), editor));
  auto early =
      st::transition_job_posting(*w.c, w.a, job, "mark_ready", std::nullopt, at(3), editor);
  CHECK(early.code() == hw::errc::illegal_transition);
  CHECK(early.error().detail == "the job has no approved interview template");

  // submit, approve: job posting column set, job version bumped
  const auto job_before = st::get_job_posting(*w.c, w.a, job);
  REQUIRE(job_before);
  CHECK_FALSE(job_before->approved_template_version_id);
  t = st::apply_template_step(
      *w.c, w.a, job, tstep(*t, ts::pending_approval, te::submit, editor_id), at(4), editor);
  REQUIRE(t);
  t = st::apply_template_step(*w.c, w.a, job, tstep(*t, ts::approved, te::approve), at(5),
                              approver);
  INFO((t ? "" : t.error().detail));
  REQUIRE(t);
  CHECK(t->latest.state == ts::approved);
  CHECK(t->latest.approved_by == std::optional<std::string>{approver_id});
  CHECK(t->approved_version == std::optional<std::int32_t>{1});
  CHECK(t->approved_version_id == std::optional<std::string>{v1_id});
  auto jp = st::get_job_posting(*w.c, w.a, job);
  REQUIRE(jp);
  CHECK(jp->approved_template_version_id == std::optional<std::string>{v1_id});
  CHECK(jp->approved_template_version == std::optional<std::int32_t>{1});
  CHECK(jp->version == job_before->version + 1);
  auto ready = st::transition_job_posting(*w.c, w.a, job, "mark_ready", jp->version, at(5), editor);
  INFO((ready ? "" : ready.error().detail));
  CHECK(ready);

  // an edit now creates version 2; v1 stays what the job points at until v2 is approved
  t = st::save_template(*w.c, w.a, job, tbody({{i2.id, 1}}), t->version, editor_id, at(6), editor);
  REQUIRE(t);
  CHECK(t->latest.number == 2);
  CHECK(t->latest.state == ts::draft);
  CHECK(t->approved_version == std::optional<std::int32_t>{1});
  CHECK(st::get_job_posting(*w.c, w.a, job)->approved_template_version_id ==
        std::optional<std::string>{v1_id});
  t = st::apply_template_step(
      *w.c, w.a, job, tstep(*t, ts::pending_approval, te::submit, editor_id), at(7), editor);
  REQUIRE(t);
  // request_changes goes back to draft
  t = st::apply_template_step(*w.c, w.a, job, tstep(*t, ts::draft, te::request_changes), at(8),
                              approver);
  REQUIRE(t);
  CHECK(t->latest.state == ts::draft);
  t = st::apply_template_step(
      *w.c, w.a, job, tstep(*t, ts::pending_approval, te::submit, editor_id), at(9), editor);
  REQUIRE(t);
  t = st::apply_template_step(*w.c, w.a, job, tstep(*t, ts::approved, te::approve), at(10),
                              approver);
  REQUIRE(t);
  const auto v2_id = t->latest.version_id;
  CHECK(v2_id != v1_id);
  CHECK(t->approved_version == std::optional<std::int32_t>{2});
  CHECK(t->versions ==
        std::vector<std::pair<std::int32_t, std::string>>{{2, "approved"}, {1, "superseded"}});
  auto old = st::get_template(*w.c, w.a, job, 1);
  REQUIRE(old);
  CHECK(old->latest.state == ts::superseded);
  CHECK(old->latest.body.at("instructions") == "Changed");
  jp = st::get_job_posting(*w.c, w.a, job);
  CHECK(jp->approved_template_version_id == std::optional<std::string>{v2_id});
  CHECK(jp->approved_template_version == std::optional<std::int32_t>{2});

  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'template.approved'") == 2);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'template.approved'"
                " AND detail->>'superseded' = '1'") == 1);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'template.saved'") == 4);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'template.changes_requested'") ==
        1);
  // a stale step is refused
  st::template_step stale;
  stale.expected_version = 1;
  stale.from = ts::approved;
  stale.to = ts::approved;
  stale.event = te::approve;
  CHECK(st::apply_template_step(*w.c, w.a, job, stale, at(11), approver).code() ==
        hw::errc::version_conflict);
}

TEST_CASE("template_repo: blocking entries name unapproved foreign and missing versions",
          "[pg][template]") {
  world w;
  const auto job = w.add_job(w.a, "j1");
  const auto ok = w.item(w.a, "Approved", true);
  const auto dr = w.item(w.a, "Draft", false);
  const auto foreign = w.item(w.b, "Other org", true);
  auto archived = w.item(w.a, "Archived after approval", true);
  st::item_step s;
  s.expected_version = archived.version;
  s.from = rs::approved;
  s.to = rs::archived;
  s.event = re::archive;
  REQUIRE(st::apply_item_step(*w.c, w.a, archived.id, s, t0, editor));
  const std::string missing = "33333333-3333-3333-3333-333333333333";

  auto body = tbody({{ok.id, 1},
                     {dr.id, 1},
                     {foreign.id, 1},
                     {missing, 1},
                     {ok.id, 2},
                     {"not-a-uuid", 1},
                     {archived.id, 1}});
  auto b = st::template_blocking_entries(*w.c, w.a, body);
  REQUIRE(b);
  std::vector<std::string> got;
  for (const auto& e : *b) got.push_back(e.describe());
  std::sort(got.begin(), got.end());
  std::vector<std::string> want = {
      "item " + dr.id + " v1 is draft", "item " + foreign.id + " v1 does not exist",
      "item " + missing + " v1 does not exist", "item " + ok.id + " v2 does not exist",
      "item not-a-uuid v1 does not exist"};
  std::sort(want.begin(), want.end());
  CHECK(got == want);
  CHECK(st::template_blocking_entries(*w.c, w.a, tbody({{ok.id, 1}, {archived.id, 1}}))->empty());
  // the other org sees its own item as fine and ours as missing
  auto fb = st::template_blocking_entries(*w.c, w.b, tbody({{foreign.id, 1}, {ok.id, 1}}));
  REQUIRE(fb);
  REQUIRE(fb->size() == 1);
  CHECK(fb->front().item_id == ok.id);
  CHECK(fb->front().reason == "missing");

  // submit re-checks inside its transaction
  auto t = st::save_template(*w.c, w.a, job, tbody({{ok.id, 1}, {dr.id, 1}}), std::nullopt,
                             editor_id, t0, editor);
  REQUIRE(t);
  auto r = st::apply_template_step(
      *w.c, w.a, job, tstep(*t, ts::pending_approval, te::submit, editor_id), at(1), editor);
  REQUIRE_FALSE(r);
  CHECK(r.code() == hw::errc::illegal_transition);
  CHECK(r.error().detail.find("item " + dr.id + " v1 is draft") != std::string::npos);
  CHECK(st::get_template(*w.c, w.a, job)->latest.state == ts::draft);
}

TEST_CASE("template_repo: two concurrent approvers have exactly one winner", "[pg][template]") {
  world w;
  const auto i1 = w.item(w.a, "One", true);
  for (int round = 0; round < 4; ++round) {
    const auto job = w.add_job(w.a, "j" + std::to_string(round));
    auto t =
        st::save_template(*w.c, w.a, job, tbody({{i1.id, 1}}), std::nullopt, editor_id, t0, editor);
    REQUIRE(t);
    t = st::apply_template_step(*w.c, w.a, job,
                                tstep(*t, ts::pending_approval, te::submit, editor_id), t0, editor);
    REQUIRE(t);
    const auto seen = *t;
    auto c1 = w.db.connect();
    auto c2 = w.db.connect();
    auto c3 = w.db.connect();
    hw::result<st::template_record> r1{hw::errc::internal}, r2{hw::errc::internal},
        r3{hw::errc::internal};
    std::thread t1{[&] {
      r1 = st::apply_template_step(*c1, w.a, job, tstep(seen, ts::approved, te::approve), at(1),
                                   approver);
    }};
    std::thread t2{[&] {
      r2 = st::apply_template_step(*c2, w.a, job, tstep(seen, ts::approved, te::approve), at(1),
                                   approver);
    }};
    std::thread t3{[&] {
      r3 = st::save_template(*c3, w.a, job, tbody({{i1.id, 1}}, "Edited"), seen.version, editor_id,
                             at(1), editor);
    }};
    t1.join();
    t2.join();
    t3.join();
    CHECK(int(bool(r1)) + int(bool(r2)) + int(bool(r3)) == 1);
    for (const auto* r : {&r1, &r2, &r3}) {
      if (!*r) CHECK(r->code() == hw::errc::version_conflict);
    }
    auto now = st::get_template(*w.c, w.a, job);
    REQUIRE(now);
    CHECK(now->version == seen.version + 1);
    CHECK(w.count("SELECT count(*) FROM interview_template_versions v JOIN interview_templates t"
                  " USING (org_id, template_id) WHERE t.job_id = '" +
                  job + "' AND v.state = 'approved'") == (r3 ? 0 : 1));
  }
}

TEST_CASE("template_repo: a proposal is applied in one transaction", "[pg][template]") {
  world w;
  const auto job = w.add_job(w.a, "j1");
  const auto lib = w.item(w.a, "Library", true);
  const std::string gen_id = "44444444-4444-4444-4444-444444444444";
  st::new_item gen;
  gen.item_id = gen_id;
  gen.first.body = item_body("Generated");
  gen.first.author_id = editor_id;
  gen.first.origin = "generated from job " + job + " by rule postgresql.tradeoffs";
  gen.state = rs::in_review;
  auto body = tbody({{lib.id, 1}, {gen_id, 1}});
  // a stale precondition writes nothing, not even the items
  CHECK(st::apply_template_proposal(*w.c, w.a, job, {gen}, body, 5, editor_id, t0, editor).code() ==
        hw::errc::precondition_failed);
  CHECK(w.count("SELECT count(*) FROM content_items WHERE title = 'Generated'") == 0);
  auto t =
      st::apply_template_proposal(*w.c, w.a, job, {gen}, body, std::nullopt, editor_id, t0, editor);
  INFO((t ? "" : t.error().detail));
  REQUIRE(t);
  CHECK(t->latest.number == 1);
  auto g = st::get_item(*w.c, w.a, gen_id);
  REQUIRE(g);
  CHECK(g->latest.state == "in_review");
  // the generated item is not approved yet: it blocks submission
  auto b = st::template_blocking_entries(*w.c, w.a, body);
  REQUIRE(b);
  REQUIRE(b->size() == 1);
  CHECK(b->front().reason == "in_review");
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'template.proposal_applied'") ==
        1);
}

TEST_CASE("template_repo: another org's job is not found under row-level security",
          "[pg][template]") {
  world w{pg_fixture::app_role::create};
  auto app = w.db.connect_app();
  const auto job = w.add_job(w.a, "j1");
  const auto i1 = w.item(w.a, "One", true);
  auto t =
      st::save_template(*app, w.a, job, tbody({{i1.id, 1}}), std::nullopt, editor_id, t0, editor);
  INFO((t ? "" : t.error().detail));
  REQUIRE(t);
  CHECK(st::get_template(*app, w.b, job).code() == hw::errc::not_found);
  CHECK(st::save_template(*app, w.b, job, tbody({{i1.id, 1}}), std::nullopt, editor_id, t0, editor)
            .code() == hw::errc::not_found);
  CHECK(st::apply_template_step(*app, w.b, job, tstep(*t, ts::pending_approval, te::submit), t0,
                                editor)
            .code() == hw::errc::not_found);
  // the whole approval as the app role
  t = st::apply_template_step(*app, w.a, job,
                              tstep(*t, ts::pending_approval, te::submit, editor_id), t0, editor);
  REQUIRE(t);
  t = st::apply_template_step(*app, w.a, job, tstep(*t, ts::approved, te::approve), t0, approver);
  INFO((t ? "" : t.error().detail));
  REQUIRE(t);
  CHECK(st::get_job_posting(*app, w.a, job)->approved_template_version_id ==
        t->approved_version_id);
  pqxx::work tx{*app};
  st::set_tenant(tx, w.b);
  CHECK(tx.exec1("SELECT count(*) FROM interview_templates")[0].as<long>() == 0);
  CHECK(tx.exec1("SELECT count(*) FROM interview_template_versions")[0].as<long>() == 0);
}
