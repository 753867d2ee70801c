#include "actors/domain/ids.hpp"

#include <cctype>

namespace hw {

namespace {
// ASCII only, without the locale lookups of std::isxdigit / std::tolower (hot: every webhook).
bool hex_digit(char c) noexcept { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
}  // namespace

bool is_uuid(std::string_view s) noexcept {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!hex_digit(c)) {
      return false;
    }
  }
  return true;
}

std::string canonical_uuid(std::string_view s) {
  if (!is_uuid(s)) return {};
  std::string out{s};
  for (auto& c : out) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace hw
