#include "actors/auth/tokens.hpp"

#include <openssl/crypto.h>
#include <sodium.h>

#include "actors/auth/password_hash.hpp"
#include "actors/domain/base64url.hpp"
#include "actors/domain/hex.hpp"

namespace hw::auth {

namespace {

using hw::hex_value;

}  // namespace

std::string random_bytes(std::size_t n) {
  ensure_sodium();
  std::string out(n, '\0');
  if (n > 0) randombytes_buf(out.data(), n);
  return out;
}

std::string random_uuid() {
  auto b = random_bytes(16);
  b[6] = static_cast<char>((static_cast<unsigned char>(b[6]) & 0x0f) | 0x40);
  b[8] = static_cast<char>((static_cast<unsigned char>(b[8]) & 0x3f) | 0x80);
  const auto hex = to_hex(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

std::string random_secret() {
  std::string raw = random_bytes(secret_bytes);
  std::string out = base64url_encode(raw);
  sodium_memzero(raw.data(), raw.size());
  return out;
}

std::string new_api_key() { return std::string{api_key_prefix} + random_secret(); }

std::string sha256_raw(std::string_view data) {
  ensure_sodium();
  std::string out(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(out.data()),
                     reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return out;
}

std::string sha256_hex(std::string_view data) { return to_hex(sha256_raw(data)); }

bool looks_like_secret(std::string_view s) noexcept {
  if (s.size() != secret_chars) return false;
  for (char c : s) {
    if (base64url_value(c) < 0) return false;
  }
  // 32 bytes = 256 bits; 43 characters carry 258: the last character's low 2 bits are zero.
  return (base64url_value(s.back()) & 3) == 0;
}

bool looks_like_api_key(std::string_view s) noexcept {
  return s.size() == api_key_chars && s.substr(0, api_key_prefix.size()) == api_key_prefix &&
         looks_like_secret(s.substr(api_key_prefix.size()));
}

std::string api_key_display_prefix(std::string_view key) {
  return std::string{key.substr(0, api_key_prefix.size() + 4)};
}

std::string pkce_challenge_s256(std::string_view code_verifier) {
  return base64url_encode(sha256_raw(code_verifier));
}

hw::result<key32> parse_key_hex(std::string_view hex) {
  key32 key{};
  if (hex.size() != key.size() * 2) return {errc::invalid_argument, "key must be 64 hex characters (32 bytes)"};
  for (std::size_t i = 0; i < key.size(); ++i) {
    const int hi = hex_value(hex[2 * i]);
    const int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return {errc::invalid_argument, "key must be 64 hex characters (32 bytes)"};
    key[i] = static_cast<unsigned char>((hi << 4) | lo);
  }
  return key;
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace hw::auth
