#include "actors/domain/permissions.hpp"

namespace hw::domain {

result<unit> last_owner_guard(std::size_t owner_count, role target_role,
                              std::optional<role> new_role_or_removal) {
  // Only an owner who stops being one can lower the count.
  if (target_role != role::owner) return unit{};
  if (new_role_or_removal == role::owner) return unit{};
  if (owner_count <= 1) return hw::error{errc::conflict, std::string{last_owner_detail}};
  return unit{};
}

result<unit> check_role_change(role actor, role target_current, role new_role,
                               std::size_t owner_count) {
  if (!allowed(actor, action::member_change_role) ||
      !can_assign_role(actor, target_current, new_role)) {
    return hw::error{errc::forbidden, "role: you may not give this member that role"};
  }
  return last_owner_guard(owner_count, target_current, new_role);
}

result<unit> check_member_removal(role actor, role target, std::size_t owner_count) {
  if (!allowed(actor, action::member_remove) || !can_remove_member(actor, target)) {
    return hw::error{errc::forbidden, "member: you may not remove this member"};
  }
  return last_owner_guard(owner_count, target, std::nullopt);
}

std::string_view to_string(role r) noexcept {
  switch (r) {
    case role::owner: return "owner";
    case role::admin: return "admin";
    case role::recruiter: return "recruiter";
    case role::hiring_manager: return "hiring_manager";
    case role::interviewer: return "interviewer";
    case role::viewer: return "viewer";
  }
  return "viewer";
}

std::optional<role> parse_role(std::string_view s) noexcept {
  for (role r : all_roles) {
    if (to_string(r) == s) return r;
  }
  return std::nullopt;
}

std::string_view to_string(action a) noexcept {
  if (index_of(a) >= action_count) return "unknown";
  return row_of(a).name;
}

std::optional<action> parse_action(std::string_view s) noexcept {
  for (const auto& row : permission_table) {
    if (row.name == s) return row.act;
  }
  return std::nullopt;
}

}  // namespace hw::domain
