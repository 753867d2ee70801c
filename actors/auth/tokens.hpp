#pragma once
// Random secrets and their encodings (security-and-reliability.md §3.3): every secret the server
// hands out — session token, API key, invitation / reset token, CSRF key material, OIDC state,
// nonce and PKCE verifier — is 32 bytes from libsodium's CSPRNG, encoded base64url without
// padding (43 characters). Only sha256_hex(secret) is stored.
//
// Plain functions, safe to call from any thread (libsodium is initialized on first use). They
// never log. Throw std::runtime_error only when libsodium cannot initialize (a broken host).
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "actors/domain/base64url.hpp"
#include "actors/domain/hex.hpp"
#include "actors/domain/result.hpp"

namespace hw::auth {

/// Raw bytes of a secret and its encoded length (ceil(32 * 8 / 6) = 43, no padding).
inline constexpr std::size_t secret_bytes = 32;
inline constexpr std::size_t secret_chars = 43;
/// API keys are "hwk_" + a secret, so scanners and support staff can recognise them.
inline constexpr std::string_view api_key_prefix = "hwk_";
inline constexpr std::size_t api_key_chars = 4 + secret_chars;  // 47

/// A 256-bit symmetric key (CSRF HMAC key, secret_box key).
using key32 = std::array<unsigned char, 32>;

/// RFC 4648 §5 base64url, no padding, strict decoding: actors/domain/base64url.hpp.
using hw::base64url_decode;
using hw::base64url_encode;

/// `n` bytes from libsodium's randombytes_buf.
std::string random_bytes(std::size_t n);
/// 32 random bytes, base64url without padding: 43 characters. A session token is exactly this.
std::string random_secret();
/// "hwk_" + random_secret().
std::string new_api_key();
/// A random (version 4) UUID in canonical lower-case text form (ids the server chooses).
std::string random_uuid();

/// SHA-256 of `data`: 32 raw bytes / 64 lower-case hex characters. The hex form is what the
/// database stores for secrets (session_id_hash, api key hash, invitation token hash).
std::string sha256_raw(std::string_view data);
std::string sha256_hex(std::string_view data);

/// True when `s` has the exact shape random_secret() produces: 43 characters of the base64url
/// alphabet whose last character carries no stray bits. Check this before hashing a value taken
/// from a cookie, header or body, so garbage never reaches the database.
bool looks_like_secret(std::string_view s) noexcept;
/// True for "hwk_" + looks_like_secret.
bool looks_like_api_key(std::string_view s) noexcept;
/// The displayable start of an API key ("hwk_" + 4 characters), for api_key_view::prefix.
/// Precondition: looks_like_api_key(key).
std::string api_key_display_prefix(std::string_view key);

/// RFC 7636 S256: base64url(SHA-256(ascii(code_verifier))), 43 characters.
std::string pkce_challenge_s256(std::string_view code_verifier);

/// Lower-case hex of `bytes`.
using hw::to_hex;
/// A 32-byte key from 64 hex characters (either case), e.g. a config value. invalid_argument
/// "key must be 64 hex characters (32 bytes)" otherwise. The detail never echoes the input.
hw::result<key32> parse_key_hex(std::string_view hex);

/// Constant-time equality (CRYPTO_memcmp). Different lengths compare unequal at once: lengths
/// are not secret here.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace hw::auth
