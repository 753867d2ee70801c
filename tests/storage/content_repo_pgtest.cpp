// storage/content_repo (migration 0014): items and versions (edits in place, back to draft, n+1
// after approval), review steps with CAS (races: exactly one winner, no lost edit), search filters
// and keyset paging, variants, starter loads, export, comments, custom skills, LLM settings, and
// another organization's ids under row-level security as the app role.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <thread>

#include "storage/ats_connection_repo.hpp"
#include "storage/content_repo.hpp"
#include "storage/organization_repo.hpp"
#include "storage/pg.hpp"
#include "tests/support/pg_fixture.hpp"

using hw::testing::pg_fixture;
namespace st = hw::storage;
namespace dm = hw::domain;

namespace {

constexpr std::int64_t t0_s = 1'900'000'000;
const st::time_point t0 = st::time_point{} + std::chrono::seconds{t0_s};
const std::string author_id = "11111111-1111-1111-1111-111111111111";
const std::string reviewer_id = "22222222-2222-2222-2222-222222222222";
const hw::actor_ref author{"user", author_id};
const hw::actor_ref reviewer{"user", reviewer_id};

st::time_point at(int s) { return t0 + std::chrono::seconds{s}; }

dm::content_item_body body(const std::string& title,
                           std::vector<std::string> skills = {"postgresql"},
                           dm::content_kind kind = dm::content_kind::technical,
                           std::vector<dm::seniority> sen = {dm::seniority::mid},
                           std::vector<dm::job_category> cat = {dm::job_category::engineering},
                           const std::string& prompt = "Explain the trade-offs.") {
  dm::content_item_body b;
  b.kind = kind;
  b.title = title;
  b.prompt = prompt;
  b.guidance = {"names the trade-offs", "names one", "none"};
  b.expected_minutes = 10;
  b.level = dm::difficulty::medium;
  b.skills = std::move(skills);
  b.seniorities = std::move(sen);
  b.categories = std::move(cat);
  if (kind == dm::content_kind::coding) {
    dm::coding_spec cs;
    cs.languages = {"python"};
    cs.test_cases = {{"a", "1", "1", true, 1}, {"b", "2", "2", false, 1}};
    b.coding = cs;
  }
  return b;
}

st::new_item draft(const dm::content_item_body& b, const std::string& who = author_id) {
  st::new_item it;
  it.first.body = b;
  it.first.author_id = who;
  it.first.author_name = "Ada";
  it.first.origin = "manual";
  return it;
}

st::item_step step(std::int64_t version, std::int32_t number, dm::review_state from,
                   dm::review_state to, dm::review_event ev, const std::string& who = reviewer_id) {
  st::item_step s;
  s.expected_version = version;
  s.expected_number = number;
  s.from = from;
  s.to = to;
  s.event = ev;
  s.reviewer_id = who;
  s.reviewer_name = "Rev";
  return s;
}

using rs = dm::review_state;
using re = dm::review_event;

struct world : hw::testing::two_org_world {
  using two_org_world::two_org_world;

  std::string add_job(const hw::org_id& org, const std::string& ext) {
    return two_org_world::add_job(org, ext, t0, author);
  }
  hw::item_view create(const hw::org_id& org, const st::new_item& it, st::time_point now = t0) {
    auto r = st::create_item(*c, org, it, now, author);
    INFO((r ? "" : r.error().detail));
    REQUIRE(r);
    return *r;
  }
  // An item taken to approved (version 1).
  hw::item_view approved(const hw::org_id& org, const dm::content_item_body& b, int s = 0) {
    auto v = create(org, draft(b), at(s));
    auto sub = st::apply_item_step(
        *c, org, v.id, step(v.version, 1, rs::draft, rs::in_review, re::submit, author_id), at(s),
        author);
    REQUIRE(sub);
    auto ok = st::apply_item_step(*c, org, v.id,
                                  step(sub->version, 1, rs::in_review, rs::approved, re::approve),
                                  at(s), reviewer);
    INFO((ok ? "" : ok.error().detail));
    REQUIRE(ok);
    return *ok;
  }
  long count(const std::string& s) {
    pqxx::nontransaction tx{*c};
    return tx.exec1(s)[0].as<long>();
  }
};

hw::item_page list(world& w, const hw::org_id& org, const hw::item_filter& f) {
  auto r = st::list_items(*w.c, org, f);
  INFO((r ? "" : r.error().detail));
  REQUIRE(r);
  return *r;
}

std::set<std::string> titles(const hw::item_page& p) {
  std::set<std::string> out;
  for (const auto& i : p.items) out.insert(i.title);
  return out;
}

}  // namespace

TEST_CASE("content_repo: create and edit in place then n+1 after approval", "[pg][content]") {
  world w;
  auto v = w.create(w.a, draft(body("Index choice")));
  CHECK(v.latest.number == 1);
  CHECK(v.latest.state == "draft");
  CHECK(v.latest.author_id == author_id);
  CHECK(v.latest.body.at("title") == "Index choice");
  CHECK(v.version == 1);
  CHECK_FALSE(v.approved_version);
  REQUIRE(v.versions.size() == 1);

  st::item_version_write w2{body("Index choice 2"), author_id, "Ada", "manual"};
  auto e = st::update_item(*w.c, w.a, v.id, 1, w2, at(1), author);
  REQUIRE(e);
  CHECK(e->version == 2);
  CHECK(e->latest.number == 1);
  CHECK(e->latest.state == "draft");
  CHECK(e->latest.body.at("title") == "Index choice 2");

  // in_review -> edit puts it back to draft
  auto s = st::apply_item_step(
      *w.c, w.a, v.id, step(2, 1, rs::draft, rs::in_review, re::submit, author_id), at(2), author);
  REQUIRE(s);
  CHECK(s->latest.state == "in_review");
  e = st::update_item(*w.c, w.a, v.id, s->version, w2, at(3), author);
  REQUIRE(e);
  CHECK(e->latest.state == "draft");
  CHECK(e->latest.number == 1);

  // approve, then an edit creates version 2 as a draft; version 1 stays approved
  s = st::apply_item_step(*w.c, w.a, v.id,
                          step(e->version, 1, rs::draft, rs::in_review, re::submit, author_id),
                          at(4), author);
  REQUIRE(s);
  s = st::apply_item_step(*w.c, w.a, v.id,
                          step(s->version, 1, rs::in_review, rs::approved, re::approve), at(5),
                          reviewer);
  REQUIRE(s);
  CHECK(s->latest.state == "approved");
  CHECK(s->latest.reviewed_by == std::optional<std::string>{reviewer_id});
  CHECK(s->approved_version == std::optional<std::int32_t>{1});
  st::item_version_write w3{body("Index choice 3"), reviewer_id, "Rev", "manual"};
  e = st::update_item(*w.c, w.a, v.id, s->version, w3, at(6), reviewer);
  REQUIRE(e);
  CHECK(e->latest.number == 2);
  CHECK(e->latest.state == "draft");
  CHECK(e->latest.author_id == reviewer_id);
  CHECK(e->approved_version == std::optional<std::int32_t>{1});
  CHECK(e->versions ==
        std::vector<std::pair<std::int32_t, std::string>>{{2, "draft"}, {1, "approved"}});
  auto v1 = st::get_item(*w.c, w.a, v.id, 1);
  REQUIRE(v1);
  CHECK(v1->latest.body.at("title") == "Index choice 2");
  CHECK(v1->latest.state == "approved");
  CHECK(st::get_item(*w.c, w.a, v.id, 3).code() == hw::errc::not_found);

  // the search columns follow the latest version
  hw::item_filter f;
  f.q = "choice";
  auto p = list(w, w.a, f);
  REQUIRE(p.items.size() == 1);
  CHECK(p.items[0].title == "Index choice 3");
  CHECK(p.items[0].state == "draft");
  CHECK(p.items[0].approved_version == std::optional<std::int32_t>{1});

  // archive: a sink; version 1 keeps its approval
  auto ar = st::apply_item_step(
      *w.c, w.a, v.id, step(e->version, 2, rs::draft, rs::archived, re::archive, author_id), at(7),
      author);
  REQUIRE(ar);
  CHECK(ar->latest.state == "archived");
  CHECK(st::update_item(*w.c, w.a, v.id, ar->version, w3, at(8), author).code() ==
        hw::errc::illegal_transition);
  auto res = st::resolve_item_versions(*w.c, w.a, {{v.id, 1}, {v.id, 2}});
  REQUIRE(res);
  REQUIRE(res->size() == 2);
  for (const auto& r : *res) {
    CHECK(r.item_archived);
    CHECK(r.usable == (r.number == 1));
  }

  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'content.item_created'") == 1);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'content.item_updated'") == 3);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'content.item_submitted'") == 2);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'content.item_approved'") == 1);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'content.item_archived'") == 1);
}

TEST_CASE("content_repo: stale steps and edits lose the CAS and nothing is lost", "[pg][content]") {
  world w;
  auto v = w.create(w.a, draft(body("Race")));
  auto s = st::apply_item_step(
      *w.c, w.a, v.id, step(1, 1, rs::draft, rs::in_review, re::submit, author_id), t0, author);
  REQUIRE(s);
  const auto seen = s->version;  // both approvers and the editor read this
  // An edit lands first (in_review -> draft).
  st::item_version_write ed{body("Race edited"), author_id, "Ada", "manual"};
  auto e = st::update_item(*w.c, w.a, v.id, seen, ed, at(1), author);
  REQUIRE(e);
  // Both approvers decided on the stale read: both lose, the edit stays.
  CHECK(st::apply_item_step(*w.c, w.a, v.id,
                            step(seen, 1, rs::in_review, rs::approved, re::approve), at(2),
                            reviewer)
            .code() == hw::errc::version_conflict);
  // the right version but a stale from-state is refused too
  CHECK(st::apply_item_step(*w.c, w.a, v.id,
                            step(e->version, 1, rs::in_review, rs::approved, re::approve), at(2),
                            reviewer)
            .code() == hw::errc::version_conflict);
  auto now = st::get_item(*w.c, w.a, v.id);
  REQUIRE(now);
  CHECK(now->latest.state == "draft");
  CHECK(now->latest.body.at("title") == "Race edited");
  CHECK_FALSE(now->approved_version);
  // a second edit with the version from before the first one loses as well
  st::item_version_write ed2{body("Race overwritten"), author_id, "Ada", "manual"};
  CHECK(st::update_item(*w.c, w.a, v.id, seen, ed2, at(3), author).code() ==
        hw::errc::version_conflict);
  CHECK(st::get_item(*w.c, w.a, v.id)->latest.body.at("title") == "Race edited");
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'content.item_approved'") == 0);
}

TEST_CASE("content_repo: two concurrent approvers and an editor have exactly one winner",
          "[pg][content]") {
  world w;
  for (int round = 0; round < 5; ++round) {
    auto v = w.create(w.a, draft(body("Concurrent " + std::to_string(round))));
    auto s = st::apply_item_step(
        *w.c, w.a, v.id, step(1, 1, rs::draft, rs::in_review, re::submit, author_id), t0, author);
    REQUIRE(s);
    const auto seen = s->version;
    auto c1 = w.db.connect();
    auto c2 = w.db.connect();
    auto c3 = w.db.connect();
    hw::result<hw::item_view> r1{hw::errc::internal}, r2{hw::errc::internal},
        r3{hw::errc::internal};
    std::thread t1{[&] {
      r1 = st::apply_item_step(
          *c1, w.a, v.id, step(seen, 1, rs::in_review, rs::approved, re::approve), at(1), reviewer);
    }};
    std::thread t2{[&] {
      r2 = st::apply_item_step(
          *c2, w.a, v.id, step(seen, 1, rs::in_review, rs::approved, re::approve), at(1), reviewer);
    }};
    std::thread t3{[&] {
      st::item_version_write ed{body("Edited " + std::to_string(round)), author_id, "Ada",
                                "manual"};
      r3 = st::update_item(*c3, w.a, v.id, seen, ed, at(1), author);
    }};
    t1.join();
    t2.join();
    t3.join();
    const int wins = int(bool(r1)) + int(bool(r2)) + int(bool(r3));
    CHECK(wins == 1);
    for (const auto* r : {&r1, &r2, &r3}) {
      if (!*r) CHECK(r->code() == hw::errc::version_conflict);
    }
    auto now = st::get_item(*w.c, w.a, v.id);
    REQUIRE(now);
    CHECK(now->version == seen + 1);
    if (r3) {
      CHECK(now->latest.state == "draft");
      CHECK(now->latest.body.at("title") == "Edited " + std::to_string(round));
    } else {
      CHECK(now->latest.state == "approved");
      CHECK(now->latest.body.at("title") == "Concurrent " + std::to_string(round));
    }
  }
}

TEST_CASE("content_repo: search filters each and combined", "[pg][content]") {
  world w;
  const auto job = w.add_job(w.a, "j1");
  int s = 0;
  w.create(w.a,
           draft(body("Postgres vacuum", {"postgresql"}, dm::content_kind::technical,
                      {dm::seniority::senior})),
           at(++s));
  w.create(w.a,
           draft(body("Kafka partitions", {"kafka", "java"}, dm::content_kind::system_design,
                      {dm::seniority::staff_plus})),
           at(++s));
  w.create(w.a,
           draft(body("Tell me about a conflict", {"communication"}, dm::content_kind::behavioral,
                      {dm::seniority::junior, dm::seniority::mid}, {dm::job_category::sales})),
           at(++s));
  w.create(w.a,
           draft(body("Two sum", {"algorithms"}, dm::content_kind::coding, {dm::seniority::junior},
                      {dm::job_category::engineering},
                      "Given numbers, find a pair with the target sum.")),
           at(++s));
  auto other_author = draft(body("Replication lag", {"postgresql", "linux"},
                                 dm::content_kind::technical, {dm::seniority::senior}));
  other_author.first.author_id = reviewer_id;
  w.create(w.a, other_author, at(++s));
  const auto appr = w.approved(w.a, body("Approved index", {"postgresql"}), ++s);
  // approved, then a newer draft: still matches state=approved
  st::item_version_write nd{body("Approved index v2", {"postgresql"}), author_id, "Ada", "manual"};
  REQUIRE(st::update_item(*w.c, w.a, appr.id, appr.version, nd, at(++s), author));
  auto arch = w.create(w.a, draft(body("Archived postgres", {"postgresql"})), at(++s));
  REQUIRE(st::apply_item_step(*w.c, w.a, arch.id,
                              step(1, 1, rs::draft, rs::archived, re::archive, author_id), at(++s),
                              author));
  auto var = draft(body("Postgres for this job", {"postgresql"}));
  var.job_id = job;
  var.variant_of_item = appr.id;
  var.variant_of_version = 1;
  auto vv = w.create(w.a, var, at(++s));
  CHECK(vv.job_id == std::optional<std::string>{job});
  CHECK(vv.variant_of == std::optional<std::string>{appr.id + "@v1"});
  w.create(w.b, draft(body("Other org postgres", {"postgresql"})), at(++s));

  hw::item_filter f;
  auto all = list(w, w.a, f);
  CHECK(all.items.size() == 6);  // no archived, no variant, no other org
  CHECK(all.total == std::optional<std::int64_t>{6});
  CHECK(all.items.front().title == "Approved index v2");  // newest first

  f = {};
  f.q = "postgres";  // stemmed english search: Postgres / postgres in title or prompt
  CHECK(titles(list(w, w.a, f)) == std::set<std::string>{"Postgres vacuum"});
  f.q = "pair target";  // prompt words (weight B)
  CHECK(titles(list(w, w.a, f)) == std::set<std::string>{"Two sum"});
  f.q = "explain -kafka -vacuum -conflict -sum -replication";  // websearch negation
  CHECK(titles(list(w, w.a, f)) == std::set<std::string>{"Approved index v2"});
  CHECK(list(w, w.a, f).total == std::optional<std::int64_t>{1});  // one page holds them all
  f.q = "postgres or kafka";                                       // an OR looks up either word
  CHECK(titles(list(w, w.a, f)) == std::set<std::string>{"Postgres vacuum", "Kafka partitions"});
  f.q = "-kafka -vacuum -conflict -sum -replication";  // only negations: no term to look up
  CHECK(titles(list(w, w.a, f)) == std::set<std::string>{"Approved index v2"});
  f.q = "the and of";  // only stop words
  CHECK(list(w, w.a, f).items.empty());

  f = {};
  f.skill = "postgresql";
  CHECK(titles(list(w, w.a, f)) ==
        std::set<std::string>{"Postgres vacuum", "Replication lag", "Approved index v2"});
  f = {};
  f.seniority = "junior";
  CHECK(titles(list(w, w.a, f)) == std::set<std::string>{"Tell me about a conflict", "Two sum"});
  f = {};
  f.category = "sales";
  CHECK(titles(list(w, w.a, f)) == std::set<std::string>{"Tell me about a conflict"});
  f = {};
  f.kind = "coding";
  CHECK(titles(list(w, w.a, f)) == std::set<std::string>{"Two sum"});
  f = {};
  f.state = "approved";
  CHECK(titles(list(w, w.a, f)) == std::set<std::string>{"Approved index v2"});
  f.state = "draft";
  CHECK(titles(list(w, w.a, f)).size() == 6);
  f.state = "archived";
  CHECK(titles(list(w, w.a, f)) == std::set<std::string>{"Archived postgres"});
  f = {};
  f.author = reviewer_id;
  CHECK(titles(list(w, w.a, f)) == std::set<std::string>{"Replication lag"});
  f = {};
  f.include_archived = true;
  CHECK(list(w, w.a, f).items.size() == 7);
  f = {};
  f.job_id = job;
  CHECK(titles(list(w, w.a, f)) == std::set<std::string>{"Postgres for this job"});
  f.job_id = w.add_job(w.a, "j2");
  CHECK(list(w, w.a, f).items.empty());

  // combined
  f = {};
  f.skill = "postgresql";
  f.seniority = "senior";
  f.author = author_id;
  CHECK(titles(list(w, w.a, f)) == std::set<std::string>{"Postgres vacuum"});
  f = {};
  f.q = "postgres";
  f.skill = "postgresql";
  f.include_archived = true;
  CHECK(titles(list(w, w.a, f)) == std::set<std::string>{"Postgres vacuum", "Archived postgres"});
  f = {};
  f.kind = "technical";
  f.state = "approved";
  f.skill = "postgresql";
  CHECK(list(w, w.a, f).total == std::optional<std::int64_t>{1});

  // bad filters name the field
  auto bad = [&](hw::item_filter g, const std::string& field) {
    auto r = st::list_items(*w.c, w.a, g);
    REQUIRE_FALSE(r);
    CHECK(r.code() == hw::errc::invalid_argument);
    CHECK(r.error().detail.rfind(field + ":", 0) == 0);
  };
  f = {};
  f.kind = "essay";
  bad(f, "kind");
  f = {};
  f.state = "done";
  bad(f, "state");
  f = {};
  f.seniority = "guru";
  bad(f, "seniority");
  f = {};
  f.category = "law";
  bad(f, "category");
  f = {};
  f.limit = 0;
  bad(f, "limit");
  f = {};
  f.cursor = "bm9wZQ";
  bad(f, "cursor");
  f = {};
  f.job_id = "nope";
  bad(f, "job_id");
  // websearch syntax never errors
  f = {};
  f.q = "\"unbalanced OR -";
  CHECK(st::list_items(*w.c, w.a, f));
}

TEST_CASE("content_repo: keyset paging has no duplicates or gaps", "[pg][content]") {
  world w;
  std::vector<st::new_item> items;
  for (int i = 0; i < 230; ++i) {
    items.push_back(draft(body("Paged " + std::to_string(i), {i % 2 ? "go" : "rust"})));
  }
  // one batch: every row has the same updated_at (ties broken by item id)
  auto r = st::create_items(*w.c, w.a, items, "import", t0, author);
  REQUIRE(r);
  CHECK(r->created == 230);
  // and some with distinct times
  for (int i = 0; i < 20; ++i)
    w.create(w.a, draft(body("Later " + std::to_string(i), {"go"})), at(i + 1));
  // by recency alone, driven by a skill's term entries, and by a word's (plus a skill probe)
  for (const auto* skill : {"", "go", "paged"}) {
    hw::item_filter f;
    if (std::string{skill} == "paged") {
      f.q = "paged";
      f.skill = "rust";
    } else if (*skill) {
      f.skill = skill;
    }
    f.limit = 17;
    std::vector<std::string> seen;
    for (int pages = 0; pages < 100; ++pages) {
      auto p = list(w, w.a, f);
      for (const auto& it : p.items) seen.push_back(it.id);
      if (!p.next_cursor) break;
      f.cursor = p.next_cursor;
    }
    const std::size_t want = std::string{skill} == "paged" ? 115 : *skill ? 115 + 20 : 250;
    CHECK(seen.size() == want);
    CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == want);
  }
}

TEST_CASE("content_repo: starter loads skip existing keys and import all or nothing",
          "[pg][content]") {
  world w;
  std::vector<st::new_item> items;
  for (int i = 0; i < 3; ++i) {
    auto it = draft(body("Starter " + std::to_string(i)), "");
    it.state = rs::in_review;
    it.first.author_name = "hirewire starter library";
    it.first.origin = "starter:v1";
    it.starter_key = "starter:" + std::to_string(i);
    items.push_back(it);
  }
  auto r = st::create_items(*w.c, w.a, items, "starter:v1", t0, author);
  REQUIRE(r);
  CHECK(r->created == 3);
  CHECK(r->skipped == 0);
  REQUIRE(r->item_ids.size() == 3);
  auto first = st::get_item(*w.c, w.a, r->item_ids[0]);
  REQUIRE(first);
  CHECK(first->latest.state == "in_review");
  CHECK(first->latest.body.at("title") == "Starter 0");
  CHECK(first->latest.author_id.empty());
  // one more key in a second load: the rest are skipped
  auto extra = items.back();
  extra.starter_key = "starter:3";
  extra.first.body.title = "Starter 3";
  items.push_back(extra);
  r = st::create_items(*w.c, w.a, items, "starter:v1", at(1), author);
  REQUIRE(r);
  CHECK(r->created == 1);
  CHECK(r->skipped == 3);
  // another org loads the same keys independently
  CHECK(st::create_items(*w.c, w.b, items, "starter:v1", t0, author)->created == 4);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'content.library_imported'") ==
        3);
  // a refused entry writes nothing
  std::vector<st::new_item> broken = {draft(body("Ok")), draft(body("Bad"))};
  broken[1].item_id = "not-a-uuid";
  auto b = st::create_items(*w.c, w.a, broken, "import", t0, author);
  REQUIRE_FALSE(b);
  CHECK(b.error().detail.rfind("/items/1: ", 0) == 0);
  CHECK(w.count("SELECT count(*) FROM content_items WHERE title = 'Ok'") == 0);
}

TEST_CASE("content_repo: export and library candidates read approved library versions",
          "[pg][content]") {
  world w;
  const auto job = w.add_job(w.a, "j1");
  auto a1 = w.approved(w.a, body("Exported", {"postgresql"}), 1);
  st::item_version_write nd{body("Exported v2 draft", {"postgresql"}), author_id, "Ada", "manual"};
  REQUIRE(st::update_item(*w.c, w.a, a1.id, a1.version, nd, at(2), author));
  w.approved(w.a, body("Go one", {"go"}), 3);
  w.create(w.a, draft(body("Never approved")), at(4));
  auto gone = w.approved(w.a, body("Archived one"), 5);
  REQUIRE(st::apply_item_step(
      *w.c, w.a, gone.id, step(gone.version, 1, rs::approved, rs::archived, re::archive, author_id),
      at(6), author));
  auto var = w.approved(w.a, body("Variant"), 7);
  (void)var;
  auto vi = draft(body("Job variant"));
  vi.job_id = job;
  w.create(w.a, vi, at(8));

  auto ex = st::export_library(*w.c, w.a);
  REQUIRE(ex);
  std::set<std::string> t;
  for (const auto& e : *ex) {
    t.insert(e.body.at("title").get<std::string>());
    CHECK(e.state == "approved");
    CHECK(e.version == 1);
  }
  CHECK(t == std::set<std::string>{"Exported", "Go one", "Variant"});
  CHECK(st::export_library(*w.c, w.b)->empty());

  auto lc = st::list_library_candidates(*w.c, w.a, {"postgresql"});
  REQUIRE(lc);
  REQUIRE(lc->size() == 2);  // Exported (its approved v1), Variant; not the archived one
  for (const auto& c : *lc) CHECK(c.body.title != "Archived one");
  lc = st::list_library_candidates(*w.c, w.a, {"go"});
  REQUIRE(lc->size() == 1);
  CHECK(lc->front().body.title == "Go one");
  CHECK(st::list_library_candidates(*w.c, w.a, {})->size() == 3);
}

TEST_CASE("content_repo: comments skills and LLM settings", "[pg][content]") {
  world w;
  auto v = w.create(w.a, draft(body("Commented")));
  auto s = st::apply_item_step(
      *w.c, w.a, v.id, step(1, 1, rs::draft, rs::in_review, re::submit, author_id), t0, author);
  REQUIRE(s);
  auto rc = step(s->version, 1, rs::in_review, rs::changes_requested, re::request_changes);
  rc.comment = "Please add a rubric example";
  auto r = st::apply_item_step(*w.c, w.a, v.id, rc, at(1), reviewer);
  REQUIRE(r);
  CHECK(r->latest.state == "changes_requested");
  auto cm = st::add_comment(*w.c, w.a, v.id, author_id, "Ada", "Done", at(2), author);
  REQUIRE(cm);
  CHECK(st::add_comment(*w.c, w.a, v.id, author_id, "Ada", "", at(2), author).code() ==
        hw::errc::invalid_argument);
  auto list = st::list_comments(*w.c, w.a, v.id);
  REQUIRE(list);
  REQUIRE(list->size() == 2);
  CHECK((*list)[0].text == "Please add a rubric example");
  CHECK((*list)[0].author_id == reviewer_id);
  CHECK((*list)[1].text == "Done");
  CHECK(st::list_comments(*w.c, w.b, v.id).code() == hw::errc::not_found);

  dm::skill sk{"acme-ql", "AcmeQL", {"acme query", "aql"}, dm::job_category::data, true};
  REQUIRE(st::add_custom_skill(*w.c, w.a, sk, t0, author));
  CHECK(st::add_custom_skill(*w.c, w.a, sk, t0, author).code() == hw::errc::conflict);
  auto skills = st::list_custom_skills(*w.c, w.a);
  REQUIRE(skills);
  REQUIRE(skills->size() == 1);
  CHECK(skills->front().synonyms == std::vector<std::string>{"acme query", "aql"});
  CHECK(skills->front().category == dm::job_category::data);
  CHECK(st::list_custom_skills(*w.c, w.b)->empty());

  auto none = st::get_llm_settings(*w.c, w.a);
  REQUIRE(none);
  CHECK(none->version == 0);
  CHECK_FALSE(none->enabled);
  st::llm_settings_record ls;
  ls.enabled = true;
  ls.base_url = "https://llm.example/v1";
  ls.model = "m1";
  ls.api_key_sealed = std::string{"\x00\x01sealed\xff", 9};
  auto put = st::put_llm_settings(*w.c, w.a, ls, 0, t0, author);
  REQUIRE(put);
  CHECK(put->version == 1);
  CHECK(put->api_key_sealed == ls.api_key_sealed);
  CHECK(st::put_llm_settings(*w.c, w.a, ls, 0, t0, author).code() == hw::errc::version_conflict);
  ls.model = "m2";
  put = st::put_llm_settings(*w.c, w.a, ls, 1, at(1), author);
  REQUIRE(put);
  CHECK(put->version == 2);
  CHECK(put->model == "m2");
  CHECK(st::put_llm_settings(*w.c, w.a, ls, 2, at(1), author)->version ==
        2);  // no change, no write
  CHECK(st::get_llm_settings(*w.c, w.b)->version == 0);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'content.llm_settings_updated'"
                " AND detail->'fields' = '[\"model\"]'::jsonb") == 1);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE detail::text LIKE '%sealed%'") == 0);
}

TEST_CASE("content_repo: another org's ids are not found under row-level security",
          "[pg][content]") {
  world w{pg_fixture::app_role::create};
  auto app = w.db.connect_app();
  const auto job_a = w.add_job(w.a, "ja");
  auto made = st::create_item(*app, w.a, draft(body("Tenant A item")), t0, author);
  REQUIRE(made);
  const auto id = made->id;
  CHECK(st::get_item(*app, w.a, id));
  CHECK(st::get_item(*app, w.b, id).code() == hw::errc::not_found);
  st::item_version_write ed{body("Stolen"), author_id, "Ada", "manual"};
  CHECK(st::update_item(*app, w.b, id, 1, ed, t0, author).code() == hw::errc::not_found);
  CHECK(st::apply_item_step(*app, w.b, id, step(1, 1, rs::draft, rs::in_review, re::submit), t0,
                            author)
            .code() == hw::errc::not_found);
  CHECK(st::add_comment(*app, w.b, id, author_id, "x", "hi", t0, author).code() ==
        hw::errc::not_found);
  CHECK(list(w, w.b, {}).items.empty());
  CHECK(st::list_items(*app, w.b, {})->items.empty());
  CHECK(st::list_items(*app, w.a, {})->items.size() == 1);
  CHECK(st::resolve_item_versions(*app, w.b, {{id, 1}})->empty());
  CHECK(st::resolve_item_versions(*app, w.a, {{id, 1}})->size() == 1);
  // a variant of another org's item or for another org's job is not found
  auto var = draft(body("Variant"));
  var.variant_of_item = id;
  var.variant_of_version = 1;
  CHECK(st::create_item(*app, w.b, var, t0, author).code() == hw::errc::not_found);
  auto var2 = draft(body("Variant"));
  var2.job_id = job_a;
  CHECK(st::create_item(*app, w.b, var2, t0, author).code() == hw::errc::not_found);
  CHECK(st::create_item(*app, w.a, var2, t0, author));
  // malformed ids are not_found too
  CHECK(st::get_item(*app, w.a, "x").code() == hw::errc::not_found);
  // the policy itself: as the app role with org b's tenant, no row of org a is visible
  pqxx::work tx{*app};
  st::set_tenant(tx, w.b);
  CHECK(tx.exec1("SELECT count(*) FROM content_items")[0].as<long>() == 0);
  CHECK(tx.exec1("SELECT count(*) FROM content_item_versions")[0].as<long>() == 0);
}
