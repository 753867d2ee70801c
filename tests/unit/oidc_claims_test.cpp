// The ID token claim rules (actors/domain/oidc_claims.hpp): a valid baseline passes, and every
// rule, broken on its own, fails with its own detail.
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include "actors/domain/oidc_claims.hpp"

using namespace hw::domain;

namespace {

constexpr std::int64_t now = 1'700'000'000;

id_token_expectation expectation() {
  id_token_expectation x;
  x.issuer = "https://idp.example.com";
  x.client_id = "hirewire";
  x.nonce = "n-0S6_WzA2Mj";
  x.allowed_domains = {"acme.test"};
  x.now = now;
  return x;
}

id_token_claims valid_claims() {
  id_token_claims c;
  c.iss = "https://idp.example.com";
  c.aud = {"hirewire"};
  c.exp = now + 300;
  c.iat = now;
  c.nonce = "n-0S6_WzA2Mj";
  c.sub = "248289761001";
  c.email = "Jane.Doe@ACME.test";
  c.email_verified = true;
  c.name = "Jane Doe";
  return c;
}

}  // namespace

TEST_CASE("oidc_claims: a valid token yields the identity", "[unit][oidc]") {
  auto r = validate_id_token_claims(valid_claims(), expectation());
  REQUIRE(r);
  CHECK(r->sub == "248289761001");
  CHECK(r->email == "Jane.Doe@ACME.test");
  CHECK(r->email_domain == "acme.test");
  CHECK(r->name == "Jane Doe");
}

TEST_CASE("oidc_claims: every rule fails on its own", "[unit][oidc]") {
  struct row {
    const char* name;
    std::function<void(id_token_claims&, id_token_expectation&)> breaks;
    const char* detail;
  };
  const std::vector<row> rows{
    {"iss absent", [](auto& c, auto&) { c.iss.reset(); }, "id_token: issuer mismatch"},
    {"iss differs", [](auto& c, auto&) { c.iss = "https://evil.example.com"; }, "id_token: issuer mismatch"},
    {"iss trailing slash", [](auto& c, auto&) { c.iss = "https://idp.example.com/"; }, "id_token: issuer mismatch"},
    {"iss case differs", [](auto& c, auto&) { c.iss = "https://IDP.example.com"; }, "id_token: issuer mismatch"},
    {"aud absent", [](auto& c, auto&) { c.aud.clear(); }, "id_token: audience mismatch"},
    {"aud other client", [](auto& c, auto&) { c.aud = {"someone-else"}; }, "id_token: audience mismatch"},
    {"aud array without us", [](auto& c, auto&) { c.aud = {"a", "b"}; c.azp = "a"; }, "id_token: audience mismatch"},
    {"several aud, no azp", [](auto& c, auto&) { c.aud = {"hirewire", "other"}; }, "id_token: azp mismatch"},
    {"several aud, azp other", [](auto& c, auto&) { c.aud = {"hirewire", "other"}; c.azp = "other"; }, "id_token: azp mismatch"},
    {"one aud, azp other", [](auto& c, auto&) { c.azp = "other"; }, "id_token: azp mismatch"},
    {"exp absent", [](auto& c, auto&) { c.exp.reset(); }, "id_token: expired"},
    {"exp past beyond skew", [](auto& c, auto&) { c.exp = now - 60; }, "id_token: expired"},
    {"iat absent", [](auto& c, auto&) { c.iat.reset(); }, "id_token: issued in the future"},
    {"iat future beyond skew", [](auto& c, auto&) { c.iat = now + 61; }, "id_token: issued in the future"},
    {"nonce absent", [](auto& c, auto&) { c.nonce.reset(); }, "id_token: nonce mismatch"},
    {"nonce differs", [](auto& c, auto&) { c.nonce = "replayed"; }, "id_token: nonce mismatch"},
    {"expected nonce empty", [](auto& c, auto& x) { c.nonce = ""; x.nonce = ""; }, "id_token: nonce mismatch"},
    {"sub absent", [](auto& c, auto&) { c.sub.reset(); }, "id_token: missing sub"},
    {"sub empty", [](auto& c, auto&) { c.sub = ""; }, "id_token: missing sub"},
    {"email absent", [](auto& c, auto&) { c.email.reset(); }, "id_token: missing email"},
    {"email without @", [](auto& c, auto&) { c.email = "jane.acme.test"; }, "id_token: missing email"},
    {"email with two @", [](auto& c, auto&) { c.email = "jane@evil.test@acme.test"; }, "id_token: missing email"},
    {"email_verified false", [](auto& c, auto&) { c.email_verified = false; }, "id_token: email not verified"},
    {"domain not allowed", [](auto& c, auto&) { c.email = "jane@evil.test"; }, "id_token: email domain not allowed"},
    {"subdomain not allowed", [](auto& c, auto&) { c.email = "jane@eu.acme.test"; }, "id_token: email domain not allowed"},
    {"suffix lookalike", [](auto& c, auto&) { c.email = "jane@evilacme.test"; }, "id_token: email domain not allowed"},
    {"empty allow-list admits nobody", [](auto&, auto& x) { x.allowed_domains.clear(); }, "id_token: email domain not allowed"},
  };
  for (const auto& r : rows) {
    DYNAMIC_SECTION(r.name) {
      auto c = valid_claims();
      auto x = expectation();
      r.breaks(c, x);
      auto res = validate_id_token_claims(c, x);
      REQUIRE_FALSE(res);
      CHECK(res.code() == hw::errc::unauthorized);
      CHECK(res.error().detail == r.detail);
    }
  }
}

TEST_CASE("oidc_claims: the accepted edges", "[unit][oidc]") {
  auto c = valid_claims();
  auto x = expectation();
  SECTION("exp just inside the skew") { c.exp = now - 59; }
  SECTION("iat at the skew limit") { c.iat = now + 60; }
  SECTION("email_verified absent") { c.email_verified.reset(); }
  SECTION("several audiences with azp = client") {
    c.aud = {"other", "hirewire"};
    c.azp = "hirewire";
  }
  SECTION("allowed domain listed in upper case") { x.allowed_domains = {"other.test", "ACME.TEST"}; }
  SECTION("name absent") { c.name.reset(); }
  CHECK(validate_id_token_claims(c, x));
}

TEST_CASE("oidc_claims: email_domain and the allow-list", "[unit][oidc]") {
  CHECK(email_domain("Ann@Example.COM") == std::optional<std::string>{"example.com"});
  CHECK_FALSE(email_domain("@example.com"));
  CHECK_FALSE(email_domain("ann@"));
  CHECK_FALSE(email_domain("ann"));
  CHECK(email_domain_allowed("ann@example.com", {"EXAMPLE.com"}));
  CHECK_FALSE(email_domain_allowed("ann@example.com", {}));
  CHECK_FALSE(email_domain_allowed("ann@example.com.evil", {"example.com"}));
}

TEST_CASE("oidc_claims: PKCE verifier shape", "[unit][oidc]") {
  CHECK(is_pkce_verifier(std::string(43, 'a')));
  CHECK(is_pkce_verifier(std::string(128, '~')));
  CHECK(is_pkce_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
  CHECK_FALSE(is_pkce_verifier(std::string(42, 'a')));
  CHECK_FALSE(is_pkce_verifier(std::string(129, 'a')));
  CHECK_FALSE(is_pkce_verifier(std::string(42, 'a') + "+"));
  CHECK_FALSE(is_pkce_verifier(std::string(42, 'a') + "="));
  CHECK_FALSE(is_pkce_verifier(std::string(42, 'a') + " "));
}
