// actors/ats/lever_connector against the fake Lever on 127.0.0.1 (tests/support/fake_lever):
// offset pagination, the client-side token bucket, 429 / 5xx handling, hired archive reasons,
// malformed answers and fetches. env.now_ms reads the fake's clock and env.sleep advances it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/ats/lever_connector.hpp"
#include "tests/support/connector_test_env.hpp"
#include "tests/support/fake_lever.hpp"

using hw::errc;
using hw::result;
using hw::unit;
using hw::ats::call_record;
using hw::ats::connector_env;
using hw::ats::lever_connector;
using hw::ats::pull_request;
using hw::ats::pull_sink;
using hw::ats::vendor_endpoints;
using hw::domain::ats_application_status;
using hw::testing::fake_lever;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

using lever_sink = hw::testing::recording_sink;

template <class T>
std::set<std::string> ids(const std::vector<T>& v) {
  std::set<std::string> out;
  for (const auto& x : v) out.insert(x.external_id);
  return out;
}

std::set<std::string> ids(const json& rows, const char* field = "id") {
  std::set<std::string> out;
  for (const auto& r : rows) out.insert(r[field].get<std::string>());
  return out;
}

struct lever_fixture : hw::testing::connector_test_env {
  fake_lever lv;

  lever_fixture()
      : connector_test_env([this] { return lv.now_ms(); },
                           [this](std::chrono::milliseconds d) { lv.advance_ms(d.count()); }) {
    lv.seed();
  }

  std::map<std::string, std::string> creds() const { return {{"api_key", lv.options().api_key}}; }
  lever_connector make() { return lever_connector{creds(), vendor_endpoints{lv.base_url(), {}}, env}; }

  int count_status(int status) const {
    return static_cast<int>(
        std::count_if(calls.begin(), calls.end(), [&](const call_record& r) { return r.status == status; }));
  }
  std::string opportunity_id(std::size_t i) const { return lv.rows("opportunities")[i]["id"].get<std::string>(); }
};

}  // namespace

TEST_CASE("lever_connector: credentials are validated", "[actor][lever_connector]") {
  using hw::ats::validate_lever_credentials;
  CHECK(validate_lever_credentials({{"api_key", "k"}}));
  CHECK(validate_lever_credentials({{"api_key", "k"}, {"webhook_signature_token", "t"}}));
  CHECK(validate_lever_credentials({}).code() == errc::invalid_argument);
  CHECK(validate_lever_credentials({{"api_key", "k\x01"}}).code() == errc::invalid_argument);
  CHECK(validate_lever_credentials({{"api_key", "k"}, {"webhook_signature_token", std::string(600, 'a')}}).code() ==
        errc::invalid_argument);
  CHECK(validate_lever_credentials({{"api_key", "k"}, {"client_id", "x"}}).code() == errc::invalid_argument);
}

TEST_CASE_METHOD(lever_fixture, "lever_connector: a full pull offers every record once, in dependency order",
                 "[actor][lever_connector]") {
  auto c = make();
  lever_sink sink;
  auto r = c.pull(pull_request{}, sink);
  REQUIRE(r);
  CHECK(r->skipped == 0);
  CHECK(r->fetched["stages"] == 5);
  CHECK(r->fetched["jobs"] == 3);
  CHECK(r->fetched["candidates"] == 12);
  CHECK(r->fetched["applications"] == 12);
  CHECK(ids(sink.stages_seen) == ids(lv.rows("stages")));
  CHECK(ids(sink.jobs_seen) == ids(lv.rows("postings")));
  CHECK(sink.candidates_seen.size() == 12);
  CHECK(ids(sink.candidates_seen) == ids(lv.rows("opportunities"), "contact"));
  CHECK(sink.applications_seen.size() == 12);
  CHECK(ids(sink.applications_seen) == ids(lv.rows("opportunities")));
  CHECK(sink.order == std::vector<std::string>{"stages", "jobs", "candidates", "applications"});

  // Archive reasons: "ar-hired" means hired, any other reason rejected (seed: #6 hired, #4 and #9 not).
  std::map<std::string, ats_application_status> status;
  for (const auto& a : sink.applications_seen) status[a.external_id] = a.status;
  CHECK(status[opportunity_id(6)] == ats_application_status::hired);
  CHECK(status[opportunity_id(4)] == ats_application_status::rejected);
  CHECK(status[opportunity_id(9)] == ats_application_status::rejected);
  CHECK(status[opportunity_id(0)] == ats_application_status::active);
  // Expanded stage names and postings.
  for (const auto& a : sink.applications_seen) {
    CHECK_FALSE(a.current_stage.name.empty());
    CHECK_FALSE(a.job_external_id.empty());
  }
  for (const auto& j : sink.jobs_seen) CHECK(j.requirements.find("<li>C++</li>") != std::string::npos);
  std::int64_t newest = 0;
  for (const char* res : {"postings", "opportunities"}) {
    for (const auto& row : lv.rows(res)) newest = std::max(newest, row["updatedAt"].get<std::int64_t>());
  }
  CHECK(r->max_updated_at == std::optional<std::int64_t>{newest});
  CHECK(count_status(429) == 0);
}

TEST_CASE_METHOD(lever_fixture, "lever_connector: offset pagination, and the log has templates only",
                 "[actor][lever_connector]") {
  auto c = make();
  lever_sink sink;
  pull_request req;
  req.page_size = 5;
  auto r = c.pull(req, sink);
  REQUIRE(r);
  CHECK(sink.applications_seen.size() == 12);
  CHECK(ids(sink.applications_seen).size() == 12);
  CHECK(sink.candidates_seen.size() == 12);
  CHECK(count_calls("/v1/opportunities") == 3);
  CHECK(count_calls("/v1/stages") == 1);
  CHECK(r->pages == 1 + 1 + 3);  // stages, postings, opportunities (archive reasons are not counted)
  const std::set<std::string> allowed{"/v1/archive_reasons", "/v1/stages", "/v1/postings", "/v1/opportunities"};
  for (const auto& call : calls) {
    CHECK(allowed.count(call.endpoint) == 1);
    CHECK(call.status == 200);
  }
}

TEST_CASE_METHOD(lever_fixture, "lever_connector: an incremental pull passes updated_at_start",
                 "[actor][lever_connector]") {
  lv.advance_ms(3'600'000);
  const auto since = lv.now_ms();
  lv.advance_ms(5'000);
  auto opp = lv.row("opportunities", opportunity_id(3));
  opp["name"] = "Changed Person";
  lv.upsert("opportunities", opp);
  auto c = make();
  lever_sink sink;
  pull_request req;
  req.since = since;
  auto r = c.pull(req, sink);
  REQUIRE(r);
  CHECK(sink.stages_seen.size() == 5);  // stages carry no timestamps: always all
  CHECK(sink.jobs_seen.empty());
  REQUIRE(sink.applications_seen.size() == 1);
  CHECK(sink.applications_seen[0].external_id == opportunity_id(3));
  REQUIRE(sink.candidates_seen.size() == 1);
  CHECK(sink.candidates_seen[0].first_name == "Changed");
  CHECK(r->max_updated_at == std::optional<std::int64_t>{lv.now_ms()});
}

TEST_CASE_METHOD(lever_fixture, "lever_connector: rate limits", "[actor][lever_connector]") {
  pull_request req;
  req.page_size = 1;  // 1 + 5 + 3 + 12 calls: more than the burst of 20
  SECTION("the client bucket keeps within Lever's 10/s without a 429") {
    const auto start = lv.now_ms();
    auto c = make();
    lever_sink sink;
    auto r = c.pull(req, sink);
    REQUIRE(r);
    CHECK(sink.applications_seen.size() == 12);
    CHECK(calls.size() == 21);
    CHECK(count_status(429) == 0);
    CHECK(lv.now_ms() > start);
    CHECK(slept >= 100ms);
  }
  SECTION("a stricter server answers 429 and Retry-After is honoured") {
    lv.set_rate_limit(1, 3);
    auto c = make();
    lever_sink sink;
    auto r = c.pull(req, sink);
    REQUIRE(r);
    CHECK(sink.applications_seen.size() == 12);
    CHECK(count_status(429) > 0);
    CHECK(calls.back().status == 200);
  }
}

TEST_CASE_METHOD(lever_fixture, "lever_connector: 5xx retried, then unavailable", "[actor][lever_connector]") {
  SECTION("recovers") {
    lv.fail_next(2, 502);
    auto c = make();
    auto t = c.test();
    REQUIRE(t);
    CHECK(count_calls("/v1/postings", 502) == 2);
  }
  SECTION("gives up after max_attempts") {
    lv.fail_next(100, 500);
    auto c = make();
    lever_sink sink;
    auto r = c.pull(pull_request{}, sink);
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::unavailable);
    CHECK(count_calls("/v1/archive_reasons", 500) == env.policy.max_attempts);
  }
}

TEST_CASE_METHOD(lever_fixture, "lever_connector: refused key and malformed answers", "[actor][lever_connector]") {
  SECTION("bad key") {
    lever_connector c{{{"api_key", "wrong"}}, vendor_endpoints{lv.base_url(), {}}, env};
    auto t = c.test();
    REQUIRE_FALSE(t);
    CHECK(t.code() == errc::unauthorized);
    lever_sink sink;
    CHECK(c.pull(pull_request{}, sink).code() == errc::unauthorized);
  }
  SECTION("truncated body") {
    lv.truncate_next(1);
    auto c = make();
    lever_sink sink;
    auto r = c.pull(pull_request{}, sink);
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::invalid_argument);
    CHECK(r.error().detail == "malformed response from /v1/archive_reasons");
  }
  SECTION("pagination loop") {
    lv.set_pagination_loop(true);
    auto c = make();
    lever_sink sink;
    pull_request req;
    req.page_size = 2;
    auto r = c.pull(req, sink);
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::invalid_argument);
    CHECK(r.error().detail == "pagination loop at /v1/stages");
    CHECK(count_calls("/v1/stages") == 2);
  }
}

TEST_CASE_METHOD(lever_fixture, "lever_connector: fetch by id", "[actor][lever_connector]") {
  auto c = make();
  SECTION("posting") {
    const auto pid = lv.rows("postings")[1]["id"].get<std::string>();
    auto j = c.fetch_job(pid);
    REQUIRE(j);
    REQUIRE(*j);
    CHECK((*j)->external_id == pid);
    auto none = c.fetch_job("00000000-0000-0000-0000-000000000000");
    REQUIRE(none);
    CHECK_FALSE(*none);
  }
  SECTION("opportunity: application and candidate") {
    auto a = c.fetch_application(opportunity_id(6));
    REQUIRE(a);
    REQUIRE(*a);
    CHECK((*a)->application.external_id == opportunity_id(6));
    CHECK((*a)->application.status == ats_application_status::hired);
    CHECK_FALSE((*a)->application.current_stage.name.empty());
    REQUIRE((*a)->candidate);
    CHECK((*a)->candidate->external_id == lv.rows("opportunities")[6]["contact"].get<std::string>());
    auto none = c.fetch_application("00000000-0000-0000-0000-000000000000");
    REQUIRE(none);
    CHECK_FALSE(*none);
  }
  SECTION("candidate by contact id") {
    const auto contact = lv.rows("opportunities")[2]["contact"].get<std::string>();
    auto p = c.fetch_candidate(contact);
    REQUIRE(p);
    REQUIRE(*p);
    CHECK((*p)->external_id == contact);
    auto none = c.fetch_candidate("no-such-contact");
    REQUIRE(none);
    CHECK_FALSE(*none);
  }
  SECTION("ids never smuggle a path or query") {
    CHECK(c.fetch_job("../stages").code() == errc::invalid_argument);
    CHECK(c.fetch_application("a?b=c").code() == errc::invalid_argument);
    CHECK(c.fetch_candidate("").code() == errc::invalid_argument);
  }
  for (const auto& call : calls) {
    CHECK(call.endpoint.find('?') == std::string::npos);
    CHECK((call.endpoint.find("{id}") != std::string::npos || call.endpoint.rfind("/v1/", 0) == 0));
  }
}
