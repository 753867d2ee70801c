// tests/support/fake_greenhouse over real HTTP on 127.0.0.1 (libcurl client): the token flow,
// Harvest v3 cursor pagination and its 422 rules, the rate-limit window, the chaos switches, and
// signed webhook deliveries received by a Beast listener and verified with
// actors/ats/greenhouse_signature; the authorization-code and rotating refresh grants, the
// Site Admin 403, the writes (notes, move and its 422 rules, PATCH), ping on registration, the
// control API, the wall clock and a 20,000-application data set. Time comes from the fake's
// injected clock (one test uses the wall clock); the only real wait is the (short) delay test.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <regex>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/ats/greenhouse_signature.hpp"
#include "actors/domain/ats_webhook_hint.hpp"
#include "actors/domain/greenhouse_mapping.hpp"
#include "tests/support/fake_greenhouse.hpp"

using hw::testing::fake_greenhouse;
using hw::testing::gh_flush_options;
using hw::testing::gh_http;
using hw::testing::gh_http_result;
using hw::testing::gh_iso8601;
using hw::testing::webhook_sink;
using nlohmann::json;

namespace {

std::string basic(const std::string& id, const std::string& secret) {
  static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string in = id + ":" + secret;
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += tbl[(v >> 18) & 63];
    out += tbl[(v >> 12) & 63];
    out += tbl[(v >> 6) & 63];
    out += tbl[v & 63];
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += tbl[(v >> 18) & 63];
    out += tbl[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += tbl[(v >> 18) & 63];
    out += tbl[(v >> 12) & 63];
    out += tbl[(v >> 6) & 63];
    out += '=';
  }
  return "Basic " + out;
}

struct gh_fixture {
  fake_greenhouse gh;

  gh_http_result token_call(const std::string& form = "grant_type=client_credentials",
                            const std::string& query = {}) {
    return gh_http("POST", gh.base_url() + "/token" + query,
                   {{"Authorization", basic(gh.options().client_id, gh.options().client_secret)},
                    {"Content-Type", "application/x-www-form-urlencoded"}},
                   form);
  }

  std::string token() {
    auto r = token_call();
    REQUIRE(r.status == 200);
    return json::parse(r.body).at("access_token").get<std::string>();
  }

  gh_http_result get(const std::string& token, const std::string& path_and_query) {
    return gh_http("GET", gh.base_url() + path_and_query, {{"Authorization", "Bearer " + token}});
  }

  gh_http_result get_url(const std::string& token, const std::string& url) {
    return gh_http("GET", url, {{"Authorization", "Bearer " + token}});
  }
};

/// The URL inside `Link: <URL>; rel="next"`, or "" when there is no next link.
std::string next_link(const gh_http_result& r) {
  static const std::regex re{R"(^<([^>]+)>; rel="next"$)"};
  std::smatch m;
  const auto link = r.header("link");
  if (link.empty()) return {};
  REQUIRE(std::regex_match(link, m, re));
  return m[1];
}

/// Follows Link until it ends; every page must be a JSON array. Returns all rows.
json scan(gh_fixture& f, const std::string& token, const std::string& first, int* pages = nullptr) {
  json all = json::array();
  std::string url = f.gh.base_url() + first;
  int n = 0;
  while (!url.empty()) {
    auto r = f.get_url(token, url);
    REQUIRE(r.status == 200);
    auto page = json::parse(r.body);
    REQUIRE(page.is_array());
    for (auto& row : page) all.push_back(row);
    url = next_link(r);
    REQUIRE(++n < 1000);
  }
  if (pages) *pages = n;
  return all;
}

}  // namespace

TEST_CASE_METHOD(gh_fixture, "fake greenhouse: client-credentials token flow", "[actor][ats][fake_greenhouse]") {
  SECTION("form body") {
    auto r = token_call("grant_type=client_credentials&sub=4242");
    REQUIRE(r.status == 200);
    const auto body = json::parse(r.body);
    CHECK(body.at("token_type") == "Bearer");
    CHECK(body.at("expires_at") == "2023-11-14T23:13:20+00:00");  // now 1'700'000'000 + 3600
    CHECK(gh.token_sub(body.at("access_token")) == std::optional<std::string>{"4242"});
    CHECK(gh.token_requests() == 1);
  }
  SECTION("grant_type in the query string, no body (GH-PHP)") {
    auto r = token_call("", "?grant_type=client_credentials");
    CHECK(r.status == 200);
    CHECK(gh.token_sub(json::parse(r.body).at("access_token")) == std::optional<std::string>{"service-account"});
  }
  SECTION("bad client credentials") {
    auto r = gh_http("POST", gh.base_url() + "/token", {{"Authorization", basic(gh.options().client_id, "nope")}},
                     "grant_type=client_credentials");
    CHECK(r.status == 401);
    CHECK(json::parse(r.body).at("error") == "invalid_client");
    CHECK(gh_http("POST", gh.base_url() + "/token", {}, "grant_type=client_credentials").status == 401);
  }
  SECTION("unsupported or missing grant") {
    CHECK(token_call("grant_type=password").status == 400);
    CHECK(token_call("").status == 400);
    CHECK(token_call("grant_type=client_credentials&sub=abc").status == 400);
  }
  SECTION("Harvest refuses missing, unknown and expired tokens") {
    CHECK(gh_http("GET", gh.base_url() + "/v3/jobs").status == 401);
    CHECK(get("not-a-token", "/v3/jobs").status == 401);
    const auto t = token();
    CHECK(get(t, "/v3/jobs").status == 200);
    gh.expire_tokens();
    CHECK(get(t, "/v3/jobs").status == 401);
    const auto t2 = token();  // a fresh token works again
    CHECK(get(t2, "/v3/jobs").status == 200);
    CHECK(gh.token_requests() == 2);
  }
  SECTION("tokens expire with the injected clock") {
    gh.set_token_ttl(60);
    const auto t = token();
    gh.advance(59);
    CHECK(get(t, "/v3/jobs").status == 200);
    gh.advance(1);
    CHECK(get(t, "/v3/jobs").status == 401);
  }
}

TEST_CASE_METHOD(gh_fixture, "fake greenhouse: pagination follows Link to the end and equals the data set",
                 "[actor][ats][fake_greenhouse]") {
  hw::testing::fake_greenhouse_seed s;
  s.candidates = 23;
  gh.seed(s);
  const auto t = token();
  for (const std::string res :
       {"jobs", "job_posts", "job_interview_stages", "candidates", "applications", "departments", "offices"}) {
    int pages = 0;
    const auto all = scan(*this, t, "/v3/" + res + "?per_page=5", &pages);
    CHECK(all == gh.rows(res));  // same rows, id DESC
    CHECK(pages == static_cast<int>((gh.rows(res).size() + 4) / 5));
  }
  // Exactly one page when it fits: no Link header at all.
  auto r = get(t, "/v3/jobs");
  CHECK(r.status == 200);
  CHECK_FALSE(r.headers.count("link"));
  CHECK(json::parse(r.body).size() == 3);
}

TEST_CASE_METHOD(gh_fixture, "fake greenhouse: filters, and the cursor keeps them", "[actor][ats][fake_greenhouse]") {
  hw::testing::fake_greenhouse_seed s;
  s.candidates = 20;
  gh.seed(s);
  gh.set_token_ttl(86400);  // the clock moves an hour below
  const auto t = token();
  SECTION("updated_at window picks up mutations, across pages") {
    gh.advance(3600);
    const auto since = gh_iso8601(gh.now());
    REQUIRE(gh.move_application(500001, 200002));  // stages of its own job (100001)
    REQUIRE(gh.move_application(500004, 200001));
    gh.advance(10);
    REQUIRE(gh.anonymize_candidate(400005));
    const auto apps = scan(*this, t, "/v3/applications?per_page=1&updated_at=gte|" + since);
    REQUIRE(apps.size() == 2);
    CHECK(apps[0].at("id") == 500004);
    CHECK(apps[1].at("id") == 500001);
    CHECK(apps[1].at("stage_id") == 200002);
    CHECK(apps[1].at("updated_at") == since);
    const auto cands = scan(*this, t, "/v3/candidates?updated_at=gt|" + since);
    REQUIRE(cands.size() == 1);
    CHECK(cands[0].at("first_name") == "");
    CHECK(cands[0].at("email_addresses").empty());
    const auto range = scan(*this, t, "/v3/applications?updated_at=gte|" + since + "|lt|" + gh_iso8601(gh.now()));
    CHECK(range.size() == 2);
  }
  SECTION("status active means in_process; parent ids; ids; fields") {
    const auto active = scan(*this, t, "/v3/applications?status=active&per_page=3");
    CHECK(active.size() == 16);  // every fifth seeded application is rejected
    for (const auto& a : active) CHECK(a.at("status") == "in_process");
    const auto of_job = scan(*this, t, "/v3/applications?job_ids=100002&per_page=2");
    CHECK(of_job.size() == 7);
    for (const auto& a : of_job) CHECK(a.at("job_id") == 100002);
    const auto some = scan(*this, t, "/v3/candidates?ids=400001,400003,499999&fields=id,first_name");
    REQUIRE(some.size() == 2);
    CHECK(some[0] == json{{"id", 400003}, {"first_name", gh.row("candidates", 400003).at("first_name")}});
  }
}

TEST_CASE_METHOD(gh_fixture, "fake greenhouse: departments and offices name the seeded jobs' ids",
                 "[actor][ats][fake_greenhouse]") {
  const auto t = token();
  const auto deps = scan(*this, t, "/v3/departments?per_page=1");
  REQUIRE(deps.size() == 2);
  const auto& eng = deps[1];  // id DESC
  CHECK(eng.at("id") == 7001);
  CHECK(eng.at("name") == "Engineering");
  CHECK(eng.at("parent_id").is_null());
  CHECK(eng.at("child_ids") == json::array({7002}));
  CHECK(eng.at("external_id") == "DEP-ENG");
  for (const char* f : {"created_at", "updated_at"}) CHECK(eng.at(f).is_string());
  CHECK(deps[0].at("parent_id") == 7001);
  const auto offices = scan(*this, t, "/v3/offices");
  REQUIRE(offices.size() == 2);
  CHECK(offices[1].at("id") == 8001);
  CHECK(offices[1].at("name") == "Berlin");
  CHECK(offices[1].at("location") == json{{"name", "Berlin, Germany"}});
  for (const char* f : {"parent_id", "child_ids", "external_id", "created_at", "updated_at"})
    CHECK(offices[1].contains(f));
  for (const auto& job : gh.rows("jobs")) {
    CHECK(job.at("department_id") == 7001);
    CHECK(job.at("office_ids") == json::array({8001}));
  }
  // The generic filters apply: parent ids, ids, fields, updated_at.
  CHECK(scan(*this, t, "/v3/departments?parent_ids=7001") == json::array({deps[0]}));
  CHECK(scan(*this, t, "/v3/offices?ids=8002&fields=id,name") == json::array({{{"id", 8002}, {"name", "Remote"}}}));
  CHECK(scan(*this, t, "/v3/departments?updated_at=gte|" + gh_iso8601(gh.now())).empty());
  // The seeded rows are older than every other seeded row.
  CHECK(eng.at("updated_at").get<std::string>() < gh.rows("jobs").back().at("updated_at").get<std::string>());

  SECTION("a seed without them") {
    hw::testing::fake_greenhouse_seed s;
    s.directory = false;
    gh.seed(s);
    CHECK(scan(*this, t, "/v3/departments").empty());
    CHECK(scan(*this, t, "/v3/offices").empty());
    CHECK(gh.rows("jobs").size() == 3);
  }
  SECTION("a list forced to answer a status, after the bearer check and counted by the rate window") {
    gh.set_rate_limit(5, 30);
    gh.set_list_status("offices", 403);
    auto r = get(t, "/v3/offices");
    CHECK(r.status == 403);
    CHECK(json::parse(r.body).at("message") == "missing OAuth scope or authorizing user is not a Site Admin");
    CHECK(r.header("x-ratelimit-remaining") == "4");
    CHECK(get("nope", "/v3/offices").status == 401);
    gh.set_list_status("offices", 404);
    CHECK(get(t, "/v3/offices").status == 404);
    gh.set_list_status("offices", 422);
    CHECK(get(t, "/v3/offices").status == 422);
    CHECK(get(t, "/v3/departments").status == 200);  // only that list
    gh.set_list_status("offices", 0);
    CHECK(get(t, "/v3/offices").status == 200);
  }
}

TEST_CASE_METHOD(gh_fixture, "fake greenhouse: 422 for bad parameter combinations", "[actor][ats][fake_greenhouse]") {
  const auto t = token();
  auto first = get(t, "/v3/candidates?per_page=2");
  REQUIRE(first.status == 200);
  const auto next = next_link(first);
  REQUIRE_FALSE(next.empty());
  const auto cursor = next.substr(next.find("cursor=") + 7);
  CHECK(get_url(t, next).status == 200);
  // The cursor must be the only parameter.
  CHECK(get(t, "/v3/candidates?cursor=" + cursor + "&per_page=50").status == 422);
  CHECK(get(t, "/v3/candidates?per_page=50&cursor=" + cursor).status == 422);
  CHECK(get(t, "/v3/candidates?cursor=" + cursor + "&updated_at=gte|2020-01-01T00:00:00Z").status == 422);
  // Unknown cursors and cursors of another resource.
  CHECK(get(t, "/v3/candidates?cursor=bm90LWEtY3Vyc29y").status == 422);
  CHECK(get(t, "/v3/jobs?cursor=" + cursor).status == 422);
  // per_page outside 1..500.
  for (const std::string pp : {"0", "501", "-1", "abc", ""}) CHECK(get(t, "/v3/jobs?per_page=" + pp).status == 422);
  CHECK(get(t, "/v3/jobs?per_page=500").status == 200);
  CHECK(get(t, "/v3/jobs?per_page=1").status == 200);
  // Malformed filters.
  CHECK(get(t, "/v3/jobs?updated_at=2024-01-01T00:00:00Z").status == 422);
  CHECK(get(t, "/v3/jobs?updated_at=after|2024-01-01T00:00:00Z").status == 422);
  CHECK(get(t, "/v3/jobs?updated_at=gte|yesterday").status == 422);
  CHECK(get(t, "/v3/applications?status=in_process").status == 422);
  CHECK(get(t, "/v3/jobs?ids=1,x").status == 422);
  std::string many = "1";
  for (int i = 2; i <= 51; ++i) many += "," + std::to_string(i);
  CHECK(get(t, "/v3/jobs?ids=" + many).status == 422);
  CHECK(get(t, "/v3/jobs?updated_after=2024-01-01T00:00:00Z").status == 422);
  const auto body = json::parse(get(t, "/v3/jobs?per_page=0").body);
  CHECK(body.at("message") == "Validation error");
  CHECK(body.at("errors").at(0).at("field") == "per_page");
}

TEST_CASE_METHOD(gh_fixture, "fake greenhouse: rate-limit window, 429 and Retry-After", "[actor][ats][fake_greenhouse]") {
  gh.set_rate_limit(3, 30);
  gh.set_now(1'700'000'020);  // 10 s into the window [1'700'000'010, 1'700'000'040)
  const auto t = token();
  for (int i = 0; i < 3; ++i) {
    auto r = get(t, "/v3/jobs");
    REQUIRE(r.status == 200);
    CHECK(r.header("x-ratelimit-limit") == "3");
    CHECK(r.header("x-ratelimit-remaining") == std::to_string(2 - i));
    CHECK(r.header("x-ratelimit-reset") == "1700000040");
  }
  gh.advance(5);
  auto r = get(t, "/v3/jobs");
  CHECK(r.status == 429);
  CHECK(r.header("retry-after") == "15");
  CHECK(r.header("x-ratelimit-remaining") == "0");
  CHECK(json::parse(r.body).at("message") == "Rate limit exceeded");
  gh.advance(15);  // the next window
  r = get(t, "/v3/jobs");
  CHECK(r.status == 200);
  CHECK(r.header("x-ratelimit-remaining") == "2");
  CHECK(r.header("x-ratelimit-reset") == "1700000070");
}

TEST_CASE_METHOD(gh_fixture, "fake greenhouse: chaos switches", "[actor][ats][fake_greenhouse]") {
  const auto t = token();
  SECTION("next N requests fail") {
    gh.fail_next(2, 503);
    CHECK(get(t, "/v3/jobs").status == 503);
    auto r = get(t, "/v3/jobs");
    CHECK(r.status == 503);
    CHECK(json::parse(r.body).at("message") == "Server timeout in API");
    CHECK(get(t, "/v3/jobs").status == 200);
  }
  SECTION("truncated JSON") {
    gh.truncate_next(1);
    auto r = get(t, "/v3/jobs");
    CHECK(r.status == 200);
    CHECK(json::parse(r.body, nullptr, false).is_discarded());
    CHECK(json::parse(get(t, "/v3/jobs").body, nullptr, false).is_array());
  }
  SECTION("slow responses") {
    gh.set_delay(std::chrono::milliseconds(300));
    const auto start = std::chrono::steady_clock::now();
    CHECK(get(t, "/v3/jobs").status == 200);
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(300));
  }
  SECTION("pagination loop") {
    gh.set_pagination_loop(true);
    auto first = get(t, "/v3/candidates?per_page=2");
    const auto next = next_link(first);
    REQUIRE_FALSE(next.empty());
    auto second = get_url(t, next);
    CHECK(next_link(second) == next);  // a client must notice the repeated cursor
    CHECK(next_link(get_url(t, next)) == next);
    gh.set_pagination_loop(false);
    CHECK(next_link(get_url(t, next)) != next);
  }
}

TEST_CASE("fake greenhouse: signed webhook deliveries verify on the raw bytes", "[actor][ats][fake_greenhouse]") {
  fake_greenhouse gh;
  webhook_sink sink;
  const std::string secret = "whsec-fake-greenhouse";
  gh.add_webhook_endpoint(sink.url(), secret);
  REQUIRE(gh.move_application(500001, 200001));
  gh.advance(5);
  REQUIRE(gh.anonymize_candidate(400002));
  REQUIRE(gh.pending_webhooks() == 2);

  SECTION("in order, once, Rails-escaped, signature verifies") {
    const auto sent = gh.flush_webhooks();
    REQUIRE(sent.size() == 2);
    CHECK(sent[0].status == 200);
    const auto got = sink.deliveries();
    REQUIRE(got.size() == 2);
    const auto& d = got[0];
    CHECK(d.headers.at("content-type") == "application/json");
    CHECK(d.headers.at("greenhouse-event-id") == sent[0].event_id);
    CHECK(d.body == sent[0].body);
    CHECK(hw::ats::verify_greenhouse_signature(secret, d.body, d.headers.at("signature")).ok());
    CHECK_FALSE(hw::ats::verify_greenhouse_signature("other", d.body, d.headers.at("signature")).ok());
    // The job name and notes have & < >: escaped on the wire, equal once parsed.
    CHECK(d.body.find("\\u0026") != std::string::npos);
    CHECK(d.body.find("\\u003cp\\u003e") != std::string::npos);
    CHECK(d.body.find('<') == std::string::npos);
    CHECK(d.body.find('&') == std::string::npos);
    const auto parsed = json::parse(d.body);
    CHECK(parsed.at("action") == "candidate_stage_change");
    CHECK(parsed.at("payload").at("application").at("current_stage").at("id") == 200001);
    CHECK(parsed.at("payload").at("application").at("status") == "active");
    CHECK(parsed.at("payload").at("application").at("jobs").at(0).at("notes") == "<p>Build <b>R&D</b> tools</p>");
    // Re-serializing (what a naive receiver does) breaks the signature.
    CHECK_FALSE(hw::ats::verify_greenhouse_signature(secret, parsed.dump(), d.headers.at("signature")).ok());
    CHECK(json::parse(got[1].body).at("action") == "candidate_anonymized");
    CHECK(gh.pending_webhooks() == 0);
  }
  SECTION("out of order") {
    gh.flush_webhooks(gh_flush_options{true, false, true});
    const auto got = sink.deliveries();
    REQUIRE(got.size() == 2);
    CHECK(json::parse(got[0].body).at("action") == "candidate_anonymized");
    CHECK(json::parse(got[1].body).at("action") == "candidate_stage_change");
  }
  SECTION("duplicates with the same and with a new event id") {
    gh.flush_webhooks(gh_flush_options{false, true, true});
    auto got = sink.deliveries();
    REQUIRE(got.size() == 4);
    CHECK(got[0].body == got[1].body);
    CHECK(got[0].headers.at("greenhouse-event-id") == got[1].headers.at("greenhouse-event-id"));
    REQUIRE(gh.move_application(500001, 200002));
    gh.flush_webhooks(gh_flush_options{false, true, false});
    got = sink.deliveries();
    REQUIRE(got.size() == 6);
    CHECK(got[4].body == got[5].body);
    CHECK(got[4].headers.at("greenhouse-event-id") != got[5].headers.at("greenhouse-event-id"));
    for (const auto& d : got) CHECK(hw::ats::verify_greenhouse_signature(secret, d.body, d.headers.at("signature")));
  }
  SECTION("the receiver's status is reported") {
    sink.set_status(500);
    const auto sent = gh.flush_webhooks();
    REQUIRE(sent.size() == 2);
    CHECK(sent[0].status == 500);
  }
}

TEST_CASE("fake greenhouse: rails_json_escape", "[actor][ats][fake_greenhouse]") {
  CHECK(hw::testing::rails_json_escape(R"({"a":"<p>x & y</p>"})") ==
        R"({"a":"\u003cp\u003ex \u0026 y\u003c/p\u003e"})");
  CHECK(hw::testing::rails_json_escape("\"\xE2\x80\xA8\xE2\x80\xA9\"") == R"("\u2028\u2029")");
  const std::string text = json{{"s", "<&>\xE2\x80\xA8"}}.dump();
  CHECK(json::parse(hw::testing::rails_json_escape(text)) == json::parse(text));
}

// ---- additions: OAuth code + refresh, Site Admin, writes, ping, control API, wall clock ----

namespace {

/// The value of `name` in the query of `url`, or "".
std::string query_param(const std::string& url, const std::string& name) {
  const auto q = url.find('?');
  if (q == std::string::npos) return {};
  std::size_t pos = q + 1;
  while (pos < url.size()) {
    auto amp = url.find('&', pos);
    if (amp == std::string::npos) amp = url.size();
    const auto part = url.substr(pos, amp - pos);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    pos = amp + 1;
  }
  return {};
}

gh_http_result post_json(const std::string& url, const std::string& token, const json& body,
                         const std::string& method = "POST") {
  std::vector<std::pair<std::string, std::string>> h{{"Content-Type", "application/json"}};
  if (!token.empty()) h.emplace_back("Authorization", "Bearer " + token);
  return gh_http(method, url, h, body.dump());
}

}  // namespace

TEST_CASE_METHOD(gh_fixture, "fake greenhouse: authorization code and rotating refresh tokens",
                 "[actor][ats][fake_greenhouse]") {
  const std::string redirect = "https://app.example/ats/greenhouse/callback";
  // /authorize redirects with a code and the state.
  auto r = gh_http("GET", gh.base_url() + "/authorize?client_id=gh-client-id&response_type=code&state=s%201&sub=77"
                                          "&redirect_uri=" + redirect);
  REQUIRE(r.status == 302);
  const auto location = r.header("location");
  CHECK(location.rfind(redirect + "?code=", 0) == 0);
  CHECK(query_param(location, "state") == "s%201");
  const auto code = query_param(location, "code");
  REQUIRE_FALSE(code.empty());
  CHECK(gh_http("GET", gh.base_url() + "/authorize?client_id=other&response_type=code&redirect_uri=x").status == 400);

  // The exchange needs the same redirect_uri; a code is single use.
  CHECK(token_call("grant_type=authorization_code&code=" + code + "&redirect_uri=https://evil.example").status == 400);
  r = token_call("grant_type=authorization_code&code=" + code + "&redirect_uri=" + redirect);
  REQUIRE(r.status == 200);
  auto body = json::parse(r.body);
  const auto access1 = body.at("access_token").get<std::string>();
  const auto refresh1 = body.at("refresh_token").get<std::string>();
  CHECK(gh.token_sub(access1) == std::optional<std::string>{"77"});
  r = token_call("grant_type=authorization_code&code=" + code + "&redirect_uri=" + redirect);
  CHECK(r.status == 400);
  CHECK(json::parse(r.body).at("error") == "invalid_grant");

  // Refresh rotates: the new one works once, the old one is invalid_grant.
  r = token_call("grant_type=refresh_token&refresh_token=" + refresh1);
  REQUIRE(r.status == 200);
  body = json::parse(r.body);
  const auto refresh2 = body.at("refresh_token").get<std::string>();
  CHECK(refresh2 != refresh1);
  CHECK(gh.token_sub(body.at("access_token").get<std::string>()) == std::optional<std::string>{"77"});
  r = token_call("grant_type=refresh_token&refresh_token=" + refresh1);
  CHECK(r.status == 400);
  CHECK(json::parse(r.body).at("error") == "invalid_grant");
  CHECK(get(body.at("access_token").get<std::string>(), "/v3/jobs").status == 200);

  // Client credentials never carry a refresh token.
  CHECK_FALSE(json::parse(token_call().body).contains("refresh_token"));

  SECTION("a code expires after code_ttl_seconds") {
    const auto c = gh.issue_authorization_code("5");
    gh.advance(gh.options().code_ttl_seconds);
    CHECK(token_call("grant_type=authorization_code&code=" + c).status == 400);
  }
  SECTION("a refresh token expires after refresh_ttl_seconds") {
    gh.advance(gh.options().refresh_ttl_seconds);
    CHECK(token_call("grant_type=refresh_token&refresh_token=" + refresh2).status == 400);
  }
  SECTION("a code issued without redirect_uri needs none") {
    CHECK(token_call("grant_type=authorization_code&code=" + gh.issue_authorization_code()).status == 200);
  }
}

TEST_CASE_METHOD(gh_fixture, "fake greenhouse: a non-admin sub gets 403 on lists", "[actor][ats][fake_greenhouse]") {
  gh.set_site_admin("1001", false);
  const auto tok = [&](const std::string& sub) {
    auto r = token_call("grant_type=client_credentials&sub=" + sub);
    REQUIRE(r.status == 200);
    return json::parse(r.body).at("access_token").get<std::string>();
  };
  const auto non_admin = tok("1001");
  auto r = get(non_admin, "/v3/applications");
  CHECK(r.status == 403);
  CHECK(json::parse(r.body).at("message") == "missing OAuth scope or authorizing user is not a Site Admin");
  CHECK(get(tok("1002"), "/v3/applications").status == 200);
  CHECK(get(token(), "/v3/applications").status == 200);
  // Writes are not list endpoints.
  CHECK(post_json(gh.base_url() + "/v3/notes", non_admin,
                  {{"candidate_id", 400001}, {"body", "hello"}, {"visibility", "public"}})
          .status == 201);
  gh.set_site_admin("*", false);
  CHECK(get(token(), "/v3/jobs").status == 403);
  gh.set_site_admin("1002", true);
  CHECK(get(tok("1002"), "/v3/jobs").status == 200);
}

TEST_CASE_METHOD(gh_fixture, "fake greenhouse: notes, move and PATCH", "[actor][ats][fake_greenhouse]") {
  const auto t = token();
  const auto url = gh.base_url();

  SECTION("notes") {
    auto r = post_json(url + "/v3/notes", t,
                       {{"candidate_id", 400001}, {"application_id", 500001}, {"user_id", 10},
                        {"body", "Score 81/100"}, {"visibility", "admin_only"}, {"note_type", "NOTE"}});
    REQUIRE(r.status == 201);
    const auto note = json::parse(r.body);
    CHECK(note.at("visibility") == "admin_only_visible");
    CHECK(note.at("candidate_id") == 400001);
    CHECK(note.at("application_id") == 500001);
    CHECK(note.at("type") == "NOTE");
    CHECK(gh.row("candidates", 400001).at("updated_at") == gh_iso8601(gh.now()));
    const auto listed = json::parse(get(t, "/v3/notes?candidate_ids=400001").body);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0] == note);
    CHECK(json::parse(get(t, "/v3/notes?candidate_ids=400002").body).empty());
    CHECK(post_json(url + "/v3/notes", t, {{"candidate_id", 400001}, {"body", "x"}, {"visibility", "secret"}}).status ==
          422);
    CHECK(post_json(url + "/v3/notes", t, {{"candidate_id", 1}, {"body", "x"}, {"visibility", "public"}}).status == 422);
    CHECK(post_json(url + "/v3/notes", t, {{"candidate_id", 400001}, {"body", ""}, {"visibility", "public"}}).status ==
          422);
    CHECK(post_json(url + "/v3/notes", t,
                    {{"candidate_id", 400002}, {"application_id", 500001}, {"body", "x"}, {"visibility", "public"}})
            .status == 422);  // the application is another candidate's
    CHECK(post_json(url + "/v3/notes", "", {{"candidate_id", 400001}, {"body", "x"}, {"visibility", "public"}})
            .status == 401);
  }

  SECTION("move: the 422 rules") {
    // 500001: job 100001, in_process, stage 200000. 500005 is rejected (every fifth).
    CHECK(gh.row("applications", 500005).at("status") == "rejected");
    const auto move = [&](std::int64_t app, const json& body) {
      return post_json(url + "/v3/applications/" + std::to_string(app) + "/move", t, body);
    };
    const auto from = gh.row("applications", 500005).at("stage_id");
    CHECK(move(500005, {{"from_stage_id", from}, {"to_stage_id", 200001}}).status == 422);
    CHECK(move(500001, {{"from_stage_id", 200002}, {"to_stage_id", 200001}}).status == 422);   // not current
    CHECK(move(500001, {{"to_stage_id", 200001}}).status == 422);                             // from missing
    CHECK(move(500001, {{"from_stage_id", 200000}, {"to_stage_id", 200101}}).status == 422);  // other job
    CHECK(move(599999, {{"from_stage_id", 200000}}).status == 404);
    CHECK(gh.pending_webhooks() == 0);
    gh.advance(60);
    auto r = move(500001, {{"from_stage_id", 200000}, {"to_stage_id", 200002}});
    REQUIRE(r.status == 200);
    CHECK(json::parse(r.body).at("stage_id") == 200002);
    CHECK(gh.row("applications", 500001).at("updated_at") == gh_iso8601(gh.now()));
    CHECK(gh.pending_webhooks() == 1);
    // No to_stage_id: the next stage by sort_order; none after the last.
    r = move(500001, {{"from_stage_id", 200002}});
    REQUIRE(r.status == 200);
    CHECK(json::parse(r.body).at("stage_id") == 200003);
    CHECK(move(500001, {{"from_stage_id", 200003}}).status == 422);
    CHECK(gh.pending_webhooks() == 2);
    webhook_sink sink;
    gh.add_webhook_endpoint(sink.url(), "s");
    const auto sent = gh.flush_webhooks();
    REQUIRE(sent.size() == 2);
    const auto hook = json::parse(sent[1].body);
    CHECK(hook.at("action") == "candidate_stage_change");
    CHECK(hook.at("payload").at("application").at("id") == 500001);
    CHECK(hook.at("payload").at("application").at("current_stage").at("id") == 200003);
  }

  SECTION("PATCH") {
    gh.advance(30);
    auto r = post_json(url + "/v3/applications/500002", t, {{"recruiter_id", 7}, {"custom_fields", {{"score", 81}}}},
                       "PATCH");
    REQUIRE(r.status == 200);
    const auto app = json::parse(r.body);
    CHECK(app.at("recruiter_id") == 7);
    CHECK(app.at("custom_fields").at("score") == 81);
    CHECK(app.at("updated_at") == gh_iso8601(gh.now()));
    CHECK(gh.pending_webhooks() == 1);
    CHECK(post_json(url + "/v3/applications/500002", t, {{"status", "hired"}}, "PATCH").status == 422);
    CHECK(post_json(url + "/v3/applications/500002", t, {{"recruiter_id", "x"}}, "PATCH").status == 422);
    CHECK(post_json(url + "/v3/applications/42", t, {{"recruiter_id", 7}}, "PATCH").status == 404);
  }
}

TEST_CASE("fake greenhouse: ping on registration disables a silent endpoint", "[actor][ats][fake_greenhouse]") {
  hw::testing::fake_greenhouse_options o;
  o.ping_on_register = true;
  fake_greenhouse gh{o};
  webhook_sink good;
  webhook_sink bad;
  bad.set_status(500);
  CHECK(gh.add_webhook_endpoint(good.url(), "s1"));
  CHECK_FALSE(gh.add_webhook_endpoint(bad.url(), "s2"));
  REQUIRE(good.deliveries().size() == 1);
  const auto ping = good.deliveries()[0];
  CHECK(json::parse(ping.body).at("action") == "ping");
  CHECK(json::parse(ping.body).at("payload").at("endpoint_url") == good.url());
  CHECK(hw::ats::verify_greenhouse_signature("s1", ping.body, ping.headers.at("signature")).ok());
  REQUIRE(bad.deliveries().size() == 1);
  REQUIRE(gh.move_application(500001, 200001));
  const auto sent = gh.flush_webhooks();
  REQUIRE(sent.size() == 1);  // the disabled endpoint gets nothing
  CHECK(sent[0].url == good.url());
  CHECK(bad.deliveries().size() == 1);
  CHECK(good.deliveries().size() == 2);
}

TEST_CASE("fake greenhouse: control API", "[actor][ats][fake_greenhouse]") {
  hw::testing::fake_greenhouse_options o;
  o.control_api = true;
  fake_greenhouse gh{o};
  webhook_sink sink;
  const auto post = [&](const std::string& path, const json& body) {
    return post_json(gh.base_url() + path, "", body);
  };
  auto r = post("/_control/add_webhook_endpoint", {{"url", sink.url()}, {"secret", "sec"}});
  REQUIRE(r.status == 200);
  CHECK(json::parse(r.body).at("enabled") == true);
  CHECK(post("/_control/add_webhook_endpoint", {{"url", sink.url()}}).status == 400);
  CHECK(post("/_control/move_application", {{"application_id", 500001}, {"stage_id", 200002}}).status == 200);
  CHECK(post("/_control/move_application", {{"application_id", 1}, {"stage_id", 200002}}).status == 404);
  CHECK(gh.row("applications", 500001).at("stage_id") == 200002);
  auto state = json::parse(gh_http("GET", gh.base_url() + "/_control/state").body);
  CHECK(state.at("counts").at("applications") == 12);
  CHECK(state.at("pending_webhooks") == 1);
  CHECK(state.at("endpoints").at(0).at("enabled") == true);
  r = post("/_control/flush_webhooks", json::object());
  REQUIRE(r.status == 200);
  const auto deliveries = json::parse(r.body).at("deliveries");
  REQUIRE(deliveries.size() == 1);
  CHECK(deliveries[0].at("status") == 200);
  CHECK(deliveries[0].at("action") == "candidate_stage_change");
  REQUIRE(sink.deliveries().size() == 1);
  CHECK(hw::ats::verify_greenhouse_signature("sec", sink.deliveries()[0].body,
                                             sink.deliveries()[0].headers.at("signature"))
          .ok());
  const auto before = gh.now();
  r = post("/_control/advance", {{"seconds", 90}});
  CHECK(json::parse(r.body).at("now") == before + 90);

  fake_greenhouse closed;  // control_api is off by default
  CHECK(gh_http("GET", closed.base_url() + "/_control/state").status == 404);
}

TEST_CASE("fake greenhouse: wall clock and a large data set", "[actor][ats][fake_greenhouse]") {
  hw::testing::fake_greenhouse_options o;
  o.wall_clock = true;
  fake_greenhouse gh{o};
  const auto wall = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  CHECK(std::llabs(gh.now() - wall) < 5);
  gh.advance(3600);
  CHECK(gh.now() - wall >= 3595);

  hw::testing::fake_greenhouse_seed big;
  big.candidates = 20000;
  const auto t0 = std::chrono::steady_clock::now();
  gh.seed(big);
  const auto seeded = std::chrono::steady_clock::now() - t0;
  CHECK(std::chrono::duration_cast<std::chrono::milliseconds>(seeded).count() < 10000);  // generous: shared CI box
  CHECK(gh.rows("applications").size() == 20000);
  gh.set_rate_limit(1000);
  auto tr = gh_http("POST", gh.base_url() + "/token",
                    {{"Authorization", basic("gh-client-id", "gh-client-secret")},
                     {"Content-Type", "application/x-www-form-urlencoded"}},
                    "grant_type=client_credentials");
  REQUIRE(tr.status == 200);
  const auto tok = json::parse(tr.body).at("access_token").get<std::string>();
  // Deep pages cost the same as the first (the cursor seeks).
  std::string next = gh.base_url() + "/v3/applications?per_page=500";
  int pages = 0;
  std::size_t rows = 0;
  while (!next.empty() && pages < 100) {
    auto r = gh_http("GET", next, {{"Authorization", "Bearer " + tok}});
    REQUIRE(r.status == 200);
    rows += json::parse(r.body).size();
    next = next_link(r);
    ++pages;
  }
  CHECK(pages == 40);
  CHECK(rows == 20000);
}

TEST_CASE("fake greenhouse: rows and deliveries are what the domain code reads", "[actor][ats][fake_greenhouse]") {
  fake_greenhouse gh;
  for (const auto& a : gh.rows("applications")) CHECK(hw::domain::map_greenhouse_application(a).has_value());
  for (const auto& c : gh.rows("candidates")) CHECK(hw::domain::map_greenhouse_candidate(c).has_value());
  for (const auto& s : gh.rows("job_interview_stages")) CHECK(hw::domain::map_greenhouse_stage(s).has_value());
  webhook_sink sink;
  gh.add_webhook_endpoint(sink.url(), "s");
  REQUIRE(gh.move_application(500001, 200002));
  gh.upsert("applications", gh.row("applications", 500003));  // a plain upsert queues nothing
  const auto sent = gh.flush_webhooks();
  REQUIRE(sent.size() == 1);
  const auto body = json::parse(sent[0].body);
  auto hint = hw::domain::interpret_greenhouse_webhook(body);
  REQUIRE(hint.has_value());
  CHECK(hint->kind == hw::domain::webhook_hint_kind::application_changed);
  CHECK(hint->application_id == "500001");
  // The v1 webhook application maps like a v3 row.
  auto app = hw::domain::map_greenhouse_application(body.at("payload").at("application"));
  REQUIRE(app.has_value());
  CHECK(app->current_stage.id == "200002");
  CHECK(app->job_external_id == "100001");
}
