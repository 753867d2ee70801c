#include "actors/auth/tokens.hpp"

#include <openssl/crypto.h>
#include <sodium.h>

#include "actors/auth/password_hash.hpp"

namespace hw::auth {

namespace {

constexpr char b64url_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int b64url_value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned v = (b(i) << 16) | (b(i + 1) << 8) | b(i + 2);
    out += b64url_alphabet[(v >> 18) & 63];
    out += b64url_alphabet[(v >> 12) & 63];
    out += b64url_alphabet[(v >> 6) & 63];
    out += b64url_alphabet[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const unsigned v = b(i) << 16;
    out += b64url_alphabet[(v >> 18) & 63];
    out += b64url_alphabet[(v >> 12) & 63];
  } else if (rest == 2) {
    const unsigned v = (b(i) << 16) | (b(i + 1) << 8);
    out += b64url_alphabet[(v >> 18) & 63];
    out += b64url_alphabet[(v >> 12) & 63];
    out += b64url_alphabet[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = b64url_value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  // Leftover bits (2 or 4) must be zero: otherwise two texts would decode to the same bytes.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string random_bytes(std::size_t n) {
  ensure_sodium();
  std::string out(n, '\0');
  if (n > 0) randombytes_buf(out.data(), n);
  return out;
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
    if (b64url_value(c) < 0) return false;
  }
  // 32 bytes = 256 bits; 43 characters carry 258: the last character's low 2 bits are zero.
  return (b64url_value(s.back()) & 3) == 0;
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

std::string to_hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
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
