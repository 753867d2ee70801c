#pragma once
// Greenhouse Recruiting webhook signatures (ats.md §1.6): every delivery carries
//   Signature: sha256 <hex(HMAC-SHA256(key = webhook secret, msg = raw request body bytes))>
// The MAC covers the body exactly as received — Greenhouse escapes `<` `>` `&` as \u003c...
// before signing — so callers pass the raw bytes, never a re-serialized parse of them.
//
// Plain functions (OpenSSL, no CAF), safe from any thread; they never log, and no result or
// reason ever contains the secret, the expected digest or the received digest.
#include <cstdint>
#include <string>
#include <string_view>

namespace hw::ats {

/// Why a signature was refused. uint8_t from 1 like the project's other enums.
enum class signature_verdict : std::uint8_t {
  valid = 1,
  no_secret,         // the configured secret is empty: refuse everything rather than accept
  missing_header,    // no (or an empty) Signature header
  bad_scheme,        // does not start with exactly "sha256 "
  bad_digest,        // after the prefix: not exactly 64 hex characters
  mismatch,          // well formed, but not the MAC of this body under this secret
};

struct signature_check {
  signature_verdict verdict = signature_verdict::mismatch;

  bool ok() const noexcept { return verdict == signature_verdict::valid; }
  explicit operator bool() const noexcept { return ok(); }
  /// A fixed, loggable text for the verdict (never echoes input or secrets).
  std::string_view reason() const noexcept;
};

/// The scheme prefix, including its single space.
inline constexpr std::string_view greenhouse_signature_prefix = "sha256 ";

/// Lower-case hex of HMAC-SHA256(secret, raw_body): 64 characters. Throws std::runtime_error only
/// if OpenSSL fails (a broken host).
std::string greenhouse_signature_hex(std::string_view secret, std::string_view raw_body);

/// Lower-case hex of SHA-256(data): 64 characters, the same as auth::sha256_hex but with
/// OpenSSL's digest (fetched once), for the per-delivery content key. Throws like the above.
std::string sha256_hex(std::string_view data);

/// The full header value Greenhouse sends: "sha256 " + greenhouse_signature_hex(...). Used by the
/// fake Greenhouse emitter and by tests.
std::string sign_greenhouse_body(std::string_view secret, std::string_view raw_body);

/// Checks a `Signature` header value against the raw body. Strict: exactly "sha256 " then 64 hex
/// digits (either case) and nothing else (no surrounding whitespace, no second space). The
/// digest comparison is constant time (CRYPTO_memcmp over the 32 raw bytes).
signature_check verify_greenhouse_signature(std::string_view secret, std::string_view raw_body,
                                            std::string_view signature_header);

}  // namespace hw::ats
