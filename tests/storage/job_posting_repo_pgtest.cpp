// storage/job_posting_repo (migration 0012): the overlay of local edits on the ATS copy, list
// filters and keyset paging, edits and FSM transitions (CAS, If-Match, audit), applications with
// and without PII, Lever account-wide stages, stage events, and foreign/malformed ids.
// Rows the sync would write are seeded with plain SQL.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <pqxx/pqxx>
#include <regex>
#include <set>
#include <string>
#include <thread>

#include "storage/ats_connection_repo.hpp"
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
const hw::actor_ref recruiter{"user", "11111111-1111-1111-1111-111111111111"};

bool rfc3339_utc(const std::string& s) {
  static const std::regex re{R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$)"};
  return std::regex_match(s, re);
}

struct job_seed {
  std::string ext;
  std::string title = "Backend Engineer";
  std::string status = "open";
  std::string department = "";
  std::string location = "";
  std::string description = "";
  std::string requirements = "";
  std::string overrides = "{}";
  std::string state = "imported";
  std::int64_t updated_s = t0_s;
};

struct world : hw::testing::two_org_world {
  using two_org_world::two_org_world;

  std::string make_conn(const hw::org_id& org, const std::string& vendor = "greenhouse") {
    st::ats_connection_create_row row;
    row.id = new_id();
    row.vendor = vendor;
    row.name = vendor + " prod";
    auto r = st::create_ats_connection(*c, org, row, t0, recruiter);
    INFO((r ? "" : r.error().detail));
    REQUIRE(r);
    return r->id;
  }
  std::string add_job(const hw::org_id& org, const std::string& conn, const job_seed& s) {
    pqxx::work tx{*c};
    auto r = tx.exec_params1(
        "INSERT INTO job_postings (org_id, job_id, connection_id, external_id, ats_title, "
        "ats_status,"
        " ats_department, ats_location, ats_description_html, ats_requirements, ats_opened_at,"
        " overrides, posting_state, created_at, updated_at)"
        " VALUES ($1::uuid, gen_random_uuid(), $2::uuid, $3, $4, $5, $6, $7, $8, $9,"
        " to_timestamp($10::bigint - 86400), $11::jsonb, $12, to_timestamp($10::bigint),"
        " to_timestamp($10::bigint)) RETURNING job_id::text",
        org.value, conn, s.ext, s.title, s.status, s.department, s.location, s.description,
        s.requirements, s.updated_s, s.overrides, s.state);
    tx.commit();
    return r[0].as<std::string>();
  }
  void add_stage(const hw::org_id& org, const std::string& conn, const std::string& job_ext,
                 const std::string& ext, const std::string& name, std::optional<int> sort,
                 bool active = true) {
    pqxx::work tx{*c};
    std::optional<std::string> so;
    if (sort) so = std::to_string(*sort);
    tx.exec_params0(
        "INSERT INTO ats_stages (org_id, connection_id, job_external_id, external_id, name,"
        " sort_order, active, updated_at) VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6::integer,"
        " $7::boolean, to_timestamp($8::bigint))",
        org.value, conn, job_ext, ext, name, so ? so->c_str() : nullptr, active, t0_s);
    tx.commit();
  }
  std::string add_candidate(const hw::org_id& org, const std::string& conn, const std::string& ext,
                            const std::string& first, const std::string& last,
                            const std::string& emails, bool anonymized = false,
                            const char* merged_into = nullptr, bool can_email = true) {
    pqxx::work tx{*c};
    auto r = tx.exec_params1(
        "INSERT INTO ats_candidates (org_id, candidate_id, connection_id, external_id, first_name,"
        " last_name, emails, can_email, anonymized, merged_into, created_at, updated_at)"
        " VALUES ($1::uuid, gen_random_uuid(), $2::uuid, $3, $4, $5, $6::jsonb, $7::boolean,"
        " $8::boolean, $9, to_timestamp($10::bigint), to_timestamp($10::bigint))"
        " RETURNING candidate_id::text",
        org.value, conn, ext, first, last, emails, can_email, anonymized, merged_into, t0_s);
    tx.commit();
    return r[0].as<std::string>();
  }
  std::string add_application(const hw::org_id& org, const std::string& conn,
                              const std::string& ext, const std::string& cand_ext,
                              const std::string& job_ext, const std::string& stage_id,
                              const std::string& stage_name, const std::string& status,
                              std::int64_t updated_s = t0_s) {
    pqxx::work tx{*c};
    auto r = tx.exec_params1(
        "INSERT INTO ats_applications (org_id, application_id, connection_id, external_id,"
        " candidate_external_id, job_external_id, stage_id, stage_name, status, created_at,"
        " updated_at) VALUES ($1::uuid, gen_random_uuid(), $2::uuid, $3, $4, $5, $6, $7, $8,"
        " to_timestamp($9::bigint), to_timestamp($9::bigint)) RETURNING application_id::text",
        org.value, conn, ext, cand_ext, job_ext, stage_id, stage_name, status, updated_s);
    tx.commit();
    return r[0].as<std::string>();
  }
  void sql(const std::string& s) {
    pqxx::work tx{*c};
    tx.exec0(s);
    tx.commit();
  }
  long count(const std::string& s) {
    pqxx::nontransaction tx{*c};
    return tx.exec1(s)[0].as<long>();
  }
  std::string text(const std::string& s) {
    pqxx::nontransaction tx{*c};
    return tx.exec1(s)[0].as<std::string>();
  }
};

std::vector<std::string> ids_of(const hw::job_page& p) {
  std::vector<std::string> out;
  for (const auto& j : p.jobs) out.push_back(j.id);
  return out;
}

std::vector<std::string> titles_of(const hw::job_page& p) {
  std::vector<std::string> out;
  for (const auto& j : p.jobs) out.push_back(j.title);
  return out;
}

hw::job_page list(world& w, const hw::org_id& org, const hw::job_filter& f) {
  auto r = st::list_job_postings(*w.c, org, f);
  INFO((r ? "" : r.error().detail));
  REQUIRE(r);
  return *r;
}

void require_invalid(const hw::result<hw::job_page>& r, const std::string& field) {
  REQUIRE_FALSE(r);
  CHECK(r.code() == hw::errc::invalid_argument);
  CHECK(r.error().detail.rfind(field + ":", 0) == 0);
}

}  // namespace

TEST_CASE("job_posting_repo: overlay, overridden fields, conflicts and stages",
          "[pg][job_posting]") {
  world w;
  const auto conn = w.make_conn(w.a);
  job_seed s;
  s.ext = "4001";
  s.title = "Backend Engineer";
  s.department = "Engineering";
  s.location = "Munich";  // the ATS moved it since the edit below (recorded ats_value Berlin)
  s.description = "<p>ATS text</p>";
  s.requirements = "C++";
  s.overrides =
      R"({"title": {"value": "Senior Backend Engineer", "ats_value": "Backend Engineer"},)"
      R"( "location": {"value": "Remote", "ats_value": "Berlin"}})";
  const auto jid = w.add_job(w.a, conn, s);
  job_seed plain;
  plain.ext = "4002";
  plain.title = "Designer";
  plain.updated_s = t0_s - 10;
  const auto other = w.add_job(w.a, conn, plain);

  // Stages: this job's, another job's, an inactive one, none account-wide.
  w.add_stage(w.a, conn, "4001", "s3", "Offer", std::nullopt);
  w.add_stage(w.a, conn, "4001", "s1", "Application Review", 0);
  w.add_stage(w.a, conn, "4001", "s2", "Phone Screen", 1);
  w.add_stage(w.a, conn, "4001", "s0", "Deleted stage", 2, false);
  w.add_stage(w.a, conn, "4002", "s9", "Other job", 0);
  w.add_application(w.a, conn, "a1", "c1", "4001", "s1", "Application Review", "active");
  w.add_application(w.a, conn, "a2", "c2", "4001", "s2", "Phone Screen", "rejected");
  w.add_application(w.a, conn, "a3", "c3", "4002", "s9", "Other job", "active");

  auto d = st::get_job_posting(*w.c, w.a, jid);
  INFO((d ? "" : d.error().detail));
  REQUIRE(d);
  CHECK(d->summary.id == jid);
  CHECK(d->summary.connection_id == conn);
  CHECK(d->summary.vendor == "greenhouse");
  CHECK(d->summary.external_id == "4001");
  CHECK(d->summary.title == "Senior Backend Engineer");
  CHECK(d->summary.department == "Engineering");
  CHECK(d->summary.location == "Remote");
  CHECK(d->summary.ats_status == "open");
  CHECK(d->summary.posting_state == "imported");
  CHECK(d->summary.applications == 2);
  CHECK(d->summary.has_local_edits);
  CHECK(d->summary.updated_at == "2030-03-17T17:46:40.000000Z");
  CHECK(d->description_html == "<p>ATS text</p>");
  CHECK(d->requirements == "C++");
  REQUIRE(d->opened_at);
  CHECK(rfc3339_utc(*d->opened_at));
  CHECK_FALSE(d->closed_at);
  CHECK(d->overridden_fields == std::vector<std::string>{"title", "location"});
  CHECK(d->conflicts == std::vector<std::string>{"location"});
  REQUIRE(d->stages.size() ==
          3);  // ordered by sort_order NULLS LAST; inactive and foreign left out
  CHECK(d->stages[0].id == "s1");
  CHECK(d->stages[0].sort_order == std::optional<int>{0});
  CHECK(d->stages[1].id == "s2");
  CHECK(d->stages[2].id == "s3");
  CHECK_FALSE(d->stages[2].sort_order);
  CHECK_FALSE(d->shortlist_stage_id);
  CHECK(d->version == 1);

  auto o = st::get_job_posting(*w.c, w.a, other);
  REQUIRE(o);
  CHECK(o->overridden_fields.empty());
  CHECK(o->conflicts.empty());
  CHECK_FALSE(o->summary.has_local_edits);
  CHECK(o->summary.applications == 1);
  REQUIRE(o->stages.size() == 1);
  CHECK(o->stages[0].name == "Other job");

  // The list shows the same overlay.
  auto page = list(w, w.a, {});
  REQUIRE(page.jobs.size() == 2);
  CHECK(page.jobs[0].id == jid);
  CHECK(page.jobs[0].title == "Senior Backend Engineer");
  CHECK(page.jobs[0].location == "Remote");
  CHECK(page.jobs[0].department == "Engineering");
  CHECK(page.jobs[0].has_local_edits);
  CHECK(page.jobs[0].applications == 2);
  CHECK(page.jobs[0].vendor == "greenhouse");
  CHECK(page.jobs[0].updated_at == d->summary.updated_at);
  CHECK(page.jobs[1].id == other);
  CHECK_FALSE(page.jobs[1].has_local_edits);
  CHECK_FALSE(page.next_cursor);

  // Another organization's id, a malformed id, an unknown id.
  CHECK(st::get_job_posting(*w.c, w.b, jid).code() == hw::errc::not_found);
  CHECK(st::get_job_posting(*w.c, w.a, "not-a-uuid").code() == hw::errc::not_found);
  CHECK(st::get_job_posting(*w.c, w.a, w.new_id()).code() == hw::errc::not_found);
  CHECK(st::get_job_posting(*w.c, hw::org_id{"x"}, jid).code() == hw::errc::not_found);
  CHECK(list(w, w.b, {}).jobs.empty());
}

TEST_CASE("job_posting_repo: list filters, q escaping and bad filters", "[pg][job_posting]") {
  world w;
  const auto gh = w.make_conn(w.a);
  const auto lv = w.make_conn(w.a, "lever");
  const auto foreign = w.make_conn(w.b);
  auto seed = [&](const std::string& conn, const std::string& ext, const std::string& title,
                  const std::string& status, const std::string& state, std::int64_t at,
                  const std::string& overrides = "{}") {
    job_seed s;
    s.ext = ext;
    s.title = title;
    s.status = status;
    s.state = state;
    s.updated_s = at;
    s.overrides = overrides;
    return w.add_job(w.a, conn, s);
  };
  const auto pct = seed(gh, "1", "100% Remote_Role", "open", "imported", t0_s + 5);
  const auto plain = seed(gh, "2", "1000 Remote Role", "open", "draft", t0_s + 4);
  const auto growth =
      seed(lv, "3", "Data Engineer", "closed", "closed", t0_s + 3,
           R"({"title": {"value": "Growth Hacker", "ats_value": "Data Engineer"}})");
  const auto slash = seed(lv, "4", R"(Back\slash Dev)", "draft", "imported", t0_s + 2);

  hw::job_filter f;
  SECTION("q matches the effective title, case-insensitively, with % and _ literal") {
    f.q = "0% r";
    CHECK(ids_of(list(w, w.a, f)) == std::vector<std::string>{pct});
    f.q = "_ROLE";
    CHECK(ids_of(list(w, w.a, f)) == std::vector<std::string>{pct});
    f.q = "%";
    CHECK(ids_of(list(w, w.a, f)) == std::vector<std::string>{pct});
    f.q = "remote";
    CHECK(ids_of(list(w, w.a, f)) == std::vector<std::string>{pct, plain});
    f.q = "growth";
    CHECK(titles_of(list(w, w.a, f)) == std::vector<std::string>{"Growth Hacker"});
    f.q = "data engineer";  // overridden away
    CHECK(list(w, w.a, f).jobs.empty());
    f.q = R"(k\s)";
    CHECK(ids_of(list(w, w.a, f)) == std::vector<std::string>{slash});
    f.q = "";  // no filter
    CHECK(list(w, w.a, f).jobs.size() == 4);
  }
  SECTION("connection, posting state and ATS status") {
    f.connection_id = lv;
    CHECK(ids_of(list(w, w.a, f)) == std::vector<std::string>{growth, slash});
    for (auto& ch : *f.connection_id) ch = static_cast<char>(std::toupper(ch));  // any case
    CHECK(ids_of(list(w, w.a, f)) == std::vector<std::string>{growth, slash});
    f.connection_id = foreign;  // another org's connection: nothing
    CHECK(list(w, w.a, f).jobs.empty());
    f.connection_id.reset();
    f.posting_state = "imported";
    CHECK(ids_of(list(w, w.a, f)) == std::vector<std::string>{pct, slash});
    f.ats_status = "draft";
    CHECK(ids_of(list(w, w.a, f)) == std::vector<std::string>{slash});
    f.posting_state.reset();
    f.ats_status = "closed";
    auto p = list(w, w.a, f);
    REQUIRE(p.jobs.size() == 1);
    CHECK(p.jobs[0].vendor == "lever");
    CHECK(p.jobs[0].title == "Growth Hacker");
    f.ats_status.reset();
    f.connection_id = gh;
    f.q = "role";
    f.posting_state = "draft";
    CHECK(ids_of(list(w, w.a, f)) == std::vector<std::string>{plain});
  }
  SECTION("bad filters are invalid_argument naming the field") {
    f.limit = 0;
    require_invalid(st::list_job_postings(*w.c, w.a, f), "limit");
    f.limit = 201;
    require_invalid(st::list_job_postings(*w.c, w.a, f), "limit");
    f.limit = 200;
    CHECK(st::list_job_postings(*w.c, w.a, f));
    f.connection_id = "nope";
    require_invalid(st::list_job_postings(*w.c, w.a, f), "connection_id");
    f.connection_id.reset();
    f.posting_state = "published";
    require_invalid(st::list_job_postings(*w.c, w.a, f), "posting_state");
    f.posting_state.reset();
    f.ats_status = "live";
    require_invalid(st::list_job_postings(*w.c, w.a, f), "ats_status");
    f.ats_status.reset();
    f.q = std::string(301, 'x');
    require_invalid(st::list_job_postings(*w.c, w.a, f), "q");
    f.q = std::string{"\xff\xfe"};
    require_invalid(st::list_job_postings(*w.c, w.a, f), "q");
    f.q.reset();
    for (const char* bad : {"", "!!!", "bm90IGEgY3Vyc29y" /* "not a cursor" */,
                            "MTIzfG5vdC1hLXV1aWQ" /* "123|not-a-uuid" */}) {
      f.cursor = bad;
      require_invalid(st::list_job_postings(*w.c, w.a, f), "cursor");
    }
  }
}

TEST_CASE("job_posting_repo: keyset paging over 250 jobs has no duplicates or gaps",
          "[pg][job_posting]") {
  world w;
  const auto conn = w.make_conn(w.a);
  // Three jobs per second: ties on updated_at straddle page boundaries.
  w.sql(
      "INSERT INTO job_postings (org_id, job_id, connection_id, external_id, ats_title, ats_status,"
      " created_at, updated_at) SELECT '" +
      w.a.value + "', gen_random_uuid(), '" + conn +
      "', 'j' || i, 'Job ' || i, 'open', to_timestamp(" + std::to_string(t0_s) +
      "), to_timestamp(" + std::to_string(t0_s) + " + i / 3) FROM generate_series(1, 250) i");
  const auto expected_first =
      w.text("SELECT job_id::text FROM job_postings ORDER BY updated_at DESC, job_id DESC LIMIT 1");
  for (int limit : {7, 50, 200}) {
    hw::job_filter f;
    f.limit = limit;
    std::vector<std::string> all;
    int pages = 0;
    for (;;) {
      auto p = list(w, w.a, f);
      REQUIRE(static_cast<int>(p.jobs.size()) <= limit);
      for (const auto& j : p.jobs) all.push_back(j.id);
      ++pages;
      if (!p.next_cursor) break;
      REQUIRE(pages < 100);
      f.cursor = p.next_cursor;
    }
    CHECK(pages == (250 + limit - 1) / limit);
    REQUIRE(all.size() == 250);
    CHECK(std::set<std::string>(all.begin(), all.end()).size() == 250);
    CHECK(all.front() == expected_first);
  }
  // The same order as the database's (updated_at DESC, job_id DESC), filters applied per page.
  hw::job_filter f;
  f.limit = 200;
  auto p = list(w, w.a, f);
  {
    pqxx::nontransaction tx{*w.c};
    auto want = tx.exec(
        "SELECT job_id::text FROM job_postings ORDER BY updated_at DESC, job_id DESC LIMIT 200");
    REQUIRE(want.size() == p.jobs.size());
    for (std::size_t i = 0; i < want.size(); ++i)
      CHECK(p.jobs[i].id == want[i][0].as<std::string>());
  }
  f.q = "job 1";  // Job 1, Job 10..19, Job 100..199
  f.limit = 20;
  std::size_t n = 0;
  for (;;) {
    auto q = list(w, w.a, f);
    n += q.jobs.size();
    if (!q.next_cursor) break;
    f.cursor = q.next_cursor;
  }
  CHECK(n == 111);
}

TEST_CASE("job_posting_repo: the list uses the job_postings_list index on 10k jobs",
          "[pg][job_posting]") {
  world w;
  const auto conn = w.make_conn(w.a);
  const auto conn_b = w.make_conn(w.b);
  for (const auto& [org, cn] : {std::pair{w.a, conn}, std::pair{w.b, conn_b}}) {
    w.sql(
        "INSERT INTO job_postings (org_id, job_id, connection_id, external_id, ats_title, "
        "ats_status,"
        " created_at, updated_at) SELECT '" +
        org.value + "', gen_random_uuid(), '" + cn +
        "', 'j' || i, 'Job ' || i, 'open', to_timestamp(" + std::to_string(t0_s) +
        "), to_timestamp(" + std::to_string(t0_s) + " + i) FROM generate_series(1, 10000) i");
  }
  w.sql("ANALYZE job_postings");
  hw::job_filter f;
  auto first = list(w, w.a, f);  // prepares the statement on this connection
  REQUIRE(first.jobs.size() == 50);
  REQUIRE(first.next_cursor);
  auto second_page = [&] {
    hw::job_filter g;
    g.cursor = first.next_cursor;
    return list(w, w.a, g);
  };
  CHECK(second_page().jobs.size() == 50);
  // Both the custom and the generic plan of the prepared statement walk the index.
  for (const char* mode : {"force_custom_plan", "force_generic_plan"}) {
    pqxx::work tx{*w.c};
    tx.exec(std::string{"SET LOCAL plan_cache_mode = "} + mode);
    std::string plan;
    for (const auto& r : tx.exec(
             "EXPLAIN EXECUTE job_posting_list('" + w.a.value + "', NULL, NULL, NULL, NULL, " +
             std::to_string((t0_s + 5000) * 1000000) + ", '" + first.jobs.back().id + "', 51)")) {
      plan += r[0].as<std::string>() + "\n";
    }
    INFO(mode << "\n" << plan);
    CHECK(plan.find("job_postings_list") != std::string::npos);
    CHECK(plan.find("Seq Scan on job_postings") == std::string::npos);
  }
  CHECK(second_page().jobs.front().title == "Job 9950");
}

TEST_CASE("job_posting_repo: edits are overrides with CAS, If-Match and audit",
          "[pg][job_posting]") {
  world w;
  const auto conn = w.make_conn(w.a);
  job_seed s;
  s.ext = "77";
  s.title = "Backend Engineer";
  s.department = "Engineering";
  s.location = "Berlin";
  const auto jid = w.add_job(w.a, conn, s);
  w.add_stage(w.a, conn, "77", "st-1", "Phone Screen", 1);
  w.add_stage(w.a, conn, "78", "st-other", "Other job's stage", 1);
  const auto t1 = t0 + std::chrono::hours{1};
  auto audits = [&] {
    return w.count("SELECT count(*) FROM audit_events WHERE action = 'job.updated' AND target = '" +
                   jid + "'");
  };
  auto version = [&] {
    return w.count("SELECT version FROM job_postings WHERE job_id = '" + jid + "'");
  };

  SECTION("a set field becomes an override recording the ATS value, with an audit of names only") {
    hw::job_edit e;
    e.title = "  Staff Engineer  ";
    e.location = "Remote";
    auto d = st::edit_job_posting(*w.c, w.a, jid, e, 1, t1, recruiter);
    INFO((d ? "" : d.error().detail));
    REQUIRE(d);
    CHECK(d->summary.title == "Staff Engineer");
    CHECK(d->summary.location == "Remote");
    CHECK(d->summary.department == "Engineering");
    CHECK(d->summary.has_local_edits);
    CHECK(d->overridden_fields == std::vector<std::string>{"title", "location"});
    CHECK(d->conflicts.empty());
    CHECK(d->version == 2);
    CHECK(d->summary.updated_at == "2030-03-17T18:46:40.000000Z");
    CHECK(w.text("SELECT ats_title FROM job_postings WHERE job_id = '" + jid + "'") ==
          "Backend Engineer");
    CHECK(w.text("SELECT overrides->'title'->>'ats_value' FROM job_postings WHERE job_id = '" +
                 jid + "'") == "Backend Engineer");
    const auto detail =
        w.text("SELECT detail::text FROM audit_events WHERE action = 'job.updated'");
    CHECK(detail == R"({"fields": ["title", "location"]})");
    CHECK(detail.find("Staff") == std::string::npos);
    CHECK(w.text("SELECT actor_id FROM audit_events WHERE action = 'job.updated'") == recruiter.id);

    // The ATS changes the title: our value stays, the field is in conflict.
    w.sql("UPDATE job_postings SET ats_title = 'Backend Engineer II' WHERE job_id = '" + jid + "'");
    auto g = st::get_job_posting(*w.c, w.a, jid);
    REQUIRE(g);
    CHECK(g->summary.title == "Staff Engineer");
    CHECK(g->conflicts == std::vector<std::string>{"title"});
    // Re-submitting our value acknowledges the new ATS value: the conflict is gone.
    hw::job_edit again;
    again.title = "Staff Engineer";
    auto a2 = st::edit_job_posting(*w.c, w.a, jid, again, std::nullopt, t1, recruiter);
    REQUIRE(a2);
    CHECK(a2->conflicts.empty());
    CHECK(a2->version == 3);
    // Reverting shows the ATS value again.
    hw::job_edit rv;
    rv.revert = {"title", "location", "department"};  // department has no override: ignored
    auto r = st::edit_job_posting(*w.c, w.a, jid, rv, 3, t1, recruiter);
    REQUIRE(r);
    CHECK(r->summary.title == "Backend Engineer II");
    CHECK(r->summary.location == "Berlin");
    CHECK(r->overridden_fields.empty());
    CHECK_FALSE(r->summary.has_local_edits);
    CHECK(r->version == 4);
    CHECK(
        w.text("SELECT detail::text FROM audit_events WHERE action = 'job.updated' ORDER BY id DESC"
               " LIMIT 1") == R"({"fields": ["title", "location"]})");
    CHECK(w.text("SELECT overrides::text FROM job_postings WHERE job_id = '" + jid + "'") == "{}");
  }
  SECTION("an edit that changes nothing writes nothing") {
    hw::job_edit e;
    e.department = "Platform";
    REQUIRE(st::edit_job_posting(*w.c, w.a, jid, e, std::nullopt, t1, recruiter));
    REQUIRE(audits() == 1);
    const auto at =
        w.text("SELECT updated_at::text FROM job_postings WHERE job_id = '" + jid + "'");
    auto same = st::edit_job_posting(*w.c, w.a, jid, e, 2, t1 + std::chrono::hours{1}, recruiter);
    REQUIRE(same);
    CHECK(same->version == 2);
    hw::job_edit nothing;
    nothing.revert = {"title"};       // no override to drop
    nothing.shortlist_stage_id = "";  // already clear
    CHECK(st::edit_job_posting(*w.c, w.a, jid, nothing, 2, t1, recruiter)->version == 2);
    CHECK(st::edit_job_posting(*w.c, w.a, jid, hw::job_edit{}, std::nullopt, t1, recruiter)
              ->version == 2);
    CHECK(audits() == 1);
    CHECK(version() == 2);
    CHECK(w.text("SELECT updated_at::text FROM job_postings WHERE job_id = '" + jid + "'") == at);
  }
  SECTION("shortlist stage: one of the job's stages, or cleared") {
    hw::job_edit e;
    e.shortlist_stage_id = "st-1";
    auto d = st::edit_job_posting(*w.c, w.a, jid, e, std::nullopt, t1, recruiter);
    REQUIRE(d);
    CHECK(d->shortlist_stage_id == std::optional<std::string>{"st-1"});
    CHECK_FALSE(d->summary.has_local_edits);  // not an override
    CHECK(w.text("SELECT detail::text FROM audit_events WHERE action = 'job.updated'") ==
          R"({"fields": ["shortlist_stage_id"]})");
    for (const char* bad : {"st-other", "nope"}) {
      e.shortlist_stage_id = bad;
      auto r = st::edit_job_posting(*w.c, w.a, jid, e, std::nullopt, t1, recruiter);
      REQUIRE_FALSE(r);
      CHECK(r.code() == hw::errc::invalid_argument);
      CHECK(r.error().detail == "shortlist_stage_id: not a stage of this job");
    }
    e.shortlist_stage_id = "";
    auto cleared = st::edit_job_posting(*w.c, w.a, jid, e, std::nullopt, t1, recruiter);
    REQUIRE(cleared);
    CHECK_FALSE(cleared->shortlist_stage_id);
    CHECK(cleared->version == 3);
    CHECK(w.count("SELECT count(*) FROM job_postings WHERE shortlist_stage_id IS NULL") == 1);
  }
  SECTION("If-Match, archived, validation and foreign ids") {
    hw::job_edit e;
    e.title = "X";
    CHECK(st::edit_job_posting(*w.c, w.a, jid, e, 7, t1, recruiter).code() ==
          hw::errc::precondition_failed);
    CHECK(st::edit_job_posting(*w.c, w.b, jid, e, std::nullopt, t1, recruiter).code() ==
          hw::errc::not_found);
    CHECK(st::edit_job_posting(*w.c, w.a, "123", e, std::nullopt, t1, recruiter).code() ==
          hw::errc::not_found);
    auto expect_invalid = [&](const hw::job_edit& bad, const std::string& field) {
      auto r = st::edit_job_posting(*w.c, w.a, jid, bad, std::nullopt, t1, recruiter);
      REQUIRE_FALSE(r);
      CHECK(r.code() == hw::errc::invalid_argument);
      CHECK(r.error().detail.rfind(field + ":", 0) == 0);
    };
    hw::job_edit bad;
    bad.title = "   ";
    expect_invalid(bad, "title");
    bad.title = std::string(301, 'a');
    expect_invalid(bad, "title");
    bad.title = "two\nlines";
    expect_invalid(bad, "title");
    bad.title.reset();
    bad.department = std::string(301, 'd');
    expect_invalid(bad, "department");
    bad.department.reset();
    bad.location = "tab\there";
    expect_invalid(bad, "location");
    bad.location.reset();
    bad.description_html = std::string(1048577, 'x');
    expect_invalid(bad, "description_html");
    bad.description_html.reset();
    bad.requirements = std::string{"\xc3\x28"};
    expect_invalid(bad, "requirements");
    bad.requirements.reset();
    bad.revert = {"salary"};
    expect_invalid(bad, "revert");
    bad.title = "T";
    bad.revert = {"title"};
    expect_invalid(bad, "revert");
    CHECK(version() == 1);
    CHECK(audits() == 0);

    hw::job_edit ok;
    ok.title = std::string(300, 'a');  // the bound itself
    ok.description_html = std::string(1048576, 'x');
    auto big = st::edit_job_posting(*w.c, w.a, jid, ok, 1, t1, recruiter);
    INFO((big ? "" : big.error().detail));
    REQUIRE(big);
    CHECK(big->description_html.size() == 1048576);

    w.sql("UPDATE job_postings SET posting_state = 'archived' WHERE job_id = '" + jid + "'");
    auto r = st::edit_job_posting(*w.c, w.a, jid, e, std::nullopt, t1, recruiter);
    CHECK(r.code() == hw::errc::illegal_transition);
    CHECK(version() == 2);
  }
}

TEST_CASE("job_posting_repo: a concurrent write between read and CAS is version_conflict",
          "[pg][job_posting]") {
  world w;
  const auto conn = w.make_conn(w.a);
  job_seed s;
  s.ext = "1";
  const auto jid = w.add_job(w.a, conn, s);
  auto other = w.db.connect();
  auto watcher = w.db.connect();

  pqxx::work rival{*other};
  rival.exec0("UPDATE job_postings SET version = version + 1 WHERE job_id = '" + jid + "'");
  const auto rival_pid = other->backendpid();
  // The edit reads version 1 (the rival is uncommitted), then its CAS waits for the row lock.
  hw::result<hw::job_detail> got{hw::errc::internal};
  std::thread editor{[&] {
    hw::job_edit e;
    e.title = "Mine";
    got = st::edit_job_posting(*w.c, w.a, jid, e, 1, t0, recruiter);
  }};
  bool waiting = false;
  for (int i = 0; i < 3000 && !waiting; ++i) {  // poll (up to 30 s) until it blocks on our lock
    pqxx::nontransaction q{*watcher};
    waiting = q.exec1("SELECT count(*) FROM pg_locks WHERE NOT granted AND pid <> " +
                      std::to_string(rival_pid))[0]
                  .as<long>() > 0;
    if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  rival.commit();
  editor.join();
  REQUIRE(waiting);
  CHECK(got.code() == hw::errc::version_conflict);
  CHECK(w.count("SELECT version FROM job_postings WHERE job_id = '" + jid + "'") == 2);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'job.updated'") == 0);
}

TEST_CASE("job_posting_repo: recruiter transitions follow the job posting FSM",
          "[pg][job_posting]") {
  world w;
  const auto conn = w.make_conn(w.a);
  job_seed s;
  s.ext = "9";
  const auto jid = w.add_job(w.a, conn, s);
  const auto t1 = t0 + std::chrono::minutes{5};

  auto d = st::transition_job_posting(*w.c, w.a, jid, "claim", 1, t1, recruiter);
  INFO((d ? "" : d.error().detail));
  REQUIRE(d);
  CHECK(d->summary.posting_state == "draft");
  CHECK(d->version == 2);
  CHECK(w.text("SELECT detail::text FROM audit_events WHERE action = 'job.state_changed'") ==
        R"({"to": "draft", "from": "imported", "event": "claim", "driver": "recruiter"})");

  auto illegal = st::transition_job_posting(*w.c, w.a, jid, "open", std::nullopt, t1, recruiter);
  CHECK(illegal.code() == hw::errc::illegal_transition);
  CHECK(illegal.error().detail == "job posting: cannot open from draft");
  CHECK(st::transition_job_posting(*w.c, w.a, jid, "launch", std::nullopt, t1, recruiter).code() ==
        hw::errc::invalid_argument);
  CHECK(st::transition_job_posting(*w.c, w.a, jid, "mark_ready", 1, t1, recruiter).code() ==
        hw::errc::precondition_failed);
  CHECK(st::transition_job_posting(*w.c, w.b, jid, "mark_ready", std::nullopt, t1, recruiter)
            .code() == hw::errc::not_found);
  CHECK(st::transition_job_posting(*w.c, w.a, "zz", "mark_ready", std::nullopt, t1, recruiter)
            .code() == hw::errc::not_found);

  // Issue 5: ready to invite needs an approved interview template (set as its approval would).
  auto no_template = st::transition_job_posting(*w.c, w.a, jid, "mark_ready", std::nullopt, t1, recruiter);
  CHECK(no_template.code() == hw::errc::illegal_transition);
  CHECK(no_template.error().detail == "the job has no approved interview template");
  w.sql("UPDATE job_postings SET approved_template_version_id = gen_random_uuid(),"
        " approved_template_version = 1 WHERE job_id = '" + jid + "'");
  for (const char* ev : {"mark_ready", "open", "close", "archive"}) {
    auto r = st::transition_job_posting(*w.c, w.a, jid, ev, std::nullopt, t1, recruiter);
    INFO(ev << (r ? "" : ": " + r.error().detail));
    REQUIRE(r);
  }
  auto g = st::get_job_posting(*w.c, w.a, jid);
  REQUIRE(g);
  CHECK(g->summary.posting_state == "archived");
  CHECK(g->version == 6);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'job.state_changed'") == 5);
  CHECK(st::transition_job_posting(*w.c, w.a, jid, "reopen", std::nullopt, t1, recruiter).code() ==
        hw::errc::illegal_transition);

  // An ATS-only edge is refused for a recruiter, with the FSM's detail.
  job_seed s2;
  s2.ext = "10";
  const auto j2 = w.add_job(w.a, conn, s2);
  auto ats_only = st::transition_job_posting(*w.c, w.a, j2, "close", std::nullopt, t1, recruiter);
  CHECK(ats_only.code() == hw::errc::illegal_transition);
  CHECK(ats_only.error().detail.find("not driven by") != std::string::npos);
  CHECK(w.count("SELECT version FROM job_postings WHERE job_id = '" + j2 + "'") == 1);
}

TEST_CASE("job_posting_repo: applications with and without PII", "[pg][job_posting]") {
  world w;
  const auto conn = w.make_conn(w.a);
  job_seed s;
  s.ext = "500";
  const auto jid = w.add_job(w.a, conn, s);
  w.add_stage(w.a, conn, "500", "10", "Application Review", 0);
  w.add_stage(w.a, conn, "500", "11", "Phone Screen", 1);
  const auto c_full = w.add_candidate(
      w.a, conn, "c1", "Ada", "Lovelace",
      R"([{"value": "ada@work.example", "type": "work"}, {"value": "ada@home.example", "type": "personal"}])");
  w.add_candidate(w.a, conn, "c2", "", "", "[]", true, nullptr, false);
  w.add_candidate(w.a, conn, "c3", "Old", "Record",
                  R"([{"value": "old@x.example", "type": "personal"}])", false, "c1");
  w.add_candidate(w.a, conn, "c5", "Bo", "", R"([{"value": "bo@work.example", "type": "work"}])");
  const auto a1 = w.add_application(w.a, conn, "ap1", "c1", "500", "11", "", "active", t0_s + 5);
  const auto a2 = w.add_application(w.a, conn, "ap2", "c2", "500", "10", "Application Review",
                                    "rejected", t0_s + 4);
  const auto a3 = w.add_application(w.a, conn, "ap3", "c3", "500", "10", "Application Review",
                                    "active", t0_s + 3);
  const auto a4 = w.add_application(w.a, conn, "ap4", "c404", "500", "10", "Application Review",
                                    "active", t0_s + 2);
  const auto a5 = w.add_application(w.a, conn, "ap5", "c5", "500", "10", "Application Review",
                                    "hired", t0_s + 2);
  w.add_application(w.a, conn, "ap6", "c1", "501", "10", "Elsewhere", "active", t0_s + 9);

  auto get = [&](const hw::application_filter& f, bool pii) {
    auto r = st::list_job_applications(*w.c, w.a, jid, f, pii);
    INFO((r ? "" : r.error().detail));
    REQUIRE(r);
    return *r;
  };
  auto find = [](const hw::application_page& p, const std::string& id) {
    for (const auto& a : p.applications) {
      if (a.id == id) return a;
    }
    FAIL("application " << id << " not listed");
    return hw::application_view{};
  };

  SECTION("without PII no name or e-mail is present") {
    auto p = get({}, false);
    REQUIRE(p.applications.size() == 5);
    CHECK_FALSE(p.next_cursor);
    CHECK(p.applications[0].id == a1);  // newest first
    for (const auto& a : p.applications) {
      CHECK_FALSE(a.candidate.first_name);
      CHECK_FALSE(a.candidate.last_name);
      CHECK_FALSE(a.candidate.email);
      CHECK(rfc3339_utc(a.updated_at));
    }
    const auto v1 = find(p, a1);
    CHECK(v1.candidate.id == c_full);
    CHECK(v1.candidate.external_id == "c1");
    CHECK(v1.candidate.can_email);
    CHECK_FALSE(v1.candidate.anonymized);
    CHECK(v1.external_id == "ap1");
    CHECK(v1.status == "active");
    CHECK(v1.stage.id == "11");
    CHECK(v1.stage.name == "Phone Screen");  // stage_name empty: taken from ats_stages
    CHECK(v1.stage.sort_order == std::optional<int>{1});
  }
  SECTION("with PII: names and the personal address, never for anonymized or merged people") {
    auto p = get({}, true);
    REQUIRE(p.applications.size() == 5);
    const auto v1 = find(p, a1);
    CHECK(v1.candidate.first_name == std::optional<std::string>{"Ada"});
    CHECK(v1.candidate.last_name == std::optional<std::string>{"Lovelace"});
    CHECK(v1.candidate.email == std::optional<std::string>{"ada@home.example"});
    const auto v2 = find(p, a2);
    CHECK(v2.candidate.anonymized);
    CHECK_FALSE(v2.candidate.can_email);
    CHECK_FALSE(v2.candidate.first_name);
    CHECK_FALSE(v2.candidate.email);
    const auto v3 = find(p, a3);  // merged into c1
    CHECK_FALSE(v3.candidate.first_name);
    CHECK_FALSE(v3.candidate.last_name);
    CHECK_FALSE(v3.candidate.email);
    CHECK_FALSE(v3.candidate.can_email);
    CHECK(v3.candidate.external_id == "c3");
    const auto v4 = find(p, a4);  // candidate not imported yet
    CHECK(v4.candidate.id.empty());
    CHECK(v4.candidate.external_id == "c404");
    CHECK_FALSE(v4.candidate.can_email);
    CHECK_FALSE(v4.candidate.first_name);
    const auto v5 = find(p, a5);  // no personal address: the first one
    CHECK(v5.candidate.email == std::optional<std::string>{"bo@work.example"});
    CHECK(v5.candidate.last_name == std::optional<std::string>{""});
  }
  SECTION("filters, paging and bad filters") {
    hw::application_filter f;
    f.stage_id = "10";
    CHECK(get(f, false).applications.size() == 4);
    f.status = "active";
    CHECK(get(f, false).applications.size() == 2);
    f.stage_id.reset();
    f.status = "hired";
    auto h = get(f, false);
    REQUIRE(h.applications.size() == 1);
    CHECK(h.applications[0].id == a5);

    hw::application_filter pg;
    pg.limit = 2;
    std::vector<std::string> seen;
    for (int i = 0; i < 10; ++i) {
      auto p = get(pg, false);
      for (const auto& a : p.applications) seen.push_back(a.id);
      if (!p.next_cursor) break;
      pg.cursor = p.next_cursor;
    }
    CHECK(seen.size() == 5);
    CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == 5);

    auto invalid = [&](const hw::application_filter& bad, const std::string& field) {
      auto r = st::list_job_applications(*w.c, w.a, jid, bad, false);
      REQUIRE_FALSE(r);
      CHECK(r.code() == hw::errc::invalid_argument);
      CHECK(r.error().detail.rfind(field + ":", 0) == 0);
    };
    hw::application_filter bad;
    bad.status = "in_process";
    invalid(bad, "status");
    bad.status.reset();
    bad.limit = 0;
    invalid(bad, "limit");
    bad.limit = 501;
    invalid(bad, "limit");
    bad.limit = 500;
    bad.stage_id = "";
    invalid(bad, "stage_id");
    bad.stage_id.reset();
    bad.cursor = "%%%";
    invalid(bad, "cursor");
  }
  SECTION("another organization's job, or a malformed id, is not_found") {
    CHECK(st::list_job_applications(*w.c, w.b, jid, {}, true).code() == hw::errc::not_found);
    CHECK(st::list_job_applications(*w.c, w.a, "j", {}, true).code() == hw::errc::not_found);
    CHECK(st::list_job_applications(*w.c, w.a, w.new_id(), {}, true).code() == hw::errc::not_found);
  }
}

TEST_CASE("job_posting_repo: Lever account-wide stages belong to every job", "[pg][job_posting]") {
  world w;
  const auto conn = w.make_conn(w.a, "lever");
  job_seed s;
  s.ext = "posting-uuid-1";
  const auto jid = w.add_job(w.a, conn, s);
  w.add_stage(w.a, conn, "", "lead-new", "New lead", 0);
  w.add_stage(w.a, conn, "", "applicant-new", "New applicant", 1);
  w.add_stage(w.a, conn, "", "offer", "Offer", std::nullopt);
  const auto other_conn = w.make_conn(w.a, "lever");
  w.add_stage(w.a, other_conn, "", "x", "Another account's stage", 0);

  auto d = st::get_job_posting(*w.c, w.a, jid);
  REQUIRE(d);
  CHECK(d->summary.vendor == "lever");
  REQUIRE(d->stages.size() == 3);
  CHECK(d->stages[0].id == "lead-new");
  CHECK(d->stages[1].id == "applicant-new");
  CHECK(d->stages[2].id == "offer");

  hw::job_edit e;
  e.shortlist_stage_id = "applicant-new";
  auto r = st::edit_job_posting(*w.c, w.a, jid, e, std::nullopt, t0, recruiter);
  REQUIRE(r);
  CHECK(r->shortlist_stage_id == std::optional<std::string>{"applicant-new"});
  e.shortlist_stage_id = "x";
  CHECK(st::edit_job_posting(*w.c, w.a, jid, e, std::nullopt, t0, recruiter).code() ==
        hw::errc::invalid_argument);

  w.add_candidate(w.a, conn, "cand-1", "Grace", "Hopper", R"([{"value": "g@h.example"}])");
  w.add_application(w.a, conn, "opp-1", "cand-1", "posting-uuid-1", "applicant-new", "", "active");
  auto p = st::list_job_applications(*w.c, w.a, jid, {}, true);
  REQUIRE(p);
  REQUIRE(p->applications.size() == 1);
  CHECK(p->applications[0].stage.name == "New applicant");
  CHECK(p->applications[0].stage.sort_order == std::optional<int>{1});
  CHECK(p->applications[0].candidate.email == std::optional<std::string>{"g@h.example"});
}

TEST_CASE("job_posting_repo: stage events newest first", "[pg][job_posting]") {
  world w;
  const auto conn = w.make_conn(w.a);
  job_seed s;
  s.ext = "1";
  const auto jid = w.add_job(w.a, conn, s);
  s.ext = "2";
  const auto j2 = w.add_job(w.a, conn, s);
  const auto app = w.add_application(w.a, conn, "ap", "c", "1", "st", "Shortlist", "active");
  for (int i = 0; i < 3; ++i) {
    w.sql(
        "INSERT INTO ats_stage_events (org_id, connection_id, job_id, application_id, stage_id,"
        " stage_name, at) VALUES ('" +
        w.a.value + "', '" + conn + "', '" + (i == 1 ? j2 : jid) + "', '" + app +
        "', 'st', 'Shortlist', to_timestamp(" + std::to_string(t0_s + i) + "))");
  }
  auto ev = st::list_job_stage_events(*w.c, w.a, jid);
  INFO((ev ? "" : ev.error().detail));
  REQUIRE(ev);
  REQUIRE(ev->size() == 2);
  CHECK((*ev)[0].id > (*ev)[1].id);
  CHECK((*ev)[0].job_id == jid);
  CHECK((*ev)[0].application_id == app);
  CHECK((*ev)[0].stage_id == "st");
  CHECK((*ev)[0].stage_name == "Shortlist");
  CHECK((*ev)[0].status == "pending");
  CHECK((*ev)[0].at == "2030-03-17T17:46:42.000000Z");
  CHECK(st::list_job_stage_events(*w.c, w.a, jid, 1)->size() == 1);
  CHECK(st::list_job_stage_events(*w.c, w.a, jid, 0).code() == hw::errc::invalid_argument);
  CHECK(st::list_job_stage_events(*w.c, w.b, jid).code() == hw::errc::not_found);
  CHECK(st::list_job_stage_events(*w.c, w.a, "x").code() == hw::errc::not_found);
  CHECK(st::list_job_stage_events(*w.c, w.a, j2)->size() == 1);
}

TEST_CASE("job_posting_repo: row-level security as the app role", "[pg][job_posting]") {
  world w{pg_fixture::app_role::create};
  const auto conn = w.make_conn(w.a);
  job_seed s;
  s.ext = "1";
  const auto jid = w.add_job(w.a, conn, s);
  w.add_stage(w.a, conn, "1", "st", "Stage", 0);
  w.add_candidate(w.a, conn, "c", "A", "B", "[]");
  w.add_application(w.a, conn, "ap", "c", "1", "st", "Stage", "active");
  auto app = w.db.connect_app();

  REQUIRE(st::list_job_postings(*app, w.a, {})->jobs.size() == 1);
  CHECK(st::list_job_postings(*app, w.b, {})->jobs.empty());
  auto d = st::get_job_posting(*app, w.a, jid);
  REQUIRE(d);
  CHECK(d->stages.size() == 1);
  CHECK(d->summary.applications == 1);
  CHECK(st::get_job_posting(*app, w.b, jid).code() == hw::errc::not_found);
  hw::job_edit e;
  e.title = "Edited";
  e.shortlist_stage_id = "st";
  auto r = st::edit_job_posting(*app, w.a, jid, e, 1, t0, recruiter);
  INFO((r ? "" : r.error().detail));
  REQUIRE(r);
  CHECK(st::transition_job_posting(*app, w.a, jid, "claim", 2, t0, recruiter));
  CHECK(st::edit_job_posting(*app, w.b, jid, e, std::nullopt, t0, recruiter).code() ==
        hw::errc::not_found);
  auto p = st::list_job_applications(*app, w.a, jid, {}, true);
  REQUIRE(p);
  REQUIRE(p->applications.size() == 1);
  CHECK(p->applications[0].candidate.first_name == std::optional<std::string>{"A"});
  CHECK(st::list_job_stage_events(*app, w.a, jid)->empty());
}
