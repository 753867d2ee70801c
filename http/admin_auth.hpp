#pragma once
// The bootstrap admin credential: `Authorization: Bearer <token>` where SHA-256(token) equals the
// configured digest. Compared in constant time; the token is never stored, logged or echoed.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "actors/domain/errc.hpp"

namespace hw::http_api {

struct admin_key {
  bool enabled = false;
  std::array<std::uint8_t, 32> digest{};

  /// From the hex option. Empty: disabled. Throws std::invalid_argument unless 64 hex digits.
  static admin_key from_hex(std::string_view hex);
};

/// True when `s` starts with `lower_prefix` ignoring ASCII case ("Bearer " vs "bearer ").
bool iequals_prefix(std::string_view s, std::string_view lower_prefix) noexcept;

/// Checks an Authorization header value against the key. Returns nothing when authorized, else
/// the error to answer (errc::unauthorized, with a detail that never contains the token).
std::optional<hw::error> check_admin(const admin_key& key, std::string_view authorization);

}  // namespace hw::http_api
