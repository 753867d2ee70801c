#pragma once
// RFC 4648 §5 base64url without padding (PURE, STL only): secrets, API keys, CSRF tokens, PKCE,
// JWS segments (actors/auth/tokens.hpp re-exports these) and the audit log's cursors.
#include <optional>
#include <string>
#include <string_view>

namespace hw {

/// base64url of `bytes`, no padding.
std::string base64url_encode(std::string_view bytes);

/// Strict inverse of base64url_encode: nothing when `text` has a character outside
/// [A-Za-z0-9_-] (padding '=' and whitespace included), a length of 1 mod 4, or non-zero
/// trailing bits (so each byte string has exactly one accepted encoding).
std::optional<std::string> base64url_decode(std::string_view text);

/// The 6-bit value of one base64url character, or -1.
int base64url_value(char c) noexcept;

}  // namespace hw
