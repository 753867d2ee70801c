#pragma once
// PURE: who may do what inside one organization. No CAF, Boost, pqxx or I/O.
//
// The model (DESIGN.md "Domain, by capability" item 1):
// - A user holds exactly one role per organization (a membership). Roles are NESTED: each role
//   may do everything the role ranked below it may do, plus more (static_assert below), like
//   GitLab's guest < reporter < developer < maintainer < owner. role_rank() is that order.
// - `permission_table` is the ONE place that says which role may perform which action. Handlers
//   ask `allowed(role, action)`; nothing else derives permissions from ranks or names.
// - One deliberate exception to nesting, separation of duties (`not_nested` below): a recruiter
//   builds a job's interview template but only a hiring manager, an admin or an owner approves
//   it (template.approve; issue 5).
// - Role changes and removals need more than the table, because the answer depends on the target
//   member too: `can_assign_role`, `can_remove_member`, `last_owner_guard`, composed by
//   `check_role_change` / `check_member_removal`.
// - Object-level checks are NOT here: the org_id always comes from the session (another org's id
//   answers not_found), and "nobody approves their own item" is a rule of the content workflow.
#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string_view>

#include "actors/domain/result.hpp"

namespace hw::domain {

/// Membership roles, highest first. Stored and sent as their to_string() names.
enum class role : std::uint8_t { owner, admin, recruiter, hiring_manager, interviewer, viewer };

inline constexpr std::size_t role_count = 6;
inline constexpr std::array<role, role_count> all_roles = {
  role::owner, role::admin, role::recruiter, role::hiring_manager, role::interviewer, role::viewer};

/// Total order of roles: owner 6 > admin 5 > recruiter 4 > hiring_manager 3 > interviewer 2 >
/// viewer 1. A role with a higher rank holds every permission of a lower one.
constexpr int role_rank(role r) noexcept {
  return static_cast<int>(role_count) - static_cast<int>(r);
}

/// What a caller wants to do. The dotted names (to_string) appear in the audit log ("authz.deny
/// action=invitation.create") and in the API's permission listing; never renumber, only append.
enum class action : std::uint8_t {
  org_read,             // see the organization and its settings
  org_update_settings,  // name, branding, retention days, other settings
  org_close,            // close the organization (irreversible)
  member_list,
  member_invite,        // invite a user with a role (see can_invite_role)
  member_change_role,   // see can_assign_role / check_role_change
  member_remove,        // see can_remove_member / check_member_removal
  api_key_list,
  api_key_create,
  api_key_revoke,
  sso_read,
  sso_configure,        // per-org OIDC settings: owners only (whoever controls the identity
                        // provider can sign in as any member, owners included)
  audit_read,
  webhook_read,         // outgoing (Standard Webhooks) endpoints
  webhook_configure,
  ats_read,             // connections and their health
  ats_connect,          // add a connection or change its credentials
  ats_disconnect,
  ats_sync,             // trigger a resync
  job_read,
  job_update,           // per-job settings, e.g. automatic invitation on a stage change
  content_read,         // question and challenge library
  content_create,       // drafts, including generated drafts
  content_approve,      // review a library item (never one's own: content workflow rule)
  template_read,        // job interview templates
  template_update,      // build and customize a template
  template_approve,     // approve a template version for use in invitations
  email_template_read,
  email_template_update,
  invitation_read,
  invitation_create,    // manual and bulk
  invitation_update,    // extend, resend, reschedule
  invitation_revoke,
  results_read,
  results_review,       // score and comment on a candidate's answers
  results_export,       // push results to the ATS
  candidate_export,     // privacy: a candidate's data export
  candidate_erase,      // privacy: erasure
  dev_mailbox_read,     // the local mail catcher (development setups only)
  candidate_pii_read,   // see imported candidates' names, e-mails and phones (not just ids)
  skill_manage,         // edit the organization's skill taxonomy (aliases, custom skills)
};

/// Whether an action only reads (GET-like) or changes something.
enum class action_kind : std::uint8_t { read, write };

struct permission_row {
  action act;
  std::string_view name;
  action_kind kind;
  // Indexed by role, in all_roles order.
  std::array<bool, role_count> allowed;
};

namespace permission_grid {

inline constexpr bool Y = true;
inline constexpr bool _ = false;
inline constexpr action_kind R = action_kind::read;
inline constexpr action_kind W = action_kind::write;

// clang-format off
/// THE permission matrix: one row per action, in enum order (static_assert below).
inline constexpr permission_row table[] = {
  // R/W: action_kind read/write. Columns: owner, admin, recruiter, hiring_manager, interviewer,
  // viewer (all_roles order). Y: allowed, _: denied.
  //                                                             own  adm  rec  hm   int  view
  {action::org_read,              "org.read",              R, {{ Y,   Y,   Y,   Y,   Y,   Y }}},
  {action::org_update_settings,   "org.update_settings",   W, {{ Y,   Y,   _,   _,   _,   _ }}},
  {action::org_close,             "org.close",             W, {{ Y,   _,   _,   _,   _,   _ }}},
  {action::member_list,           "member.list",           R, {{ Y,   Y,   Y,   Y,   Y,   Y }}},
  {action::member_invite,         "member.invite",         W, {{ Y,   Y,   _,   _,   _,   _ }}},
  {action::member_change_role,    "member.change_role",    W, {{ Y,   Y,   _,   _,   _,   _ }}},
  {action::member_remove,         "member.remove",         W, {{ Y,   Y,   _,   _,   _,   _ }}},
  {action::api_key_list,          "api_key.list",          R, {{ Y,   Y,   _,   _,   _,   _ }}},
  {action::api_key_create,        "api_key.create",        W, {{ Y,   Y,   _,   _,   _,   _ }}},
  {action::api_key_revoke,        "api_key.revoke",        W, {{ Y,   Y,   _,   _,   _,   _ }}},
  {action::sso_read,              "sso.read",              R, {{ Y,   Y,   _,   _,   _,   _ }}},
  {action::sso_configure,         "sso.configure",         W, {{ Y,   _,   _,   _,   _,   _ }}},
  {action::audit_read,            "audit.read",            R, {{ Y,   Y,   _,   _,   _,   _ }}},
  {action::webhook_read,          "webhook.read",          R, {{ Y,   Y,   _,   _,   _,   _ }}},
  {action::webhook_configure,     "webhook.configure",     W, {{ Y,   Y,   _,   _,   _,   _ }}},
  {action::ats_read,              "ats.read",              R, {{ Y,   Y,   Y,   Y,   _,   _ }}},
  {action::ats_connect,           "ats.connect",           W, {{ Y,   Y,   _,   _,   _,   _ }}},
  {action::ats_disconnect,        "ats.disconnect",        W, {{ Y,   Y,   _,   _,   _,   _ }}},
  {action::ats_sync,              "ats.sync",              W, {{ Y,   Y,   Y,   _,   _,   _ }}},
  {action::job_read,              "job.read",              R, {{ Y,   Y,   Y,   Y,   Y,   Y }}},
  {action::job_update,            "job.update",            W, {{ Y,   Y,   Y,   _,   _,   _ }}},
  {action::content_read,          "content.read",          R, {{ Y,   Y,   Y,   Y,   Y,   Y }}},
  {action::content_create,        "content.create",        W, {{ Y,   Y,   Y,   Y,   Y,   _ }}},
  {action::content_approve,       "content.approve",       W, {{ Y,   Y,   Y,   Y,   _,   _ }}},
  {action::template_read,         "template.read",         R, {{ Y,   Y,   Y,   Y,   Y,   Y }}},
  {action::template_update,       "template.update",       W, {{ Y,   Y,   Y,   Y,   _,   _ }}},
  {action::template_approve,      "template.approve",      W, {{ Y,   Y,   _,   Y,   _,   _ }}},
  {action::email_template_read,   "email_template.read",   R, {{ Y,   Y,   Y,   _,   _,   _ }}},
  {action::email_template_update, "email_template.update", W, {{ Y,   Y,   Y,   _,   _,   _ }}},
  {action::invitation_read,       "invitation.read",       R, {{ Y,   Y,   Y,   Y,   Y,   Y }}},
  {action::invitation_create,     "invitation.create",     W, {{ Y,   Y,   Y,   _,   _,   _ }}},
  {action::invitation_update,     "invitation.update",     W, {{ Y,   Y,   Y,   _,   _,   _ }}},
  {action::invitation_revoke,     "invitation.revoke",     W, {{ Y,   Y,   Y,   _,   _,   _ }}},
  {action::results_read,          "results.read",          R, {{ Y,   Y,   Y,   Y,   Y,   Y }}},
  {action::results_review,        "results.review",        W, {{ Y,   Y,   Y,   Y,   Y,   _ }}},
  {action::results_export,        "results.export",        W, {{ Y,   Y,   Y,   _,   _,   _ }}},
  {action::candidate_export,      "candidate.export",      R, {{ Y,   Y,   _,   _,   _,   _ }}},
  {action::candidate_erase,       "candidate.erase",       W, {{ Y,   Y,   _,   _,   _,   _ }}},
  {action::dev_mailbox_read,      "dev_mailbox.read",      R, {{ Y,   Y,   _,   _,   _,   _ }}},
  {action::candidate_pii_read,    "candidate.pii_read",    R, {{ Y,   Y,   Y,   Y,   _,   _ }}},
  {action::skill_manage,          "skill.manage",          W, {{ Y,   Y,   _,   _,   _,   _ }}},
};
// clang-format on

}  // namespace permission_grid

inline constexpr auto& permission_table = permission_grid::table;
inline constexpr std::size_t action_count = std::size(permission_grid::table);

constexpr std::size_t index_of(role r) noexcept { return static_cast<std::size_t>(r); }
constexpr std::size_t index_of(action a) noexcept { return static_cast<std::size_t>(a); }

/// The table row of an action (rows are in enum order, checked below).
constexpr const permission_row& row_of(action a) noexcept { return permission_table[index_of(a)]; }

/// True when `r` may perform `a` in its own organization. Unknown values (a corrupt cast) deny.
constexpr bool allowed(role r, action a) noexcept {
  if (index_of(a) >= action_count || index_of(r) >= role_count) return false;
  return row_of(a).allowed[index_of(r)];
}

constexpr action_kind kind_of(action a) noexcept { return row_of(a).kind; }

/// Role changes: owners may set any member's role to any role (including granting and revoking
/// owner); admins may change members who are not owners to any role but owner (admins included);
/// nobody else changes roles. Whether the change leaves the organization an owner is a separate
/// question: last_owner_guard.
constexpr bool can_assign_role(role actor, role target_current, role new_role) noexcept {
  if (actor == role::owner) return true;
  if (actor == role::admin) return target_current != role::owner && new_role != role::owner;
  return false;
}

/// Inviting a new member with `invited`: as if assigning it to someone who is not an owner.
constexpr bool can_invite_role(role actor, role invited) noexcept {
  return can_assign_role(actor, role::viewer, invited);
}

/// Removals follow the same line: owners remove anyone, admins remove anyone but owners.
constexpr bool can_remove_member(role actor, role target) noexcept {
  if (actor == role::owner) return true;
  if (actor == role::admin) return target != role::owner;
  return false;
}

/// The error every owner-count violation carries (errc::conflict -> 409).
inline constexpr std::string_view last_owner_detail =
  "role: an organization must keep at least one owner";

/// `new_role_or_removal` is the target's new role, or nullopt when the member is removed (or
/// leaves). `owner_count` is the organization's current number of owners, read in the same
/// transaction that applies the change (otherwise two concurrent demotions both pass).
/// Errors with errc::conflict when the change would leave zero owners; an owner_count of 0 for an
/// owner target is inconsistent input and is refused too (fail closed).
result<unit> last_owner_guard(std::size_t owner_count, role target_role,
                              std::optional<role> new_role_or_removal);

/// The whole decision for `PATCH member role`: the table (member.change_role), can_assign_role
/// (errc::forbidden), then last_owner_guard (errc::conflict).
result<unit> check_role_change(role actor, role target_current, role new_role,
                               std::size_t owner_count);

/// The whole decision for removing a member: the table (member.remove), can_remove_member
/// (errc::forbidden), then last_owner_guard (errc::conflict).
result<unit> check_member_removal(role actor, role target, std::size_t owner_count);

std::string_view to_string(role r) noexcept;
std::optional<role> parse_role(std::string_view s) noexcept;
std::string_view to_string(action a) noexcept;
std::optional<action> parse_action(std::string_view s) noexcept;

// ---- Invariants of the table, checked at compile time. ----
namespace permission_checks {

constexpr bool rows_in_enum_order() {
  for (std::size_t i = 0; i < action_count; ++i) {
    if (index_of(permission_table[i].act) != i) return false;
  }
  return true;
}

constexpr bool names_unique() {
  for (std::size_t i = 0; i < action_count; ++i) {
    for (std::size_t j = i + 1; j < action_count; ++j) {
      if (permission_table[i].name == permission_table[j].name) return false;
    }
  }
  return true;
}

constexpr bool role_may_do_all(role r) {
  for (const auto& row : permission_table) {
    if (!row.allowed[index_of(r)]) return false;
  }
  return true;
}

constexpr bool role_only_reads(role r) {
  for (const auto& row : permission_table) {
    if (row.allowed[index_of(r)] && row.kind != action_kind::read) return false;
  }
  return true;
}

constexpr bool only_owner_may(action a) {
  for (role r : all_roles) {
    if (allowed(r, a) != (r == role::owner)) return false;
  }
  return true;
}

/// Actions exempt from nesting (separation of duties): the recruiter who builds a job's interview
/// template does not approve it; a hiring manager, an admin or an owner does.
inline constexpr action not_nested[] = {action::template_approve};

constexpr bool is_not_nested(action a) {
  for (action x : not_nested) {
    if (x == a) return true;
  }
  return false;
}

constexpr bool roles_nested() {
  for (role hi : all_roles) {
    for (role lo : all_roles) {
      if (role_rank(hi) <= role_rank(lo)) continue;
      for (const auto& row : permission_table) {
        if (is_not_nested(row.act)) continue;
        if (row.allowed[index_of(lo)] && !row.allowed[index_of(hi)]) return false;
      }
    }
  }
  return true;
}

constexpr bool every_action_has_a_role() {
  for (const auto& row : permission_table) {
    bool any = false;
    for (bool b : row.allowed) any = any || b;
    if (!any) return false;
  }
  return true;
}

// The roles the table lets change roles are exactly the roles for which some change is legal.
constexpr bool role_rules_match_table() {
  for (role actor : all_roles) {
    bool some_assign = false;
    bool some_remove = false;
    for (role t : all_roles) {
      some_remove = some_remove || can_remove_member(actor, t);
      for (role n : all_roles) some_assign = some_assign || can_assign_role(actor, t, n);
    }
    if (some_assign != allowed(actor, action::member_change_role)) return false;
    if (some_remove != allowed(actor, action::member_remove)) return false;
    if (some_assign != allowed(actor, action::member_invite)) return false;
  }
  return true;
}

}  // namespace permission_checks

static_assert(action_count == index_of(action::skill_manage) + 1,
              "every action has exactly one row in permission_table");
static_assert(permission_checks::rows_in_enum_order(), "permission_table rows follow the enum");
static_assert(permission_checks::names_unique(), "action names are unique");
static_assert(permission_checks::role_may_do_all(role::owner), "an owner may do everything");
static_assert(permission_checks::role_only_reads(role::viewer), "a viewer may only read");
static_assert(permission_checks::only_owner_may(action::org_close),
              "no role but owner may close the organization");
static_assert(permission_checks::roles_nested(),
              "a higher-ranked role holds every permission of a lower-ranked one (but not_nested)");
static_assert(!allowed(role::recruiter, action::template_approve) &&
                  allowed(role::hiring_manager, action::template_approve),
              "separation of duties: recruiters build templates, hiring managers approve them");
static_assert(permission_checks::every_action_has_a_role(), "no action is unreachable");
static_assert(permission_checks::role_rules_match_table(),
              "can_assign_role / can_remove_member agree with the member.* rows");
static_assert(!allowed(role::admin, action::org_close), "admins cannot close the organization");
static_assert(permission_checks::only_owner_may(action::sso_configure),
              "only owners configure SSO: the identity provider can sign in as any member");
static_assert(!can_assign_role(role::admin, role::owner, role::viewer),
              "admins cannot demote owners");
static_assert(!can_assign_role(role::admin, role::viewer, role::owner),
              "admins cannot grant owner");
static_assert(role_rank(role::owner) > role_rank(role::admin) &&
                role_rank(role::admin) > role_rank(role::recruiter) &&
                role_rank(role::recruiter) > role_rank(role::hiring_manager) &&
                role_rank(role::hiring_manager) > role_rank(role::interviewer) &&
                role_rank(role::interviewer) > role_rank(role::viewer) &&
                role_rank(role::viewer) > 0,
              "ranks follow the enum, highest first");

}  // namespace hw::domain
