// storage/ats_import_repo (migration 0012): the ATS sync's write side. Idempotent pages (no row,
// version or updated_at touched on a re-import), stale records skipped, local overrides kept and
// reported, the posting FSM driven by upstream status, upstream deletion, candidate anonymization /
// merge / deletion, "application reached stage" events, watermarks, webhook counters, the inbox
// read and purge, tenancy (another org's connection, RLS as the app role).
#include <catch2/catch.hpp>
#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "actors/domain/ats_records.hpp"
#include "storage/ats_connection_repo.hpp"
#include "storage/ats_import_repo.hpp"
#include "storage/organization_repo.hpp"
#include "storage/pg.hpp"
#include "storage/session_repo.hpp"
#include "tests/support/pg_fixture.hpp"

using hw::testing::pg_fixture;
namespace st = hw::storage;
namespace dm = hw::domain;
using namespace std::chrono_literals;

namespace {

const st::time_point t0 = st::time_point{} + std::chrono::seconds{1'900'000'000};
const hw::actor_ref operator_cli{"system", "admin-cli"};
const dm::epoch_ms ms0 = 1'800'000'000'000;

struct world : hw::testing::two_org_world {
  std::string ka, kb;  // a connection of org a, one of org b

  explicit world(pg_fixture::app_role r = pg_fixture::app_role::none) : two_org_world{r} {
    ka = make_conn(a);
    kb = make_conn(b);
  }
  std::string make_conn(const hw::org_id& org) {
    st::ats_connection_create_row row;
    row.id = new_id();
    row.vendor = "greenhouse";
    row.name = "Greenhouse";
    auto r = st::create_ats_connection(*c, org, row, t0, operator_cli);
    REQUIRE(r);
    return r->id;
  }
  long count(const std::string& sql) {
    pqxx::nontransaction tx{*c};
    return tx.exec1(sql)[0].as<long>();
  }
  std::string text(const std::string& sql) {
    pqxx::nontransaction tx{*c};
    auto r = tx.exec1(sql);
    return r[0].is_null() ? std::string{"<null>"} : r[0].as<std::string>();
  }
  void exec(const std::string& sql) {
    pqxx::nontransaction tx{*c};
    tx.exec0(sql);
  }
};

dm::ats_job job(const std::string& ext, const std::string& title,
                dm::ats_job_status s = dm::ats_job_status::open, dm::epoch_ms updated = ms0) {
  dm::ats_job j;
  j.external_id = ext;
  j.title = title;
  j.status = s;
  j.department = "Engineering";
  j.location = "Berlin; Remote";
  j.description_html = "<p>Build things</p>";
  j.opened_at = ms0 - 1000;
  j.updated_at = updated;
  return j;
}

dm::ats_candidate person(const std::string& ext, dm::epoch_ms updated = ms0) {
  dm::ats_candidate p;
  p.external_id = ext;
  p.first_name = "Ada";
  p.last_name = "Lovelace";
  p.emails = {{"ada@example.com", "personal"}, {"ada@work.example", "work"}};
  p.phones = {{"+44 20 7946 0000", "mobile"}};
  p.updated_at = updated;
  return p;
}

dm::ats_application app(const std::string& ext, const std::string& cand, const std::string& job_ext,
                        const std::string& stage, dm::epoch_ms updated = ms0) {
  dm::ats_application a;
  a.external_id = ext;
  a.candidate_external_id = cand;
  a.job_external_id = job_ext;
  a.current_stage = {stage, "Stage " + stage};
  a.updated_at = updated;
  return a;
}

std::string job_col(world& w, const std::string& ext, const std::string& col) {
  return w.text("SELECT " + col + "::text FROM job_postings WHERE external_id = '" + ext + "'");
}

}  // namespace

TEST_CASE("ats_import_repo: jobs insert, re-import is a no-op, changes update, stale is skipped",
          "[pg][ats_import]") {
  world w;
  auto r = st::upsert_ats_jobs(
      *w.c, w.a, w.ka, {job("10", "Engineer"), job("11", "Designer", dm::ats_job_status::closed)},
      t0);
  REQUIRE(r);
  CHECK(r->inserted == 2);
  CHECK(r->updated == 0);
  CHECK(job_col(w, "10", "posting_state") == "imported");
  CHECK(job_col(w, "11", "posting_state") == "closed");
  CHECK(job_col(w, "10", "ats_location") == "Berlin; Remote");
  CHECK(job_col(w, "10", "version") == "1");
  CHECK(w.count("SELECT count(*) FROM job_postings WHERE org_id = '" + w.a.value +
                "' AND ats_opened_at = timestamptz 'epoch' + " + std::to_string(ms0 - 1000) +
                " * interval '1 millisecond' AND ats_closed_at IS NULL") == 2);
  const auto updated_at = job_col(w, "10", "updated_at");
  const auto job_id = job_col(w, "10", "job_id");

  // The same page again, later, with a bumped vendor timestamp but the same content: nothing.
  auto again = st::upsert_ats_jobs(*w.c, w.a, w.ka,
                                   {job("10", "Engineer", dm::ats_job_status::open, ms0 + 5),
                                    job("11", "Designer", dm::ats_job_status::closed)},
                                   t0 + 1h);
  REQUIRE(again);
  CHECK(again->inserted == 0);
  CHECK(again->updated == 0);
  CHECK(again->unchanged == 2);
  CHECK(again->conflicts.empty());
  CHECK(job_col(w, "10", "version") == "1");
  CHECK(job_col(w, "10", "updated_at") == updated_at);
  CHECK(job_col(w, "10", "job_id") == job_id);

  // A changed field updates our copy: version + 1, updated_at = now.
  auto ch = st::upsert_ats_jobs(
      *w.c, w.a, w.ka, {job("10", "Senior Engineer", dm::ats_job_status::open, ms0 + 10)}, t0 + 2h);
  REQUIRE(ch);
  CHECK(ch->updated == 1);
  CHECK(job_col(w, "10", "ats_title") == "Senior Engineer");
  CHECK(job_col(w, "10", "version") == "2");
  CHECK(job_col(w, "10", "updated_at") != updated_at);
  CHECK(w.count("SELECT count(*) FROM job_postings WHERE external_id = '10' AND ats_updated_at ="
                " timestamptz 'epoch' + " +
                std::to_string(ms0 + 10) + " * interval '1 millisecond'") == 1);

  // An older record (out-of-order page) does not overwrite it.
  auto old = st::upsert_ats_jobs(
      *w.c, w.a, w.ka, {job("10", "Engineer", dm::ats_job_status::open, ms0 + 1)}, t0 + 3h);
  REQUIRE(old);
  CHECK(old->stale == 1);
  CHECK(old->updated == 0);
  CHECK(job_col(w, "10", "ats_title") == "Senior Engineer");
  CHECK(job_col(w, "10", "version") == "2");

  // A record listed twice in one page: the last one wins, both are counted.
  auto twice = st::upsert_ats_jobs(
      *w.c, w.a, w.ka, {job("12", "A"), job("12", "B", dm::ats_job_status::open, ms0 + 1)},
      t0 + 4h);
  REQUIRE(twice);
  CHECK(twice->inserted == 1);
  CHECK(twice->updated == 1);
  CHECK(job_col(w, "12", "ats_title") == "B");
  CHECK(job_col(w, "12", "version") == "1");

  // Empty page: fine.
  auto none = st::upsert_ats_jobs(*w.c, w.a, w.ka, {}, t0);
  REQUIRE(none);
  CHECK(none->inserted + none->updated + none->unchanged + none->stale == 0);
}

TEST_CASE("ats_import_repo: overridden job fields are kept and a changed ATS value is a conflict",
          "[pg][ats_import]") {
  world w;
  REQUIRE(st::upsert_ats_jobs(*w.c, w.a, w.ka, {job("20", "Engineer")}, t0));
  w.exec(
      "UPDATE job_postings SET overrides = '{\"title\":{\"value\":\"Our title\",\"ats_value\":"
      "\"Engineer\"}}' WHERE external_id = '20'");
  const auto job_id = job_col(w, "20", "job_id");

  // A change to a field that is not overridden: no conflict.
  auto j = job("20", "Engineer");
  j.location = "Paris";
  auto r1 = st::upsert_ats_jobs(*w.c, w.a, w.ka, {j}, t0 + 1h);
  REQUIRE(r1);
  CHECK(r1->updated == 1);
  CHECK(r1->conflicts.empty());

  // The ATS renames the job: our copy follows, the override stays, the conflict is reported once.
  j.title = "Staff Engineer";
  auto r2 = st::upsert_ats_jobs(*w.c, w.a, w.ka, {j}, t0 + 2h);
  REQUIRE(r2);
  CHECK(r2->updated == 1);
  REQUIRE(r2->conflicts.size() == 1);
  CHECK(r2->conflicts[0] == "job " + job_id + ": title");
  CHECK(job_col(w, "20", "ats_title") == "Staff Engineer");
  CHECK(job_col(w, "20", "overrides->'title'->>'value'") == "Our title");
  CHECK(job_col(w, "20", "overrides->'title'->>'ats_value'") == "Engineer");
  auto r3 = st::upsert_ats_jobs(*w.c, w.a, w.ka, {j}, t0 + 3h);
  REQUIRE(r3);
  CHECK(r3->unchanged == 1);
  CHECK(r3->conflicts.empty());
}

TEST_CASE("ats_import_repo: upstream status drives the posting FSM as ats_sync",
          "[pg][ats_import]") {
  world w;
  REQUIRE(st::upsert_ats_jobs(*w.c, w.a, w.ka, {job("30", "Engineer")}, t0));
  const auto job_id = job_col(w, "30", "job_id");
  auto closed = st::upsert_ats_jobs(
      *w.c, w.a, w.ka, {job("30", "Engineer", dm::ats_job_status::closed, ms0 + 1)}, t0 + 1h);
  REQUIRE(closed);
  CHECK(closed->updated == 1);
  CHECK(job_col(w, "30", "posting_state") == "closed");
  CHECK(job_col(w, "30", "ats_status") == "closed");
  CHECK(w.count(
            "SELECT count(*) FROM audit_events WHERE action = 'job.state_changed' AND target = '" +
            job_id +
            "' AND actor_kind = 'system' AND actor_id = 'ats_sync'"
            " AND detail->>'from' = 'imported' AND detail->>'to' = 'closed'"
            " AND detail->>'event' = 'close' AND detail->>'driver' = 'ats_sync'") == 1);

  // Reopened upstream: back to draft (a recruiter re-approves).
  REQUIRE(st::upsert_ats_jobs(*w.c, w.a, w.ka,
                              {job("30", "Engineer", dm::ats_job_status::open, ms0 + 2)}, t0 + 2h));
  CHECK(job_col(w, "30", "posting_state") == "draft");
  // draft -> open upstream is no FSM event.
  REQUIRE(st::upsert_ats_jobs(
      *w.c, w.a, w.ka, {job("30", "Engineer", dm::ats_job_status::draft, ms0 + 3)}, t0 + 3h));
  CHECK(job_col(w, "30", "posting_state") == "draft");
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'job.state_changed'") == 2);

  // An FSM refusal is not an error: an archived posting stays archived, the ATS copy is stored.
  w.exec("UPDATE job_postings SET posting_state = 'archived' WHERE external_id = '30'");
  auto r = st::upsert_ats_jobs(
      *w.c, w.a, w.ka, {job("30", "Engineer", dm::ats_job_status::closed, ms0 + 4)}, t0 + 4h);
  REQUIRE(r);
  CHECK(r->updated == 1);
  CHECK(job_col(w, "30", "posting_state") == "archived");
  CHECK(job_col(w, "30", "ats_status") == "closed");
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'job.state_changed'") == 2);
}

TEST_CASE("ats_import_repo: a job deleted upstream is archived once", "[pg][ats_import]") {
  world w;
  REQUIRE(st::upsert_ats_jobs(*w.c, w.a, w.ka, {job("40", "Engineer")}, t0));
  REQUIRE(st::archive_ats_job_upstream(*w.c, w.a, w.ka, "40", t0 + 1h));
  CHECK(job_col(w, "40", "posting_state") == "archived");
  CHECK(job_col(w, "40", "ats_deleted_at IS NOT NULL") == "true");
  CHECK(job_col(w, "40", "version") == "2");
  const auto deleted_at = job_col(w, "40", "ats_deleted_at");
  REQUIRE(st::archive_ats_job_upstream(*w.c, w.a, w.ka, "40", t0 + 2h));  // idempotent
  CHECK(job_col(w, "40", "version") == "2");
  CHECK(job_col(w, "40", "ats_deleted_at") == deleted_at);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'job.state_changed'"
                " AND detail->>'to' = 'archived' AND detail->>'event' = 'archive'") == 1);
  CHECK(st::archive_ats_job_upstream(*w.c, w.a, w.ka, "unknown", t0));  // nothing to do
  CHECK(st::archive_ats_job_upstream(*w.c, w.a, w.ka, "", t0).code() == hw::errc::invalid_argument);
  CHECK(st::archive_ats_job_upstream(*w.c, w.b, w.ka, "40", t0).code() == hw::errc::not_found);
}

TEST_CASE("ats_import_repo: stages upsert by job and id", "[pg][ats_import]") {
  world w;
  dm::ats_stage s1{"100", "Application Review", "10", 0, true, ms0};
  dm::ats_stage s2{"101", "Phone Screen", "10", 1, true, ms0};
  dm::ats_stage lever{"abc", "New lead", "", std::nullopt, true, std::nullopt};
  auto r = st::upsert_ats_stages(*w.c, w.a, w.ka, {s1, s2, lever}, t0);
  REQUIRE(r);
  CHECK(r->inserted == 3);
  const auto at = w.text("SELECT max(updated_at)::text FROM ats_stages");
  auto again = st::upsert_ats_stages(*w.c, w.a, w.ka, {s1, s2, lever}, t0 + 1h);
  REQUIRE(again);
  CHECK(again->unchanged == 3);
  CHECK(w.text("SELECT max(updated_at)::text FROM ats_stages") == at);
  s2.name = "Phone screen (30 min)";
  s2.updated_at = ms0 + 1;
  lever.active = false;
  auto ch = st::upsert_ats_stages(*w.c, w.a, w.ka, {s1, s2, lever}, t0 + 2h);
  REQUIRE(ch);
  CHECK(ch->updated == 2);
  CHECK(ch->unchanged == 1);
  CHECK(w.text("SELECT name FROM ats_stages WHERE external_id = '101'") == "Phone screen (30 min)");
  CHECK(w.text("SELECT active::text FROM ats_stages WHERE external_id = 'abc'") == "false");
  CHECK(w.text("SELECT sort_order::text FROM ats_stages WHERE external_id = 'abc'") == "<null>");
  s2.name = "Old";
  s2.updated_at = ms0;
  auto stale = st::upsert_ats_stages(*w.c, w.a, w.ka, {s2}, t0 + 3h);
  REQUIRE(stale);
  CHECK(stale->stale == 1);
  // The same stage id under another job is another row.
  dm::ats_stage other{"100", "Application Review", "11", 0, true, ms0};
  CHECK(st::upsert_ats_stages(*w.c, w.a, w.ka, {other}, t0)->inserted == 1);
  CHECK(w.count("SELECT count(*) FROM ats_stages") == 4);
}

TEST_CASE("ats_import_repo: candidates store contacts and re-import changes nothing",
          "[pg][ats_import]") {
  world w;
  auto r = st::upsert_ats_candidates(*w.c, w.a, w.ka, {person("500"), person("501")}, t0);
  REQUIRE(r);
  CHECK(r->inserted == 2);
  CHECK(
      w.text("SELECT emails::text FROM ats_candidates WHERE external_id = '500'") ==
      R"([{"type": "personal", "value": "ada@example.com"}, {"type": "work", "value": "ada@work.example"}])");
  const auto at = w.text("SELECT updated_at::text FROM ats_candidates WHERE external_id = '500'");
  auto again = st::upsert_ats_candidates(*w.c, w.a, w.ka, {person("500"), person("501")}, t0 + 1h);
  REQUIRE(again);
  CHECK(again->unchanged == 2);
  CHECK(w.text("SELECT updated_at::text FROM ats_candidates WHERE external_id = '500'") == at);
  auto p = person("500", ms0 + 1);
  p.can_email = false;
  p.emails.pop_back();
  auto ch = st::upsert_ats_candidates(*w.c, w.a, w.ka, {p}, t0 + 2h);
  REQUIRE(ch);
  CHECK(ch->updated == 1);
  CHECK(w.text("SELECT jsonb_array_length(emails)::text || can_email::text FROM ats_candidates"
               " WHERE external_id = '500'") == "1false");
  CHECK(st::upsert_ats_candidates(*w.c, w.a, w.ka, {person("500", ms0)}, t0 + 3h)->stale == 1);
}

TEST_CASE("ats_import_repo: anonymization purges PII and stays sticky", "[pg][ats_import]") {
  world w;
  REQUIRE(st::upsert_ats_candidates(*w.c, w.a, w.ka, {person("600"), person("601")}, t0));
  const std::string pii_sql =
      "SELECT first_name || last_name || emails::text || phones::text || can_email::text ||"
      " anonymized::text FROM ats_candidates WHERE external_id = ";

  SECTION("anonymize_ats_candidate") {
    REQUIRE(st::anonymize_ats_candidate(*w.c, w.a, w.ka, "600", t0 + 1h));
    CHECK(w.text(pii_sql + "'600'") == "[][]falsetrue");
    const auto at = w.text("SELECT updated_at::text FROM ats_candidates WHERE external_id = '600'");
    REQUIRE(st::anonymize_ats_candidate(*w.c, w.a, w.ka, "600", t0 + 2h));  // idempotent
    CHECK(w.text("SELECT updated_at::text FROM ats_candidates WHERE external_id = '600'") == at);
    CHECK(st::anonymize_ats_candidate(*w.c, w.a, w.ka, "nobody", t0));  // unknown: ok
    CHECK(w.count("SELECT count(*) FROM ats_candidates") == 2);
  }
  SECTION("an anonymized record in a page, even an out-of-order one") {
    auto p = person("600", ms0 - 5);
    p.anonymized = true;
    auto r = st::upsert_ats_candidates(*w.c, w.a, w.ka, {p}, t0 + 1h);
    REQUIRE(r);
    CHECK(r->updated == 1);
    CHECK(w.text(pii_sql + "'600'") == "[][]falsetrue");
  }
  SECTION("a new, already anonymized record never stores PII") {
    auto p = person("602");
    p.anonymized = true;
    REQUIRE(st::upsert_ats_candidates(*w.c, w.a, w.ka, {p}, t0 + 1h));
    CHECK(w.text(pii_sql + "'602'") == "[][]falsetrue");
    REQUIRE(st::anonymize_ats_candidate(*w.c, w.a, w.ka, "600", t0 + 1h));
  }
  // Sticky: a later page with PII for the person stores none of it.
  auto later = person("600", ms0 + 100);
  later.first_name = "Augusta";
  auto r = st::upsert_ats_candidates(*w.c, w.a, w.ka, {later, person("602", ms0 + 100)}, t0 + 5h);
  REQUIRE(r);
  CHECK(w.text(pii_sql + "'600'") == "[][]falsetrue");
  CHECK(w.count("SELECT count(*) FROM ats_candidates WHERE first_name = 'Augusta'") == 0);
  CHECK(
      w.text(pii_sql + "'601'") ==
      R"(AdaLovelace[{"type": "personal", "value": "ada@example.com"}, {"type": "work", "value": "ada@work.example"}][{"type": "mobile", "value": "+44 20 7946 0000"}]truefalse)");
}

TEST_CASE("ats_import_repo: merge re-points applications and purges the loser",
          "[pg][ats_import]") {
  world w;
  REQUIRE(st::upsert_ats_candidates(*w.c, w.a, w.ka, {person("700"), person("701")}, t0));
  REQUIRE(st::upsert_ats_applications(
      *w.c, w.a, w.ka,
      {app("a1", "700", "10", "s1"), app("a2", "700", "11", "s1"), app("a3", "701", "10", "s1")},
      t0));
  REQUIRE(st::merge_ats_candidate(*w.c, w.a, w.ka, "700", "701", t0 + 1h));
  CHECK(w.count("SELECT count(*) FROM ats_applications WHERE candidate_external_id = '701'") == 3);
  CHECK(
      w.text("SELECT first_name || emails::text || phones::text || anonymized::text || merged_into"
             " FROM ats_candidates WHERE external_id = '700'") == "[][]false701");
  CHECK(w.text("SELECT first_name FROM ats_candidates WHERE external_id = '701'") == "Ada");
  const auto at = w.text("SELECT updated_at::text FROM ats_candidates WHERE external_id = '700'");
  REQUIRE(st::merge_ats_candidate(*w.c, w.a, w.ka, "700", "701", t0 + 2h));  // idempotent
  CHECK(w.text("SELECT updated_at::text FROM ats_candidates WHERE external_id = '700'") == at);
  CHECK(st::merge_ats_candidate(*w.c, w.a, w.ka, "701", "701", t0).code() ==
        hw::errc::invalid_argument);
  // merged_into is sticky, and a merged row takes no PII from a later page.
  auto r = st::upsert_ats_candidates(*w.c, w.a, w.ka, {person("700", ms0 + 50)}, t0 + 3h);
  REQUIRE(r);
  CHECK(w.text("SELECT first_name || coalesce(merged_into, '-') FROM ats_candidates"
               " WHERE external_id = '700'") == "701");

  // A page reporting a merge does the same.
  REQUIRE(st::upsert_ats_candidates(*w.c, w.a, w.ka, {person("702")}, t0));
  REQUIRE(st::upsert_ats_applications(*w.c, w.a, w.ka, {app("a4", "702", "10", "s1")}, t0));
  auto m = person("702", ms0 + 1);
  m.merged_into = "701";
  REQUIRE(st::upsert_ats_candidates(*w.c, w.a, w.ka, {m}, t0 + 4h));
  CHECK(w.text("SELECT candidate_external_id FROM ats_applications WHERE external_id = 'a4'") ==
        "701");
  CHECK(w.text("SELECT first_name || merged_into FROM ats_candidates WHERE external_id = '702'") ==
        "701");
}

TEST_CASE("ats_import_repo: deleting a candidate removes it and its applications",
          "[pg][ats_import]") {
  world w;
  REQUIRE(st::upsert_ats_candidates(*w.c, w.a, w.ka, {person("800"), person("801")}, t0));
  REQUIRE(st::upsert_ats_applications(*w.c, w.a, w.ka,
                                      {app("b1", "800", "10", "s1"), app("b2", "800", "11", "s1"),
                                       app("b3", "801", "10", "s1"), app("b4", "999", "10", "s1")},
                                      t0));
  REQUIRE(st::delete_ats_candidate(*w.c, w.a, w.ka, "800", {"b4"}, t0 + 1h));
  CHECK(w.count("SELECT count(*) FROM ats_candidates") == 1);
  CHECK(w.text("SELECT string_agg(external_id, ',' ORDER BY external_id) FROM ats_applications") ==
        "b3");
  REQUIRE(st::delete_ats_candidate(*w.c, w.a, w.ka, "800", {}, t0 + 2h));  // unknown: ok
  REQUIRE(st::delete_ats_application(*w.c, w.a, w.ka, "b3", t0 + 3h));
  REQUIRE(st::delete_ats_application(*w.c, w.a, w.ka, "b3", t0 + 3h));
  CHECK(w.count("SELECT count(*) FROM ats_applications") == 0);
  CHECK(st::delete_ats_candidate(*w.c, w.a, w.ka, "801", {""}, t0).code() ==
        hw::errc::invalid_argument);
  CHECK(st::delete_ats_application(*w.c, w.b, w.ka, "b3", t0).code() == hw::errc::not_found);
}

TEST_CASE("ats_import_repo: entering the shortlist stage raises one event", "[pg][ats_import]") {
  world w;
  REQUIRE(st::upsert_ats_jobs(*w.c, w.a, w.ka, {job("10", "Engineer"), job("11", "Designer")}, t0));
  w.exec("UPDATE job_postings SET shortlist_stage_id = 'short' WHERE external_id = '10'");
  const auto job10 = job_col(w, "10", "job_id");

  // New applications: c1 arrives already in the shortlist stage; c3 is in the stage id 'short'
  // of ANOTHER job (no shortlist there).
  auto r = st::upsert_ats_applications(
      *w.c, w.a, w.ka,
      {app("c1", "900", "10", "short"), app("c2", "901", "10", "review"),
       app("c3", "902", "11", "short")},
      t0);
  REQUIRE(r);
  CHECK(r->inserted == 3);
  CHECK(r->stage_events == 1);
  CHECK(w.count("SELECT count(*) FROM ats_stage_events e JOIN ats_applications a"
                " ON a.org_id = e.org_id AND a.application_id = e.application_id"
                " WHERE a.external_id = 'c1' AND e.job_id = '" +
                job10 +
                "' AND e.stage_id = 'short'"
                " AND e.stage_name = 'Stage short' AND e.status = 'pending'") == 1);

  // Re-import: nothing.
  auto again = st::upsert_ats_applications(
      *w.c, w.a, w.ka,
      {app("c1", "900", "10", "short"), app("c2", "901", "10", "review"),
       app("c3", "902", "11", "short")},
      t0 + 1h);
  REQUIRE(again);
  CHECK(again->unchanged == 3);
  CHECK(again->stage_events == 0);
  CHECK(w.count("SELECT count(*) FROM ats_stage_events") == 1);

  // c2 moves into the stage: one event; a status change while staying there: none.
  auto moved = st::upsert_ats_applications(*w.c, w.a, w.ka,
                                           {app("c2", "901", "10", "short", ms0 + 1)}, t0 + 2h);
  REQUIRE(moved);
  CHECK(moved->updated == 1);
  CHECK(moved->stage_events == 1);
  auto rejected = app("c2", "901", "10", "short", ms0 + 2);
  rejected.status = dm::ats_application_status::rejected;
  CHECK(st::upsert_ats_applications(*w.c, w.a, w.ka, {rejected}, t0 + 3h)->stage_events == 0);
  CHECK(w.text("SELECT status FROM ats_applications WHERE external_id = 'c2'") == "rejected");

  // c1 leaves and re-enters: a second event for it.
  REQUIRE(st::upsert_ats_applications(*w.c, w.a, w.ka, {app("c1", "900", "10", "offer", ms0 + 1)},
                                      t0 + 4h));
  auto back = st::upsert_ats_applications(*w.c, w.a, w.ka,
                                          {app("c1", "900", "10", "short", ms0 + 2)}, t0 + 5h);
  REQUIRE(back);
  CHECK(back->stage_events == 1);
  CHECK(w.count("SELECT count(*) FROM ats_stage_events e JOIN ats_applications a"
                " ON a.org_id = e.org_id AND a.application_id = e.application_id"
                " WHERE a.external_id = 'c1'") == 2);
  // A stale record moving it back is skipped and raises nothing.
  auto stale =
      st::upsert_ats_applications(*w.c, w.a, w.ka, {app("c1", "900", "10", "offer", ms0)}, t0 + 6h);
  REQUIRE(stale);
  CHECK(stale->stale == 1);
  CHECK(w.text("SELECT stage_id FROM ats_applications WHERE external_id = 'c1'") == "short");
  CHECK(w.count("SELECT count(*) FROM ats_stage_events") == 3);  // c1, c2, c1 again
}

TEST_CASE("ats_import_repo: watermarks never move backwards", "[pg][ats_import]") {
  world w;
  auto none = st::load_ats_watermark(*w.c, w.a, w.ka, "applications");
  REQUIRE(none);
  CHECK_FALSE(*none);
  REQUIRE(st::save_ats_watermark(*w.c, w.a, w.ka, "applications", ms0 + 123, t0));
  CHECK(*st::load_ats_watermark(*w.c, w.a, w.ka, "applications") ==
        std::optional<dm::epoch_ms>{ms0 + 123});
  REQUIRE(st::save_ats_watermark(*w.c, w.a, w.ka, "applications", ms0, t0 + 1h));
  CHECK(*st::load_ats_watermark(*w.c, w.a, w.ka, "applications") ==
        std::optional<dm::epoch_ms>{ms0 + 123});
  REQUIRE(st::save_ats_watermark(*w.c, w.a, w.ka, "applications", ms0 + 500, t0 + 2h));
  CHECK(*st::load_ats_watermark(*w.c, w.a, w.ka, "applications") ==
        std::optional<dm::epoch_ms>{ms0 + 500});
  CHECK_FALSE(*st::load_ats_watermark(*w.c, w.a, w.ka, "jobs"));
  CHECK(st::save_ats_watermark(*w.c, w.a, w.ka, "Jobs!", ms0, t0).code() ==
        hw::errc::invalid_argument);
  CHECK(st::load_ats_watermark(*w.c, w.b, w.ka, "jobs").code() == hw::errc::not_found);
  CHECK(st::save_ats_watermark(*w.c, w.b, w.ka, "jobs", ms0, t0).code() == hw::errc::not_found);
}

TEST_CASE("ats_import_repo: webhook counters and counts by connection", "[pg][ats_import]") {
  world w;
  const auto k2 = w.make_conn(w.a);
  REQUIRE(st::bump_ats_webhook_counter(*w.c, w.a, w.ka, st::webhook_counter::received));
  REQUIRE(st::bump_ats_webhook_counter(*w.c, w.a, w.ka, st::webhook_counter::received));
  REQUIRE(st::bump_ats_webhook_counter(*w.c, w.a, w.ka, st::webhook_counter::duplicate));
  REQUIRE(st::bump_ats_webhook_counter(*w.c, w.a, w.ka, st::webhook_counter::rejected));
  CHECK(st::bump_ats_webhook_counter(*w.c, w.b, w.ka, st::webhook_counter::received).code() ==
        hw::errc::not_found);
  REQUIRE(st::upsert_ats_jobs(*w.c, w.a, w.ka, {job("1", "A"), job("2", "B")}, t0));
  REQUIRE(st::upsert_ats_candidates(*w.c, w.a, w.ka, {person("1")}, t0));
  REQUIRE(st::upsert_ats_applications(*w.c, w.a, k2, {app("1", "1", "1", "s")}, t0));
  auto n = st::ats_import_counts_by_connection(*w.c, w.a);
  REQUIRE(n);
  REQUIRE(n->size() == 2);
  const auto& x = n->at(w.ka);
  CHECK(x.jobs == 2);
  CHECK(x.candidates == 1);
  CHECK(x.applications == 0);
  CHECK(x.webhooks_received == 2);
  CHECK(x.webhooks_duplicate == 1);
  CHECK(x.webhooks_rejected == 1);
  CHECK(n->at(k2).applications == 1);
  CHECK(n->at(k2).jobs == 0);
  CHECK(st::ats_import_counts_by_connection(*w.c, w.b)->size() == 1);
  CHECK(st::ats_import_counts_by_connection(*w.c, hw::org_id{"nope"})->empty());
  // Counters do not bump the connection's version.
  CHECK(w.text("SELECT version::text FROM ats_connections WHERE connection_id = '" + w.ka + "'") ==
        "1");
}

TEST_CASE("ats_import_repo: ids are validated and another org's connection is not found",
          "[pg][ats_import]") {
  world w;
  CHECK(st::upsert_ats_jobs(*w.c, w.a, "not-a-uuid", {job("1", "A")}, t0).code() ==
        hw::errc::invalid_argument);
  auto empty = st::upsert_ats_jobs(*w.c, w.a, w.ka, {job("1", "A"), job("", "B")}, t0);
  CHECK(empty.code() == hw::errc::invalid_argument);
  CHECK(empty.error().detail == "jobs[1].external_id: 1 to 200 characters");
  CHECK(st::upsert_ats_jobs(*w.c, w.a, w.ka, {job(std::string(201, '7'), "A")}, t0).code() ==
        hw::errc::invalid_argument);
  CHECK(st::upsert_ats_candidates(*w.c, w.a, w.ka, {person("")}, t0).code() ==
        hw::errc::invalid_argument);
  CHECK(st::upsert_ats_applications(*w.c, w.a, w.ka, {app("", "1", "1", "s")}, t0).code() ==
        hw::errc::invalid_argument);
  CHECK(st::upsert_ats_stages(*w.c, w.a, w.ka, {dm::ats_stage{}}, t0).code() ==
        hw::errc::invalid_argument);
  CHECK(w.count("SELECT count(*) FROM job_postings") == 0);  // nothing of a refused page

  // Org a's connection through org b, and vice versa, and an unknown connection.
  CHECK(st::upsert_ats_jobs(*w.c, w.b, w.ka, {job("1", "A")}, t0).code() == hw::errc::not_found);
  CHECK(st::upsert_ats_stages(*w.c, w.b, w.ka, {}, t0).code() == hw::errc::not_found);
  CHECK(st::upsert_ats_candidates(*w.c, w.a, w.kb, {person("1")}, t0).code() ==
        hw::errc::not_found);
  CHECK(st::upsert_ats_applications(*w.c, w.a, w.new_id(), {}, t0).code() == hw::errc::not_found);
  CHECK(st::merge_ats_candidate(*w.c, w.b, w.ka, "1", "2", t0).code() == hw::errc::not_found);
  CHECK(st::anonymize_ats_candidate(*w.c, w.b, w.ka, "1", t0).code() == hw::errc::not_found);
  CHECK(st::upsert_ats_jobs(*w.c, hw::org_id{"nope"}, w.ka, {}, t0).code() == hw::errc::not_found);
  CHECK(w.count("SELECT count(*) FROM job_postings") == 0);
}

TEST_CASE("ats_import_repo: text is sanitized so odd vendor bytes stay idempotent",
          "[pg][ats_import]") {
  world w;
  auto j = job("50", std::string{"Eng\0ineer \xff\xfe", 12});
  j.description_html = std::string(1048576 + 10, 'x');
  auto r = st::upsert_ats_jobs(*w.c, w.a, w.ka, {j}, t0);
  REQUIRE(r);
  CHECK(job_col(w, "50", "ats_title") == "Engineer \xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(job_col(w, "50", "octet_length(ats_description_html)") == "1048576");
  auto again = st::upsert_ats_jobs(*w.c, w.a, w.ka, {j}, t0 + 1h);
  REQUIRE(again);
  CHECK(again->unchanged == 1);
}

TEST_CASE("ats_import_repo: the inbox entry is read and processed rows are purged",
          "[pg][ats_import]") {
  world w;
  auto add = [&](const std::string& body, std::optional<std::string> event, st::time_point at) {
    st::ats_inbox_row row{w.ka, std::move(event), st::token_digest_hex(body), body};
    auto r = st::inbox_insert(*w.c, w.a, row, at);
    REQUIRE(r);
    return r->inbox_id;
  };
  const auto old_done = add(R"({"action":"a"})", "e1", t0);
  const auto old_open = add(R"({"action":"b"})", std::nullopt, t0);
  const auto new_done = add(R"({"action":"c"})", "e3", t0 + 30 * 24h);
  REQUIRE(*st::inbox_mark_processed(*w.c, w.a, old_done, t0 + 1min));
  REQUIRE(*st::inbox_mark_processed(*w.c, w.a, new_done, t0 + 30 * 24h));

  auto e = st::load_ats_inbox_entry(*w.c, w.a, old_done);
  REQUIRE(e);
  CHECK(e->id == old_done);
  CHECK(e->connection_id == w.ka);
  CHECK(e->vendor_event_id == std::optional<std::string>{"e1"});
  CHECK(e->payload_json == R"({"action":"a"})");  // the body as received (text since 0016)
  CHECK(e->status == "processed");
  CHECK(e->received_at.size() == 27);
  CHECK(e->received_at.back() == 'Z');
  CHECK_FALSE(st::load_ats_inbox_entry(*w.c, w.a, old_open)->vendor_event_id);
  CHECK(st::load_ats_inbox_entry(*w.c, w.b, old_done).code() == hw::errc::not_found);
  CHECK(st::load_ats_inbox_entry(*w.c, w.a, 999999).code() == hw::errc::not_found);

  // Each inbox row is its delivery's log line (migration 0016): three lines, newest id first.
  auto ids = [&] {
    std::vector<std::int64_t> out;
    auto page = st::list_integration_log(*w.c, w.a, w.ka, 10);
    REQUIRE(page);
    for (const auto& l : *page) out.push_back(l.id);
    return out;
  };
  CHECK(ids() == std::vector<std::int64_t>{new_done, old_open, old_done});

  auto n = st::purge_ats_webhook_inbox(*w.c, t0 + 31 * 24h, std::chrono::hours{24 * 7});
  REQUIRE(n);
  CHECK(*n == 1);  // old and processed only
  CHECK(st::load_ats_inbox_entry(*w.c, w.a, old_done).code() == hw::errc::not_found);
  CHECK(st::load_ats_inbox_entry(*w.c, w.a, old_open));
  CHECK(st::load_ats_inbox_entry(*w.c, w.a, new_done));
  CHECK(*st::purge_ats_webhook_inbox(*w.c, t0 + 31 * 24h, std::chrono::hours{24 * 7}) == 0);
  // The purged delivery's line moved into the log under its own id, with what it said before.
  CHECK(ids() == std::vector<std::int64_t>{new_done, old_open, old_done});
  auto moved = *st::list_integration_log(*w.c, w.a, w.ka, 1, old_open);
  REQUIRE(moved.size() == 1);
  CHECK(moved[0].id == old_done);
  CHECK(moved[0].direction == "inbound");
  CHECK(moved[0].endpoint == "/webhooks/greenhouse");
  CHECK(moved[0].status == std::optional<int>{200});
  CHECK_FALSE(moved[0].error);
  CHECK(moved[0].at.rfind("2030-03-17T", 0) == 0);  // t0: when it was received
  CHECK(w.count("SELECT count(*) FROM ats_integration_log WHERE id = " + std::to_string(old_done)) == 1);
  // The log's own retention then removes it.
  REQUIRE(st::purge_integration_log(*w.c, t0 + 40 * 24h, std::chrono::hours{24 * 30}));
  CHECK(ids() == std::vector<std::int64_t>{new_done, old_open});
}

TEST_CASE("ats_import_repo: works as the app role under row-level security", "[pg][ats_import]") {
  world w{pg_fixture::app_role::create};
  auto app_c = w.db.connect_app();
  REQUIRE(st::upsert_ats_jobs(*app_c, w.a, w.ka, {job("1", "A")}, t0));
  REQUIRE(st::upsert_ats_jobs(*app_c, w.b, w.kb, {job("1", "B")}, t0));
  REQUIRE(st::upsert_ats_candidates(*app_c, w.a, w.ka, {person("1")}, t0));
  w.exec("UPDATE job_postings SET shortlist_stage_id = 's' WHERE org_id = '" + w.a.value + "'");
  auto r = st::upsert_ats_applications(*app_c, w.a, w.ka, {app("1", "1", "1", "s")}, t0);
  REQUIRE(r);
  CHECK(r->stage_events == 1);
  REQUIRE(
      st::upsert_ats_stages(*app_c, w.a, w.ka, {dm::ats_stage{"s", "S", "1", 1, true, ms0}}, t0));
  REQUIRE(st::save_ats_watermark(*app_c, w.a, w.ka, "jobs", ms0, t0));
  REQUIRE(st::merge_ats_candidate(*app_c, w.a, w.ka, "1", "2", t0));
  REQUIRE(st::anonymize_ats_candidate(*app_c, w.a, w.ka, "1", t0));
  REQUIRE(st::bump_ats_webhook_counter(*app_c, w.a, w.ka, st::webhook_counter::received));
  REQUIRE(st::archive_ats_job_upstream(*app_c, w.a, w.ka, "1", t0));
  CHECK(st::upsert_ats_jobs(*app_c, w.b, w.ka, {job("1", "A")}, t0).code() == hw::errc::not_found);
  {
    pqxx::read_transaction tx{*app_c};
    st::set_tenant(tx, w.a);
    // No org_id filter: RLS alone hides org b's rows.
    CHECK(tx.exec1("SELECT count(*) FROM job_postings")[0].as<long>() == 1);
    CHECK(tx.exec1("SELECT count(*) FROM ats_stage_events")[0].as<long>() == 1);
  }
  auto n = st::ats_import_counts_by_connection(*app_c, w.a);
  REQUIRE(n);
  CHECK(n->size() == 1);
  CHECK(n->at(w.ka).jobs == 1);
  CHECK(*st::purge_ats_webhook_inbox(*app_c, t0, std::chrono::seconds{0}) == 0);
  CHECK(w.count("SELECT count(*) FROM job_postings") == 2);
}

TEST_CASE("ats_import_repo: 20000 applications in pages of 500", "[.][pg][ats_import_perf]") {
  world w;
  const auto pages = [&](dm::epoch_ms updated, const char* stage, auto&& check) {
    const auto start = std::chrono::steady_clock::now();
    for (int page = 0; page < 40; ++page) {
      std::vector<dm::ats_application> apps;
      for (int i = 0; i < 500; ++i) {
        const auto n = std::to_string(page * 500 + i);
        apps.push_back(app(n, "c" + n, std::to_string(i % 20), stage, updated));
      }
      auto r = st::upsert_ats_applications(*w.c, w.a, w.ka, apps, t0);
      REQUIRE(r);
      check(*r);
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start)
        .count();
  };
  const auto insert =
      pages(ms0, "s", [](const st::ats_upsert_counts& r) { REQUIRE(r.inserted == 500); });
  const auto same =
      pages(ms0, "s", [](const st::ats_upsert_counts& r) { REQUIRE(r.unchanged == 500); });
  const auto moved =
      pages(ms0 + 1, "t", [](const st::ats_upsert_counts& r) { REQUIRE(r.updated == 500); });
  WARN("20000 applications: insert " << insert << " ms, re-import " << same << " ms, update "
                                     << moved << " ms");
  CHECK(w.count("SELECT count(*) FROM ats_applications") == 20000);
}
