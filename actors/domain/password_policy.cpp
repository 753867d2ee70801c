#include "actors/domain/password_policy.hpp"

#include <algorithm>
#include <string>

namespace hw::domain {

// Generated from data/common_passwords.txt by embed_text.cmake (see CMakeLists.txt).
std::string_view common_passwords_text();

namespace {

constexpr char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals_ascii(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

std::string_view trim_ascii_space(std::string_view s) noexcept {
  constexpr std::string_view ws = " \t\r\n";
  const auto first = s.find_first_not_of(ws);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(ws) - first + 1);
}

bool matches_email(std::string_view password, std::string_view email) noexcept {
  email = trim_ascii_space(email);
  if (email.empty()) return false;
  if (iequals_ascii(password, email)) return true;
  // The local part ends at the LAST '@' (a quoted local part may itself contain '@').
  const auto at = email.rfind('@');
  if (at == std::string_view::npos || at == 0) return false;
  return iequals_ascii(password, email.substr(0, at));
}

std::vector<std::string_view> build_index() {
  std::vector<std::string_view> words;
  const std::string_view blob = common_passwords_text();
  words.reserve(blob.size() / 8);
  std::size_t start = 0;
  while (start < blob.size()) {
    auto end = blob.find('\n', start);
    if (end == std::string_view::npos) end = blob.size();
    if (end > start) words.push_back(blob.substr(start, end - start));
    start = end + 1;
  }
  // The file is kept sorted and unique (data/README.md); this only guards a hand edit, which
  // would otherwise make the binary search silently miss entries.
  if (!std::is_sorted(words.begin(), words.end()) ||
      std::adjacent_find(words.begin(), words.end()) != words.end()) {
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
  }
  return words;
}

}  // namespace

std::string_view reason(password_problem p) noexcept {
  switch (p) {
    case password_problem::invalid_utf8: return "password: must be valid UTF-8 text";
    case password_problem::too_short: return "password: must be at least 12 characters";
    case password_problem::too_long: return "password: must be at most 128 characters";
    case password_problem::matches_email:
      return "password: must not be your e-mail address or its part before the @";
    case password_problem::too_common:
      return "password: is too common; choose a longer phrase that is unique to you";
  }
  return "password: is not acceptable";
}

std::optional<std::size_t> utf8_code_points(std::string_view s) noexcept {
  std::size_t count = 0;
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const auto is_cont = [&](std::size_t k) { return k < s.size() && (byte(k) & 0xC0) == 0x80; };
  while (i < s.size()) {
    const unsigned char b0 = byte(i);
    std::size_t len = 0;
    if (b0 < 0x80) {
      len = 1;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {  // 0xC0, 0xC1 only start overlong forms
      len = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {  // above 0xF4 is beyond U+10FFFF
      len = 4;
    } else {
      return std::nullopt;  // a stray continuation byte, or 0xC0, 0xC1, 0xF5..0xFF
    }
    for (std::size_t k = 1; k < len; ++k) {
      if (!is_cont(i + k)) return std::nullopt;  // truncated or interrupted sequence
    }
    // RFC 3629 table: the second byte's range is narrower after these lead bytes.
    if (len >= 3) {
      const unsigned char b1 = byte(i + 1);
      if (b0 == 0xE0 && b1 < 0xA0) return std::nullopt;  // overlong 3-byte form
      if (b0 == 0xED && b1 > 0x9F) return std::nullopt;  // UTF-16 surrogates D800..DFFF
      if (b0 == 0xF0 && b1 < 0x90) return std::nullopt;  // overlong 4-byte form
      if (b0 == 0xF4 && b1 > 0x8F) return std::nullopt;  // above U+10FFFF
    }
    i += len;
    ++count;
  }
  return count;
}

const std::vector<std::string_view>& common_passwords() {
  // A function-local static: built once, on first use, thread-safe since C++11.
  static const std::vector<std::string_view> index = build_index();
  return index;
}

bool is_common_password(std::string_view password) {
  if (password.empty()) return false;
  std::string lowered{password};
  for (char& c : lowered) c = ascii_lower(c);
  const auto& words = common_passwords();
  return std::binary_search(words.begin(), words.end(), std::string_view{lowered});
}

std::optional<password_problem> check_password(std::string_view password,
                                               std::string_view email) {
  const auto code_points = utf8_code_points(password);
  if (!code_points) return password_problem::invalid_utf8;
  if (*code_points < password_min_code_points) return password_problem::too_short;
  if (*code_points > password_max_code_points) return password_problem::too_long;
  if (matches_email(password, email)) return password_problem::matches_email;
  if (is_common_password(password)) return password_problem::too_common;
  return std::nullopt;
}

result<unit> validate_password(std::string_view password, std::string_view email) {
  if (const auto problem = check_password(password, email)) {
    return hw::error{errc::invalid_argument, std::string{reason(*problem)}};
  }
  return unit{};
}

}  // namespace hw::domain
