// actors/ats/credential_box: AES-256-GCM under a key ring (issue 4). Round trip, rotation, every
// byte region tampered, the row binding (AAD), unknown key ids and malformed key ring text.
#include <catch2/catch.hpp>

#include <string>

#include "actors/ats/credential_box.hpp"

namespace ats = hw::ats;

namespace {

const std::string hex_a(64, 'a');
const std::string hex_b = "00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff";
const hw::org_id org{"6f1c2a0e-0000-4000-8000-000000000001"};
const std::string conn = "0b7e6c7a-0000-4000-8000-0000000000c1";

ats::credential_key_ring ring(const std::string& text) {
  auto r = ats::credential_key_ring::parse(text);
  INFO(text << " -> " << (r ? "" : r.error().detail));
  REQUIRE(r);
  return *r;
}

void check_undecryptable(const hw::result<std::string>& r) {
  REQUIRE_FALSE(r);
  CHECK(r.code() == hw::errc::internal);
  CHECK(r.error().detail == "stored credential cannot be decrypted");
}

}  // namespace

TEST_CASE("credential box: round trip and the documented layout", "[actor][ats][credential_box]") {
  auto k = ring("k1:" + hex_a + ";current=k1");
  CHECK(k.size() == 1);
  CHECK(k.current_key_id() == "k1");
  const auto aad = ats::credential_aad(org, conn);
  for (std::string plain : {std::string{}, std::string{"x"},
                            std::string{R"({"client_id":"abc","client_secret":"s3cr3t"})"},
                            std::string(5000, '\0')}) {
    auto s = k.seal(plain, aad);
    REQUIRE(s);
    // version || L || key id || nonce(12) || ciphertext(N) || tag(16)
    REQUIRE(s->size() == 1 + 1 + 2 + 12 + plain.size() + 16);
    CHECK(static_cast<unsigned char>((*s)[0]) == 0x01);
    CHECK((*s)[1] == 2);
    CHECK(s->substr(2, 2) == "k1");
    if (plain.size() > 8) CHECK(s->find(plain.substr(0, 8)) == std::string::npos);
    auto o = k.open(*s, aad);
    REQUIRE(o);
    CHECK(*o == plain);
    CHECK(*ats::credential_key_ring::key_id_of(*s) == "k1");
  }
  // A fresh nonce each time: the same plaintext never seals to the same bytes.
  CHECK(*k.seal("same", aad) != *k.seal("same", aad));
  CHECK(ats::credential_aad(org, conn) == "hw.ats.credential.v1|" + org.value + "|" + conn);
}

TEST_CASE("credential box: rotation keeps old ciphertexts readable", "[actor][ats][credential_box]") {
  const auto aad = ats::credential_aad(org, conn);
  auto old_ring = ring("k1:" + hex_a + ";current=k1");
  auto old_value = *old_ring.seal("old secret", aad);

  auto rotated = ring("k1:" + hex_a + ",k2:" + hex_b + ";current=k2");
  CHECK(rotated.size() == 2);
  CHECK(rotated.has_key("k1"));
  auto new_value = *rotated.seal("new secret", aad);
  CHECK(*ats::credential_key_ring::key_id_of(new_value) == "k2");
  CHECK(*rotated.open(old_value, aad) == "old secret");
  CHECK(*rotated.open(new_value, aad) == "new secret");

  // The old ring does not know k2; a ring that retired k1 cannot open k1 values.
  check_undecryptable(old_ring.open(new_value, aad));
  auto retired = ring("k2:" + hex_b + ";current=k2");
  check_undecryptable(retired.open(old_value, aad));
  // Same id, different key material: the tag fails.
  auto impostor = ring("k1:" + hex_b + ";current=k1");
  check_undecryptable(impostor.open(old_value, aad));
}

TEST_CASE("credential box: tampering with any part fails", "[actor][ats][credential_box]") {
  auto k = ring("k1:" + hex_a + ",k2:" + hex_b + ";current=k1");
  const auto aad = ats::credential_aad(org, conn);
  const std::string plain = "refresh-token-value";
  const auto s = *k.seal(plain, aad);
  // Flip one bit in every byte position: version, L, key id, nonce, ciphertext, tag.
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto t = s;
    t[i] = static_cast<char>(t[i] ^ 0x01);
    INFO("byte " << i);
    check_undecryptable(k.open(t, aad));
  }
  // Re-labelling the key id (k1 -> k2, both in the ring) fails: the header is authenticated.
  auto relabel = s;
  relabel[3] = '2';
  check_undecryptable(k.open(relabel, aad));
  // Truncations and extensions.
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{4}, std::size_t{16},
                        s.size() - 16, s.size() - 1}) {
    INFO("prefix " << n);
    check_undecryptable(k.open(s.substr(0, n), aad));
  }
  check_undecryptable(k.open(s + "x", aad));
  // Tag swapped with another seal of the same plaintext.
  auto other = *k.seal(plain, aad);
  check_undecryptable(k.open(s.substr(0, s.size() - 16) + other.substr(other.size() - 16), aad));
}

TEST_CASE("credential box: another row's or organization's AAD fails", "[actor][ats][credential_box]") {
  auto k = ring("k1:" + hex_a + ";current=k1");
  const auto s = *k.seal("webhook-secret", ats::credential_aad(org, conn));
  check_undecryptable(k.open(s, ats::credential_aad(org, "0b7e6c7a-0000-4000-8000-0000000000c2")));
  check_undecryptable(
      k.open(s, ats::credential_aad(hw::org_id{"6f1c2a0e-0000-4000-8000-000000000002"}, conn)));
  check_undecryptable(k.open(s, ""));
  CHECK(*k.open(s, ats::credential_aad(org, conn)) == "webhook-secret");
}

TEST_CASE("credential box: unknown key id and bad versions", "[actor][ats][credential_box]") {
  auto k1 = ring("k1:" + hex_a + ";current=k1");
  auto k9 = ring("k9:" + hex_a + ";current=k9");  // same bytes, another id
  const auto s = *k9.seal("p", "aad");
  check_undecryptable(k1.open(s, "aad"));
  CHECK(ats::credential_key_ring::key_id_of("").code() == hw::errc::internal);
  std::string v2 = *k1.seal("p", "aad");
  v2[0] = 0x02;
  CHECK(ats::credential_key_ring::key_id_of(v2).code() == hw::errc::internal);
}

TEST_CASE("credential box: malformed key ring text", "[actor][ats][credential_box]") {
  const std::string k = "k1:" + hex_a;
  for (const std::string& bad : std::vector<std::string>{
           "",
           k,                                        // no ;current=
           k + ";",                                  //
           k + ";current=",                          // empty id
           k + ";current=k2",                        // names no key
           k + ";cur=k1",                            //
           k + ";current=k1;",                       // trailing junk
           k + " ;current=k1",                       // whitespace
           "k1:" + hex_a.substr(1) + ";current=k1",  // 63 digits
           "k1:" + hex_a + "a;current=k1",           // 65 digits
           "k1:" + std::string(63, 'a') + "g;current=k1",
           "k1" + hex_a + ";current=k1",             // no colon
           ":" + hex_a + ";current=k1",              // empty id
           "k 1:" + hex_a + ";current=k 1",
           "k1234567890123456:" + hex_a + ";current=k1234567890123456",  // 17 characters
           k + "," + k + ";current=k1",              // duplicate id
           k + ",;current=k1",                       // empty entry
           ",k1:" + hex_a + ";current=k1",
       }) {
    INFO("'" << bad << "'");
    auto r = ats::credential_key_ring::parse(bad);
    REQUIRE_FALSE(r);
    CHECK(r.code() == hw::errc::invalid_argument);
    // No key material in the message.
    CHECK(r.error().detail.find(hex_a.substr(0, 16)) == std::string::npos);
  }
  CHECK(ats::credential_key_ring::parse("k_-A9:" + hex_b + ";current=k_-A9"));
  CHECK(ats::credential_key_ring::parse("k1234567890123456"
                                        ":" + hex_a + ";current=k1234567890123456").code() ==
        hw::errc::invalid_argument);
}
