// actors/content/openai_provider end to end against tests/support/fake_llm (a real HTTP server on
// 127.0.0.1, port 0): the request it sends (model, bearer, only the job profile), every answer
// mode of the fake, the error mapping, and the timeout. Slow answers are held by the fake until the
// test releases them or the client goes away: nothing here sleeps or measures time. The fake is on
// loopback, so configurations pass allow_private_addresses = true; one test checks the default.
#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/content/openai_provider.hpp"
#include "tests/support/fake_llm.hpp"

using hw::errc;
using hw::content::make_openai_provider;
using hw::content::openai_config;
using hw::testing::fake_llm;
using hw::testing::fake_llm_mode;
namespace domain = hw::domain;
using namespace std::chrono_literals;

namespace {

openai_config config_for(const fake_llm& f, std::chrono::milliseconds timeout = 10s) {
  openai_config c;
  c.base_url = f.base_url();
  c.api_key = f.options().api_key;
  c.model = f.options().model;
  c.timeout = timeout;
  c.allow_private_addresses = true;
  return c;
}

constexpr const char* planted_email = "ann.candidate@example.com";
constexpr const char* planted_reason = "resume of Ann Candidate";

/// A job profile whose evidence snippets and level reason carry text that must never leave.
domain::llm_request sample_request() {
  domain::llm_request req;
  req.job_title = "Senior Backend Engineer";
  req.profile.level = domain::seniority::senior;
  req.profile.years = 6;
  req.profile.category = domain::job_category::engineering;
  req.profile.level_reason = planted_reason;
  req.profile.skills = {{"postgresql", 3, true, std::string{"PostgreSQL tuning; CVs to "} + planted_email},
                        {"kubernetes", 2, true, "k8s"},
                        {"go", 1, false, "Go is a plus"}};
  req.skills = {"postgresql", "kubernetes", "go"};
  req.max_items = 6;
  return req;
}

std::vector<std::string> all_details;  // every error detail seen, checked for the key at the end

void no_secret_in(const hw::error& e, const std::string& key) {
  all_details.push_back(e.detail);
  CHECK(e.detail.find(key) == std::string::npos);
  CHECK(e.detail.find("Bearer") == std::string::npos);
}

/// `r` is a refusal with `code` whose detail does not carry `key`; returns its error.
template <class Result>
hw::error refusal(const Result& r, errc code, const std::string& key) {
  REQUIRE_FALSE(r);
  CHECK(r.code() == code);
  no_secret_in(r.error(), key);
  return r.error();
}

std::string item_json(const std::string& title, const std::string& prompt, const std::string& skill) {
  return nlohmann::json{{"kind", "technical"},
                        {"title", title},
                        {"prompt", prompt},
                        {"rubric", {{"strong", "s"}, {"acceptable", "a"}, {"weak", "w"}}},
                        {"expected_minutes", 10},
                        {"difficulty", "medium"},
                        {"skills", {skill}},
                        {"seniorities", {"senior"}},
                        {"categories", {"engineering"}}}
    .dump();
}

}  // namespace

TEST_CASE("openai provider sends the model and the bearer and only the job profile", "[llm]") {
  fake_llm f;
  auto p = make_openai_provider(config_for(f));
  CHECK(p->model() == f.options().model);
  const auto req = sample_request();
  auto r = p->generate(req);
  REQUIRE(r);
  REQUIRE(r->size() == 3);
  for (const auto& item : *r) {
    REQUIRE(item.skills.size() == 1);
    CHECK((item.skills[0] == "postgresql" || item.skills[0] == "kubernetes" || item.skills[0] == "go"));
    CHECK(domain::validate_item_body(item).empty());
  }

  const auto seen = f.requests();
  REQUIRE(seen.size() == 1);
  const auto& rec = seen[0];
  CHECK(rec.rejected.empty());
  CHECK(rec.method == "POST");
  CHECK(rec.target == "/v1/chat/completions");
  CHECK(rec.authorization == "Bearer " + f.options().api_key);
  CHECK(rec.content_type == "application/json");
  CHECK(rec.model == f.options().model);
  CHECK(rec.temperature == Approx(0.2));
  CHECK(rec.response_format_type == "json_object");
  CHECK(rec.body == hw::content::openai_request_body(f.options().model, req));
  CHECK(rec.user_message.find("Senior Backend Engineer") != std::string::npos);
  CHECK(rec.user_message.find("\"postgresql\"") != std::string::npos);
  CHECK(rec.user_message.find("\"senior\"") != std::string::npos);
  // Nothing but the profile's whitelisted fields: no evidence snippet, no level reason.
  CHECK(rec.body.find(planted_email) == std::string::npos);
  CHECK(rec.body.find(planted_reason) == std::string::npos);
  CHECK(rec.body.find("CVs to") == std::string::npos);
  CHECK(rec.body.find(f.options().api_key) == std::string::npos);
}

TEST_CASE("openai provider output passes the quality filters", "[llm]") {
  fake_llm f;
  auto p = make_openai_provider(config_for(f));
  const auto req = sample_request();
  const auto& tax = domain::skill_taxonomy::shipped();

  SECTION("good items pass") {
    auto r = p->generate(req);
    REQUIRE(r);
    REQUIRE(r->size() == 3);
    std::vector<std::string> others;
    for (const auto& item : *r) {
      const auto v = domain::quality_check(item, req.skills, others, tax);
      INFO(item.title);
      for (const auto& why : v.reasons) INFO(why);
      CHECK(v.ok);
      others.push_back(item.prompt);
    }
  }
  SECTION("an item with an e-mail address and a phone number is refused") {
    f.set_mode(fake_llm_mode::personal_data);
    auto r = p->generate(req);
    REQUIRE(r);
    REQUIRE(r->size() == 3);
    CHECK((*r)[0].prompt.find("jane.doe@example.com") != std::string::npos);
    const auto v = domain::quality_check((*r)[0], req.skills, {}, tax);
    CHECK_FALSE(v.ok);
    CHECK_FALSE(v.reasons.empty());
    CHECK(domain::quality_check((*r)[1], req.skills, {}, tax).ok);
  }
  SECTION("a near-duplicate of a library text is refused") {
    const std::string library_text =
        "Explain how you would find and fix a slow PostgreSQL query in production, which tools you would use to "
        "look at the plan, and how you would verify that the fix helps without hurting other queries.";
    f.set_near_duplicate_of(library_text);
    f.set_mode(fake_llm_mode::near_duplicate);
    auto r = p->generate(req);
    REQUIRE(r);
    REQUIRE_FALSE(r->empty());
    CHECK(domain::shingle_similarity((*r)[0].prompt, library_text) >= 0.6);
    const auto v = domain::quality_check((*r)[0], req.skills, {library_text}, tax);
    CHECK_FALSE(v.ok);
    CHECK(domain::quality_check((*r)[1], req.skills, {library_text}, tax).ok);
  }
}

TEST_CASE("openai provider reads fenced and bare answers and skips invalid items", "[llm]") {
  fake_llm f;
  auto p = make_openai_provider(config_for(f));
  auto req = sample_request();

  SECTION("json fences with prose around") {
    f.set_mode(fake_llm_mode::fenced);
    auto r = p->generate(req);
    REQUIRE(r);
    CHECK(r->size() == 3);
  }
  SECTION("invalid items are skipped") {
    f.set_mode(fake_llm_mode::partly_invalid);
    auto r = p->generate(req);
    REQUIRE(r);
    CHECK(r->size() == 3);
    for (const auto& item : *r) CHECK(item.title != "Too thin");
  }
  SECTION("a bare array with labels for skills and extra keys") {
    auto item = nlohmann::json::parse(item_json("Indexes in PostgreSQL", std::string(60, 'p'), "PostgreSQL"));
    item["id"] = 7;  // an extra key a model likes to add
    item.erase("seniorities");  // taken from the request
    f.set_canned_content(nlohmann::json::array({item}).dump());
    f.set_mode(fake_llm_mode::canned);
    auto r = p->generate(req);
    REQUIRE(r);
    REQUIRE(r->size() == 1);
    CHECK((*r)[0].skills == std::vector<std::string>{"postgresql"});
    CHECK((*r)[0].seniorities == std::vector<domain::seniority>{domain::seniority::senior});
  }
  SECTION("repeated tags and a float for minutes are forgiven") {
    auto item = nlohmann::json::parse(item_json("Goroutines and channels", std::string(60, 'g'), "Go"));
    item["skills"] = {"Go", "go", "kubernetes"};
    item["categories"] = {"engineering", "engineering"};
    item["expected_minutes"] = 15.0;
    f.set_canned_content(nlohmann::json{{"items", {item}}}.dump());
    f.set_mode(fake_llm_mode::canned);
    auto r = p->generate(req);
    REQUIRE(r);
    REQUIRE(r->size() == 1);
    CHECK((*r)[0].skills == std::vector<std::string>{"go", "kubernetes"});
    CHECK((*r)[0].categories.size() == 1);
    CHECK((*r)[0].expected_minutes == 15);
  }
  SECTION("at most max_items items") {
    std::string items = "{\"items\": [";
    for (int i = 0; i < 5; ++i) {
      if (i) items += ",";
      items += item_json("Question number " + std::to_string(i), std::string(50, 'a' + i), "go");
    }
    f.set_canned_content(items + "]}");
    f.set_mode(fake_llm_mode::canned);
    req.max_items = 2;
    auto r = p->generate(req);
    REQUIRE(r);
    CHECK(r->size() == 2);
  }
}

TEST_CASE("openai provider refuses answers that are not the requested JSON", "[llm]") {
  fake_llm f;
  auto p = make_openai_provider(config_for(f));
  const auto req = sample_request();
  const auto expect_not_json = [&](fake_llm_mode m) {
    f.set_mode(m);
    const auto e = refusal(p->generate(req), errc::invalid_argument, f.options().api_key);
    CHECK(e.detail.rfind("the model's answer is not the requested JSON", 0) == 0);
  };
  SECTION("garbage") { expect_not_json(fake_llm_mode::garbage); }
  SECTION("wrong shape") { expect_not_json(fake_llm_mode::wrong_shape); }
  SECTION("no valid item") { expect_not_json(fake_llm_mode::invalid_items); }
  SECTION("a refusal") { expect_not_json(fake_llm_mode::refusal); }
  SECTION("an empty list") {
    f.set_canned_content(R"({"items": []})");
    expect_not_json(fake_llm_mode::canned);
  }
  SECTION("absurd nesting") {
    f.set_canned_content(std::string(100000, '[') + std::string(100000, ']'));
    expect_not_json(fake_llm_mode::canned);
  }
  SECTION("a body that is not a chat completion is the endpoint's fault") {
    f.set_mode(fake_llm_mode::not_completion);
    refusal(p->generate(req), errc::unavailable, f.options().api_key);
  }
  CHECK(f.request_count() == 1);  // none of these is retried
}

TEST_CASE("openai provider maps refused keys and rate limits without leaking the key", "[llm]") {
  fake_llm f;
  auto p = make_openai_provider(config_for(f));
  const auto req = sample_request();

  SECTION("a wrong key is unauthorized") {
    auto cfg = config_for(f);
    cfg.api_key = "sk-wrong-key-5f4e3d2c1b0a99887766";
    const auto e =
        refusal(make_openai_provider(cfg)->generate(req), errc::unauthorized, cfg.api_key);
    CHECK(e.detail.find("invalid_api_key") != std::string::npos);
    REQUIRE(f.request_count() == 1);
    CHECK(f.requests()[0].rejected == "bad bearer");
  }
  SECTION("403 is unauthorized") {
    f.set_mode(fake_llm_mode::forbidden);
    refusal(p->generate(req), errc::unauthorized, f.options().api_key);
  }
  SECTION("429 carries Retry-After and is not retried") {
    f.set_mode(fake_llm_mode::rate_limited);
    f.set_retry_after("7");
    const auto e = refusal(p->generate(req), errc::rate_limited, f.options().api_key);
    CHECK(e.retry_after_s == 7);
    CHECK(f.request_count() == 1);
  }
  SECTION("429 without Retry-After") {
    f.set_mode(fake_llm_mode::rate_limited);
    f.set_retry_after("");
    const auto e = refusal(p->generate(req), errc::rate_limited, f.options().api_key);
    CHECK(e.retry_after_s == 0);
  }
  SECTION("an unknown model") {
    auto cfg = config_for(f);
    cfg.model = "no-such-model";
    const auto e = refusal(make_openai_provider(cfg)->generate(req), errc::unavailable, cfg.api_key);
    CHECK(e.detail.find("HTTP 404") != std::string::npos);
  }
}

TEST_CASE("openai provider retries a server error once", "[llm]") {
  fake_llm f;
  auto p = make_openai_provider(config_for(f));
  const auto req = sample_request();

  SECTION("500 then OK") {
    f.set_mode(fake_llm_mode::error_then_good);
    auto r = p->generate(req);
    REQUIRE(r);
    CHECK(r->size() == 3);
    CHECK(f.request_count() == 2);
  }
  SECTION("503 twice is unavailable") {
    f.set_mode(fake_llm_mode::server_error);
    refusal(p->generate(req), errc::unavailable, f.options().api_key);
    CHECK(f.request_count() == 2);
  }
}

TEST_CASE("openai provider honours its timeout", "[llm]") {
  fake_llm f;
  const auto req = sample_request();

  SECTION("a held answer times out and the connection is dropped") {
    f.set_mode(fake_llm_mode::hold);
    const auto e = refusal(make_openai_provider(config_for(f, 1500ms))->generate(req), errc::timeout,
                           f.options().api_key);
    CHECK(e.detail == "llm: the model did not answer within 1500 ms");
    CHECK(f.wait_for_abandoned(1));
    CHECK(f.request_count() == 1);  // the deadline leaves no room for a retry
  }
  SECTION("the retry after a 500 stays within the deadline") {
    f.set_mode(fake_llm_mode::error_then_hold);
    refusal(make_openai_provider(config_for(f, 3s))->generate(req), errc::timeout,
            f.options().api_key);
    CHECK(f.request_count() == 2);
    CHECK(f.wait_for_abandoned(1));
  }
  SECTION("a held answer released before the deadline is used") {
    f.set_mode(fake_llm_mode::hold);
    auto p = make_openai_provider(config_for(f, 20s));
    auto pending = std::async(std::launch::async, [&] { return p->generate(req); });
    REQUIRE(f.wait_for_held(1));
    f.release_held();
    auto r = pending.get();
    REQUIRE(r);
    CHECK(r->size() == 3);
    CHECK(f.abandoned() == 0);
  }
}

TEST_CASE("openai provider refuses oversized answers and redirects", "[llm]") {
  fake_llm f;
  auto p = make_openai_provider(config_for(f));
  const auto req = sample_request();

  SECTION("oversized") {
    f.set_mode(fake_llm_mode::oversized);
    const auto e = refusal(p->generate(req), errc::invalid_argument, f.options().api_key);
    CHECK(e.detail == "llm: the answer is larger than 2 MiB");
    CHECK(f.request_count() == 1);
  }
  SECTION("just under the cap is read") {
    f.set_oversized_bytes((2u << 20) - 4096);
    f.set_mode(fake_llm_mode::oversized);
    // Read whole: 'xxx...' is not JSON.
    const auto e = refusal(p->generate(req), errc::invalid_argument, f.options().api_key);
    CHECK(e.detail.rfind("the model's answer is not the requested JSON", 0) == 0);
  }
  SECTION("a redirect is refused and not followed") {
    f.set_mode(fake_llm_mode::redirect);
    const auto e = refusal(p->generate(req), errc::unavailable, f.options().api_key);
    CHECK(e.detail.find("redirect") != std::string::npos);
    CHECK(f.request_count() == 1);
  }
}

TEST_CASE("openai provider network policy", "[llm]") {
  const auto req = sample_request();

  SECTION("a loopback endpoint is refused by default") {
    fake_llm f;
    auto cfg = config_for(f);
    cfg.allow_private_addresses = false;
    const auto e = refusal(make_openai_provider(cfg)->generate(req), errc::unavailable, cfg.api_key);
    CHECK(e.detail.find("private network") != std::string::npos);
    CHECK(f.request_count() == 0);
  }
  SECTION("an endpoint that is gone is unavailable") {
    openai_config cfg;
    {
      fake_llm gone;
      cfg = config_for(gone);
    }
    refusal(make_openai_provider(cfg)->generate(req), errc::unavailable, cfg.api_key);
  }
}

TEST_CASE("openai provider validates its configuration", "[llm]") {
  fake_llm f;
  const auto good = config_for(f);
  REQUIRE(hw::content::validate_openai_config(good));
  openai_config with_slash = good;
  with_slash.base_url += "/";
  CHECK(hw::content::validate_openai_config(with_slash));
  CHECK(make_openai_provider(with_slash)->generate(sample_request()));

  const auto refused = [&](openai_config c) {
    const auto v = hw::content::validate_openai_config(c);
    REQUIRE_FALSE(v);
    CHECK(v.code() == errc::invalid_argument);
    no_secret_in(v.error(), c.api_key.empty() ? good.api_key : c.api_key);
    const auto e = refusal(make_openai_provider(c)->generate(sample_request()), errc::invalid_argument,
                           c.api_key.empty() ? good.api_key : c.api_key);
    CHECK(e.detail == v.error().detail);
  };
  auto c = good;
  c.base_url = "http://api.example.com/v1";  // http only on loopback
  refused(c);
  c.base_url = "ftp://127.0.0.1/v1";
  refused(c);
  c.base_url = "https://user:pw@api.example.com/v1";
  refused(c);
  c.base_url = "https://api.example.com/v1?x=1";
  refused(c);
  c.base_url = "";
  refused(c);
  c = good;
  c.api_key = good.api_key + "\r\nX-Injected: 1";
  refused(c);
  c.api_key = "sk " + good.api_key;
  refused(c);
  c = good;
  c.model = "";
  refused(c);
  c.model = "gpt\n4";
  refused(c);
  c = good;
  c.timeout = 0ms;
  refused(c);
  CHECK(f.request_count() == 1);  // only the valid one reached the fake
}

TEST_CASE("openai provider error details never carry the key", "[llm]") {
  // Runs after the others in declaration order; on its own it checks a fresh set.
  fake_llm f;
  auto p = make_openai_provider(config_for(f, 300ms));
  for (auto m : {fake_llm_mode::garbage, fake_llm_mode::forbidden, fake_llm_mode::rate_limited,
                 fake_llm_mode::server_error, fake_llm_mode::hold, fake_llm_mode::oversized, fake_llm_mode::redirect,
                 fake_llm_mode::not_completion}) {
    f.set_mode(m);
    auto r = p->generate(sample_request());
    REQUIRE_FALSE(r);
    no_secret_in(r.error(), f.options().api_key);
  }
  for (const auto& d : all_details) {
    CHECK(d.find(f.options().api_key) == std::string::npos);
    CHECK(d.find("sk-") == std::string::npos);
  }
}
