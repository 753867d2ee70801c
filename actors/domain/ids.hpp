#pragma once
// Strong identifiers. PURE: STL only.
#include <string>
#include <string_view>
#include <functional>

namespace hw {

/// An organization id: a canonical lowercase UUID text ("8-4-4-4-12").
struct org_id {
  std::string value;
  friend bool operator==(const org_id& a, const org_id& b) { return a.value == b.value; }
  friend bool operator!=(const org_id& a, const org_id& b) { return a.value != b.value; }
  friend bool operator<(const org_id& a, const org_id& b) { return a.value < b.value; }
};

/// True for a canonical UUID in text form (any case). Anything else can never name an entity.
bool is_uuid(std::string_view s) noexcept;

/// Lowercases a UUID; returns empty when `s` is not a UUID.
std::string canonical_uuid(std::string_view s);

}  // namespace hw

template <>
struct std::hash<hw::org_id> {
  std::size_t operator()(const hw::org_id& k) const noexcept { return std::hash<std::string>{}(k.value); }
};
