// tests/support/fake_lever over real HTTP on 127.0.0.1 (libcurl client): Basic auth, offset-token
// pagination and its 400 rules, filters and expansion, the token-bucket rate limit on the
// injected clock, chaos switches, and signed webhook deliveries received by webhook_sink and
// checked against the published example of ats.md §2.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/domain/ats_webhook_hint.hpp"
#include "actors/domain/base64url.hpp"
#include "actors/domain/lever_mapping.hpp"
#include "tests/support/fake_greenhouse.hpp"
#include "tests/support/fake_lever.hpp"
#include "tests/support/fake_vendor_server.hpp"

using hw::testing::fake_lever;
using hw::testing::fake_lever_options;
using hw::testing::fake_lever_seed;
using hw::testing::lever_flush_options;
using hw::testing::lever_signature_hex;
using hw::testing::vendor_http;
using hw::testing::vendor_http_result;
using hw::testing::webhook_sink;
using nlohmann::json;

namespace {

std::string basic(const std::string& user, const std::string& password) {
  std::string b = hw::base64url_encode(user + ":" + password);
  for (auto& c : b) {
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
  }
  while (b.size() % 4 != 0) b += '=';
  return "Basic " + b;
}

struct lever_fixture {
  fake_lever lever;
  lever_fixture() : lever(fake_lever_options{}) { lever.set_rate_limit(1000, 1000); }

  vendor_http_result get(const std::string& path_and_query, const std::string& key = "lever-api-key") {
    return vendor_http("GET", lever.base_url() + path_and_query, {{"Authorization", basic(key, "")}});
  }

  json get_json(const std::string& path_and_query) {
    auto r = get(path_and_query);
    INFO(path_and_query << " -> " << r.status << " " << r.body);
    REQUIRE(r.status == 200);
    return json::parse(r.body);
  }

  /// Every row of a list, following `next`; fails on a repeated id or too many pages.
  std::vector<json> all(const std::string& resource, const std::string& query = "limit=5") {
    std::vector<json> out;
    std::set<std::string> seen;
    std::string q = query;
    for (int pages = 0; pages < 1000; ++pages) {
      const auto page = get_json("/v1/" + resource + "?" + q);
      for (const auto& row : page.at("data")) {
        CHECK(seen.insert(row.at("id").get<std::string>()).second);
        out.push_back(row);
      }
      if (!page.at("hasNext").get<bool>()) {
        CHECK_FALSE(page.contains("next"));
        return out;
      }
      q = query + "&offset=" + page.at("next").get<std::string>();
    }
    FAIL("pagination did not end");
    return out;
  }
};

std::vector<std::string> ids(const std::vector<json>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.at("id").get<std::string>());
  return out;
}

std::vector<std::string> ids(const json& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.at("id").get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("fake lever: the published signature example", "[actor][ats][fake_lever]") {
  CHECK(lever_signature_hex("lever_sig_token", "3f1b2c", 1700000000000) ==
        "d0ebb8f83b4a4e5f8caad7b93f099aefc175908ed040e2fead214ef8fc89f559");
  CHECK(lever_signature_hex("other_token", "3f1b2c", 1700000000000) !=
        "d0ebb8f83b4a4e5f8caad7b93f099aefc175908ed040e2fead214ef8fc89f559");
  CHECK(lever_signature_hex("lever_sig_token", "3f1b2c", 1700000000001) !=
        "d0ebb8f83b4a4e5f8caad7b93f099aefc175908ed040e2fead214ef8fc89f559");
}

TEST_CASE_METHOD(lever_fixture, "fake lever: Basic auth with the api key only", "[actor][ats][fake_lever]") {
  CHECK(get("/v1/postings").status == 200);
  CHECK(get("/v1/postings", "wrong-key").status == 401);
  CHECK(vendor_http("GET", lever.base_url() + "/v1/postings").status == 401);
  CHECK(vendor_http("GET", lever.base_url() + "/v1/postings", {{"Authorization", basic("lever-api-key", "pw")}})
          .status == 401);
  CHECK(vendor_http("GET", lever.base_url() + "/v1/postings", {{"Authorization", "Bearer lever-api-key"}}).status ==
        401);
  const auto r = get("/v1/opportunities", "nope");
  CHECK(json::parse(r.body).at("code") == "UnauthorizedError");
  CHECK(r.body.find("nope") == std::string::npos);
}

TEST_CASE_METHOD(lever_fixture, "fake lever: pagination covers every row once in a stable order",
                 "[actor][ats][fake_lever]") {
  lever.seed(fake_lever_seed{11, 4, 6, 23});
  for (const std::string r : {"opportunities", "postings", "stages", "archive_reasons"}) {
    INFO(r);
    const auto got = all(r);
    CHECK(ids(got) == ids(lever.rows(r)));
  }
  CHECK(lever.rows("opportunities").size() == 23);
  CHECK(lever.rows("postings").size() == 4);
  CHECK(lever.rows("stages").size() == 6);
  CHECK(lever.requests("/v1/opportunities") == 5);  // 23 rows, 5 a page
  // The default page is 100 rows, and one page holds all.
  const auto page = get_json("/v1/opportunities");
  CHECK(page.at("data").size() == 23);
  CHECK(page.at("hasNext") == false);
  // Same seed, same ids.
  fake_lever other;
  other.seed(fake_lever_seed{11, 4, 6, 23});
  CHECK(ids(other.rows("opportunities")) == ids(lever.rows("opportunities")));
}

TEST_CASE_METHOD(lever_fixture, "fake lever: limit bounds and offset tokens", "[actor][ats][fake_lever]") {
  for (const std::string bad : {"0", "101", "-1", "abc", ""}) {
    INFO("limit=" << bad);
    const auto r = get("/v1/opportunities?limit=" + bad);
    CHECK(r.status == 400);
    CHECK(json::parse(r.body).at("code") == "BadRequestError");
  }
  CHECK(get("/v1/opportunities?limit=1").status == 200);
  CHECK(get("/v1/opportunities?limit=100").status == 200);
  CHECK(get("/v1/opportunities?offset=not-a-token").status == 400);
  // A token is bound to its resource.
  const auto page = get_json("/v1/opportunities?limit=2");
  REQUIRE(page.at("hasNext") == true);
  const auto next = page.at("next").get<std::string>();
  CHECK(get("/v1/postings?offset=" + next).status == 400);
  CHECK(get("/v1/opportunities?limit=2&offset=" + next).status == 200);
  // A token may be used again (a retry after a failure gets the same page).
  CHECK(get_json("/v1/opportunities?limit=2&offset=" + next).at("data") ==
        get_json("/v1/opportunities?limit=2&offset=" + next).at("data"));
}

TEST_CASE_METHOD(lever_fixture, "fake lever: filters, expansion and single reads", "[actor][ats][fake_lever]") {
  const auto opps = lever.rows("opportunities");
  const auto stages = lever.rows("stages");
  const auto postings = lever.rows("postings");
  REQUIRE(opps.size() == 12);

  SECTION("updated_at_start is inclusive and sees moves") {
    const auto t = lever.now_ms();
    CHECK(get_json("/v1/opportunities?updated_at_start=" + std::to_string(t + 1)).at("data").empty());
    const auto first_updated = opps[0].at("updatedAt").get<std::int64_t>();
    CHECK(get_json("/v1/opportunities?updated_at_start=" + std::to_string(first_updated)).at("data").size() == 12);
    CHECK(get_json("/v1/opportunities?updated_at_start=" + std::to_string(first_updated + 1)).at("data").size() == 11);
    lever.advance_ms(5000);
    const auto id = opps[3].at("id").get<std::string>();
    REQUIRE(lever.move_opportunity(id, stages[2].at("id").get<std::string>()));
    const auto since = get_json("/v1/opportunities?updated_at_start=" + std::to_string(t + 5000)).at("data");
    REQUIRE(since.size() == 1);
    CHECK(since[0].at("id") == id);
    CHECK(since[0].at("updatedAt") == t + 5000);
    CHECK(since[0].at("stage") == stages[2].at("id"));
    CHECK(get("/v1/opportunities?updated_at_start=yesterday").status == 400);
  }

  SECTION("stage_id, posting_id, archived") {
    const auto sid = stages[1].at("id").get<std::string>();
    for (const auto& o : get_json("/v1/opportunities?stage_id=" + sid).at("data")) CHECK(o.at("stage") == sid);
    const auto pid = postings[0].at("id").get<std::string>();
    const auto by_posting = get_json("/v1/opportunities?posting_id=" + pid + "&expand=applications").at("data");
    CHECK(by_posting.size() == 4);  // round-robin over 3 postings
    for (const auto& o : by_posting) CHECK(o.at("applications").at(0).at("posting") == pid);
    const auto archived = get_json("/v1/opportunities?archived=true").at("data");
    const auto active = get_json("/v1/opportunities?archived=false").at("data");
    CHECK(archived.size() + active.size() == 12);
    CHECK_FALSE(archived.empty());
    for (const auto& o : archived) CHECK(o.at("archived").is_object());
    for (const auto& o : active) CHECK(o.at("archived").is_null());
    CHECK(get("/v1/opportunities?archived=maybe").status == 400);
    // Several values: repeated or comma-separated.
    const auto s2 = stages[2].at("id").get<std::string>();
    const auto both = get_json("/v1/opportunities?stage_id=" + sid + "&stage_id=" + s2).at("data");
    CHECK(both.size() == get_json("/v1/opportunities?stage_id=" + sid + "," + s2).at("data").size());
    // One person's opportunities, by contact or e-mail.
    const auto contact = opps[4].at("contact").get<std::string>();
    const auto mine = get_json("/v1/opportunities?contact_id=" + contact).at("data");
    REQUIRE(mine.size() == 1);
    CHECK(mine[0].at("id") == opps[4].at("id"));
    const auto email = opps[4].at("emails").at(0).get<std::string>();
    CHECK(ids(get_json("/v1/opportunities?email=" + email).at("data")) == ids(mine));
    CHECK(get("/v1/opportunities?email=not-an-email").status == 400);
    CHECK(get_json("/v1/opportunities?tag=nope").at("data").empty());
  }

  SECTION("postings state") {
    for (const auto& p : get_json("/v1/postings?state=published").at("data")) CHECK(p.at("state") == "published");
    CHECK(get_json("/v1/postings?state=closed").at("data").size() == 1);
    CHECK(get("/v1/postings?state=open").status == 400);
    const auto p = get_json("/v1/postings").at("data").at(0);
    CHECK(p.at("categories").contains("team"));
    CHECK(p.at("content").at("lists").at(0).contains("content"));
  }

  SECTION("expand") {
    const auto plain = get_json("/v1/opportunities?limit=1").at("data").at(0);
    CHECK(plain.at("stage").is_string());
    CHECK(plain.at("applications").at(0).is_string());
    const auto expanded = get_json("/v1/opportunities?limit=1&expand=stage&expand=applications").at("data").at(0);
    CHECK(expanded.at("stage").at("id") == plain.at("stage"));
    CHECK(expanded.at("stage").at("text") == stages[0].at("text"));
    CHECK(expanded.at("applications").at(0).at("id") == plain.at("applications").at(0));
    CHECK(expanded.at("applications").at(0).at("posting") == postings[0].at("id"));
    CHECK(get_json("/v1/opportunities?limit=1&expand=stage,applications").at("data").at(0) == expanded);
  }

  SECTION("single reads") {
    const auto id = opps[5].at("id").get<std::string>();
    const auto one = get_json("/v1/opportunities/" + id + "?expand=applications").at("data");
    CHECK(one == opps[5]);
    CHECK(get_json("/v1/postings/" + postings[1].at("id").get<std::string>()).at("data") == postings[1]);
    CHECK(get("/v1/opportunities/no-such-id").status == 404);
    CHECK(get("/v1/stages/" + stages[0].at("id").get<std::string>()).status == 404);
    CHECK(get("/v1/nothing").status == 404);
  }
}

TEST_CASE("fake lever: token bucket rate limit on the injected clock", "[actor][ats][fake_lever]") {
  fake_lever_options o;
  o.rate_per_second = 2;
  o.burst = 3;
  fake_lever lever{o};
  const auto call = [&] {
    return vendor_http("GET", lever.base_url() + "/v1/stages", {{"Authorization", basic("lever-api-key", "")}});
  };
  for (int i = 0; i < 3; ++i) CHECK(call().status == 200);
  auto r = call();
  CHECK(r.status == 429);
  CHECK(r.header("retry-after") == "1");
  CHECK(json::parse(r.body).at("code") == "TooManyRequests");
  CHECK(call().status == 429);
  lever.advance_ms(499);
  CHECK(call().status == 429);  // 0.998 tokens
  lever.advance_ms(1);
  CHECK(call().status == 200);
  CHECK(call().status == 429);
  lever.advance_ms(60'000);  // refills to the burst, not beyond
  for (int i = 0; i < 3; ++i) CHECK(call().status == 200);
  CHECK(call().status == 429);
  // A wrong key is refused before it costs a token.
  lever.advance_ms(1000);
  CHECK(vendor_http("GET", lever.base_url() + "/v1/stages").status == 401);
  CHECK(call().status == 200);
}

TEST_CASE_METHOD(lever_fixture, "fake lever: chaos switches", "[actor][ats][fake_lever]") {
  lever.fail_next(2, 503);
  CHECK(get("/v1/postings").status == 503);
  CHECK(get("/v1/postings").status == 503);
  CHECK(get("/v1/postings").status == 200);

  lever.truncate_next(1);
  auto r = get("/v1/opportunities");
  CHECK(r.status == 200);
  CHECK(json::parse(r.body, nullptr, false).is_discarded());
  CHECK_FALSE(json::parse(get("/v1/opportunities").body, nullptr, false).is_discarded());

  lever.set_pagination_loop(true);
  const auto first = get_json("/v1/opportunities?limit=3");
  const auto next = first.at("next").get<std::string>();
  const auto second = get_json("/v1/opportunities?limit=3&offset=" + next);
  CHECK(second.at("next") == next);  // the same offset forever
  CHECK(get_json("/v1/opportunities?limit=3&offset=" + next) == second);
  lever.set_pagination_loop(false);
  CHECK(get_json("/v1/opportunities?limit=3&offset=" + next).at("next") != next);
}

TEST_CASE("fake lever: webhooks are signed and carry the right events", "[actor][ats][fake_lever]") {
  fake_lever lever;
  webhook_sink sink;
  lever.add_webhook_endpoint(sink.url(), "lever_sig_token");
  const auto opps = lever.rows("opportunities");
  const auto stages = lever.rows("stages");
  const auto o0 = opps[0].at("id").get<std::string>();
  const auto o1 = opps[1].at("id").get<std::string>();
  const auto o2 = opps[2].at("id").get<std::string>();
  const auto o3 = opps[3].at("id").get<std::string>();

  CHECK_FALSE(lever.move_opportunity("nope", stages[1].at("id").get<std::string>()));
  CHECK_FALSE(lever.move_opportunity(o0, "nope"));
  CHECK_FALSE(lever.archive_opportunity(o0, "nope"));
  CHECK_FALSE(lever.delete_opportunity("nope"));
  CHECK(lever.pending_webhooks() == 0);

  REQUIRE(lever.move_opportunity(o0, stages[3].at("id").get<std::string>()));
  lever.advance_ms(10);
  REQUIRE(lever.archive_opportunity(o1, "ar-withdrew"));
  REQUIRE(lever.archive_opportunity(o2, "ar-hired"));
  REQUIRE(lever.delete_opportunity(o3));
  CHECK(lever.row("opportunities", o3).is_null());
  CHECK(lever.row("opportunities", o1).at("archived").at("reason") == "ar-withdrew");
  CHECK(lever.pending_webhooks() == 5);  // move, archive, archive + hired, delete

  const auto sent = lever.flush_webhooks();
  CHECK(lever.pending_webhooks() == 0);
  REQUIRE(sent.size() == 5);
  std::vector<std::string> events;
  for (const auto& d : sent) {
    CHECK(d.status == 200);
    events.push_back(d.event);
  }
  CHECK(events == std::vector<std::string>{"candidateStageChange", "candidateArchiveChange", "candidateArchiveChange",
                                           "candidateHired", "candidateDeleted"});
  const auto got = sink.deliveries();
  REQUIRE(got.size() == 5);
  std::set<std::string> tokens;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const auto& d = got[i];
    CHECK(d.body == sent[i].body);
    CHECK(d.headers.at("content-type") == "application/json");
    const auto b = json::parse(d.body);
    CHECK(b.at("event") == events[i]);
    // The signature covers token + triggeredAt only (ats.md §2).
    CHECK(b.at("signature") == lever_signature_hex("lever_sig_token", b.at("token").get<std::string>(),
                                                   b.at("triggeredAt").get<std::int64_t>()));
    CHECK(b.at("signature") != lever_signature_hex("wrong", b.at("token").get<std::string>(),
                                                   b.at("triggeredAt").get<std::int64_t>()));
    tokens.insert(b.at("token").get<std::string>());
    CHECK(b.at("data").at("contactId") == b.at("data").at("candidateId"));
  }
  CHECK(tokens.size() == 5);  // a fresh token per delivery
  const auto move = json::parse(got[0].body);
  CHECK(move.at("triggeredAt") == 1'700'000'000'000);
  CHECK(move.at("data").at("opportunityId") == o0);
  CHECK(move.at("data").at("contactId") == opps[0].at("contact"));
  CHECK(move.at("data").at("fromStageId") == opps[0].at("stage"));
  CHECK(move.at("data").at("toStageId") == stages[3].at("id"));
  const auto archive = json::parse(got[1].body);
  CHECK(archive.at("triggeredAt") == 1'700'000'000'010);
  CHECK(archive.at("data").at("opportunityId") == o1);
  CHECK(archive.at("data").at("toArchived").at("reason") == "ar-withdrew");
  CHECK(json::parse(got[3].body).at("data").at("opportunityId") == o2);
  CHECK(json::parse(got[4].body).at("data").at("opportunityId") == o3);

  SECTION("reverse order and duplicates") {
    REQUIRE(lever.move_opportunity(o0, stages[1].at("id").get<std::string>()));
    REQUIRE(lever.move_opportunity(o0, stages[2].at("id").get<std::string>()));
    const auto again = lever.flush_webhooks(lever_flush_options{true, true});
    REQUIRE(again.size() == 4);
    CHECK(again[0].body == again[1].body);
    CHECK(json::parse(again[0].body).at("data").at("toStageId") == stages[2].at("id"));
    CHECK(json::parse(again[2].body).at("data").at("toStageId") == stages[1].at("id"));
  }

  SECTION("a failing receiver is reported, not retried") {
    sink.set_status(500);
    REQUIRE(lever.move_opportunity(o0, stages[1].at("id").get<std::string>()));
    const auto failed = lever.flush_webhooks();
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].status == 500);
    CHECK(lever.pending_webhooks() == 0);
  }
}

TEST_CASE("fake lever: control API and wall clock", "[actor][ats][fake_lever]") {
  fake_lever_options o;
  o.control_api = true;
  o.wall_clock = true;
  fake_lever lever{o};
  CHECK(std::llabs(lever.now_ms() - hw::testing::vendor_wall_clock_ms()) < 5000);
  lever.advance_ms(3'600'000);
  CHECK(lever.now_ms() - hw::testing::vendor_wall_clock_ms() > 3'500'000);

  webhook_sink sink;
  const auto post = [&](const std::string& path, const json& body) {
    return vendor_http("POST", lever.base_url() + path, {{"Content-Type", "application/json"}}, body.dump());
  };
  CHECK(post("/_control/add_webhook_endpoint", {{"url", sink.url()}, {"signature_token", "tok"}}).status == 200);
  const auto opp = lever.rows("opportunities").at(0).at("id").get<std::string>();
  const auto stage = lever.rows("stages").at(4).at("id").get<std::string>();
  CHECK(post("/_control/move_opportunity", {{"opportunity_id", opp}, {"stage_id", stage}}).status == 200);
  CHECK(post("/_control/move_opportunity", {{"opportunity_id", "nope"}, {"stage_id", stage}}).status == 404);
  const auto state = json::parse(vendor_http("GET", lever.base_url() + "/_control/state").body);
  CHECK(state.at("counts").at("opportunities") == 12);
  CHECK(state.at("pending_webhooks") == 1);
  const auto flushed = json::parse(post("/_control/flush_webhooks", json::object()).body);
  REQUIRE(flushed.at("deliveries").size() == 1);
  CHECK(flushed.at("deliveries").at(0).at("status") == 200);
  CHECK(flushed.at("deliveries").at(0).at("event") == "candidateStageChange");
  REQUIRE(sink.deliveries().size() == 1);

  fake_lever closed;  // control_api off by default
  CHECK(vendor_http("GET", closed.base_url() + "/_control/state").status == 404);
}

TEST_CASE("fake lever: rows and deliveries are what the domain code reads", "[actor][ats][fake_lever]") {
  fake_lever lever;
  webhook_sink sink;
  lever.add_webhook_endpoint(sink.url(), "tok");
  hw::domain::lever_options opts;
  opts.hired_archive_reasons = {"ar-hired"};
  for (const auto& s : lever.rows("stages")) opts.stage_names[s.at("id").get<std::string>()] = s.at("text");
  for (const auto& p : lever.rows("postings")) CHECK(hw::domain::map_lever_posting(p).has_value());
  for (const auto& s : lever.rows("stages")) CHECK(hw::domain::map_lever_stage(s).has_value());
  bool hired = false;
  for (const auto& o : lever.rows("opportunities")) {
    CHECK(hw::domain::map_lever_candidate(o).has_value());
    auto a = hw::domain::map_lever_application(o, opts);
    REQUIRE(a.has_value());
    CHECK_FALSE(a->job_external_id.empty());
    CHECK_FALSE(a->current_stage.name.empty());
    hired = hired || a->status == hw::domain::ats_application_status::hired;
  }
  CHECK(hired);  // the seed has a hired opportunity

  const auto opps = lever.rows("opportunities");
  REQUIRE(lever.move_opportunity(opps[0].at("id").get<std::string>(), lever.rows("stages").at(1).at("id").get<std::string>()));
  REQUIRE(lever.delete_opportunity(opps[1].at("id").get<std::string>()));
  const auto sent = lever.flush_webhooks();
  REQUIRE(sent.size() == 2);
  auto h = hw::domain::interpret_lever_webhook(json::parse(sent[0].body));
  REQUIRE(h.has_value());
  CHECK(h->kind == hw::domain::webhook_hint_kind::application_changed);
  CHECK(h->application_id == opps[0].at("id"));
  h = hw::domain::interpret_lever_webhook(json::parse(sent[1].body));
  REQUIRE(h.has_value());
  CHECK(h->kind == hw::domain::webhook_hint_kind::candidate_deleted);
  CHECK(h->application_id == opps[1].at("id"));
}
