#include <catch2/catch.hpp>

#include <string>

#include "actors/domain/organization.hpp"

using namespace hw::domain;
using hw::errc;

namespace {

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

bool mentions(const std::optional<std::string>& msg, const std::string& needle) {
  return msg && msg->find(needle) != std::string::npos;
}

organization sample_org() {
  organization o;
  o.id = hw::org_id{"123e4567-e89b-12d3-a456-426614174000"};
  o.name = "Acme Corp";
  o.slug = "acme";
  o.time_zone = "Europe/Berlin";
  o.brand.logo_url = "https://cdn.example.com/logo.png";
  o.state = org_state::active;
  o.version = 3;
  o.created_at = "2024-01-01T00:00:00Z";
  o.updated_at = "2024-01-02T00:00:00Z";
  return o;
}

org_create sample_create() {
  org_create c;
  c.name = "Acme Corp";
  c.slug = "acme";
  c.time_zone = "UTC";
  return c;
}

void same_org(const organization& a, const organization& b) {
  CHECK(a.id == b.id);
  CHECK(a.name == b.name);
  CHECK(a.slug == b.slug);
  CHECK(a.time_zone == b.time_zone);
  CHECK(a.brand == b.brand);
  CHECK(a.state == b.state);
  CHECK(a.version == b.version);
  CHECK(a.created_at == b.created_at);
  CHECK(a.updated_at == b.updated_at);
}

}  // namespace

// ---------------------------------------------------------------- check_name

TEST_CASE("organization: check_name accepts ordinary names", "[unit][organization]") {
  CHECK_FALSE(check_name("A"));
  CHECK_FALSE(check_name("Acme Corp"));
  CHECK_FALSE(check_name("Müller & Söhne GmbH"));
  CHECK_FALSE(check_name("株式会社"));
  CHECK_FALSE(check_name("Emoji \xF0\x9F\x98\x80 Inc"));
}

TEST_CASE("organization: check_name rejects empty", "[unit][organization]") {
  const auto m = check_name("");
  REQUIRE(m);
  CHECK(mentions(m, "name"));
  CHECK(mentions(m, "empty"));
}

TEST_CASE("organization: check_name counts UTF-8 code points, not bytes", "[unit][organization]") {
  CHECK_FALSE(check_name(repeat("a", 200)));
  CHECK(mentions(check_name(repeat("a", 201)), "200"));
  // 200 two-byte characters = 400 bytes: still valid.
  CHECK_FALSE(check_name(repeat("\xC3\xA9", 200)));
  CHECK(check_name(repeat("\xC3\xA9", 201)));
  // 200 four-byte characters = 800 bytes: still valid.
  CHECK_FALSE(check_name(repeat("\xF0\x9F\x98\x80", 200)));
  CHECK(check_name(repeat("\xF0\x9F\x98\x80", 201)));
  // 200 three-byte characters.
  CHECK_FALSE(check_name(repeat("\xE6\xA0\xAA", 200)));
  CHECK(check_name(repeat("\xE6\xA0\xAA", 201)));
}

TEST_CASE("organization: check_name rejects malformed UTF-8", "[unit][organization]") {
  for (const std::string& s : {
           std::string{"\xC3"},              // truncated 2-byte
           std::string{"abc\xE6\xA0"},       // truncated 3-byte
           std::string{"\xF0\x9F\x98"},      // truncated 4-byte
           std::string{"\x80"},              // lone continuation
           std::string{"a\xC3" "a"},         // bad continuation
           std::string{"\xFF"},              // never valid
           std::string{"\xF8\x88\x80\x80\x80"},  // 5-byte form
       }) {
    CAPTURE(s);
    CHECK(mentions(check_name(s), "UTF-8"));
  }
}

// Bug: utf8_length() only checks lead/continuation bit patterns, so it accepts overlong forms,
// UTF-16 surrogates and code points above U+10FFFF. PostgreSQL (UTF8) rejects those bytes, so
// such a name passes domain validation and fails later in storage.
TEST_CASE("organization: check_name rejects overlong, surrogate and out-of-range UTF-8", "[unit][organization]") {
  CHECK(mentions(check_name("\xC0\xAF"), "UTF-8"));          // overlong '/'
  CHECK(mentions(check_name("\xE0\x80\xAF"), "UTF-8"));      // overlong '/'
  CHECK(mentions(check_name("\xED\xA0\x80"), "UTF-8"));      // U+D800 surrogate
  CHECK(mentions(check_name("\xF4\x90\x80\x80"), "UTF-8"));  // U+110000
  CHECK(mentions(check_name("\xF5\x80\x80\x80"), "UTF-8"));  // lead byte F5
}

TEST_CASE("organization: check_name rejects control characters", "[unit][organization]") {
  for (const std::string& s : {std::string{"a\tb"}, std::string{"a\nb"}, std::string{"a\rb"},
                              std::string{"a\x01" "b"}, std::string{"a\x1f" "b"}, std::string{"a\x7f" "b"},
                              std::string{"ab\0cd", 5}}) {
    CAPTURE(s);
    CHECK(mentions(check_name(s), "control"));
  }
}

TEST_CASE("organization: check_name rejects leading and trailing whitespace", "[unit][organization]") {
  CHECK(mentions(check_name(" Acme"), "whitespace"));
  CHECK(mentions(check_name("Acme "), "whitespace"));
  CHECK(mentions(check_name(" "), "whitespace"));
  CHECK_FALSE(check_name("Acme  Corp"));  // inner spaces are fine
}

// ---------------------------------------------------------------- check_slug

TEST_CASE("organization: check_slug accepts valid slugs", "[unit][organization]") {
  CHECK_FALSE(check_slug("abc"));
  CHECK_FALSE(check_slug("acme-corp"));
  CHECK_FALSE(check_slug("a1-b2-c3"));
  CHECK_FALSE(check_slug("123"));
  CHECK_FALSE(check_slug(repeat("a", 63)));
}

TEST_CASE("organization: check_slug enforces 3 to 63 characters", "[unit][organization]") {
  CHECK(mentions(check_slug(""), "3 to 63"));
  CHECK(mentions(check_slug("ab"), "3 to 63"));
  CHECK(mentions(check_slug(repeat("a", 64)), "3 to 63"));
}

TEST_CASE("organization: check_slug allows only lowercase letters, digits and dashes", "[unit][organization]") {
  for (const char* s : {"Acme", "ACME", "acme_corp", "acme corp", "acme.corp", "acmé", "acme/x", " acme", "acme "}) {
    CAPTURE(s);
    CHECK(mentions(check_slug(s), "slug"));
  }
}

TEST_CASE("organization: check_slug rejects leading, trailing and double dashes", "[unit][organization]") {
  CHECK(mentions(check_slug("-acme"), "start or end"));
  CHECK(mentions(check_slug("acme-"), "start or end"));
  CHECK(mentions(check_slug("---"), "slug"));
  CHECK(mentions(check_slug("ac--me"), "--"));
}

// ---------------------------------------------------------------- check_time_zone

TEST_CASE("organization: check_time_zone accepts IANA-shaped names", "[unit][organization]") {
  for (const char* s : {"UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "Etc/GMT-14",
                        "America/Port-au-Prince"}) {
    CAPTURE(s);
    CHECK_FALSE(check_time_zone(s));
  }
}

TEST_CASE("organization: check_time_zone rejects malformed names", "[unit][organization]") {
  for (const std::string& s : {std::string{}, std::string{"/Europe"}, std::string{"Europe/"},
                              std::string{"Europe/../etc"}, std::string{"Europe Berlin"},
                              std::string{"Europe\\Berlin"}, std::string{"Europe/Berlin;"},
                              std::string{"Europe/Berlin\n"}, repeat("A", 65)}) {
    CAPTURE(s);
    CHECK(mentions(check_time_zone(s), "time_zone"));
  }
  CHECK_FALSE(check_time_zone(repeat("A", 64)));
}

// ---------------------------------------------------------------- check_color

TEST_CASE("organization: check_color accepts #rrggbb in any case", "[unit][organization]") {
  CHECK_FALSE(check_color("branding.primary_color", "#000000"));
  CHECK_FALSE(check_color("branding.primary_color", "#1f4b99"));
  CHECK_FALSE(check_color("branding.primary_color", "#ABCDEF"));
}

TEST_CASE("organization: check_color rejects other forms and names the field", "[unit][organization]") {
  for (const char* s : {"", "#", "#fff", "1f4b99", "#1f4b9", "#1f4b999", "#1f4b9g", "#1f4b99 ", "red", "##1f4b9"}) {
    CAPTURE(s);
    const auto m = check_color("branding.accent_color", s);
    CHECK(mentions(m, "branding.accent_color"));
  }
}

// ---------------------------------------------------------------- check_logo_url

TEST_CASE("organization: check_logo_url accepts https URLs", "[unit][organization]") {
  CHECK_FALSE(check_logo_url("https://cdn.example.com/logo.png"));
  CHECK_FALSE(check_logo_url("https://x"));
  CHECK_FALSE(check_logo_url("https://example.com/a?b=c&d=%20"));
}

TEST_CASE("organization: check_logo_url rejects non-https and bare scheme", "[unit][organization]") {
  for (const char* s : {"", "https://", "http://example.com/logo.png", "HTTPS://example.com/x", "ftp://x/y",
                        "//example.com/x", "javascript:alert(1)", "example.com/logo.png"}) {
    CAPTURE(s);
    CHECK(mentions(check_logo_url(s), "branding.logo_url"));
  }
}

TEST_CASE("organization: check_logo_url rejects spaces, quotes, control and non-ASCII", "[unit][organization]") {
  for (const std::string& s : {std::string{"https://x/a b"}, std::string{"https://x/a\"b"}, std::string{"https://x/<b>"},
                              std::string{"https://x/a\\b"}, std::string{"https://x/a\tb"}, std::string{"https://x/a\x7f"},
                              std::string{"https://x/\xC3\xA9"}, std::string{"https://x/a\nb"}}) {
    CAPTURE(s);
    CHECK(mentions(check_logo_url(s), "branding.logo_url"));
  }
}

TEST_CASE("organization: check_logo_url limits length to 2048", "[unit][organization]") {
  const std::string prefix = "https://x/";
  CHECK_FALSE(check_logo_url(prefix + repeat("a", 2048 - static_cast<int>(prefix.size()))));
  CHECK(mentions(check_logo_url(prefix + repeat("a", 2049 - static_cast<int>(prefix.size()))), "2048"));
}

// ---------------------------------------------------------------- validate

TEST_CASE("organization: validate accepts a valid create request", "[unit][organization]") {
  auto c = sample_create();
  CHECK_FALSE(validate(c));
  c.brand.logo_url = "https://cdn.example.com/logo.png";
  CHECK_FALSE(validate(c));
}

TEST_CASE("organization: validate rejects each bad field with invalid_argument naming it", "[unit][organization]") {
  auto c = sample_create();
  std::string field;
  SECTION("name") { c.name = ""; field = "name"; }
  SECTION("slug") { c.slug = "A"; field = "slug"; }
  SECTION("time_zone") { c.time_zone = "not a zone"; field = "time_zone"; }
  SECTION("primary_color") { c.brand.primary_color = "blue"; field = "branding.primary_color"; }
  SECTION("accent_color") { c.brand.accent_color = "#12345"; field = "branding.accent_color"; }
  SECTION("logo_url") { c.brand.logo_url = "http://insecure/logo.png"; field = "branding.logo_url"; }
  const auto e = validate(c);
  REQUIRE(e);
  CHECK(e->code == errc::invalid_argument);
  CHECK(e->detail.rfind(field, 0) == 0);
}

// ---------------------------------------------------------------- apply_patch

TEST_CASE("organization: an empty patch is empty and changes nothing", "[unit][organization]") {
  org_patch p;
  CHECK(p.empty());
  const auto o = sample_org();
  auto r = apply_patch(o, p);
  REQUIRE(r);
  same_org(*r, o);
}

TEST_CASE("organization: org_patch::empty is false when any field is set", "[unit][organization]") {
  org_patch p;
  SECTION("name") { p.name = "x"; }
  SECTION("slug") { p.slug = "x"; }
  SECTION("time_zone") { p.time_zone = "x"; }
  SECTION("logo_url cleared") { p.logo_url = std::optional<std::string>{}; }
  SECTION("primary") { p.primary_color = "x"; }
  SECTION("accent") { p.accent_color = "x"; }
  CHECK_FALSE(p.empty());
}

TEST_CASE("organization: apply_patch changes only the fields that are set", "[unit][organization]") {
  const auto o = sample_org();
  org_patch p;
  p.name = "Acme Holdings";
  p.accent_color = "#000000";
  auto r = apply_patch(o, p);
  REQUIRE(r);
  CHECK(r->name == "Acme Holdings");
  CHECK(r->brand.accent_color == "#000000");
  CHECK(r->slug == o.slug);
  CHECK(r->time_zone == o.time_zone);
  CHECK(r->brand.logo_url == o.brand.logo_url);
  CHECK(r->brand.primary_color == o.brand.primary_color);
  CHECK(r->id == o.id);
  CHECK(r->state == o.state);
  CHECK(r->version == o.version);  // the version is the store's business
}

TEST_CASE("organization: apply_patch sets every field", "[unit][organization]") {
  const auto o = sample_org();
  org_patch p;
  p.name = "New";
  p.slug = "new-slug";
  p.time_zone = "Asia/Tokyo";
  p.logo_url = std::optional<std::string>{"https://img.example.org/n.svg"};
  p.primary_color = "#111111";
  p.accent_color = "#222222";
  auto r = apply_patch(o, p);
  REQUIRE(r);
  CHECK(r->name == "New");
  CHECK(r->slug == "new-slug");
  CHECK(r->time_zone == "Asia/Tokyo");
  CHECK(r->brand.logo_url == std::optional<std::string>{"https://img.example.org/n.svg"});
  CHECK(r->brand.primary_color == "#111111");
  CHECK(r->brand.accent_color == "#222222");
}

TEST_CASE("organization: apply_patch clears the logo with an empty inner optional", "[unit][organization]") {
  const auto o = sample_org();
  REQUIRE(o.brand.logo_url);
  org_patch p;
  p.logo_url = std::optional<std::string>{};
  REQUIRE(p.logo_url.has_value());
  auto r = apply_patch(o, p);
  REQUIRE(r);
  CHECK_FALSE(r->brand.logo_url.has_value());
  CHECK(o.brand.logo_url.has_value());  // original untouched
}

TEST_CASE("organization: apply_patch without logo_url keeps the logo", "[unit][organization]") {
  const auto o = sample_org();
  org_patch p;
  p.name = "Renamed";
  auto r = apply_patch(o, p);
  REQUIRE(r);
  CHECK(r->brand.logo_url == o.brand.logo_url);
}

TEST_CASE("organization: apply_patch works on a suspended organization", "[unit][organization]") {
  auto o = sample_org();
  o.state = org_state::suspended;
  org_patch p;
  p.name = "Still editable";
  auto r = apply_patch(o, p);
  REQUIRE(r);
  CHECK(r->name == "Still editable");
  CHECK(r->state == org_state::suspended);
}

TEST_CASE("organization: a closed organization refuses edits", "[unit][organization]") {
  auto o = sample_org();
  o.state = org_state::closed;
  org_patch p;
  SECTION("valid patch") { p.name = "New name"; }
  SECTION("empty patch") {}
  auto r = apply_patch(o, p);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::illegal_transition);
  CHECK(r.error().detail.find("closed") != std::string::npos);
  CHECK(o.name == "Acme Corp");
}

TEST_CASE("organization: an invalid patch is refused and the original is untouched", "[unit][organization]") {
  const auto o = sample_org();
  const auto before = o;
  org_patch p;
  p.name = "Fine name";  // valid, must not be applied either
  std::string field;
  SECTION("name") { p.name = " padded"; field = "name"; }
  SECTION("slug") { p.slug = "Bad_Slug"; field = "slug"; }
  SECTION("time_zone") { p.time_zone = "/bad"; field = "time_zone"; }
  SECTION("logo") { p.logo_url = std::optional<std::string>{"http://x/y.png"}; field = "branding.logo_url"; }
  SECTION("primary") { p.primary_color = "#zzzzzz"; field = "branding.primary_color"; }
  SECTION("accent") { p.accent_color = "#abc"; field = "branding.accent_color"; }
  auto r = apply_patch(o, p);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::invalid_argument);
  CHECK(r.error().detail.rfind(field, 0) == 0);
  same_org(o, before);
}

// ---------------------------------------------------------------- apply_event

TEST_CASE("organization: apply_event follows every legal edge", "[unit][organization]") {
  auto o = sample_org();
  auto r1 = apply_event(o, org_event::suspend);
  REQUIRE(r1);
  CHECK(r1->state == org_state::suspended);
  CHECK(o.state == org_state::active);  // input untouched
  auto r2 = apply_event(*r1, org_event::reactivate);
  REQUIRE(r2);
  CHECK(r2->state == org_state::active);
  auto r3 = apply_event(*r2, org_event::close);
  REQUIRE(r3);
  CHECK(r3->state == org_state::closed);
  auto r4 = apply_event(*r1, org_event::close);
  REQUIRE(r4);
  CHECK(r4->state == org_state::closed);
  // Only the state changes.
  CHECK(r3->name == o.name);
  CHECK(r3->slug == o.slug);
  CHECK(r3->version == o.version);
  CHECK(r3->brand == o.brand);
}

TEST_CASE("organization: apply_event agrees with the transition table for every pair", "[unit][organization]") {
  for (auto s : {org_state::active, org_state::suspended, org_state::closed}) {
    for (auto e : {org_event::suspend, org_event::reactivate, org_event::close}) {
      CAPTURE(std::string{to_string(s)}, std::string{to_string(e)});
      auto o = sample_org();
      o.state = s;
      auto r = apply_event(o, e);
      auto t = find_transition(s, e);
      REQUIRE(static_cast<bool>(r) == t.has_value());
      if (t) {
        CHECK(r->state == t->to);
      } else {
        CHECK(r.code() == errc::illegal_transition);
        CHECK(r.error().detail.find(std::string{to_string(e)}) != std::string::npos);
        CHECK(r.error().detail.find(std::string{to_string(s)}) != std::string::npos);
      }
    }
  }
}

TEST_CASE("organization: apply_event on a closed organization is refused", "[unit][organization]") {
  auto o = sample_org();
  o.state = org_state::closed;
  auto r = apply_event(o, org_event::reactivate);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::illegal_transition);
  CHECK(r.error().detail == "cannot reactivate an organization that is closed");
}
