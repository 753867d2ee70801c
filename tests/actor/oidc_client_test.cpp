// actors/auth/oidc_client end to end against tests/support/fake_oidc_provider (a real HTTP server
// on 127.0.0.1, port 0): discovery, the authorization code flow with PKCE, ID token verification,
// and the JWKS cache (rotation, refetch limits, TTL) driven by an injected clock. No sleeps.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "actors/auth/oidc_client.hpp"
#include "actors/auth/tokens.hpp"
#include "tests/support/fake_oidc_provider.hpp"

using namespace hw::auth;
using hw::errc;
using hw::domain::id_token_expectation;
using hw::testing::fake_oidc_claim_overrides;
using hw::testing::fake_oidc_provider;
using namespace std::chrono_literals;

namespace {

struct oidc_fixture {
  fake_oidc_provider idp;
  std::chrono::steady_clock::time_point t{};  // the cache's clock; tests move it by hand
  jwks_cache cache{jwks_cache_options{}, [this] { return t; }};
  oidc_discovery d;
  const std::string redirect_uri = idp.options().redirect_uris.front();

  oidc_fixture() {
    auto r = discover(idp.issuer());
    REQUIRE(r);
    d = *r;
  }

  id_token_expectation expect(const std::string& nonce) const {
    id_token_expectation x;
    x.issuer = idp.issuer();
    x.client_id = idp.options().client_id;
    x.nonce = nonce;
    x.allowed_domains = {"acme.test"};
    x.now = idp.options().now;
    return x;
  }

  /// The browser part and the code exchange: returns the id_token for `nonce`.
  std::string code_flow(const std::string& nonce) {
    const auto state = random_secret();
    const auto pkce = new_pkce();
    const auto url = authorize_url(d, idp.options().client_id, redirect_uri, state, nonce, pkce.challenge);
    const auto b = idp.browse(url);
    REQUIRE(b.status == 302);
    REQUIRE(b.location.rfind(redirect_uri + "?", 0) == 0);
    REQUIRE(fake_oidc_provider::query_param(b.location, "state") == std::optional<std::string>{state});
    const auto code = fake_oidc_provider::query_param(b.location, "code");
    REQUIRE(code);
    auto id_token = exchange_code(d, idp.options().client_id, idp.options().client_secret, *code, redirect_uri,
                                  pkce.verifier);
    REQUIRE(id_token);
    return *id_token;
  }

  hw::result<hw::domain::verified_identity> login(const std::string& nonce = random_secret()) {
    return verify_id_token(code_flow(nonce), d, cache, expect(nonce));
  }
};

}  // namespace

TEST_CASE("oidc_client: URL policy and encoding", "[actor][auth][oidc]") {
  for (const char* ok : {"https://idp.example.com", "https://idp.example.com:8443/tenant/v2.0", "http://127.0.0.1:5556",
                         "http://localhost/x", "http://LOCALHOST:1", "http://[::1]:8080/"}) {
    INFO(ok);
    CHECK(is_allowed_oidc_url(ok));
  }
  for (const char* bad : {"", "idp.example.com", "http://idp.example.com", "http://127.0.0.1.evil.test/",
                          "http://localhost.evil.test", "http://evil.test#@127.0.0.1", "https://user@idp.example.com",
                          "http://127.0.0.1@evil.test/", "ftp://idp.example.com", "https://", "https://idp .com",
                          "https://idp.example.com:99999x", "javascript:alert(1)", "http://[::1"}) {
    INFO(bad);
    CHECK_FALSE(is_allowed_oidc_url(bad));
  }
  CHECK(url_encode("a b&c=d/é~._-") == "a%20b%26c%3Dd%2F%C3%A9~._-");
}

TEST_CASE("oidc_client: discovery", "[actor][auth][oidc]") {
  fake_oidc_provider idp;
  SECTION("the endpoints of the configured issuer") {
    auto d = discover(idp.issuer());
    REQUIRE(d);
    CHECK(d->issuer == idp.issuer());
    CHECK(d->authorization_endpoint == idp.issuer() + "/authorize");
    CHECK(d->token_endpoint == idp.issuer() + "/token");
    CHECK(d->jwks_uri == idp.issuer() + "/jwks");
    CHECK(idp.requests("/.well-known/openid-configuration") == 1);
  }
  SECTION("a document naming another issuer is refused") {
    idp.set_discovery_issuer("https://evil.test");
    auto d = discover(idp.issuer());
    REQUIRE_FALSE(d);
    CHECK(d.code() == errc::invalid_argument);
  }
  SECTION("the issuer must match exactly (a trailing slash is another issuer)") {
    auto d = discover(idp.issuer() + "/");
    REQUIRE_FALSE(d);
    CHECK(d.code() == errc::invalid_argument);
  }
  SECTION("a non-https issuer is refused before any request") {
    CHECK(discover("http://idp.example.com").code() == errc::invalid_argument);
    CHECK(idp.requests("/.well-known/openid-configuration") == 0);
  }
  SECTION("a 404 or an unreachable provider is unavailable") {
    CHECK(discover(idp.issuer() + "/nope").code() == errc::unavailable);
    oidc_http_options fast;
    fast.timeout = 2s;
    CHECK(discover("http://127.0.0.1:1", fast).code() == errc::unavailable);
  }
}

TEST_CASE_METHOD(oidc_fixture, "oidc_client: the full code flow with PKCE", "[actor][auth][oidc]") {
  const auto nonce = random_secret();
  const auto state = random_secret();
  const auto pkce = new_pkce();
  CHECK(pkce.challenge == pkce_challenge_s256(pkce.verifier));
  const auto url = authorize_url(d, idp.options().client_id, redirect_uri, state, nonce, pkce.challenge);
  CHECK(fake_oidc_provider::query_param(url, "scope") == std::optional<std::string>{"openid email profile"});
  CHECK(fake_oidc_provider::query_param(url, "redirect_uri") == std::optional<std::string>{redirect_uri});
  CHECK(fake_oidc_provider::query_param(url, "code_challenge_method") == std::optional<std::string>{"S256"});

  const auto b = idp.browse(url);
  REQUIRE(b.status == 302);
  CHECK(fake_oidc_provider::query_param(b.location, "state") == std::optional<std::string>{state});
  const auto code = fake_oidc_provider::query_param(b.location, "code").value_or("");

  SECTION("a valid exchange yields the verified identity") {
    auto id_token = exchange_code(d, idp.options().client_id, idp.options().client_secret, code, redirect_uri,
                                  pkce.verifier);
    REQUIRE(id_token);
    auto id = verify_id_token(*id_token, d, cache, expect(nonce));
    REQUIRE(id);
    CHECK(id->sub == "user-248289761001");
    CHECK(id->email == "ann@acme.test");
    CHECK(id->name == "Ann Example");
    CHECK(cache.fetches(idp.issuer()) == 1);
    SECTION("the code is single use") {
      auto again = exchange_code(d, idp.options().client_id, idp.options().client_secret, code, redirect_uri,
                                 pkce.verifier);
      REQUIRE_FALSE(again);
      CHECK(again.code() == errc::unauthorized);
      CHECK(again.error().detail == "sso: the identity provider refused the code (invalid_grant)");
    }
    SECTION("a second login uses the cached keys") {
      REQUIRE(login());
      CHECK(cache.fetches(idp.issuer()) == 1);
      CHECK(idp.requests("/jwks") == 1);
    }
  }
  SECTION("a wrong PKCE verifier is refused") {
    auto r = exchange_code(d, idp.options().client_id, idp.options().client_secret, code, redirect_uri,
                           new_pkce().verifier);
    CHECK(r.code() == errc::unauthorized);
  }
  SECTION("a wrong client secret is refused") {
    auto r = exchange_code(d, idp.options().client_id, "wrong", code, redirect_uri, pkce.verifier);
    REQUIRE_FALSE(r);
    CHECK(r.error().detail == "sso: the identity provider refused the code (invalid_client)");
  }
  SECTION("another redirect_uri is refused") {
    auto r = exchange_code(d, idp.options().client_id, idp.options().client_secret, code, redirect_uri + "x",
                           pkce.verifier);
    CHECK(r.code() == errc::unauthorized);
  }
}

TEST_CASE_METHOD(oidc_fixture, "oidc_client: the provider refuses bad authorization requests", "[actor][auth][oidc]") {
  const auto pkce = new_pkce();
  CHECK(idp.browse(authorize_url(d, "other-client", redirect_uri, "s", "n", pkce.challenge)).status == 400);
  CHECK(idp.browse(authorize_url(d, idp.options().client_id, "https://evil.test/cb", "s", "n", pkce.challenge)).status ==
        400);
  CHECK(idp.browse(authorize_url(d, idp.options().client_id, redirect_uri, "s", "n", pkce.challenge, "email")).status ==
        400);
  CHECK(idp.browse(authorize_url(d, idp.options().client_id, redirect_uri, "s", "n", "")).status == 400);
}

TEST_CASE_METHOD(oidc_fixture, "oidc_client: key rotation refetches the JWKS on an unknown kid", "[actor][auth][oidc]") {
  REQUIRE(login());
  REQUIRE(cache.fetches(idp.issuer()) == 1);
  t += 40s;  // later than the refetch limit, well within the TTL
  idp.rotate_key(/*keep_previous=*/false);
  auto id = login();
  REQUIRE(id);
  CHECK(cache.fetches(idp.issuer()) == 2);
  CHECK(idp.requests("/jwks") == 2);
}

TEST_CASE_METHOD(oidc_fixture, "oidc_client: unknown kids refetch at most once per 30 s", "[actor][auth][oidc]") {
  REQUIRE(login());
  REQUIRE(idp.requests("/jwks") == 1);
  t += 31s;
  idp.set_signing(fake_oidc_provider::signing::unpublished_new_kid);

  auto first = login();
  REQUIRE_FALSE(first);
  CHECK(first.error().detail == "id_token: unknown signing key");
  CHECK(idp.requests("/jwks") == 2);  // one refetch

  t += 10s;
  auto second = login();
  REQUIRE_FALSE(second);
  CHECK(second.error().detail == "id_token: unknown signing key");
  CHECK(idp.requests("/jwks") == 2);  // rate-limited: no refetch within 30 s

  SECTION("a rotation inside the window is picked up after it") {
    idp.set_signing(fake_oidc_provider::signing::current);
    idp.rotate_key(false);
    CHECK_FALSE(login());  // new kid, but the last fetch was 10 s ago
    CHECK(idp.requests("/jwks") == 2);
    t += 20s;
    CHECK(login());
    CHECK(idp.requests("/jwks") == 3);
  }
  SECTION("known kids keep working meanwhile") {
    idp.set_signing(fake_oidc_provider::signing::current);
    CHECK(login());
    CHECK(idp.requests("/jwks") == 2);
  }
}

TEST_CASE_METHOD(oidc_fixture, "oidc_client: the key set is refreshed after its TTL", "[actor][auth][oidc]") {
  REQUIRE(login());
  t += 3599s;
  REQUIRE(login());
  CHECK(idp.requests("/jwks") == 1);
  t += 1s;
  REQUIRE(login());
  CHECK(idp.requests("/jwks") == 2);
}

TEST_CASE_METHOD(oidc_fixture, "oidc_client: invalid ID tokens are refused", "[actor][auth][oidc]") {
  const auto nonce = random_secret();
  fake_oidc_claim_overrides o;
  std::string detail;
  SECTION("forged signature (a key not in the JWKS under the current kid)") {
    idp.set_signing(fake_oidc_provider::signing::unpublished_same_kid);
    detail = "id_token: bad signature";
  }
  SECTION("expired") {
    o.exp = idp.options().now - 61;
    detail = "id_token: expired";
  }
  SECTION("wrong audience") {
    o.aud = std::vector<std::string>{"another-client"};
    detail = "id_token: audience mismatch";
  }
  SECTION("several audiences without azp") {
    o.aud = std::vector<std::string>{idp.options().client_id, "another-client"};
    detail = "id_token: azp mismatch";
  }
  SECTION("wrong issuer") {
    o.iss = "https://evil.test";
    detail = "id_token: issuer mismatch";
  }
  SECTION("nonce mismatch") {
    o.nonce = random_secret();
    detail = "id_token: nonce mismatch";
  }
  SECTION("issued in the future") {
    o.iat = idp.options().now + 3600;
    detail = "id_token: issued in the future";
  }
  SECTION("header alg is not RS256") {
    o.alg = "HS256";
    detail = "id_token: alg must be RS256";
  }
  SECTION("email not verified") {
    auto u = idp.options().user;
    u.email_verified = false;
    idp.set_user(u);
    detail = "id_token: email not verified";
  }
  SECTION("email domain not allowed") {
    auto u = idp.options().user;
    u.email = "mallory@evil.test";
    idp.set_user(u);
    detail = "id_token: email domain not allowed";
  }
  idp.set_overrides(o);
  auto r = verify_id_token(code_flow(nonce), d, cache, expect(nonce));
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::unauthorized);
  CHECK(r.error().detail == detail);
}

TEST_CASE_METHOD(oidc_fixture, "oidc_client: a token minted for one nonce is refused for another login",
                 "[actor][auth][oidc]") {
  const auto token = code_flow("nonce-of-login-1");
  CHECK(verify_id_token(token, d, cache, expect("nonce-of-login-1")));
  auto r = verify_id_token(token, d, cache, expect("nonce-of-login-2"));
  REQUIRE_FALSE(r);
  CHECK(r.error().detail == "id_token: nonce mismatch");
}

TEST_CASE("oidc_client: jwks_cache with an injected fetch", "[actor][auth][oidc]") {
  const hw::testing::test_rsa_key k{0, "k1"};
  const std::string jwks = "{\"keys\":[" + k.jwk_json() + "]}";
  std::chrono::steady_clock::time_point t{};
  std::atomic<int> calls{0};
  bool fail = true;
  jwks_cache cache{jwks_cache_options{}, [&] { return t; }, [&](const std::string&) -> hw::result<std::string> {
                     ++calls;
                     if (fail) return hw::error{errc::unavailable, "jwks: identity provider unreachable"};
                     return jwks;
                   }};
  SECTION("a failed first fetch is unavailable and retried only after the interval") {
    auto r = cache.key_for("iss", "https://idp/jwks", std::string{"k1"});
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::unavailable);
    fail = false;
    t += 5s;
    auto again = cache.key_for("iss", "https://idp/jwks", std::string{"k1"});
    CHECK(again.code() == errc::unavailable);
    CHECK(again.error().retry_after_s == 25);
    CHECK(calls == 1);
    t += 25s;
    CHECK(cache.key_for("iss", "https://idp/jwks", std::string{"k1"}));
    CHECK(calls == 2);
  }
  SECTION("a failed refresh keeps the previous keys") {
    fail = false;
    REQUIRE(cache.key_for("iss", "https://idp/jwks", std::string{"k1"}));
    fail = true;
    t += 3601s;
    CHECK(cache.key_for("iss", "https://idp/jwks", std::string{"k1"}));
    CHECK(calls == 2);
  }
  SECTION("issuers are cached separately, forget() drops one") {
    fail = false;
    REQUIRE(cache.key_for("a", "https://a/jwks", std::string{"k1"}));
    REQUIRE(cache.key_for("b", "https://b/jwks", std::string{"k1"}));
    REQUIRE(cache.key_for("a", "https://a/jwks", std::string{"k1"}));
    CHECK(calls == 2);
    cache.forget("a");
    REQUIRE(cache.key_for("a", "https://a/jwks", std::string{"k1"}));
    CHECK(calls == 3);
    CHECK(cache.fetches("b") == 1);
  }
  SECTION("concurrent first use fetches once") {
    fail = false;
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 8; ++i) {
      threads.emplace_back([&] {
        if (cache.key_for("iss", "https://idp/jwks", std::string{"k1"})) ++ok;
      });
    }
    for (auto& th : threads) th.join();
    CHECK(ok == 8);
    CHECK(calls == 1);
  }
}
