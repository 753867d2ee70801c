// tests/support/fake_greenhouse over real HTTP on 127.0.0.1 (libcurl client): the token flow,
// Harvest v3 cursor pagination and its 422 rules, the rate-limit window, the chaos switches, and
// signed webhook deliveries received by a Beast listener and verified with
// actors/ats/greenhouse_signature. Time comes from the fake's injected clock; the only real
// wait is the (short) configured delay test.
#include <catch2/catch.hpp>

#include <chrono>
#include <regex>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/ats/greenhouse_signature.hpp"
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
  for (const std::string res : {"jobs", "job_posts", "job_interview_stages", "candidates", "applications"}) {
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
