#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "http/json/organization_json.hpp"

using namespace hw;
using namespace hw::http_api;

TEST_CASE("organization_json: a full create request parses", "[unit][json]") {
  auto r = parse_org_create(R"({"name":"Acme","slug":"acme","time_zone":"Europe/Berlin",
    "branding":{"logo_url":"https://acme.example/logo.png","primary_color":"#112233","accent_color":"#aabbcc"}})");
  REQUIRE(r);
  auto& c = r.value();
  CHECK(c.name == "Acme");
  CHECK(c.slug == "acme");
  CHECK(c.time_zone == "Europe/Berlin");
  CHECK(c.brand.logo_url == std::optional<std::string>{"https://acme.example/logo.png"});
  CHECK(c.brand.primary_color == "#112233");
  CHECK(c.brand.accent_color == "#aabbcc");
}

TEST_CASE("organization_json: defaults apply to omitted optional fields", "[unit][json]") {
  auto r = parse_org_create(R"({"name":"Acme","slug":"acme"})");
  REQUIRE(r);
  CHECK(r.value().time_zone == "UTC");
  CHECK_FALSE(r.value().brand.logo_url);
  CHECK(r.value().brand.primary_color == domain::branding{}.primary_color);
}

TEST_CASE("organization_json: malformed JSON is 400 with the parser position", "[unit][json]") {
  auto r = parse_org_create(R"({"name": "Acme",, })");
  REQUIRE_FALSE(r);
  CHECK(r.error().status == 400);
  CHECK_THAT(r.error().detail, Catch::Contains("malformed JSON at byte 17"));
  auto empty = parse_org_create("");
  REQUIRE_FALSE(empty);
  CHECK(empty.error().status == 400);
}

TEST_CASE("organization_json: a non-object body is 400", "[unit][json]") {
  for (auto body : {"[]", "\"x\"", "42", "null"}) {
    auto r = parse_org_create(body);
    REQUIRE_FALSE(r);
    CHECK(r.error().status == 400);
    CHECK_THAT(r.error().detail, Catch::Contains("JSON object"));
  }
}

TEST_CASE("organization_json: wrong types are 400 naming the field", "[unit][json]") {
  auto r = parse_org_create(R"({"name":5,"slug":"acme"})");
  REQUIRE_FALSE(r);
  CHECK(r.error().status == 400);
  CHECK_THAT(r.error().detail, Catch::StartsWith("name:") && Catch::Contains("string"));

  r = parse_org_create(R"({"name":"Acme","slug":"acme","branding":[]})");
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error().detail, Catch::StartsWith("branding:"));

  r = parse_org_create(R"({"name":"Acme","slug":"acme","branding":{"primary_color":1}})");
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error().detail, Catch::StartsWith("branding.primary_color:"));

  auto p = parse_org_patch(R"({"slug":null})");
  REQUIRE_FALSE(p);
  CHECK(p.error().status == 400);
  CHECK_THAT(p.error().detail, Catch::StartsWith("slug:"));
}

TEST_CASE("organization_json: unknown fields are 400 naming the field", "[unit][json]") {
  auto r = parse_org_create(R"({"name":"Acme","slug":"acme","nmae":"typo"})");
  REQUIRE_FALSE(r);
  CHECK(r.error().status == 400);
  CHECK_THAT(r.error().detail, Catch::Contains("nmae"));
  auto p = parse_org_patch(R"({"branding":{"logo":"https://x.example/l.png"}})");
  REQUIRE_FALSE(p);
  CHECK(p.error().status == 400);
  CHECK_THAT(p.error().detail, Catch::Contains("branding.logo"));
}

TEST_CASE("organization_json: invalid values are 422 naming the field", "[unit][json]") {
  auto r = parse_org_create(R"({"name":"Acme","slug":"Not A Slug"})");
  REQUIRE_FALSE(r);
  CHECK(r.error().status == 422);
  CHECK_THAT(r.error().detail, Catch::StartsWith("slug:"));

  r = parse_org_create(R"({"slug":"acme"})");
  REQUIRE_FALSE(r);
  CHECK(r.error().status == 422);
  CHECK_THAT(r.error().detail, Catch::StartsWith("name:"));

  r = parse_org_create(R"({"name":"Acme","slug":"acme","branding":{"accent_color":"red"}})");
  REQUIRE_FALSE(r);
  CHECK(r.error().status == 422);
  CHECK_THAT(r.error().detail, Catch::StartsWith("branding.accent_color:"));

  auto p = parse_org_patch(R"({"branding":{"logo_url":"http://insecure.example/l.png"}})");
  REQUIRE_FALSE(p);
  CHECK(p.error().status == 422);
  CHECK_THAT(p.error().detail, Catch::StartsWith("branding.logo_url:"));
}

TEST_CASE("organization_json: oversized strings are 422", "[unit][json]") {
  nlohmann::json j = {{"name", std::string(201, 'a')}, {"slug", "acme"}};
  auto r = parse_org_create(j.dump());
  REQUIRE_FALSE(r);
  CHECK(r.error().status == 422);
  CHECK_THAT(r.error().detail, Catch::StartsWith("name:"));
  nlohmann::json p = {{"slug", std::string(64, 'a')}};
  auto pr = parse_org_patch(p.dump());
  REQUIRE_FALSE(pr);
  CHECK(pr.error().status == 422);
}

TEST_CASE("organization_json: patch is partial and null clears the logo", "[unit][json]") {
  auto p = parse_org_patch(R"({"branding":{"logo_url":null}})");
  REQUIRE(p);
  REQUIRE(p.value().logo_url.has_value());
  CHECK_FALSE(p.value().logo_url->has_value());
  CHECK_FALSE(p.value().name);

  p = parse_org_patch(R"({"name":"New name","branding":{"primary_color":"#000000"}})");
  REQUIRE(p);
  CHECK(p.value().name == std::optional<std::string>{"New name"});
  CHECK(p.value().primary_color == std::optional<std::string>{"#000000"});
  CHECK_FALSE(p.value().logo_url);
}

TEST_CASE("organization_json: an empty patch is 422", "[unit][json]") {
  for (auto body : {"{}", R"({"branding":{}})"}) {
    auto p = parse_org_patch(body);
    REQUIRE_FALSE(p);
    CHECK(p.error().status == 422);
  }
}

TEST_CASE("organization_json: the view has every field", "[unit][json]") {
  domain::organization o;
  o.id = org_id{"00000000-0000-4000-8000-000000000001"};
  o.name = "Acme";
  o.slug = "acme";
  o.version = 3;
  o.state = domain::org_state::suspended;
  o.created_at = "2024-01-01T00:00:00Z";
  o.updated_at = "2024-01-02T00:00:00Z";
  auto j = nlohmann::json::parse(to_json(o));
  CHECK(j["id"] == o.id.value);
  CHECK(j["status"] == "suspended");
  CHECK(j["version"] == 3);
  CHECK(j["branding"]["logo_url"].is_null());
  CHECK(j["branding"]["primary_color"] == "#1f4b99");
  CHECK(j["time_zone"] == "UTC");
  CHECK(j["created_at"] == "2024-01-01T00:00:00Z");
  CHECK(j["updated_at"] == "2024-01-02T00:00:00Z");
  CHECK(etag_for_version(3) == "\"v3\"");
}

TEST_CASE("organization_json: the view escapes quotes, backslashes, controls and keeps UTF-8",
          "[unit][json]") {
  domain::organization o;
  o.id = org_id{"00000000-0000-4000-8000-000000000001"};
  o.name = "Caf\xc3\xa9 \"Quote\" \\ back\x01\n\t\x7f end";
  o.brand.logo_url = "https://example.com/logo.png?a=\"b\"";
  auto text = to_json(o);
  auto j = nlohmann::json::parse(text);  // throws if the escaping were wrong
  CHECK(j["name"] == o.name);
  CHECK(j["branding"]["logo_url"] == *o.brand.logo_url);
  CHECK(text.find('\x01') == std::string::npos);
  CHECK(text.find("\\u0001") != std::string::npos);
  CHECK(j.size() == 9);
  CHECK(j["branding"].size() == 3);
}

TEST_CASE("organization_json: If-Match parsing", "[unit][json]") {
  std::optional<std::int64_t> v;
  CHECK(parse_if_match("", v));
  CHECK_FALSE(v);
  CHECK(parse_if_match("*", v));
  CHECK_FALSE(v);
  CHECK(parse_if_match("\"v7\"", v));
  CHECK(v == std::optional<std::int64_t>{7});
  CHECK_FALSE(parse_if_match("W/\"v7\"", v));
  CHECK_FALSE(parse_if_match("v7", v));
  CHECK_FALSE(parse_if_match("\"vx\"", v));
  CHECK_FALSE(parse_if_match("\"v\"", v));
}
