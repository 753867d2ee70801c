#pragma once
// The audit log (issue 3, security-and-reliability.md §3.7): what is appended and what the API
// lists. PURE: STL only. One row per privileged change or refused attempt; never a token, never a
// field value (detail carries field names and reasons).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/domain/ids.hpp"
#include "actors/domain/result.hpp"

namespace hw {

/// The longest user agent stored; longer ones are cut (at a UTF-8 boundary).
constexpr std::size_t audit_user_agent_max = 512;

/// Who is asking: the authenticated principal, for the audit log, and the request it came with.
/// Never a token.
struct actor_ref {
  std::string kind = "system";  // "user" | "api_key" | "bootstrap_admin" | "system"
  std::string id;               // a stable, non-secret identifier
  std::optional<std::string> ip;          // the peer address of the connection
  std::optional<std::string> user_agent;  // as sent; cut to audit_user_agent_max when stored
  std::optional<std::string> request_id;  // the X-Request-Id the response carries
};

/// One row to append. The actor, and the request context (ip, user agent, request id), come from
/// `who`; `at` and `id` are assigned by the database.
struct audit_entry {
  org_id org;
  actor_ref who;
  std::string action;               // e.g. "organization.updated", "auth.admin_token_rejected"
  std::string target;               // the entity id acted on
  std::string outcome = "success";  // "success" | "failure" | "denied"
  std::string detail_json = "{}";   // a JSON object (field names and reasons only)
};

/// Filters and paging for listing one organization's audit log, newest first.
struct audit_query {
  std::optional<std::string> action_prefix;  // "organization." matches "organization.updated"
  std::optional<std::string> actor_kind;     // user | api_key | bootstrap_admin | system
  std::optional<std::string> actor_id;
  std::optional<std::string> outcome;        // success | failure | denied
  std::optional<std::string> since;          // RFC 3339, inclusive
  std::optional<std::string> until;          // RFC 3339, exclusive
  std::optional<std::string> cursor;         // opaque: next_cursor of the previous page
  int limit = 50;                            // 1..200
};

/// One listed row.
struct audit_record {
  std::int64_t id = 0;
  std::string at;  // RFC 3339 UTC with microseconds
  std::string actor_kind;
  std::string actor_id;
  std::string action;
  std::string target;
  std::string outcome;
  std::optional<std::string> ip;
  std::optional<std::string> user_agent;
  std::optional<std::string> request_id;
  std::string detail_json;  // a JSON object
};

struct audit_page {
  std::vector<audit_record> entries;
  std::optional<std::string> next_cursor;  // absent on the last page
};

constexpr int audit_limit_default = 50;
constexpr int audit_limit_max = 200;

bool is_audit_actor_kind(std::string_view s) noexcept;
bool is_audit_outcome(std::string_view s) noexcept;

/// A strict RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM), with ranges checked.
bool is_rfc3339(std::string_view s) noexcept;

/// The opaque cursor for "rows older than `last_id`": base64url (no padding) of its decimal text.
std::string encode_audit_cursor(std::int64_t last_id);
/// The id inside a cursor; nothing when it is not one we issued (any positive id is accepted).
std::optional<std::int64_t> decode_audit_cursor(std::string_view cursor) noexcept;

/// `ua` cut to at most audit_user_agent_max bytes without splitting a UTF-8 sequence.
std::string truncate_user_agent(std::string_view ua);

/// invalid_argument naming the first bad field of `q`, or nothing.
std::optional<hw::error> validate(const audit_query& q);

}  // namespace hw
