// argon2id through libsodium. Most cases use small parameters (8 MiB, t=1) to keep the suite
// fast; one case checks the production defaults (m=19 MiB, t=2, p=1).
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "actors/auth/password_hash.hpp"

using namespace hw::auth;

namespace {
const hash_params small{1, 8u * 1024 * 1024};
}  // namespace

TEST_CASE("password_hash: the defaults produce argon2id m=19 MiB t=2 p=1", "[actor][auth]") {
  auto stored = hash_password("correct horse battery staple");
  CHECK(stored.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0) == 0);
  CHECK(verify_password("correct horse battery staple", stored));
  CHECK_FALSE(verify_password("correct horse battery stapler", stored));
  CHECK_FALSE(needs_rehash(stored));
}

TEST_CASE("password_hash: hash and verify round trip", "[actor][auth]") {
  auto stored = hash_password("a long enough passphrase", small);
  CHECK(stored.rfind("$argon2id$v=19$m=8192,t=1,p=1$", 0) == 0);
  CHECK(verify_password("a long enough passphrase", stored));

  SECTION("a wrong password is false") {
    CHECK_FALSE(verify_password("a long enough passphrasE", stored));
    CHECK_FALSE(verify_password("", stored));
    CHECK_FALSE(verify_password("a long enough passphrase ", stored));  // nothing is trimmed
  }
  SECTION("every hash has its own salt") {
    auto again = hash_password("a long enough passphrase", small);
    CHECK(again != stored);
    CHECK(verify_password("a long enough passphrase", again));
  }
}

TEST_CASE("password_hash: unicode and binary passwords are hashed byte for byte", "[actor][auth]") {
  const std::string pw = u8"pässwörd-🔐-密码-пароль";
  auto stored = hash_password(pw, small);
  CHECK(verify_password(pw, stored));
  // The same text in another Unicode normalization form is other bytes: not normalized here.
  CHECK_FALSE(verify_password(u8"pa\u0308sswörd-🔐-密码-пароль", stored));

  const std::string with_nul{"before\0after", 12};
  auto stored_nul = hash_password(with_nul, small);
  CHECK(verify_password(with_nul, stored_nul));
  CHECK_FALSE(verify_password("before", stored_nul));
}

TEST_CASE("password_hash: needs_rehash when the parameters differ", "[actor][auth]") {
  auto stored = hash_password("a long enough passphrase", small);
  CHECK_FALSE(needs_rehash(stored, small));
  CHECK(needs_rehash(stored));                                    // defaults: 19 MiB, t=2
  CHECK(needs_rehash(stored, hash_params{2, small.memlimit}));    // t differs
  CHECK(needs_rehash(stored, hash_params{1, 16u * 1024 * 1024}));  // m differs
  CHECK(needs_rehash("", small));
  CHECK(needs_rehash("not a hash", small));
  // An argon2i string (older algorithm) is upgraded as well.
  CHECK(needs_rehash("$argon2i$v=19$m=8192,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$"
                     "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
                     small));
}

TEST_CASE("password_hash: a malformed stored hash verifies false, never throws", "[actor][auth]") {
  auto stored = hash_password("a long enough passphrase", small);
  const char* const bad[] = {
      "",
      "plaintext",
      "$argon2id$",
      "$argon2id$v=19$m=8192,t=1,p=1$",
      "$2b$10$abcdefghijklmnopqrstuuOcVvYqg6qkD4M0wb6K3nJ0pLh6tF8lO",  // bcrypt
      "$argon2id$v=19$m=8192,t=1,p=1$!!!!$!!!!",
  };
  for (const char* s : bad) {
    INFO("stored: " << s);
    CHECK_FALSE(verify_password("a long enough passphrase", s));
  }
  CHECK_FALSE(verify_password("a long enough passphrase", stored.substr(0, stored.size() - 4)));  // truncated
  CHECK_FALSE(verify_password("a long enough passphrase", stored + std::string(200, 'A')));       // over-long
  std::string with_nul = stored;
  with_nul.insert(10, 1, '\0');
  CHECK_FALSE(verify_password("a long enough passphrase", with_nul));
}

TEST_CASE("password_hash: the dummy verification is always false", "[actor][auth]") {
  warm_dummy(small);
  CHECK_FALSE(verify_dummy("a long enough passphrase", small));
  CHECK_FALSE(verify_dummy("", small));
  CHECK_FALSE(verify_dummy(u8"пароль-密码", small));
}

TEST_CASE("password_hash: parameters outside libsodium's limits are refused", "[actor][auth]") {
  CHECK_THROWS_AS(hash_password("x", hash_params{0, small.memlimit}), std::invalid_argument);
  CHECK_THROWS_AS(hash_password("x", hash_params{1, 1024}), std::invalid_argument);
  CHECK_NOTHROW(validate(default_hash_params));
}

TEST_CASE("password_hash: wipe zeroes and clears the string", "[actor][auth]") {
  std::string s = "a secret that is longer than the small-string buffer";
  const char* buf = s.data();
  const auto cap = s.capacity();
  wipe(s);
  CHECK(s.empty());
  CHECK(s.data() == buf);  // same buffer, not reallocated
  for (std::size_t i = 0; i < cap; ++i) REQUIRE(buf[i] == '\0');
  std::string empty;
  wipe(empty);
  CHECK(empty.empty());
}
