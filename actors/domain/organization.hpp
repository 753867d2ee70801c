#pragma once
// PURE: the organization aggregate, its settings and their validation.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "actors/domain/errc.hpp"
#include "actors/domain/ids.hpp"
#include "actors/domain/organization_fsm.hpp"
#include "actors/domain/result.hpp"

namespace hw::domain {

struct branding {
  std::optional<std::string> logo_url;  // https URL, or none
  std::string primary_color = "#1f4b99";  // #rrggbb
  std::string accent_color = "#f2a541";   // #rrggbb
  friend bool operator==(const branding& a, const branding& b) {
    return a.logo_url == b.logo_url && a.primary_color == b.primary_color &&
           a.accent_color == b.accent_color;
  }
};

struct organization {
  org_id id;
  std::string name;
  std::string slug;
  std::string time_zone = "UTC";
  branding brand;
  org_state state = org_state::active;
  std::int64_t version = 0;       // compare-and-swap token; 1 after insert
  std::string created_at;         // RFC 3339, as stored
  std::string updated_at;         // RFC 3339, as stored
};

/// What a caller may send to create an organization.
struct org_create {
  std::string name;
  std::string slug;
  std::string time_zone = "UTC";
  branding brand;
};

/// A partial update: only the fields that are set change. `logo_url` set to an empty optional
/// inside the outer optional clears the logo.
struct org_patch {
  std::optional<std::string> name;
  std::optional<std::string> slug;
  std::optional<std::string> time_zone;
  std::optional<std::optional<std::string>> logo_url;
  std::optional<std::string> primary_color;
  std::optional<std::string> accent_color;
  bool empty() const noexcept {
    return !name && !slug && !time_zone && !logo_url && !primary_color && !accent_color;
  }
};

// Field validators return the error detail (naming the field) or nothing when valid.
std::optional<std::string> check_name(std::string_view v);
std::optional<std::string> check_slug(std::string_view v);
std::optional<std::string> check_time_zone(std::string_view v);  // IANA form; existence checked by storage
std::optional<std::string> check_color(std::string_view field, std::string_view v);
std::optional<std::string> check_logo_url(std::string_view v);

/// Validates every field of a create request.
std::optional<hw::error> validate(const org_create& c);

/// Applies a patch to a copy of `o` after validating it. Refuses edits of a closed organization.
result<organization> apply_patch(const organization& o, const org_patch& p);

/// Applies a lifecycle event through the transition table.
result<organization> apply_event(const organization& o, org_event e);

}  // namespace hw::domain
