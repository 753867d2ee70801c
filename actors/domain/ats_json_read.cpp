#include "actors/domain/ats_json_read.hpp"

#include <cctype>
#include <limits>

#include <nlohmann/json.hpp>

namespace hw::domain::ats_json {

const nlohmann::json* member(const nlohmann::json& obj, const char* field) {
  if (!obj.is_object()) return nullptr;
  const auto it = obj.find(field);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}


namespace {

using json = nlohmann::json;

const json* find(const json& obj, std::string_view field) {
  if (!obj.is_object()) return nullptr;
  const auto it = obj.find(std::string{field});
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

// Reads exactly `n` digits at `pos`.
bool digits(std::string_view s, std::size_t& pos, int n, int& out) {
  if (pos + static_cast<std::size_t>(n) > s.size()) return false;
  out = 0;
  for (int i = 0; i < n; ++i) {
    const char c = s[pos++];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || (s[pos] != c && !(c == 'T' && s[pos] == 't'))) return false;
  ++pos;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

std::optional<epoch_ms> parse_iso8601_ms(std::string_view s) noexcept {
  std::size_t p = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (!digits(s, p, 4, y) || !expect(s, p, '-') || !digits(s, p, 2, mo) || !expect(s, p, '-') ||
      !digits(s, p, 2, d) || !expect(s, p, 'T') || !digits(s, p, 2, h) || !expect(s, p, ':') ||
      !digits(s, p, 2, mi) || !expect(s, p, ':') || !digits(s, p, 2, se)) {
    return std::nullopt;
  }
  static constexpr int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1) return std::nullopt;
  if (d > month_days[mo - 1] + (mo == 2 && leap(y) ? 1 : 0)) return std::nullopt;
  if (h > 23 || mi > 59 || se > 60) return std::nullopt;  // 60: a leap second, folded below
  int ms = 0;
  if (p < s.size() && s[p] == '.') {
    ++p;
    int n = 0;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
      if (n < 3) ms = ms * 10 + (s[p] - '0');
      ++n;
      ++p;
    }
    if (n == 0) return std::nullopt;
    for (int i = n; i < 3; ++i) ms *= 10;
  }
  std::int64_t offset_min = 0;
  if (p < s.size() && (s[p] == 'Z' || s[p] == 'z')) {
    ++p;
  } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    const int sign = s[p] == '-' ? -1 : 1;
    ++p;
    int oh = 0, om = 0;
    if (!digits(s, p, 2, oh)) return std::nullopt;
    if (p < s.size() && s[p] == ':') ++p;
    if (!digits(s, p, 2, om) || oh > 23 || om > 59) return std::nullopt;
    offset_min = sign * (oh * 60 + om);
  } else {
    return std::nullopt;  // a time without a zone is ambiguous
  }
  if (p != s.size()) return std::nullopt;
  if (se == 60) se = 59;
  const std::int64_t secs = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
                            h * 3600 + mi * 60 + se - offset_min * 60;
  return secs * 1000 + ms;
}

hw::error invalid(std::string_view record, std::string_view field, std::string_view what) {
  std::string d{record};
  d += ": '";
  d += field;
  d += "' ";
  d += what;
  return hw::error{errc::invalid_argument, std::move(d)};
}

result<unit> require_object(const json& v, std::string_view record) {
  if (!v.is_object()) {
    return hw::error{errc::invalid_argument, std::string{record} + ": not a JSON object"};
  }
  return unit{};
}

result<std::string> opt_id(const json& obj, std::string_view field, std::string_view record) {
  const json* v = find(obj, field);
  if (!v) return std::string{};
  if (v->is_number_unsigned()) return std::to_string(v->get<std::uint64_t>());
  if (v->is_number_integer()) {
    const auto n = v->get<std::int64_t>();
    if (n < 0) return invalid(record, field, "must not be negative");
    return std::to_string(n);
  }
  if (v->is_string()) {
    auto s = v->get<std::string>();
    if (s.empty()) return invalid(record, field, "must not be empty");
    return s;
  }
  return invalid(record, field, "must be an integer or a string id");
}

result<std::string> id(const json& obj, std::string_view field, std::string_view record) {
  auto r = opt_id(obj, field, record);
  if (r && r->empty()) return invalid(record, field, "is missing");
  return r;
}

result<std::string> opt_str(const json& obj, std::string_view field, std::string_view record) {
  const json* v = find(obj, field);
  if (!v) return std::string{};
  if (!v->is_string()) return invalid(record, field, "must be a string");
  return v->get<std::string>();
}

result<std::string> str(const json& obj, std::string_view field, std::string_view record) {
  if (!find(obj, field)) return invalid(record, field, "is missing");
  return opt_str(obj, field, record);
}

result<bool> opt_bool(const json& obj, std::string_view field, std::string_view record,
                      bool fallback) {
  const json* v = find(obj, field);
  if (!v) return fallback;
  if (!v->is_boolean()) return invalid(record, field, "must be a boolean");
  return v->get<bool>();
}

result<std::optional<std::int64_t>> opt_int(const json& obj, std::string_view field,
                                            std::string_view record) {
  const json* v = find(obj, field);
  if (!v) return std::optional<std::int64_t>{};
  if (v->is_number_unsigned()) {
    const auto u = v->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return invalid(record, field, "is out of range");
    }
    return std::optional<std::int64_t>{static_cast<std::int64_t>(u)};
  }
  if (v->is_number_integer()) return std::optional<std::int64_t>{v->get<std::int64_t>()};
  return invalid(record, field, "must be an integer");
}

result<std::optional<epoch_ms>> opt_iso_time(const json& obj, std::string_view field,
                                             std::string_view record) {
  const json* v = find(obj, field);
  if (!v) return std::optional<epoch_ms>{};
  if (!v->is_string()) return invalid(record, field, "must be an ISO-8601 string");
  auto t = parse_iso8601_ms(v->get_ref<const std::string&>());
  if (!t) return invalid(record, field, "is not an ISO-8601 date-time");
  return std::optional<epoch_ms>{*t};
}

result<std::optional<epoch_ms>> opt_epoch_ms(const json& obj, std::string_view field,
                                             std::string_view record) {
  const json* v = find(obj, field);
  if (!v) return std::optional<epoch_ms>{};
  if (!v->is_number_integer() && !v->is_number_unsigned()) {
    return invalid(record, field, "must be epoch milliseconds (an integer)");
  }
  return opt_int(obj, field, record);
}

}  // namespace hw::domain::ats_json
