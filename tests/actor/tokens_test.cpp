// actors/auth/tokens, csrf and secret_box: encodings, secret shapes, CSRF binding, encryption at
// rest. Known-answer vectors come from RFC 4648 §10, FIPS 180-2 and RFC 7636 appendix B.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "actors/auth/csrf.hpp"
#include "actors/auth/secret_box.hpp"
#include "actors/auth/tokens.hpp"

using namespace hw::auth;

namespace {

key32 key_of(char fill) {
  key32 k{};
  k.fill(static_cast<unsigned char>(fill));
  return k;
}

}  // namespace

TEST_CASE("tokens: base64url round trip and RFC 4648 vectors", "[actor][auth][tokens]") {
  CHECK(base64url_encode("") == "");
  CHECK(base64url_encode("f") == "Zg");
  CHECK(base64url_encode("fo") == "Zm8");
  CHECK(base64url_encode("foo") == "Zm9v");
  CHECK(base64url_encode("foobar") == "Zm9vYmFy");
  CHECK(base64url_encode(std::string("\xfb\xff\xbf", 3)) == "-_-_");  // the url-safe characters
  for (std::size_t n = 0; n < 70; ++n) {
    const auto raw = random_bytes(n);
    const auto text = base64url_encode(raw);
    CHECK(text.find('=') == std::string::npos);
    CHECK(base64url_decode(text) == std::optional<std::string>{raw});
  }
}

TEST_CASE("tokens: base64url_decode is strict", "[actor][auth][tokens]") {
  CHECK_FALSE(base64url_decode("Zg=="));   // padding
  CHECK_FALSE(base64url_decode("Zm9v+A"));  // standard alphabet
  CHECK_FALSE(base64url_decode("Zm9v/A"));
  CHECK_FALSE(base64url_decode("Zm 9v"));   // whitespace
  CHECK_FALSE(base64url_decode("Zm9vY"));   // length 1 mod 4
  CHECK_FALSE(base64url_decode("Zh"));      // non-zero trailing bits ("Zg" is the encoding of "f")
  CHECK(base64url_decode("Zg") == std::optional<std::string>{"f"});
}

TEST_CASE("tokens: random secrets have the documented shape", "[actor][auth][tokens]") {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const auto s = random_secret();
    CHECK(s.size() == 43);
    CHECK(looks_like_secret(s));
    CHECK(base64url_decode(s)->size() == 32);
    seen.insert(s);
  }
  CHECK(seen.size() == 200);
  const auto key = new_api_key();
  CHECK(key.rfind("hwk_", 0) == 0);
  CHECK(key.size() == 47);
  CHECK(looks_like_api_key(key));
  CHECK(api_key_display_prefix(key) == key.substr(0, 8));
  CHECK_FALSE(looks_like_secret(key));
}

TEST_CASE("tokens: looks_like_secret refuses garbage", "[actor][auth][tokens]") {
  const auto good = random_secret();
  CHECK_FALSE(looks_like_secret(""));
  CHECK_FALSE(looks_like_secret(good.substr(1)));
  CHECK_FALSE(looks_like_secret(good + "A"));
  CHECK_FALSE(looks_like_secret(good.substr(0, 42) + "="));
  CHECK_FALSE(looks_like_secret(good.substr(0, 20) + "+" + good.substr(21)));
  CHECK_FALSE(looks_like_secret(good.substr(0, 20) + std::string(1, '\0') + good.substr(21)));
  CHECK_FALSE(looks_like_secret(good.substr(0, 42) + "B"));  // stray low bits in the last character
  CHECK(looks_like_secret(good.substr(0, 42) + "A"));
  CHECK_FALSE(looks_like_api_key("hwk_" + good.substr(1)));
  CHECK_FALSE(looks_like_api_key("hwx_" + good));
  CHECK_FALSE(looks_like_api_key(good));
}

TEST_CASE("tokens: sha256 and PKCE S256 known answers", "[actor][auth][tokens]") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_raw("abc").size() == 32);
  // RFC 7636 appendix B.
  CHECK(pkce_challenge_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") ==
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST_CASE("tokens: parse_key_hex", "[actor][auth][tokens]") {
  auto k = parse_key_hex("000102030405060708090a0b0c0d0e0f101112131415161718191A1B1C1D1E1F");
  REQUIRE(k);
  for (std::size_t i = 0; i < 32; ++i) CHECK((*k)[i] == i);
  CHECK(parse_key_hex("00").code() == hw::errc::invalid_argument);
  CHECK_FALSE(parse_key_hex(std::string(63, 'a')));
  CHECK_FALSE(parse_key_hex(std::string(65, 'a')));
  const auto bad = parse_key_hex(std::string(62, 'a') + "zz");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().detail.find("zz") == std::string::npos);  // never echoes the input
}

TEST_CASE("csrf: a token is bound to the session and the key", "[actor][auth][csrf]") {
  const auto key = key_of('k');
  const auto session = sha256_hex("session-token-a");
  const auto token = csrf_token(key, session);
  CHECK(token.size() == 43);
  CHECK(token == csrf_token(key, session));  // deterministic per session
  CHECK(csrf_valid(key, session, token));
  CHECK_FALSE(csrf_valid(key, sha256_hex("session-token-b"), token));  // another session
  CHECK_FALSE(csrf_valid(key_of('x'), session, token));                // another key
  CHECK_FALSE(csrf_valid(key, "", csrf_token(key, "")));                 // no session: never valid
  CHECK_FALSE(csrf_valid(key, session, ""));
  CHECK_FALSE(csrf_valid(key, session, token.substr(1)));
  std::string flipped = token;
  flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
  CHECK_FALSE(csrf_valid(key, session, flipped));
}

TEST_CASE("secret_box: seal and open", "[actor][auth][secret_box]") {
  const auto key = key_of('s');
  const std::string secret = "client-secret-\x01\xff with bytes";
  const auto sealed = seal_secret(key, secret);
  CHECK(sealed.size() == 24 + 16 + secret.size());
  CHECK(sealed.find("client-secret") == std::string::npos);
  CHECK(seal_secret(key, secret) != sealed);  // fresh nonce each time
  auto opened = open_secret(key, sealed);
  REQUIRE(opened);
  CHECK(*opened == secret);

  SECTION("another key") {
    auto r = open_secret(key_of('t'), sealed);
    REQUIRE_FALSE(r);
    CHECK(r.code() == hw::errc::internal);
    CHECK(r.error().detail == "stored secret cannot be decrypted");
  }
  SECTION("tampered ciphertext") {
    auto t = sealed;
    t.back() = static_cast<char>(t.back() ^ 1);
    CHECK(open_secret(key, t).code() == hw::errc::internal);
  }
  SECTION("tampered nonce") {
    auto t = sealed;
    t.front() = static_cast<char>(t.front() ^ 1);
    CHECK(open_secret(key, t).code() == hw::errc::internal);
  }
  SECTION("truncated") {
    CHECK(open_secret(key, sealed.substr(0, 39)).code() == hw::errc::internal);
    CHECK(open_secret(key, "").code() == hw::errc::internal);
  }
  SECTION("text form") {
    const auto text = seal_secret_text(key, secret);
    CHECK(open_secret_text(key, text).value() == secret);
    CHECK(open_secret_text(key, text + "=").code() == hw::errc::internal);
    CHECK(open_secret_text(key_of('t'), text).code() == hw::errc::internal);
  }
  SECTION("empty plaintext") {
    CHECK(open_secret(key, seal_secret(key, "")).value().empty());
  }
}
