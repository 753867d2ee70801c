// actors/auth/jwt: compact JWS parsing, RS256 verification with JWK-built keys, JWKS parsing and
// kid selection. Keys are real RSA-2048 keys (tests/support/fake_oidc_provider's test_rsa_key).
#include <catch2/catch.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

#include <nlohmann/json.hpp>

#include "actors/auth/jwt.hpp"
#include "actors/auth/tokens.hpp"
#include "tests/support/fake_oidc_provider.hpp"

using namespace hw::auth;
using hw::testing::make_compact_jws;
using hw::testing::test_rsa_key;
using nlohmann::json;

namespace {

const std::string payload = R"({"iss":"https://idp.test","sub":"u1","aud":"c1"})";

std::string header(const std::string& alg, const std::string& kid = "k1") {
  return json{{"alg", alg}, {"typ", "JWT"}, {"kid", kid}}.dump();
}

rsa_public_key public_key(const test_rsa_key& k) {
  auto r = rsa_public_key::from_jwk(k.n_b64url(), k.e_b64url());
  REQUIRE(r);
  return std::move(*r);
}

/// Replaces segment `i` (0..2) of a compact JWS.
std::string with_segment(const std::string& token, int i, const std::string& seg) {
  const auto d1 = token.find('.');
  const auto d2 = token.find('.', d1 + 1);
  std::string parts[3] = {token.substr(0, d1), token.substr(d1 + 1, d2 - d1 - 1), token.substr(d2 + 1)};
  parts[i] = seg;
  return parts[0] + "." + parts[1] + "." + parts[2];
}

}  // namespace

TEST_CASE("jwt: a token signed with the JWK's key verifies", "[actor][auth][jwt]") {
  const test_rsa_key k{0, "k1"};
  const auto token = k.sign_jwt(header("RS256"), payload);
  auto t = parse_jws(token);
  REQUIRE(t);
  CHECK(t->alg == "RS256");
  CHECK(t->kid == std::optional<std::string>{"k1"});
  CHECK(t->payload_json == payload);
  CHECK(t->signing_input == token.substr(0, token.rfind('.')));
  const auto key = public_key(k);
  CHECK(key.bits() == 2048);
  CHECK(key.verify_rs256(t->signing_input, t->signature));
  // Another key does not verify it.
  CHECK_FALSE(public_key(test_rsa_key{1, "k2"}).verify_rs256(t->signing_input, t->signature));
}

TEST_CASE("jwt: tampering breaks the signature", "[actor][auth][jwt]") {
  const test_rsa_key k{0, "k1"};
  const auto key = public_key(k);
  const auto token = k.sign_jwt(header("RS256"), payload);

  SECTION("payload changed") {
    const auto forged = with_segment(token, 1, base64url_encode(R"({"iss":"https://idp.test","sub":"admin","aud":"c1"})"));
    auto t = parse_jws(forged);
    REQUIRE(t);
    CHECK_FALSE(key.verify_rs256(t->signing_input, t->signature));
  }
  SECTION("one signature bit flipped") {
    auto t = parse_jws(token);
    REQUIRE(t);
    t->signature[100] = static_cast<char>(t->signature[100] ^ 0x01);
    CHECK_FALSE(key.verify_rs256(t->signing_input, t->signature));
  }
  SECTION("signature truncated or extended") {
    auto t = parse_jws(token);
    REQUIRE(t);
    CHECK_FALSE(key.verify_rs256(t->signing_input, t->signature.substr(1)));
    CHECK_FALSE(key.verify_rs256(t->signing_input, t->signature + "x"));
  }
  SECTION("signed by a key that is not the JWK's (same kid)") {
    const test_rsa_key other{1, "k1"};
    auto t = parse_jws(other.sign_jwt(header("RS256"), payload));
    REQUIRE(t);
    CHECK_FALSE(key.verify_rs256(t->signing_input, t->signature));
  }
}

TEST_CASE("jwt: only RS256 is accepted", "[actor][auth][jwt]") {
  const test_rsa_key k{0, "k1"};
  SECTION("alg none with an empty signature") {
    const auto token = base64url_encode(header("none")) + "." + base64url_encode(payload) + ".";
    auto t = parse_jws(token);
    REQUIRE_FALSE(t);
    CHECK(t.code() == hw::errc::unauthorized);
  }
  SECTION("alg none with some signature") {
    auto t = parse_jws(make_compact_jws(header("none"), payload, "x"));
    REQUIRE_FALSE(t);
    CHECK(t.error().detail == "id_token: alg must be RS256");
  }
  SECTION("HS256 keyed with the RSA public key (algorithm confusion)") {
    // The classic attack: HMAC the token with the public key bytes an attacker knows.
    const std::string h = header("HS256");
    const std::string input = base64url_encode(h) + "." + base64url_encode(payload);
    const std::string secret = k.jwk_json();
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
    auto t = parse_jws(input + "." + base64url_encode(std::string(reinterpret_cast<char*>(mac), len)));
    REQUIRE_FALSE(t);
    CHECK(t.error().detail == "id_token: alg must be RS256");
  }
  SECTION("other algorithms and case variants") {
    for (const char* alg : {"RS384", "PS256", "ES256", "rs256", "RS256 ", ""}) {
      CHECK_FALSE(parse_jws(k.sign_jwt(header(alg), payload)));
    }
  }
  SECTION("alg missing or not a string") {
    CHECK_FALSE(parse_jws(k.sign_jwt(R"({"kid":"k1"})", payload)));
    CHECK_FALSE(parse_jws(k.sign_jwt(R"({"alg":256})", payload)));
  }
  SECTION("a crit header is refused") {
    CHECK_FALSE(parse_jws(k.sign_jwt(R"({"alg":"RS256","crit":["exp"],"exp":1})", payload)));
  }
}

TEST_CASE("jwt: malformed compact serializations are refused", "[actor][auth][jwt]") {
  const test_rsa_key k{0, "k1"};
  const auto token = k.sign_jwt(header("RS256"), payload);
  CHECK_FALSE(parse_jws(""));
  CHECK_FALSE(parse_jws("abc"));
  CHECK_FALSE(parse_jws("a.b"));
  CHECK_FALSE(parse_jws(token + ".extra"));
  CHECK(parse_jws(with_segment(token, 2, token.substr(token.rfind('.') + 1) + "=")).error().detail ==
        "id_token: malformed base64url");
  CHECK_FALSE(parse_jws(with_segment(token, 0, "eyJhbGciOiJSUzI1NiJ9+")));
  CHECK_FALSE(parse_jws(with_segment(token, 1, "not base64!")));
  CHECK_FALSE(parse_jws(with_segment(token, 0, base64url_encode("not json"))));
  CHECK_FALSE(parse_jws(with_segment(token, 0, base64url_encode("[\"RS256\"]"))));
  CHECK_FALSE(parse_jws(with_segment(token, 2, "")));  // no signature
  CHECK_FALSE(parse_jws(k.sign_jwt(R"({"alg":"RS256","kid":7})", payload)));
  CHECK_FALSE(parse_jws(std::string(17 * 1024, 'a') + ".b.c"));
}

TEST_CASE("jwt: JWKS parsing keeps only RSA signature keys", "[actor][auth][jwt]") {
  const test_rsa_key a{0, "a"};
  const test_rsa_key b{1, "b"};
  json keys = json::array();
  keys.push_back(json::parse(a.jwk_json()));
  auto no_use = json::parse(b.jwk_json());
  no_use.erase("use");
  no_use.erase("alg");
  keys.push_back(no_use);
  auto enc = json::parse(b.jwk_json());
  enc["kid"] = "enc";
  enc["use"] = "enc";
  keys.push_back(enc);
  auto rs384 = json::parse(b.jwk_json());
  rs384["kid"] = "rs384";
  rs384["alg"] = "RS384";
  keys.push_back(rs384);
  keys.push_back(json{{"kty", "EC"}, {"kid", "ec"}, {"crv", "P-256"}, {"x", "AA"}, {"y", "AA"}});
  auto bad_n = json::parse(a.jwk_json());
  bad_n["kid"] = "bad-n";
  bad_n["n"] = "not+base64";
  keys.push_back(bad_n);
  auto small = json::parse(a.jwk_json());
  small["kid"] = "small";
  small["n"] = base64url_encode("\xC0" + std::string(127, '\x01'));  // 1024 bits
  keys.push_back(small);
  auto even_e = json::parse(a.jwk_json());
  even_e["kid"] = "even-e";
  even_e["e"] = base64url_encode(std::string("\x01\x00\x00", 3));
  keys.push_back(even_e);
  keys.push_back("not an object");

  auto set = parse_jwks(json{{"keys", keys}}.dump());
  REQUIRE(set);
  REQUIRE(set->size() == 2);
  CHECK(set->at(0).kid == std::optional<std::string>{"a"});
  CHECK(set->at(1).kid == std::optional<std::string>{"b"});

  SECTION("kid selection") {
    CHECK(select_key(*set, std::string{"a"}) == set->at(0).key);
    CHECK(select_key(*set, std::string{"b"}) == set->at(1).key);
    CHECK(select_key(*set, std::string{"enc"}) == nullptr);
    CHECK(select_key(*set, std::string{"unknown"}) == nullptr);
    CHECK(select_key(*set, std::nullopt) == nullptr);  // no kid and two keys: ambiguous
    std::vector<jwk_entry> one{set->at(0)};
    CHECK(select_key(one, std::nullopt) == set->at(0).key);  // no kid, one key
  }
  SECTION("the selected key verifies its own tokens only") {
    auto t = parse_jws(b.sign_jwt(header("RS256", "b"), payload));
    REQUIRE(t);
    CHECK(select_key(*set, t->kid)->verify_rs256(t->signing_input, t->signature));
    CHECK_FALSE(select_key(*set, std::string{"a"})->verify_rs256(t->signing_input, t->signature));
  }
}

TEST_CASE("jwt: unusable JWKS documents", "[actor][auth][jwt]") {
  CHECK(parse_jwks("").code() == hw::errc::unavailable);
  CHECK(parse_jwks("[]").code() == hw::errc::unavailable);
  CHECK(parse_jwks(R"({"keys":{}})").code() == hw::errc::unavailable);
  CHECK(parse_jwks(R"({"keys":[]})").error().detail == "jwks: no usable RS256 signing key");
  CHECK(parse_jwks(R"({"keys":[{"kty":"EC"}]})").code() == hw::errc::unavailable);
}

TEST_CASE("jwt: JWK members of the wrong type make the key unusable, never an exception", "[actor][auth][jwt]") {
  const test_rsa_key good{0, "good"};
  const test_rsa_key other{1, "other"};
  const json wrong_values[] = {json(42), json(nullptr), json(true), json::array({"RSA"}), json::object({{"a", 1}}),
                               json(1.5)};
  for (const char* member : {"kty", "n", "e", "use", "alg", "kid"}) {
    for (const auto& v : wrong_values) {
      INFO(member << " = " << v.dump());
      auto bad = json::parse(other.jwk_json());
      bad[member] = v;
      const std::string doc = json{{"keys", json::array({bad, json::parse(good.jwk_json())})}}.dump();
      hw::result<std::vector<jwk_entry>> set{hw::errc::internal, "not run"};
      REQUIRE_NOTHROW(set = parse_jwks(doc));
      REQUIRE(set);
      REQUIRE(set->size() == 1);  // the hostile entry is skipped, the good one kept
      CHECK(set->front().kid == std::optional<std::string>{"good"});
      // Alone, it leaves no usable key: unavailable, not an exception.
      hw::result<std::vector<jwk_entry>> alone{hw::errc::internal, "not run"};
      REQUIRE_NOTHROW(alone = parse_jwks(json{{"keys", json::array({bad})}}.dump()));
      REQUIRE_FALSE(alone);
      CHECK(alone.code() == hw::errc::unavailable);
      CHECK(alone.error().detail == "jwks: no usable RS256 signing key");
    }
  }
  SECTION("odd documents") {
    for (const char* doc : {R"({"keys":[{"kty":1}]})", R"({"keys":[{"kty":"RSA","n":{},"e":[]}]})",
                            R"({"keys":[null,1,"x",[],{}]})", R"({"keys":[{"kty":"RSA","use":null}]})",
                            R"({"keys":"RSA"})", R"({"keys":null})", "null", "1", R"("{\"keys\":[]}")",
                            "{\"keys\":[{\"kty\":\"RSA\"", "\xFF\xFE"}) {
      INFO(doc);
      hw::result<std::vector<jwk_entry>> r{hw::errc::internal, "not run"};
      REQUIRE_NOTHROW(r = parse_jwks(doc));
      CHECK(r.code() == hw::errc::unavailable);
    }
  }
}

TEST_CASE("jwt: rsa_public_key::from_jwk validation", "[actor][auth][jwt]") {
  const test_rsa_key k{0, "k1"};
  CHECK(rsa_public_key::from_jwk(k.n_b64url(), k.e_b64url()));
  CHECK(rsa_public_key::from_jwk("", k.e_b64url()).code() == hw::errc::invalid_argument);
  CHECK(rsa_public_key::from_jwk(k.n_b64url(), "").code() == hw::errc::invalid_argument);
  CHECK(rsa_public_key::from_jwk(k.n_b64url(), "AQ").code() == hw::errc::invalid_argument);  // e = 1
  CHECK(rsa_public_key::from_jwk(k.n_b64url() + "=", k.e_b64url()).code() == hw::errc::invalid_argument);
  // A leading zero byte in n is harmless.
  const auto n = *base64url_decode(k.n_b64url());
  CHECK(rsa_public_key::from_jwk(base64url_encode(std::string(1, '\0') + n), k.e_b64url()));
  rsa_public_key moved = std::move(rsa_public_key::from_jwk(k.n_b64url(), k.e_b64url()).value());
  CHECK(moved);
  rsa_public_key empty;
  CHECK_FALSE(empty);
  CHECK_FALSE(empty.verify_rs256("x", "y"));
}
