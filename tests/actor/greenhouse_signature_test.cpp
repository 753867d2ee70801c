// actors/ats/greenhouse_signature: the published Greenhouse ping vector (ats.md §1.6, from
// GH-DOCS issue #276) reproduced byte for byte, and every way a delivery must be refused. Lives
// in tests/actor/ because hw_unit_tests does not link OpenSSL.
#include <catch2/catch.hpp>

#include <cctype>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/ats/greenhouse_signature.hpp"
#include "actors/auth/tokens.hpp"

using hw::ats::greenhouse_signature_hex;
using hw::ats::sign_greenhouse_body;
using hw::ats::signature_verdict;
using hw::ats::verify_greenhouse_signature;

namespace {

// Byte for byte as delivered: no whitespace, no trailing newline.
const std::string ping_body =
  R"({"action":"ping","payload":{"web_hook_id":4001693002,"endpoint_url":"https://67e09e60.ngrok.io/webhooks",)"
  R"("created_at":"2018-12-20T15:43:12Z","updated_at":"2018-12-27T09:40:14Z","name":"Job Post Create",)"
  R"("event":"Job Post Created","active":true,"content-type":"application/json"}})";
const std::string ping_secret = "1uSUju2H6AohOE7OQVaxeLT3O8Uxxuas";
const std::string ping_header = "sha256 395b1309fd37f0732d1ed11c15e03edd61b818918df6bf93be7c71bafb09c877";

// A body as Greenhouse (Rails) serializes HTML: <, > and & escaped inside strings.
const std::string escaped_body =
  R"({"action":"job_updated","payload":{"job":{"id":209256,"notes":"\u003cp\u003eR\u0026D\u003c/p\u003e"}}})";
const std::string secret = "whsec-test-0123456789";

}  // namespace

TEST_CASE("greenhouse signature: the published ping vector", "[actor][ats][signature]") {
  CHECK(sign_greenhouse_body(ping_secret, ping_body) == ping_header);
  CHECK(greenhouse_signature_hex(ping_secret, ping_body) == ping_header.substr(7));
  const auto r = verify_greenhouse_signature(ping_secret, ping_body, ping_header);
  CHECK(r.ok());
  CHECK(r.verdict == signature_verdict::valid);
}

TEST_CASE("greenhouse signature: HMAC-SHA256 as RFC 4231 defines it", "[actor][ats][signature]") {
  // Test case 2 (a short key) and test case 6 (a key longer than the block size: hashed first).
  CHECK(greenhouse_signature_hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(greenhouse_signature_hex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First") ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  // An empty key is a valid HMAC key (verify refuses it before computing anything).
  CHECK(greenhouse_signature_hex("", "") == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST_CASE("greenhouse signature: sha256_hex is auth::sha256_hex", "[actor][ats][signature]") {
  // The content key of a stored delivery; it must not change with the implementation.
  for (const std::string& s : {std::string{}, std::string{"abc"}, ping_body, std::string(1000, '\x01')}) {
    CHECK(hw::ats::sha256_hex(s) == hw::auth::sha256_hex(s));
  }
  CHECK(hw::ats::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("greenhouse signature: upper-case hex digits are accepted", "[actor][ats][signature]") {
  std::string upper = ping_header;
  for (std::size_t i = 7; i < upper.size(); ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
  CHECK(verify_greenhouse_signature(ping_secret, ping_body, upper).ok());
}

TEST_CASE("greenhouse signature: any change to the body bytes fails", "[actor][ats][signature]") {
  SECTION("tampered value") {
    std::string tampered = ping_body;
    tampered.replace(tampered.find("4001693002"), 10, "4001693003");
    CHECK(verify_greenhouse_signature(ping_secret, tampered, ping_header).verdict == signature_verdict::mismatch);
  }
  SECTION("truncated body") {
    const auto r = verify_greenhouse_signature(ping_secret, ping_body.substr(0, ping_body.size() - 1), ping_header);
    CHECK(r.verdict == signature_verdict::mismatch);
  }
  SECTION("a trailing newline") {
    CHECK_FALSE(verify_greenhouse_signature(ping_secret, ping_body + "\n", ping_header));
  }
  SECTION("the wrong secret") {
    CHECK(verify_greenhouse_signature("1uSUju2H6AohOE7OQVaxeLT3O8Uxxuat", ping_body, ping_header).verdict ==
          signature_verdict::mismatch);
  }
}

TEST_CASE("greenhouse signature: a re-serialized body fails (sign the raw bytes)", "[actor][ats][signature]") {
  const auto header = sign_greenhouse_body(secret, escaped_body);
  REQUIRE(verify_greenhouse_signature(secret, escaped_body, header));
  // Same JSON value, different bytes: nlohmann writes "<p>R&D</p>" unescaped.
  const auto parsed = nlohmann::json::parse(escaped_body);
  const auto reserialized = parsed.dump();
  REQUIRE(nlohmann::json::parse(reserialized) == parsed);
  REQUIRE(reserialized != escaped_body);
  CHECK(verify_greenhouse_signature(secret, reserialized, header).verdict == signature_verdict::mismatch);
  // Same for the ping: pretty printing changes the bytes, not the value.
  CHECK_FALSE(verify_greenhouse_signature(ping_secret, nlohmann::json::parse(ping_body).dump(2), ping_header));
}

TEST_CASE("greenhouse signature: strict header parsing", "[actor][ats][signature]") {
  const std::string hex = ping_header.substr(7);
  const auto verdict = [&](const std::string& h) {
    return verify_greenhouse_signature(ping_secret, ping_body, h).verdict;
  };
  CHECK(verdict("") == signature_verdict::missing_header);
  CHECK(verdict("sha256" + hex) == signature_verdict::bad_scheme);
  CHECK(verdict("SHA256 " + hex) == signature_verdict::bad_scheme);
  CHECK(verdict("sha1 " + hex) == signature_verdict::bad_scheme);
  CHECK(verdict("sha256=" + hex) == signature_verdict::bad_scheme);
  CHECK(verdict(" sha256 " + hex) == signature_verdict::bad_scheme);
  CHECK(verdict(hex) == signature_verdict::bad_scheme);
  CHECK(verdict("sha256  " + hex) == signature_verdict::bad_digest);        // two spaces
  CHECK(verdict("sha256 " + hex.substr(1)) == signature_verdict::bad_digest);  // 63
  CHECK(verdict("sha256 " + hex + "0") == signature_verdict::bad_digest);      // 65
  CHECK(verdict("sha256 " + hex + " ") == signature_verdict::bad_digest);
  CHECK(verdict("sha256 " + hex.substr(0, 32)) == signature_verdict::bad_digest);
  std::string not_hex = hex;
  not_hex[10] = 'g';
  CHECK(verdict("sha256 " + not_hex) == signature_verdict::bad_digest);
  // Reasons are fixed strings: they never carry the digest or the secret.
  for (auto h : {std::string{}, "sha1 " + hex, "sha256 " + not_hex, "sha256 " + std::string(64, '0')}) {
    const auto r = verify_greenhouse_signature(ping_secret, ping_body, h);
    CHECK_FALSE(r.ok());
    CHECK(std::string{r.reason()}.find(hex) == std::string::npos);
    CHECK(std::string{r.reason()}.find(ping_secret) == std::string::npos);
  }
}

TEST_CASE("greenhouse signature: an empty secret refuses everything", "[actor][ats][signature]") {
  const auto header = sign_greenhouse_body("", ping_body);  // HMAC with an empty key is defined...
  CHECK(header.size() == 7 + 64);
  // ...but a verifier without a configured secret must not accept it.
  CHECK(verify_greenhouse_signature("", ping_body, header).verdict == signature_verdict::no_secret);
}
