#include "actors/domain/audit.hpp"

#include <array>

namespace hw {

namespace {

constexpr std::string_view b64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int b64url_value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

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

std::string encode_audit_cursor(std::int64_t last_id) {
  const std::string in = std::to_string(last_id);
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += b64url[(v >> 18) & 63];
    out += b64url[(v >> 12) & 63];
    out += b64url[(v >> 6) & 63];
    out += b64url[v & 63];
  }
  const std::size_t rest = in.size() - i;
  if (rest == 1) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += b64url[(v >> 18) & 63];
    out += b64url[(v >> 12) & 63];
  } else if (rest == 2) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += b64url[(v >> 18) & 63];
    out += b64url[(v >> 12) & 63];
    out += b64url[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::int64_t> decode_audit_cursor(std::string_view cursor) noexcept {
  if (cursor.empty() || cursor.size() > 32 || cursor.size() % 4 == 1) return std::nullopt;
  std::string text;
  unsigned acc = 0;
  int bits = 0;
  for (char c : cursor) {
    const int v = b64url_value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      text += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;  // non-canonical trailing bits
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
