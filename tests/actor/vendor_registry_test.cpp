// actors/ats/vendor_registry: the per-vendor traits table and webhook verification on raw bytes.
// Greenhouse deliveries come from the fake's emitter (Rails escapes, real Signature headers) to a
// loopback receiver; Lever deliveries from fake_lever's emitter, plus the ats.md §2 computed
// signature example.
#include <catch2/catch.hpp>

#include <cctype>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/ats/greenhouse_signature.hpp"
#include "actors/ats/lever_signature.hpp"
#include "actors/ats/vendor_registry.hpp"
#include "tests/support/fake_greenhouse.hpp"
#include "tests/support/fake_lever.hpp"

using hw::errc;
using hw::ats::find_vendor;
using hw::ats::vendor_traits;
using hw::domain::webhook_hint_kind;
using nlohmann::json;

namespace {

constexpr std::int64_t t0 = 1'700'000'000'000;

std::map<std::string, std::string> gh_headers(const std::string& signature, const std::string& event_id = "evt-1") {
  return {{"signature", signature}, {"greenhouse-event-id", event_id}, {"content-type", "application/json"}};
}

json lever_example(std::int64_t triggered_at = t0) {
  return json{{"triggeredAt", triggered_at},
              {"event", "candidateStageChange"},
              {"signature", hw::ats::lever_signature_hex("lever_sig_token", "3f1b2c", std::to_string(triggered_at))},
              {"token", "3f1b2c"},
              {"data", {{"opportunityId", "opp-1"}, {"contactId", "contact-1"}, {"toStageId", "s2"}}}};
}

}  // namespace

TEST_CASE("vendor_registry: the traits table", "[actor][vendor_registry]") {
  REQUIRE(hw::ats::all_vendors().size() == 2);
  CHECK(hw::ats::all_vendors()[0]->name == "greenhouse");
  CHECK(hw::ats::all_vendors()[1]->name == "lever");
  CHECK(find_vendor("workday") == nullptr);
  CHECK(find_vendor("") == nullptr);

  const vendor_traits* gh = find_vendor("greenhouse");
  REQUIRE(gh);
  CHECK(gh->we_generate_webhook_secret);
  CHECK(gh->required_credentials == std::vector<std::string_view>{"client_id", "client_secret"});
  CHECK(gh->optional_credentials == std::vector<std::string_view>{"sub"});
  REQUIRE(gh->validate_credentials);
  CHECK(gh->validate_credentials({{"client_id", "a"}, {"client_secret", "b"}}));
  CHECK(gh->validate_credentials({{"client_id", "a"}}).code() == errc::invalid_argument);

  const vendor_traits* lv = find_vendor("lever");
  REQUIRE(lv);
  CHECK_FALSE(lv->we_generate_webhook_secret);
  CHECK(lv->required_credentials == std::vector<std::string_view>{"api_key"});
  CHECK(lv->optional_credentials == std::vector<std::string_view>{"webhook_signature_token"});
  CHECK(lv->validate_credentials({{"api_key", "k"}, {"webhook_signature_token", "t"}}));

  hw::ats::connector_env env;
  env.now_ms = [] { return t0; };
  env.sleep = [](std::chrono::milliseconds) {};
  const hw::ats::vendor_endpoints ep{"http://127.0.0.1:1", "http://127.0.0.1:1/token"};
  auto a = gh->make_connector({{"client_id", "a"}, {"client_secret", "b"}}, ep, env);
  REQUIRE(a);
  CHECK(a->vendor() == "greenhouse");
  auto b = lv->make_connector({{"api_key", "k"}}, ep, env);
  REQUIRE(b);
  CHECK(b->vendor() == "lever");
}

TEST_CASE("vendor_registry: greenhouse deliveries are verified on their raw bytes", "[actor][vendor_registry]") {
  const vendor_traits* gh = find_vendor("greenhouse");
  REQUIRE(gh);
  const std::string secret = "whsec-greenhouse-test";
  hw::testing::fake_greenhouse fake;
  fake.seed();
  hw::testing::webhook_sink receiver;
  fake.add_webhook_endpoint(receiver.url(), secret);
  // HTML in a job name makes Rails escape <, > and & in the signed bytes.
  fake.queue_webhook("job_updated", json{{"job", {{"id", 100002}, {"name", "<b>R&D</b> lead"}}}});
  REQUIRE(fake.move_application(500004, 200001));
  const auto deliveries = fake.flush_webhooks();
  REQUIRE(deliveries.size() == 2);
  for (const auto& d : deliveries) REQUIRE(d.status == 200);
  const auto& job = deliveries[0];
  REQUIRE(job.body.find("\\u003cb\\u003e") != std::string::npos);
  const auto received = receiver.deliveries();
  REQUIRE(received.size() == 2);

  SECTION("valid, with the headers as received") {
    auto v = gh->verify_webhook(received[0].body, received[0].headers, secret, t0);
    REQUIRE(v);
    CHECK(v->hint.kind == webhook_hint_kind::job_changed);
    CHECK(v->hint.job_id == "100002");
    CHECK(v->vendor_event_id == std::optional<std::string>{job.event_id});
    auto s = gh->verify_webhook(received[1].body, received[1].headers, secret, t0);
    REQUIRE(s);
    CHECK(s->hint.kind == webhook_hint_kind::application_changed);
    CHECK(s->hint.application_id == "500004");
    CHECK(s->hint.candidate_id == "400004");
  }
  SECTION("forged: signed with another secret") {
    auto v = gh->verify_webhook(job.body, gh_headers(hw::ats::sign_greenhouse_body("guess", job.body)), secret, t0);
    REQUIRE_FALSE(v);
    CHECK(v.code() == errc::unauthorized);
    CHECK(v.error().detail == "Signature does not match the body");
  }
  SECTION("re-serialized: the same JSON, other bytes") {
    const std::string reserialized = json::parse(job.body).dump();
    REQUIRE(reserialized != job.body);
    REQUIRE(reserialized.find("<b>") != std::string::npos);
    auto v = gh->verify_webhook(reserialized, gh_headers(job.signature), secret, t0);
    REQUIRE_FALSE(v);
    CHECK(v.code() == errc::unauthorized);
  }
  SECTION("truncated") {
    auto v = gh->verify_webhook(job.body.substr(0, job.body.size() / 2), gh_headers(job.signature), secret, t0);
    REQUIRE_FALSE(v);
    CHECK(v.code() == errc::unauthorized);
  }
  SECTION("no Signature header, or no secret configured") {
    auto h = gh_headers(job.signature);
    h.erase("signature");
    CHECK(gh->verify_webhook(job.body, h, secret, t0).code() == errc::unauthorized);
    CHECK(gh->verify_webhook(job.body, gh_headers(job.signature), "", t0).code() == errc::unauthorized);
  }
  SECTION("signed, but not a valid envelope") {
    const std::string not_json = "not json at all";
    CHECK(gh->verify_webhook(not_json, gh_headers(hw::ats::sign_greenhouse_body(secret, not_json)), secret, t0)
              .code() == errc::invalid_argument);
    const std::string no_id = R"({"action":"job_updated","payload":{"job":{"name":"x"}}})";
    CHECK(gh->verify_webhook(no_id, gh_headers(hw::ats::sign_greenhouse_body(secret, no_id)), secret, t0).code() ==
          errc::invalid_argument);
  }
  SECTION("an unusable event id is dropped, the delivery still counts") {
    auto v = gh->verify_webhook(job.body, gh_headers(job.signature, "bad id\n"), secret, t0);
    REQUIRE(v);
    CHECK_FALSE(v->vendor_event_id);
  }
}

TEST_CASE("vendor_registry: the published greenhouse ping vector", "[actor][vendor_registry]") {
  const std::string body =
      R"({"action":"ping","payload":{"web_hook_id":4001693002,"endpoint_url":"https://67e09e60.ngrok.io/webhooks","created_at":"2018-12-20T15:43:12Z","updated_at":"2018-12-27T09:40:14Z","name":"Job Post Create","event":"Job Post Created","active":true,"content-type":"application/json"}})";
  auto v = find_vendor("greenhouse")->verify_webhook(
      body, gh_headers("sha256 395b1309fd37f0732d1ed11c15e03edd61b818918df6bf93be7c71bafb09c877"),
      "1uSUju2H6AohOE7OQVaxeLT3O8Uxxuas", t0);
  REQUIRE(v);
  CHECK(v->hint.kind == webhook_hint_kind::ping);
}

TEST_CASE("lever_signature: the ats.md computed example", "[actor][vendor_registry]") {
  CHECK(hw::ats::lever_signature_hex("lever_sig_token", "3f1b2c", "1700000000000") ==
        "d0ebb8f83b4a4e5f8caad7b93f099aefc175908ed040e2fead214ef8fc89f559");
  // The fake's signer agrees with ours.
  CHECK(hw::testing::lever_signature_hex("lever_sig_token", "3f1b2c", t0) ==
        "d0ebb8f83b4a4e5f8caad7b93f099aefc175908ed040e2fead214ef8fc89f559");

  using hw::ats::lever_verdict;
  using hw::ats::verify_lever_signature;
  CHECK(verify_lever_signature("lever_sig_token", lever_example(), t0).verdict == lever_verdict::valid);
  auto upper = lever_example();
  std::string sig = upper["signature"];
  for (auto& ch : sig) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  upper["signature"] = sig;
  CHECK(verify_lever_signature("lever_sig_token", upper, t0).verdict == lever_verdict::valid);
  auto as_string = lever_example();
  as_string["triggeredAt"] = "1700000000000";
  CHECK(verify_lever_signature("lever_sig_token", as_string, t0).verdict == lever_verdict::valid);

  CHECK(verify_lever_signature("other_token", lever_example(), t0).verdict == lever_verdict::mismatch);
  CHECK(verify_lever_signature("", lever_example(), t0).verdict == lever_verdict::no_secret);
  CHECK(verify_lever_signature("lever_sig_token", lever_example(), t0 + 5 * 60'000).verdict == lever_verdict::valid);
  CHECK(verify_lever_signature("lever_sig_token", lever_example(), t0 + 5 * 60'000 + 1).verdict ==
        lever_verdict::stale);
  CHECK(verify_lever_signature("lever_sig_token", lever_example(), t0 - 5 * 60'000 - 1).verdict ==
        lever_verdict::stale);
  auto moved = lever_example();
  moved["triggeredAt"] = t0 + 1;  // replayed with a fresher time: the MAC no longer matches
  CHECK(verify_lever_signature("lever_sig_token", moved, t0).verdict == lever_verdict::mismatch);
  auto short_sig = lever_example();
  short_sig["signature"] = "abcd";
  CHECK(verify_lever_signature("lever_sig_token", short_sig, t0).verdict == lever_verdict::bad_digest);
  auto not_hex = lever_example();
  not_hex["signature"] = std::string(64, 'g');
  CHECK(verify_lever_signature("lever_sig_token", not_hex, t0).verdict == lever_verdict::bad_digest);
  for (const char* f : {"token", "signature", "triggeredAt"}) {
    auto missing = lever_example();
    missing.erase(f);
    CHECK(verify_lever_signature("lever_sig_token", missing, t0).verdict == lever_verdict::missing_fields);
  }
  auto negative = lever_example();
  negative["triggeredAt"] = -5;
  CHECK(verify_lever_signature("lever_sig_token", negative, t0).verdict == lever_verdict::missing_fields);
}

TEST_CASE("vendor_registry: lever deliveries", "[actor][vendor_registry]") {
  const vendor_traits* lv = find_vendor("lever");
  REQUIRE(lv);
  const std::map<std::string, std::string> no_headers;

  SECTION("the computed example: valid, with a composite event id") {
    auto v = lv->verify_webhook(lever_example().dump(), no_headers, "lever_sig_token", t0 + 60'000);
    REQUIRE(v);
    CHECK(v->hint.kind == webhook_hint_kind::application_changed);
    CHECK(v->hint.application_id == "opp-1");
    CHECK(v->hint.candidate_id == "contact-1");
    CHECK(v->vendor_event_id == std::optional<std::string>{"candidateStageChange:opp-1:1700000000000"});
  }
  SECTION("wrong signature token, stale, not JSON, too large") {
    CHECK(lv->verify_webhook(lever_example().dump(), no_headers, "wrong", t0).code() == errc::unauthorized);
    auto stale = lv->verify_webhook(lever_example().dump(), no_headers, "lever_sig_token", t0 + 10 * 60'000);
    REQUIRE_FALSE(stale);
    CHECK(stale.code() == errc::unauthorized);
    CHECK(stale.error().detail == "triggeredAt is outside the allowed window");
    CHECK(lv->verify_webhook("{\"event\":", no_headers, "lever_sig_token", t0).code() == errc::invalid_argument);
    CHECK(lv->verify_webhook(std::string(2u << 20, ' '), no_headers, "lever_sig_token", t0).code() ==
          errc::invalid_argument);
    CHECK(lv->verify_webhook(lever_example().dump(), no_headers, "", t0).code() == errc::unauthorized);
  }
  SECTION("from the fake Lever's emitter") {
    hw::testing::fake_lever fake;
    fake.seed();
    hw::testing::webhook_sink receiver;
    fake.add_webhook_endpoint(receiver.url(), "sig-token-1");
    const auto opp = fake.rows("opportunities")[2]["id"].get<std::string>();
    const auto stage = fake.rows("stages")[3]["id"].get<std::string>();
    REQUIRE(fake.move_opportunity(opp, stage));
    REQUIRE(fake.delete_opportunity(fake.rows("opportunities")[5]["id"].get<std::string>()));
    const auto sent = fake.flush_webhooks();
    REQUIRE(sent.size() == 2);
    const auto got = receiver.deliveries();
    REQUIRE(got.size() == 2);
    auto moved = lv->verify_webhook(got[0].body, got[0].headers, "sig-token-1", fake.now_ms());
    REQUIRE(moved);
    CHECK(moved->hint.kind == webhook_hint_kind::application_changed);
    CHECK(moved->hint.application_id == opp);
    auto deleted = lv->verify_webhook(got[1].body, got[1].headers, "sig-token-1", fake.now_ms());
    REQUIRE(deleted);
    CHECK(deleted->hint.kind == webhook_hint_kind::candidate_deleted);
    CHECK(deleted->hint.deleted_application_ids.size() == 1);
    CHECK(lv->verify_webhook(got[0].body, got[0].headers, "sig-token-2", fake.now_ms()).code() ==
          errc::unauthorized);
    CHECK(lv->verify_webhook(got[0].body, got[0].headers, "sig-token-1", fake.now_ms() + 6 * 60'000).code() ==
          errc::unauthorized);
  }
}
