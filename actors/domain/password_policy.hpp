#pragma once
// PURE: which passwords a recruiter may choose. No CAF, Boost, pqxx, crypto or I/O.
//
// The policy follows ASVS 5.0 V6.2 and NIST SP 800-63B §3.1.1.2 (security-and-reliability.md §3):
// - length counted in Unicode code points: at least 12, at most 128 (a 128-code-point password
//   is at most 512 bytes, which bounds the argon2id input). Valid UTF-8 is required. Spaces and
//   every other character are allowed; nothing is trimmed, truncated or normalized here, and the
//   hashing layer hashes exactly these bytes.
// - NO composition rules (no "one digit, one symbol"; ASVS 6.2.5) and NO forced periodic
//   rotation (ASVS 6.2.10): users change passwords when they want to or after a compromise.
// - refused: the ~49,000 most common passwords (data/common_passwords.txt, embedded at build
//   time), compared case-insensitively (ASCII); and the account's e-mail address or its local
//   part (case-insensitively).
// Only the first problem found is reported, in this order: invalid UTF-8, too short, too long,
// equal to the e-mail, too common.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "actors/domain/result.hpp"

namespace hw::domain {

inline constexpr std::size_t password_min_code_points = 12;
inline constexpr std::size_t password_max_code_points = 128;

enum class password_problem : std::uint8_t {
  invalid_utf8,
  too_short,
  too_long,
  matches_email,
  too_common,
};

/// A sentence for the UI, e.g. "password: must be at least 12 characters". Never contains the
/// password.
std::string_view reason(password_problem p) noexcept;

/// The first problem with `password` for an account whose e-mail address is `email` (may be
/// empty when not known yet), or nullopt when the password is acceptable.
std::optional<password_problem> check_password(std::string_view password,
                                               std::string_view email);

/// check_password as a result: errc::invalid_argument with reason() as the detail.
result<unit> validate_password(std::string_view password, std::string_view email);

/// The number of code points in `s`, or nullopt when `s` is not valid UTF-8 (RFC 3629: no
/// overlong forms, no surrogates, nothing above U+10FFFF, no truncated sequences).
std::optional<std::size_t> utf8_code_points(std::string_view s) noexcept;

/// True when `password`, ASCII-lowercased, is in the embedded common-password list.
bool is_common_password(std::string_view password);

/// The embedded list as an index into the embedded bytes: sorted bytewise, unique, lowercase.
/// Built on first use (thread-safe) in about a millisecond; exposed for tests and tools.
const std::vector<std::string_view>& common_passwords();

}  // namespace hw::domain
