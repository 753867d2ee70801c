#pragma once
// Lever webhook signatures (ats.md §2): the body carries {"triggeredAt", "token", "signature", ...}
// and
//   signature == hex(HMAC-SHA256(key = signature token, msg = token + triggeredAt))
// with token and triggeredAt (epoch ms, decimal) concatenated without a separator. The body itself
// is not signed, so a replay is bounded by our own window on triggeredAt (±5 minutes).
//
// Plain functions (OpenSSL), any thread; they never log, and no reason ever echoes the token, the
// signature token or a digest.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace hw::ats {

enum class lever_verdict : std::uint8_t {
  valid = 1,
  no_secret,       // no signature token configured: refuse everything
  missing_fields,  // token, triggeredAt or signature absent or ill-typed
  bad_digest,      // signature is not 64 hex characters
  mismatch,        // well formed, but not the MAC under this signature token
  stale,           // triggeredAt outside the allowed window around now
};

struct lever_signature_check {
  lever_verdict verdict = lever_verdict::mismatch;
  bool ok() const noexcept { return verdict == lever_verdict::valid; }
  explicit operator bool() const noexcept { return ok(); }
  /// A fixed, loggable text for the verdict.
  std::string_view reason() const noexcept;
};

inline constexpr std::chrono::milliseconds lever_signature_window{5 * 60 * 1000};

/// Lower-case hex of HMAC-SHA256(signature_token, token + triggered_at).
std::string lever_signature_hex(std::string_view signature_token, std::string_view token,
                                std::string_view triggered_at);

/// Checks the parsed delivery `body`: triggeredAt is an integer (or a string of digits) of epoch
/// ms within `window` of now_ms; the comparison is constant time (CRYPTO_memcmp).
lever_signature_check verify_lever_signature(std::string_view signature_token, const nlohmann::json& body,
                                             std::int64_t now_ms,
                                             std::chrono::milliseconds window = lever_signature_window);

}  // namespace hw::ats
