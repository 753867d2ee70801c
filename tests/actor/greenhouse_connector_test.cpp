// actors/ats/greenhouse_connector (and the vendor_http client under it) against the fake Harvest v3
// server on 127.0.0.1 (tests/support/fake_greenhouse): token flow, dependency-ordered pulls,
// cursor pagination, rate limits, retries, refresh on 401, malformed answers, SSRF-safe Link
// following, fetches, department/office names (and the fallback to ids). Time is the fake's clock: env.now_ms reads it and env.sleep advances it,
// so rate-limit waits and backoff take no real time.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/ats/greenhouse_connector.hpp"
#include "actors/ats/vendor_http.hpp"
#include "actors/domain/ats_json_read.hpp"
#include "tests/support/connector_test_env.hpp"
#include "tests/support/fake_greenhouse.hpp"

using hw::errc;
using hw::result;
using hw::unit;
using hw::ats::call_record;
using hw::ats::connector_env;
using hw::ats::greenhouse_connector;
using hw::ats::pull_report;
using hw::ats::pull_request;
using hw::ats::pull_sink;
using hw::ats::vendor_endpoints;
using hw::testing::fake_greenhouse;
using hw::testing::recording_sink;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

template <class T>
std::set<std::string> ids(const std::vector<T>& v) {
  std::set<std::string> out;
  for (const auto& x : v) out.insert(x.external_id);
  return out;
}

std::set<std::string> ids(const json& rows) {
  std::set<std::string> out;
  for (const auto& r : rows) out.insert(std::to_string(r["id"].get<std::int64_t>()));
  return out;
}

int rank(const std::string& kind) {
  static const std::map<std::string, int> r{{"stages", 0}, {"jobs", 1}, {"candidates", 2}, {"applications", 3}};
  return r.at(kind);
}

struct gh_fixture : hw::testing::connector_test_env {
  fake_greenhouse gh;
  bool cancel = false;

  gh_fixture()
      : connector_test_env([this] { return gh.now() * 1000; },
                           // the fake counts whole seconds
                           [this](std::chrono::milliseconds d) { gh.advance((d.count() + 999) / 1000); }) {
    gh.seed();
    env.cancelled = [this] { return cancel; };
    env.policy.max_attempts = 4;
  }

  vendor_endpoints endpoints() const { return {gh.base_url(), gh.base_url() + "/token"}; }

  std::map<std::string, std::string> creds() const {
    return {{"client_id", gh.options().client_id}, {"client_secret", gh.options().client_secret}};
  }

  greenhouse_connector make() { return greenhouse_connector{creds(), endpoints(), env}; }
};

}  // namespace

TEST_CASE("vendor_http: link, origin and encoding helpers", "[actor][greenhouse_connector]") {
  using hw::ats::link_next;
  using hw::ats::url_origin;
  CHECK(link_next(R"(<https://harvest.greenhouse.io/v3/jobs?cursor=abc>; rel="next")") ==
        "https://harvest.greenhouse.io/v3/jobs?cursor=abc");
  CHECK(link_next(R"(<https://h/v1/c?page=1>; rel="prev", <https://h/v1/c?page=3&x=a,b>; rel="next", <https://h/v1/c?page=9>; rel="last")") ==
        "https://h/v1/c?page=3&x=a,b");
  CHECK(link_next(R"(<https://h/a>; rel=next)") == "https://h/a");
  CHECK(link_next(R"(<https://h/a>; rel="prev")").empty());
  CHECK(link_next("").empty());
  CHECK(link_next("<https://h/a").empty());

  CHECK(url_origin("https://Harvest.Greenhouse.io/v3/jobs?x=1") == std::optional<std::string>{"https://harvest.greenhouse.io:443"});
  CHECK(url_origin("http://127.0.0.1:8080") == std::optional<std::string>{"http://127.0.0.1:8080"});
  CHECK(url_origin("http://[::1]:99/x") == std::optional<std::string>{"http://[::1]:99"});
  CHECK_FALSE(url_origin("ftp://h/x"));
  CHECK_FALSE(url_origin("https://user@h/x"));
  CHECK_FALSE(url_origin("https://h:99999/"));
  CHECK_FALSE(url_origin("/v3/jobs"));

  CHECK(hw::ats::url_encode("gte|2023-11-14T22:13:20.000Z") == "gte%7C2023-11-14T22%3A13%3A20.000Z");
  CHECK(hw::ats::basic_authorization("Aladdin", "open sesame") == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  CHECK(hw::ats::basic_authorization("ab", "") == "Basic YWI6");
  CHECK(hw::ats::iso8601_ms(1'700'000'000'123) == "2023-11-14T22:13:20.123Z");
  CHECK(hw::ats::iso8601_ms(0) == "1970-01-01T00:00:00.000Z");
  CHECK(hw::ats::iso8601_ms(951'782'400'000) == "2000-02-29T00:00:00.000Z");
}

TEST_CASE("greenhouse_connector: credentials are validated", "[actor][greenhouse_connector]") {
  using hw::ats::validate_greenhouse_credentials;
  CHECK(validate_greenhouse_credentials({{"client_id", "a"}, {"client_secret", "b"}}));
  CHECK(validate_greenhouse_credentials({{"client_id", "a"}, {"client_secret", "b"}, {"sub", "1234"}}));
  CHECK(validate_greenhouse_credentials({{"client_id", "a"}}).code() == errc::invalid_argument);
  CHECK(validate_greenhouse_credentials({{"client_id", ""}, {"client_secret", "b"}}).code() == errc::invalid_argument);
  CHECK(validate_greenhouse_credentials({{"client_id", "a"}, {"client_secret", std::string(513, 'x')}}).code() ==
        errc::invalid_argument);
  CHECK(validate_greenhouse_credentials({{"client_id", "a\nb"}, {"client_secret", "b"}}).code() ==
        errc::invalid_argument);
  CHECK(validate_greenhouse_credentials({{"client_id", "a"}, {"client_secret", "b"}, {"sub", "12x"}}).code() ==
        errc::invalid_argument);
  CHECK(validate_greenhouse_credentials({{"client_id", "a"}, {"client_secret", "b"}, {"api_key", "k"}}).code() ==
        errc::invalid_argument);
  const auto e = validate_greenhouse_credentials({{"client_id", "a"}, {"client_secret", "top\tsecret"}});
  REQUIRE_FALSE(e);
  CHECK(e.error().detail.find("client_secret") != std::string::npos);
  CHECK(e.error().detail.find("top") == std::string::npos);
}

TEST_CASE_METHOD(gh_fixture, "greenhouse_connector: a full pull offers every record once, in dependency order",
                 "[actor][greenhouse_connector]") {
  auto c = make();
  recording_sink sink;
  auto r = c.pull(pull_request{}, sink);
  REQUIRE(r);
  CHECK(r->skipped == 0);
  CHECK(r->fetched["stages"] == 12);
  CHECK(r->fetched["jobs"] == 3);
  CHECK(r->fetched["candidates"] == 12);
  CHECK(r->fetched["applications"] == 12);

  CHECK(sink.stages_seen.size() == 12);
  CHECK(ids(sink.stages_seen) == ids(gh.rows("job_interview_stages")));
  CHECK(sink.jobs_seen.size() == 3);
  CHECK(ids(sink.jobs_seen) == ids(gh.rows("jobs")));
  CHECK(sink.candidates_seen.size() == 12);
  CHECK(ids(sink.candidates_seen) == ids(gh.rows("candidates")));
  CHECK(sink.applications_seen.size() == 12);
  CHECK(ids(sink.applications_seen) == ids(gh.rows("applications")));
  CHECK(std::is_sorted(sink.order.begin(), sink.order.end(),
                       [](const std::string& a, const std::string& b) { return rank(a) < rank(b); }));

  // The description comes from the job post; the mapping is the pure mapper's. Department and
  // office are names from /v3/departments and /v3/offices, read once for the pull.
  for (const auto& j : sink.jobs_seen) {
    CHECK(j.description_html == "<p>Join us</p>");
    CHECK(j.department == "Engineering");
    CHECK(j.location == "Berlin");
  }
  CHECK(gh.requests("/v3/departments") == 1);
  CHECK(gh.requests("/v3/offices") == 1);
  // The watermark: the newest updated_at of all rows (the seed's last row is stamped now - 60 s).
  std::optional<std::int64_t> newest;
  for (const char* res : {"job_interview_stages", "jobs", "candidates", "applications"}) {
    for (const auto& row : gh.rows(res)) {
      const auto t = hw::domain::ats_json::parse_iso8601_ms(row["updated_at"].get<std::string>());
      if (t && (!newest || *t > *newest)) newest = t;
    }
  }
  CHECK(r->max_updated_at == newest);
  CHECK(gh.token_requests() == 1);
}

TEST_CASE_METHOD(gh_fixture, "greenhouse_connector: pagination with per_page smaller than the data",
                 "[actor][greenhouse_connector]") {
  auto c = make();
  recording_sink sink;
  pull_request req;
  req.page_size = 5;
  auto r = c.pull(req, sink);
  REQUIRE(r);
  CHECK(sink.candidates_seen.size() == 12);
  CHECK(ids(sink.candidates_seen).size() == 12);
  CHECK(sink.applications_seen.size() == 12);
  CHECK(ids(sink.applications_seen).size() == 12);
  CHECK(sink.stages_seen.size() == 12);
  CHECK(count_calls("/v3/candidates") == 3);  // 5 + 5 + 2
  CHECK(count_calls("/v3/job_interview_stages") == 3);
  CHECK(r->pages == 3 + 1 + 3 + 3);  // the job posts and the directory lists are not counted
  CHECK(count_calls("/v3/departments") == 1);  // once per pull, whatever the page size
  CHECK(count_calls("/v3/offices") == 1);

  SECTION("the integration log saw every call, as templates without query strings") {
    const std::set<std::string> allowed{"/token", "/v3/job_interview_stages", "/v3/jobs", "/v3/job_posts",
                                        "/v3/candidates", "/v3/applications", "/v3/departments", "/v3/offices"};
    int v3 = 0;
    for (const auto& call : calls) {
      CHECK(allowed.count(call.endpoint) == 1);
      CHECK(call.endpoint.find('?') == std::string::npos);
      CHECK(call.status == 200);
      CHECK_FALSE(call.error);
      if (call.endpoint != "/token") ++v3;
    }
    int served = 0;
    for (const char* p : {"/v3/job_interview_stages", "/v3/jobs", "/v3/job_posts", "/v3/candidates",
                          "/v3/applications", "/v3/departments", "/v3/offices"})
      served += gh.requests(p);
    CHECK(v3 == served);
    CHECK(count_calls("/token") == gh.requests("/token"));
  }
}

TEST_CASE_METHOD(gh_fixture, "greenhouse_connector: an incremental pull asks for updated_at >= since",
                 "[actor][greenhouse_connector]") {
  gh.advance(3600);
  const auto since = gh.now() * 1000;
  gh.advance(10);
  auto cand = gh.row("candidates", 400003);
  cand["first_name"] = "Changed";
  gh.upsert("candidates", cand);
  gh.upsert("applications", gh.row("applications", 500007));
  // A changed job post re-offers its job (the job's own updated_at did not move).
  auto post = gh.row("job_posts", 300002);
  post["content"] = "<p>New text</p>";
  gh.upsert("job_posts", post);

  auto c = make();
  recording_sink sink;
  pull_request req;
  req.since = since;
  auto r = c.pull(req, sink);
  REQUIRE(r);
  CHECK(sink.stages_seen.empty());
  REQUIRE(sink.candidates_seen.size() == 1);
  CHECK(sink.candidates_seen[0].external_id == "400003");
  CHECK(sink.candidates_seen[0].first_name == "Changed");
  REQUIRE(sink.applications_seen.size() == 1);
  CHECK(sink.applications_seen[0].external_id == "500007");
  REQUIRE(sink.jobs_seen.size() == 1);
  CHECK(sink.jobs_seen[0].external_id == "100002");
  CHECK(sink.jobs_seen[0].description_html == "<p>New text</p>");
  CHECK(sink.jobs_seen[0].department == "Engineering");
  CHECK(r->max_updated_at == std::optional<std::int64_t>{gh.now() * 1000});
  // The directory is read whole (names do not depend on since), and only once.
  CHECK(count_calls("/v3/departments") == 1);

  SECTION("with no job to offer, the directory is not read") {
    calls.clear();
    gh.advance(10);
    req.since = gh.now() * 1000;
    recording_sink quiet;
    auto again = c.pull(req, quiet);
    REQUIRE(again);
    CHECK(quiet.jobs_seen.empty());
    CHECK(count_calls("/v3/jobs") == 1);
    CHECK(count_calls("/v3/departments") == 0);
    CHECK(count_calls("/v3/offices") == 0);
  }
}

TEST_CASE_METHOD(gh_fixture, "greenhouse_connector: department and office names, and the fallback to ids",
                 "[actor][greenhouse_connector]") {
  const auto pull_jobs = [&](pull_request req = {}) {
    auto c = make();
    recording_sink sink;
    auto r = c.pull(req, sink);
    REQUIRE(r);
    CHECK(r->skipped == 0);
    CHECK(sink.applications_seen.size() == 12);  // the rest of the pull is not affected
    return sink.jobs_seen;
  };
  SECTION("several offices, an unknown office and a job without department") {
    auto j = gh.row("jobs", 100001);
    j["office_ids"] = json::array({8002, 8001, 8999});
    gh.upsert("jobs", j);
    j = gh.row("jobs", 100002);
    j["department_id"] = 7002;
    j["office_ids"] = json::array();
    gh.upsert("jobs", j);
    j = gh.row("jobs", 100003);
    j["department_id"] = nullptr;
    gh.upsert("jobs", j);
    std::map<std::string, hw::domain::ats_job> by_id;
    for (auto& job : pull_jobs()) by_id[job.external_id] = job;
    REQUIRE(by_id.size() == 3);
    CHECK(by_id["100001"].location == "Remote; Berlin; 8999");
    CHECK(by_id["100001"].department == "Engineering");
    CHECK(by_id["100002"].department == "Platform & Infra");
    CHECK(by_id["100002"].location.empty());
    CHECK(by_id["100003"].department.empty());
    CHECK(by_id["100003"].location == "Berlin");
  }
  SECTION("directory pages are all read") {
    for (int i = 0; i < 600; ++i)  // more than one page of 500
      gh.upsert("offices", json{{"id", 9000 + i}, {"name", "Office " + std::to_string(i)}});
    auto j = gh.row("jobs", 100001);
    j["office_ids"] = json::array({9000, 9599});
    gh.upsert("jobs", j);
    for (const auto& job : pull_jobs()) {
      if (job.external_id == "100001") CHECK(job.location == "Office 0; Office 599");
    }
    CHECK(count_calls("/v3/offices") == 2);
  }
  SECTION("a Greenhouse without the two lists (404): ids") {
    gh.set_list_status("departments", 404);
    gh.set_list_status("offices", 404);
    for (const auto& job : pull_jobs()) {
      CHECK(job.department == "7001");
      CHECK(job.location == "8001");
    }
    CHECK(count_calls("/v3/departments", 404) == 1);  // a 404 is not retried
  }
  SECTION("no scope for departments (403): ids there, names for offices") {
    gh.set_list_status("departments", 403);
    for (const auto& job : pull_jobs()) {
      CHECK(job.department == "7001");
      CHECK(job.location == "Berlin");
    }
  }
  SECTION("another 4xx on offices (422): ids there") {
    gh.set_list_status("offices", 422);
    for (const auto& job : pull_jobs()) {
      CHECK(job.department == "Engineering");
      CHECK(job.location == "8001");
    }
  }
  SECTION("empty lists: ids") {
    hw::testing::fake_greenhouse_seed s;
    s.directory = false;
    gh.seed(s);
    for (const auto& job : pull_jobs()) {
      CHECK(job.department == "7001");
      CHECK(job.location == "8001");
    }
  }
  SECTION("an outage on the lists fails the pull rather than replacing names by ids") {
    gh.set_list_status("offices", 503);
    auto c = make();
    recording_sink sink;
    auto r = c.pull(pull_request{}, sink);
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::unavailable);
    CHECK(r.error().detail.find("/v3/offices") != std::string::npos);
    CHECK(sink.jobs_seen.empty());
    CHECK(count_calls("/v3/offices", 503) == 4);  // retried like any other call
  }
  SECTION("a token refused on the lists fails the pull") {
    gh.set_list_status("departments", 401);
    auto c = make();
    recording_sink sink;
    auto r = c.pull(pull_request{}, sink);
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::unauthorized);
    CHECK(count_calls("/v3/departments", 401) == 2);  // refreshed once, then given up
    CHECK(gh.token_requests() == 2);
    CHECK(sink.jobs_seen.empty());
  }
}

TEST_CASE_METHOD(gh_fixture, "greenhouse_connector: template jobs are skipped and bad rows counted",
                 "[actor][greenhouse_connector]") {
  auto tmpl = gh.row("jobs", 100001);
  tmpl["is_template"] = true;
  gh.upsert("jobs", tmpl);
  auto bad = gh.row("applications", 500002);
  bad["status"] = "exploded";
  gh.upsert("applications", bad);
  auto c = make();
  recording_sink sink;
  auto r = c.pull(pull_request{}, sink);
  REQUIRE(r);
  CHECK(ids(sink.jobs_seen) == std::set<std::string>{"100002", "100003"});
  CHECK(sink.applications_seen.size() == 11);
  CHECK(r->skipped == 1);
  REQUIRE(r->skipped_notes.size() == 1);
  CHECK(r->skipped_notes[0].rfind("application 500002: ", 0) == 0);
}

TEST_CASE_METHOD(gh_fixture, "greenhouse_connector: a small rate limit is respected without a single 429",
                 "[actor][greenhouse_connector]") {
  gh.set_rate_limit(10, 30);
  const auto start = gh.now();
  auto c = make();
  recording_sink sink;
  pull_request req;
  req.page_size = 3;
  auto r = c.pull(req, sink);
  REQUIRE(r);
  CHECK(sink.applications_seen.size() == 12);
  CHECK(count_calls("/v3/candidates") == 4);
  for (const auto& call : calls) CHECK(call.status != 429);
  CHECK(calls.size() > 10);   // more than one window's worth...
  CHECK(gh.now() > start);    // ...so the connector waited for the window to reset
  CHECK(slept > 0ms);
}

TEST_CASE_METHOD(gh_fixture, "greenhouse_connector: 429 waits Retry-After, or fails beyond max_wait",
                 "[actor][greenhouse_connector]") {
  env.policy.rate_reserve = -1;  // no pre-emptive pause: run into the limit
  gh.set_rate_limit(3, 30);

  SECTION("honoured") {
    auto c = make();
    recording_sink sink;
    auto r = c.pull(pull_request{}, sink);
    REQUIRE(r);
    CHECK(sink.applications_seen.size() == 12);
    CHECK(count_calls("/v3/job_posts", 429) + count_calls("/v3/candidates", 429) +
              count_calls("/v3/applications", 429) + count_calls("/v3/jobs", 429) >= 1);
    // Every 429 was followed by a wait, so no call was refused twice in a row.
    for (std::size_t i = 1; i < calls.size(); ++i) CHECK_FALSE((calls[i - 1].status == 429 && calls[i].status == 429));
    REQUIRE(calls.back().status == 200);
  }
  SECTION("beyond max_wait") {
    env.policy.max_wait = 1s;
    auto c = make();
    recording_sink sink;
    auto r = c.pull(pull_request{}, sink);
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::rate_limited);
    CHECK(r.error().retry_after_s > 1);
    CHECK(calls.back().status == 429);
    CHECK(calls.back().error == std::optional<std::string>{"HTTP 429"});
  }
}

TEST_CASE_METHOD(gh_fixture, "greenhouse_connector: 5xx is retried, and unavailable after max_attempts",
                 "[actor][greenhouse_connector]") {
  SECTION("two failures, then success") {
    gh.fail_next(2, 503);
    auto c = make();
    auto t = c.test();
    REQUIRE(t);
    CHECK(*t == "ok");
    CHECK(count_calls("/v3/jobs", 503) == 2);
    CHECK(count_calls("/v3/jobs", 200) == 1);
    CHECK(slept >= 200ms);  // backoff went through env.sleep
  }
  SECTION("failing forever") {
    gh.fail_next(100, 500);
    auto c = make();
    recording_sink sink;
    auto r = c.pull(pull_request{}, sink);
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::unavailable);
    CHECK(count_calls("/v3/job_interview_stages", 500) == 4);
    CHECK(r.error().detail.find("/v3/job_interview_stages") != std::string::npos);
    CHECK(sink.order.empty());
  }
}

TEST_CASE_METHOD(gh_fixture, "greenhouse_connector: token expiry mid-pull refreshes once and completes",
                 "[actor][greenhouse_connector]") {
  auto c = make();
  recording_sink sink;
  bool expired = false;
  sink.after_stages = [&] {
    if (!expired) gh.expire_tokens();
    expired = true;
  };
  auto r = c.pull(pull_request{}, sink);
  REQUIRE(r);
  CHECK(sink.applications_seen.size() == 12);
  CHECK(gh.token_requests() == 2);
  CHECK(count_calls("/v3/jobs", 401) == 1);

  SECTION("and a token near its expires_at is renewed before use") {
    gh.advance(3600 - 30);  // inside the 60 s margin
    auto t = c.test();
    REQUIRE(t);
    CHECK(gh.token_requests() == 3);
  }
}

TEST_CASE_METHOD(gh_fixture, "greenhouse_connector: refused credentials and scopes", "[actor][greenhouse_connector]") {
  SECTION("bad client secret") {
    auto creds_bad = creds();
    creds_bad["client_secret"] = "wrong";
    greenhouse_connector c{creds_bad, endpoints(), env};
    auto t = c.test();
    REQUIRE_FALSE(t);
    CHECK(t.code() == errc::unauthorized);
    CHECK(t.error().detail.find("wrong") == std::string::npos);
    recording_sink sink;
    CHECK(c.pull(pull_request{}, sink).code() == errc::unauthorized);
  }
  SECTION("a token that keeps being refused") {
    auto c = make();
    recording_sink sink;
    sink.after_stages = [&] { gh.set_token_ttl(0); gh.expire_tokens(); };
    auto r = c.pull(pull_request{}, sink);
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::unauthorized);
  }
  SECTION("not a Site Admin") {
    gh.set_site_admin("*", false);
    auto c = make();
    auto t = c.test();
    REQUIRE_FALSE(t);
    CHECK(t.code() == errc::forbidden);
    CHECK(t.error().detail == "not a Site Admin or missing scope");
  }
}

TEST_CASE_METHOD(gh_fixture, "greenhouse_connector: malformed answers fail the pull", "[actor][greenhouse_connector]") {
  SECTION("truncated body") {
    gh.truncate_next(1);
    auto c = make();
    recording_sink sink;
    auto r = c.pull(pull_request{}, sink);
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::invalid_argument);
    CHECK(r.error().detail == "malformed response from /v3/job_interview_stages");
  }
  SECTION("pagination loop") {
    gh.set_pagination_loop(true);
    auto c = make();
    recording_sink sink;
    pull_request req;
    req.page_size = 2;
    auto r = c.pull(req, sink);
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::invalid_argument);
    CHECK(r.error().detail == "pagination loop at /v3/job_interview_stages");
    CHECK(count_calls("/v3/job_interview_stages") == 2);  // the first page, then the cursor that links to itself
  }
  SECTION("a next link to another host is refused") {
    // The API base names the same server as "localhost"; the fake's links say 127.0.0.1.
    vendor_endpoints ep{"http://localhost:" + std::to_string(gh.port()), gh.base_url() + "/token"};
    greenhouse_connector c{creds(), ep, env};
    recording_sink sink;
    pull_request req;
    req.page_size = 5;
    auto r = c.pull(req, sink);
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::invalid_argument);
    CHECK(r.error().detail == "/v3/job_interview_stages: next page link points to another host");
    CHECK(count_calls("/v3/job_interview_stages") == 1);
  }
}

TEST_CASE_METHOD(gh_fixture, "greenhouse_connector: cancellation stops between attempts",
                 "[actor][greenhouse_connector]") {
  auto c = make();
  recording_sink sink;
  sink.after_stages = [&] { cancel = true; };
  auto r = c.pull(pull_request{}, sink);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::unavailable);
  CHECK(r.error().detail == "cancelled");
  CHECK(sink.jobs_seen.empty());
}

TEST_CASE_METHOD(gh_fixture, "greenhouse_connector: fetch by id", "[actor][greenhouse_connector]") {
  auto c = make();
  SECTION("job, with its post") {
    auto j = c.fetch_job("100002");
    REQUIRE(j);
    REQUIRE(*j);
    CHECK((*j)->external_id == "100002");
    CHECK((*j)->title == "Engineer & Ops 2");
    CHECK((*j)->description_html == "<p>Join us</p>");
    CHECK((*j)->department == "Engineering");
    CHECK((*j)->location == "Berlin");
    CHECK(gh.requests("/v3/departments") == 1);
    CHECK(gh.requests("/v3/offices") == 1);
    auto none = c.fetch_job("999999");
    REQUIRE(none);
    CHECK_FALSE(*none);
    CHECK(gh.requests("/v3/departments") == 1);  // not read for a job that is not there
  }
  SECTION("job, without names when the lists are refused") {
    gh.set_list_status("departments", 403);
    gh.set_list_status("offices", 404);
    auto j = c.fetch_job("100002");
    REQUIRE(j);
    REQUIRE(*j);
    CHECK((*j)->department == "7001");
    CHECK((*j)->location == "8001");
    gh.set_list_status("offices", 500);
    CHECK(c.fetch_job("100002").code() == errc::unavailable);
  }
  SECTION("candidate") {
    auto p = c.fetch_candidate("400005");
    REQUIRE(p);
    REQUIRE(*p);
    CHECK((*p)->external_id == "400005");
    CHECK_FALSE((*p)->emails.empty());
    auto none = c.fetch_candidate("1");
    REQUIRE(none);
    CHECK_FALSE(*none);
  }
  SECTION("application, with its candidate") {
    auto a = c.fetch_application("500004");
    REQUIRE(a);
    REQUIRE(*a);
    CHECK((*a)->application.external_id == "500004");
    CHECK((*a)->application.candidate_external_id == "400004");
    REQUIRE((*a)->candidate);
    CHECK((*a)->candidate->external_id == "400004");
    auto none = c.fetch_application("500999");
    REQUIRE(none);
    CHECK_FALSE(*none);
  }
  SECTION("ids are decimal: nothing else reaches a URL") {
    CHECK(c.fetch_job("1&per_page=2").code() == errc::invalid_argument);
    CHECK(c.fetch_candidate("").code() == errc::invalid_argument);
    CHECK(c.fetch_application("abc").code() == errc::invalid_argument);
  }
  for (const auto& call : calls) CHECK(call.endpoint.find('?') == std::string::npos);
}

TEST_CASE("greenhouse_connector: an unreachable vendor is unavailable", "[actor][greenhouse_connector]") {
  connector_env env;
  std::int64_t now = 1'700'000'000'000;
  env.now_ms = [&] { return now; };
  env.sleep = [&](std::chrono::milliseconds d) { now += d.count(); };
  std::vector<call_record> calls;
  env.on_call = [&](const call_record& r) { calls.push_back(r); };
  env.policy.max_attempts = 2;
  env.policy.timeout = 2s;
  std::uint16_t port = 0;
  {
    fake_greenhouse closed;  // a port that was just free
    port = closed.port();
  }
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  greenhouse_connector c{{{"client_id", "a"}, {"client_secret", "b"}}, vendor_endpoints{base, base + "/token"}, env};
  auto t = c.test();
  REQUIRE_FALSE(t);
  CHECK(t.code() == errc::unavailable);
  REQUIRE(calls.size() == 2);
  CHECK(calls[0].endpoint == "/token");
  CHECK_FALSE(calls[0].status);
  CHECK(calls[0].error == std::optional<std::string>{"connection failed"});

  SECTION("and a non-http URL is never called") {
    calls.clear();
    greenhouse_connector f{{{"client_id", "a"}, {"client_secret", "b"}}, vendor_endpoints{"file:///etc", "file:///etc/passwd"}, env};
    CHECK(f.test().code() == errc::unavailable);
    CHECK(calls.empty());
  }
}

TEST_CASE_METHOD(gh_fixture, "vendor_http: a redirect is refused, not followed", "[actor][greenhouse_connector]") {
  hw::ats::vendor_http http{env};
  const std::string url = gh.base_url() + "/authorize?client_id=" + gh.options().client_id +
                          "&redirect_uri=" + hw::ats::url_encode(gh.base_url() + "/v3/jobs") +
                          "&response_type=code&state=s1";
  auto r = http.call("GET", url, {}, {}, "/authorize");
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::unavailable);
  CHECK(r.error().detail == "/authorize: vendor answered with a redirect (refused)");
  CHECK(gh.requests("/v3/jobs") == 0);
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].status == 302);
  CHECK(calls[0].error == std::optional<std::string>{"redirect refused"});
}

TEST_CASE_METHOD(gh_fixture, "vendor_http: 4xx answers are returned, headers lower-cased",
                 "[actor][greenhouse_connector]") {
  hw::ats::vendor_http http{env};
  auto r = http.call("GET", gh.base_url() + "/v3/jobs?per_page=1", {"Authorization: Bearer nope"}, {}, "/v3/jobs");
  REQUIRE(r);
  CHECK(r->status == 401);
  CHECK_FALSE(r->header("x-ratelimit-limit").empty());
  CHECK(r->header("X-RateLimit-Limit").empty());  // lookups use lower-case names
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].error == std::optional<std::string>{"HTTP 401"});
}
