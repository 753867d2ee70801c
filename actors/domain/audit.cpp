#include "actors/domain/audit.hpp"

#include "actors/domain/base64url.hpp"

#include <array>

namespace hw {

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) noexcept {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

bool is_audit_actor_kind(std::string_view s) noexcept {
  return s == "user" || s == "api_key" || s == "bootstrap_admin" || s == "system";
}

bool is_audit_outcome(std::string_view s) noexcept { return s == "success" || s == "failure" || s == "denied"; }

bool is_rfc3339(std::string_view s) noexcept {
  int y, mo, d, h, mi, sec;
  if (!digits(s, 0, 4, y) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't') || !digits(s, 11, 2, h) || s[13] != ':' ||
      !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, sec))
    return false;
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return false;
  static constexpr std::array<int, 12> days = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d > days[static_cast<std::size_t>(mo - 1)]) return false;
  if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) return false;
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    const auto start = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start || i - start > 9) return false;
  }
  if (i == s.size()) return false;
  if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == s.size()) return true;
  int oh, om;
  return (s[i] == '+' || s[i] == '-') && i + 6 == s.size() && digits(s, i + 1, 2, oh) && s[i + 3] == ':' &&
         digits(s, i + 4, 2, om) && oh <= 23 && om <= 59;
}

std::string encode_audit_cursor(std::int64_t last_id) { return base64url_encode(std::to_string(last_id)); }

std::optional<std::int64_t> decode_audit_cursor(std::string_view cursor) noexcept {
  if (cursor.empty() || cursor.size() > 32) return std::nullopt;
  auto decoded = base64url_decode(cursor);  // strict: non-canonical trailing bits are refused
  if (!decoded) return std::nullopt;
  const std::string& text = *decoded;
  if (text.empty() || text.size() > 18 || text[0] == '0') return std::nullopt;
  std::int64_t id = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  return id;
}

std::string truncate_user_agent(std::string_view ua) {
  if (ua.size() <= audit_user_agent_max) return std::string{ua};
  std::size_t n = audit_user_agent_max;
  // Back off over continuation bytes (10xxxxxx) so the cut lands on a sequence start.
  while (n > 0 && (static_cast<unsigned char>(ua[n]) & 0xC0) == 0x80) --n;
  return std::string{ua.substr(0, n)};
}

std::optional<hw::error> validate(const audit_query& q) {
  if (q.limit < 1 || q.limit > audit_limit_max) return hw::error{errc::invalid_argument, "limit: expected 1 to 200"};
  if (q.actor_kind && !is_audit_actor_kind(*q.actor_kind))
    return hw::error{errc::invalid_argument, "actor_kind: expected user, api_key, bootstrap_admin or system"};
  if (q.outcome && !is_audit_outcome(*q.outcome))
    return hw::error{errc::invalid_argument, "outcome: expected success, failure or denied"};
  if (q.since && !is_rfc3339(*q.since))
    return hw::error{errc::invalid_argument, "since: expected an RFC 3339 date-time, e.g. 2024-05-01T12:00:00Z"};
  if (q.until && !is_rfc3339(*q.until))
    return hw::error{errc::invalid_argument, "until: expected an RFC 3339 date-time, e.g. 2024-05-01T12:00:00Z"};
  if (q.cursor && !decode_audit_cursor(*q.cursor))
    return hw::error{errc::invalid_argument, "cursor: not a cursor returned by this API"};
  if (q.action_prefix && (q.action_prefix->empty() || q.action_prefix->size() > 100))
    return hw::error{errc::invalid_argument, "action: expected 1 to 100 characters"};
  if (q.actor_id && (q.actor_id->empty() || q.actor_id->size() > 200))
    return hw::error{errc::invalid_argument, "actor_id: expected 1 to 200 characters"};
  return std::nullopt;
}

}  // namespace hw
