// actors/auth/oidc_client end to end against tests/support/fake_oidc_provider (a real HTTP server
// on 127.0.0.1, port 0): discovery, the authorization code flow with PKCE, ID token verification,
// and the JWKS cache (rotation, refetch limits, TTL) driven by an injected clock. No sleeps.
// The provider is on loopback, so every call passes allow_private_addresses = true explicitly;
// the SSRF tests check that the default options refuse it.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

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

/// HTTP options that may reach the fake provider on 127.0.0.1.
oidc_http_options loopback_ok() {
  oidc_http_options o;
  o.allow_private_addresses = true;
  return o;
}

jwks_cache_options loopback_cache() {
  jwks_cache_options o;
  o.http = loopback_ok();
  return o;
}

constexpr const char* private_network_detail =
  "sso: the identity provider's address is not allowed (private network)";

struct oidc_fixture {
  fake_oidc_provider idp;
  std::chrono::steady_clock::time_point t{};  // the cache's clock; tests move it by hand
  jwks_cache cache{loopback_cache(), [this] { return t; }};
  oidc_discovery d;
  const std::string redirect_uri = idp.options().redirect_uris.front();

  oidc_fixture() {
    auto r = discover(idp.issuer(), loopback_ok());
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
                                  pkce.verifier, loopback_ok());
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
    auto d = discover(idp.issuer(), loopback_ok());
    REQUIRE(d);
    CHECK(d->issuer == idp.issuer());
    CHECK(d->authorization_endpoint == idp.issuer() + "/authorize");
    CHECK(d->token_endpoint == idp.issuer() + "/token");
    CHECK(d->jwks_uri == idp.issuer() + "/jwks");
    CHECK(idp.requests("/.well-known/openid-configuration") == 1);
  }
  SECTION("a document naming another issuer is refused") {
    idp.set_discovery_issuer("https://evil.test");
    auto d = discover(idp.issuer(), loopback_ok());
    REQUIRE_FALSE(d);
    CHECK(d.code() == errc::invalid_argument);
  }
  SECTION("the issuer must match exactly (a trailing slash is another issuer)") {
    auto d = discover(idp.issuer() + "/", loopback_ok());
    REQUIRE_FALSE(d);
    CHECK(d.code() == errc::invalid_argument);
  }
  SECTION("a non-https issuer is refused before any request") {
    CHECK(discover("http://idp.example.com").code() == errc::invalid_argument);
    CHECK(idp.requests("/.well-known/openid-configuration") == 0);
  }
  SECTION("a 404 or an unreachable provider is unavailable") {
    CHECK(discover(idp.issuer() + "/nope", loopback_ok()).code() == errc::unavailable);
    oidc_http_options fast = loopback_ok();
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
                                  pkce.verifier, loopback_ok());
    REQUIRE(id_token);
    auto id = verify_id_token(*id_token, d, cache, expect(nonce));
    REQUIRE(id);
    CHECK(id->sub == "user-248289761001");
    CHECK(id->email == "ann@acme.test");
    CHECK(id->name == "Ann Example");
    CHECK(cache.fetches(idp.issuer()) == 1);
    SECTION("the code is single use") {
      auto again = exchange_code(d, idp.options().client_id, idp.options().client_secret, code, redirect_uri,
                                 pkce.verifier, loopback_ok());
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
                           new_pkce().verifier, loopback_ok());
    CHECK(r.code() == errc::unauthorized);
  }
  SECTION("a wrong client secret is refused") {
    auto r = exchange_code(d, idp.options().client_id, "wrong", code, redirect_uri, pkce.verifier, loopback_ok());
    REQUIRE_FALSE(r);
    CHECK(r.error().detail == "sso: the identity provider refused the code (invalid_client)");
  }
  SECTION("another redirect_uri is refused") {
    auto r = exchange_code(d, idp.options().client_id, idp.options().client_secret, code, redirect_uri + "x",
                           pkce.verifier, loopback_ok());
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

// ---- SSRF: where requests may go -----------------------------------------------------------

namespace {

bool private_v4(const char* ip) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(443);
  REQUIRE(inet_pton(AF_INET, ip, &sa.sin_addr) == 1);
  return is_private_address(reinterpret_cast<const sockaddr*>(&sa), sizeof sa);
}

bool private_v6(const char* ip) {
  sockaddr_in6 sa{};
  sa.sin6_family = AF_INET6;
  sa.sin6_port = htons(443);
  REQUIRE(inet_pton(AF_INET6, ip, &sa.sin6_addr) == 1);
  return is_private_address(reinterpret_cast<const sockaddr*>(&sa), sizeof sa);
}

}  // namespace

TEST_CASE("oidc_client: the address classifier", "[actor][auth][oidc][ssrf]") {
  SECTION("IPv4") {
    for (const char* ip : {"127.0.0.1", "127.255.255.254", "10.0.0.1", "10.255.255.255", "172.16.0.1",
                           "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "100.127.255.255",
                           "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1",
                           "192.0.0.8", "198.18.0.1", "198.19.255.255"}) {
      INFO(ip);
      CHECK(is_private_address(ip));
      CHECK(private_v4(ip));
    }
    for (const char* ip : {"8.8.8.8", "1.1.1.1", "93.184.216.34", "172.15.255.255", "172.32.0.0", "100.63.255.255",
                           "100.128.0.0", "169.253.255.255", "192.167.255.255", "192.169.0.0", "11.0.0.1",
                           "126.255.255.255", "128.0.0.1", "223.255.255.255", "198.20.0.0", "192.0.2.1"}) {
      INFO(ip);
      CHECK_FALSE(is_private_address(ip));
      CHECK_FALSE(private_v4(ip));
    }
  }
  SECTION("IPv6") {
    for (const char* ip : {"::", "::1", "fc00::1", "fd12:3456:789a::1", "fe80::1", "febf::1", "fec0::1", "ff02::1",
                           "ff05::1:3", "::7f00:1", "64:ff9b:1::1"}) {
      INFO(ip);
      CHECK(is_private_address(ip));
      CHECK(private_v6(ip));
    }
    for (const char* ip : {"2001:4860:4860::8888", "2606:4700::1111", "2a00:1450:4001::1", "fbff::1", "fe00::1"}) {
      INFO(ip);
      CHECK_FALSE(is_private_address(ip));
      CHECK_FALSE(private_v6(ip));
    }
  }
  SECTION("IPv6 forms embedding an IPv4 address are judged by it") {
    for (const char* ip : {"::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.1.2.3", "::ffff:169.254.169.254",
                           "::ffff:192.168.0.1", "::ffff:0.0.0.0", "::ffff:100.64.0.1", "::ffff:0:127.0.0.1",
                           "64:ff9b::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "2002:c0a8:101::"}) {
      INFO(ip);
      CHECK(is_private_address(ip));
      CHECK(private_v6(ip));
    }
    for (const char* ip : {"::ffff:8.8.8.8", "::ffff:0:8.8.8.8", "64:ff9b::8.8.8.8", "2002:808:808::1"}) {
      INFO(ip);
      CHECK_FALSE(is_private_address(ip));
      CHECK_FALSE(private_v6(ip));
    }
  }
  SECTION("anything else fails closed") {
    for (const char* s : {"", "localhost", "127.1", "0x7f000001", "2130706433", "[::1]", "fe80::1%eth0",
                          "8.8.8.8 ", "::ffff:8.8.8.8.8"}) {
      INFO(s);
      CHECK(is_private_address(s));
    }
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    REQUIRE(inet_pton(AF_INET, "8.8.8.8", &sa.sin_addr) == 1);
    const auto* p = reinterpret_cast<const sockaddr*>(&sa);
    CHECK_FALSE(is_private_address(p, sizeof sa));
    CHECK(is_private_address(p, sizeof sa - 1));  // truncated
    CHECK(is_private_address(nullptr, 0));
    sockaddr unix_like{};
    unix_like.sa_family = AF_UNIX;
    CHECK(is_private_address(&unix_like, sizeof unix_like));
  }
}

TEST_CASE("oidc_client: same_oidc_origin", "[actor][auth][oidc][ssrf]") {
  CHECK(same_oidc_origin("https://idp.example.com", "https://idp.example.com/oauth2/token"));
  CHECK(same_oidc_origin("https://IDP.Example.com/tenant", "https://idp.example.com:443/keys?x=1"));
  CHECK(same_oidc_origin("http://127.0.0.1:5556", "http://127.0.0.1:5556/token"));
  CHECK(same_oidc_origin("http://localhost", "http://localhost:80/jwks"));
  CHECK_FALSE(same_oidc_origin("https://idp.example.com", "https://idp.example.com:8443/token"));
  CHECK_FALSE(same_oidc_origin("https://idp.example.com", "https://evil.example.com/token"));
  CHECK_FALSE(same_oidc_origin("https://idp.example.com", "https://idp.example.com.evil.test/token"));
  CHECK_FALSE(same_oidc_origin("http://127.0.0.1:5556", "http://127.0.0.1:5557/token"));
  CHECK_FALSE(same_oidc_origin("http://127.0.0.1:5556", "http://localhost:5556/token"));
  CHECK_FALSE(same_oidc_origin("http://localhost:443", "https://localhost/token"));
  CHECK_FALSE(same_oidc_origin("https://idp.example.com", "https://user@idp.example.com/token"));
  CHECK_FALSE(same_oidc_origin("https://idp.example.com", "ftp://idp.example.com/token"));
  // Ports outside 1..65535 are not allowed URLs at all.
  CHECK_FALSE(is_allowed_oidc_url("https://idp.example.com:0/"));
  CHECK_FALSE(is_allowed_oidc_url("https://idp.example.com:65536/"));
  CHECK(is_allowed_oidc_url("https://idp.example.com:65535/"));
}

TEST_CASE_METHOD(oidc_fixture, "oidc_client: by default a provider on a private address is refused",
                 "[actor][auth][oidc][ssrf]") {
  const int discoveries = idp.requests("/.well-known/openid-configuration");
  SECTION("discovery, by IP literal and by a name resolving to loopback") {
    for (const std::string& issuer :
         {idp.issuer(), "http://localhost:" + std::to_string(idp.port()), "http://[::1]:" + std::to_string(idp.port()),
          std::string{"https://127.0.0.1:1"}, std::string{"https://169.254.169.254"}, std::string{"https://10.0.0.1"}}) {
      INFO(issuer);
      auto r = discover(issuer);
      REQUIRE_FALSE(r);
      CHECK(r.code() == errc::unavailable);
      CHECK(r.error().detail == private_network_detail);
      CHECK_THAT(r.error().detail, Catch::Contains("private network"));
    }
    CHECK(idp.requests("/.well-known/openid-configuration") == discoveries);  // never connected
  }
  SECTION("the token exchange") {
    const auto pkce = new_pkce();
    const auto b = idp.browse(authorize_url(d, idp.options().client_id, redirect_uri, "s", "n", pkce.challenge));
    REQUIRE(b.status == 302);
    const auto code = fake_oidc_provider::query_param(b.location, "code").value_or("");
    auto r = exchange_code(d, idp.options().client_id, idp.options().client_secret, code, redirect_uri, pkce.verifier);
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::unavailable);
    CHECK(r.error().detail == private_network_detail);
    CHECK(idp.requests("/token") == 0);
  }
  SECTION("the JWKS fetch of a cache with default options") {
    jwks_cache strict{jwks_cache_options{}, [this] { return t; }};
    auto k = strict.key_for(d.issuer, d.jwks_uri, idp.current_kid());
    REQUIRE_FALSE(k);
    CHECK(k.code() == errc::unavailable);
    CHECK(k.error().detail == private_network_detail);
    CHECK(idp.requests("/jwks") == 0);
    // ...and so is a whole login verified with it.
    const auto nonce = random_secret();
    auto id = verify_id_token(code_flow(nonce), d, strict, expect(nonce));
    REQUIRE_FALSE(id);
    CHECK(idp.requests("/jwks") == 0);
  }
  SECTION("allow_private_addresses lifts the check") {
    CHECK(discover(idp.issuer(), loopback_ok()));
    CHECK(discover("http://localhost:" + std::to_string(idp.port()), loopback_ok()).code() ==
          errc::invalid_argument);  // reached it: the document names 127.0.0.1, another issuer
    CHECK(idp.requests("/.well-known/openid-configuration") == discoveries + 2);
  }
}

TEST_CASE("oidc_client: discovery keeps the token endpoint and the JWKS on the issuer's origin",
          "[actor][auth][oidc][ssrf]") {
  fake_oidc_provider idp;
  const std::string port = std::to_string(idp.port());
  const std::string other_port = std::to_string(idp.port() == 65535 ? 1 : idp.port() + 1);
  const std::string refused = "sso: the provider's token_endpoint/jwks_uri must be on the issuer's host";
  SECTION("another host, port or scheme is refused") {
    const std::string field = GENERATE(std::string{"token_endpoint"}, std::string{"jwks_uri"});
    for (const std::string& url :
         {"http://127.0.0.1:" + other_port + "/admin/api", "http://localhost:" + port + "/token",
          "https://127.0.0.1:" + port + "/token", std::string{"https://evil.test/token"},
          std::string{"https://169.254.169.254/latest/meta-data"}}) {
      INFO(field << " = " << url);
      idp.set_discovery_field(field, url);
      auto d = discover(idp.issuer(), loopback_ok());
      REQUIRE_FALSE(d);
      CHECK(d.code() == errc::invalid_argument);
      CHECK(d.error().detail == refused);
    }
    CHECK(idp.requests("/token") == 0);
    CHECK(idp.requests("/jwks") == 0);
  }
  SECTION("another path on the issuer's origin is fine") {
    idp.set_discovery_field("token_endpoint", idp.issuer() + "/oauth2/v1/token");
    idp.set_discovery_field("jwks_uri", "http://127.0.0.1:" + port + "/keys?tenant=1");
    auto d = discover(idp.issuer(), loopback_ok());
    REQUIRE(d);
    CHECK(d->token_endpoint == idp.issuer() + "/oauth2/v1/token");
    CHECK(d->jwks_uri == idp.issuer() + "/keys?tenant=1");
  }
  SECTION("the authorization endpoint may be on another host, over https") {
    idp.set_discovery_field("authorization_endpoint", "https://login.example.com/oauth2/authorize");
    auto d = discover(idp.issuer(), loopback_ok());
    REQUIRE(d);
    CHECK(d->authorization_endpoint == "https://login.example.com/oauth2/authorize");
  }
  SECTION("...but not over plain http off loopback") {
    idp.set_discovery_field("authorization_endpoint", "http://login.example.com/oauth2/authorize");
    auto d = discover(idp.issuer(), loopback_ok());
    REQUIRE_FALSE(d);
    CHECK(d.code() == errc::invalid_argument);
  }
}
