// /api/v1/orgs against the real server and the fake gateway.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/http_test_server.hpp"

using namespace hw;
using namespace hw::testing;
using json = nlohmann::json;

namespace {

const std::string acme = R"({"name":"Acme","slug":"acme","time_zone":"Europe/Berlin",
  "branding":{"logo_url":"https://acme.example/logo.png","primary_color":"#112233"}})";

http_reply post(test_server& s, const std::string& target, std::string body, header_list h = admin_json()) {
  return http_request(s.port, "POST", target, std::move(body), h);
}

http_reply patch(test_server& s, const std::string& target, std::string body, header_list h = admin_json()) {
  return http_request(s.port, "PATCH", target, std::move(body), h);
}

std::string detail(const http_reply& r) { return json::parse(r.body)["detail"].get<std::string>(); }

}  // namespace

TEST_CASE("org routes: no token or a wrong token is 401", "[http][orgs]") {
  test_server s;
  auto r = post(s, "/api/v1/orgs", acme, {{"Content-Type", "application/json"}});
  CHECK(r.status == 401);
  CHECK(r.header("Content-Type") == "application/problem+json");
  CHECK_THAT(r.header("WWW-Authenticate"), Catch::StartsWith("Bearer"));

  r = s.get("/api/v1/orgs/00000000-0000-4000-8000-000000000001", {{"Authorization", "Bearer wrong-token"}});
  CHECK(r.status == 401);
  CHECK(r.body.find("wrong-token") == std::string::npos);

  r = s.get("/api/v1/orgs/00000000-0000-4000-8000-000000000001", {{"Authorization", "Basic dGVzdA=="}});
  CHECK(r.status == 401);
  CHECK(s.gateway.calls().empty());
}

TEST_CASE("org routes: with no admin token configured every org route is 401", "[http][orgs]") {
  auto o = test_options();
  o.admin_token_sha256.clear();
  test_server s{o};
  auto r = post(s, "/api/v1/orgs", acme);
  CHECK(r.status == 401);
  CHECK_THAT(detail(r), Catch::Contains("disabled"));
  r = http_request(s.port, "POST", "/api/v1/orgs/00000000-0000-4000-8000-000000000001/suspend", {}, admin_auth());
  CHECK(r.status == 401);
  CHECK(s.gateway.calls().empty());
}

TEST_CASE("org routes: a malformed admin_token_sha256 refuses to construct", "[http][orgs]") {
  fake_gateway gw;
  auto o = test_options();
  o.admin_token_sha256 = "not-hex";
  CHECK_THROWS(hw::http_api::server(o, gw));
}

TEST_CASE("org routes: create, read, patch with If-Match, lifecycle events", "[http][orgs]") {
  test_server s;
  auto r = post(s, "/api/v1/orgs", acme);
  REQUIRE(r.status == 201);
  auto org = json::parse(r.body);
  const std::string id = org["id"];
  CHECK(r.header("Location") == "/api/v1/orgs/" + id);
  CHECK(r.header("ETag") == "\"v1\"");
  CHECK(r.header("Cache-Control") == "no-store");
  CHECK(org["name"] == "Acme");
  CHECK(org["slug"] == "acme");
  CHECK(org["time_zone"] == "Europe/Berlin");
  CHECK(org["branding"]["logo_url"] == "https://acme.example/logo.png");
  CHECK(org["branding"]["primary_color"] == "#112233");
  CHECK(org["branding"]["accent_color"] == "#f2a541");
  CHECK(org["status"] == "active");
  CHECK(org["version"] == 1);
  CHECK(org.contains("created_at"));
  CHECK(org.contains("updated_at"));
  CHECK(s.gateway.last_who().kind == "bootstrap_admin");
  CHECK(s.gateway.last_who().id == "config");

  r = s.get("/api/v1/orgs/" + id, admin_auth());
  CHECK(r.status == 200);
  CHECK(r.header("ETag") == "\"v1\"");
  CHECK(json::parse(r.body) == org);

  // Upper-case UUIDs name the same organization.
  std::string upper = id;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(s.get("/api/v1/orgs/" + upper, admin_auth()).status == 200);

  auto h = admin_json();
  h.emplace_back("If-Match", "\"v1\"");
  r = patch(s, "/api/v1/orgs/" + id, R"({"name":"Acme GmbH","branding":{"logo_url":null}})", h);
  CHECK(r.status == 200);
  CHECK(r.header("ETag") == "\"v2\"");
  CHECK(s.gateway.last_if_match() == std::optional<std::int64_t>{1});
  auto patched = json::parse(r.body);
  CHECK(patched["name"] == "Acme GmbH");
  CHECK(patched["branding"]["logo_url"].is_null());
  CHECK(patched["slug"] == "acme");
  CHECK(patched["version"] == 2);

  // The same If-Match again is stale now.
  r = patch(s, "/api/v1/orgs/" + id, R"({"name":"Other"})", h);
  CHECK(r.status == 412);
  CHECK(json::parse(r.body)["status"] == 412);

  // Without If-Match the patch is unconditional.
  r = patch(s, "/api/v1/orgs/" + id, R"({"time_zone":"UTC"})");
  CHECK(r.status == 200);
  CHECK_FALSE(s.gateway.last_if_match());

  r = post(s, "/api/v1/orgs/" + id + "/suspend", {}, admin_auth());
  CHECK(r.status == 200);
  CHECK(json::parse(r.body)["status"] == "suspended");
  r = post(s, "/api/v1/orgs/" + id + "/reactivate", {}, admin_auth());
  CHECK(r.status == 200);
  CHECK(json::parse(r.body)["status"] == "active");
  r = post(s, "/api/v1/orgs/" + id + "/close", {}, admin_auth());
  CHECK(r.status == 200);
  CHECK(json::parse(r.body)["status"] == "closed");
  r = post(s, "/api/v1/orgs/" + id + "/reactivate", {}, admin_auth());
  CHECK(r.status == 409);
  CHECK(r.header("Content-Type") == "application/problem+json");
}

TEST_CASE("org routes: a malformed If-Match is 412 without calling the gateway", "[http][orgs]") {
  test_server s;
  auto h = admin_json();
  h.emplace_back("If-Match", "W/\"v1\"");
  auto r = patch(s, "/api/v1/orgs/00000000-0000-4000-8000-000000000001", R"({"name":"x"})", h);
  CHECK(r.status == 412);
  CHECK(s.gateway.calls().empty());
}

TEST_CASE("org routes: a non-UUID id is 404 and never reaches the gateway", "[http][orgs]") {
  test_server s;
  CHECK(s.get("/api/v1/orgs/not-a-uuid", admin_auth()).status == 404);
  CHECK(patch(s, "/api/v1/orgs/123", R"({"name":"x"})").status == 404);
  CHECK(post(s, "/api/v1/orgs/../suspend", {}, admin_auth()).status == 404);
  CHECK(post(s, "/api/v1/orgs/x%20y/close", {}, admin_auth()).status == 404);
  CHECK(s.gateway.calls().empty());
  // A well-formed id that does not exist is the gateway's 404.
  auto r = s.get("/api/v1/orgs/00000000-0000-4000-8000-00000000abcd", admin_auth());
  CHECK(r.status == 404);
  CHECK(s.gateway.call_count("get_organization") == 1);
}

TEST_CASE("org routes: malformed JSON is 400 with the parser position", "[http][orgs]") {
  test_server s;
  auto r = post(s, "/api/v1/orgs", R"({"name":"Acme",)");
  CHECK(r.status == 400);
  CHECK_THAT(detail(r), Catch::Contains("at byte"));
  CHECK(s.gateway.calls().empty());
}

TEST_CASE("org routes: wrong types and unknown fields are 400 naming the field", "[http][orgs]") {
  test_server s;
  auto r = post(s, "/api/v1/orgs", R"({"name":5,"slug":"acme"})");
  CHECK(r.status == 400);
  CHECK_THAT(detail(r), Catch::StartsWith("name:"));
  r = post(s, "/api/v1/orgs", R"({"name":"Acme","slug":"acme","colour":"#000000"})");
  CHECK(r.status == 400);
  CHECK_THAT(detail(r), Catch::Contains("colour"));
  r = post(s, "/api/v1/orgs", "[1,2]");
  CHECK(r.status == 400);
  CHECK(s.gateway.calls().empty());
}

TEST_CASE("org routes: invalid values and empty patches are 422", "[http][orgs]") {
  test_server s;
  auto r = post(s, "/api/v1/orgs", R"({"name":"Acme","slug":"-bad-"})");
  CHECK(r.status == 422);
  CHECK_THAT(detail(r), Catch::StartsWith("slug:"));
  r = patch(s, "/api/v1/orgs/00000000-0000-4000-8000-000000000001", "{}");
  CHECK(r.status == 422);
  CHECK(s.gateway.calls().empty());
}

TEST_CASE("org routes: a body that is not application/json is 415", "[http][orgs]") {
  test_server s;
  auto r = post(s, "/api/v1/orgs", acme, {{"Authorization", std::string{"Bearer "} + admin_token},
                                          {"Content-Type", "text/plain"}});
  CHECK(r.status == 415);
  r = post(s, "/api/v1/orgs", acme, admin_auth());  // no Content-Type at all
  CHECK(r.status == 415);
  r = post(s, "/api/v1/orgs", acme, {{"Authorization", std::string{"Bearer "} + admin_token},
                                     {"Content-Type", "Application/JSON; charset=utf-8"}});
  CHECK(r.status == 201);
}

TEST_CASE("org routes: a taken slug is 409", "[http][orgs]") {
  test_server s;
  REQUIRE(post(s, "/api/v1/orgs", acme).status == 201);
  auto r = post(s, "/api/v1/orgs", acme);
  CHECK(r.status == 409);
  CHECK_THAT(detail(r), Catch::StartsWith("slug:"));
}
