#pragma once
// PURE: tolerant, non-throwing field readers shared by the ATS mappers (greenhouse_mapping,
// lever_mapping). Every error is errc::invalid_argument with a detail naming the record and the
// field ("greenhouse job: 'name' is missing") and NEVER the value (it may be personal data).
// Absent and null are the same for optional fields; unknown fields are never looked at.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "actors/domain/ats_records.hpp"
#include "actors/domain/result.hpp"

namespace hw::domain::ats_json {

/// Parses an ISO-8601 UTC/offset date-time ("2024-09-27T12:03:02.728Z", "2013-10-04T01:24:44Z",
/// "2024-01-01T10:00:00+02:00") to UTC epoch milliseconds. Fractions beyond ms are truncated.
std::optional<epoch_ms> parse_iso8601_ms(std::string_view s) noexcept;

/// The error for `field` of `record`, e.g. invalid("greenhouse job", "name", "is missing").
hw::error invalid(std::string_view record, std::string_view field, std::string_view what);

/// The member `field` of `obj`, or null when `obj` is no object or the member is absent or null.
const nlohmann::json* member(const nlohmann::json& obj, const char* field);

/// `v` must be a JSON object.
result<unit> require_object(const nlohmann::json& v, std::string_view record);

/// An id: a non-negative integer (printed in decimal) or a non-empty string. Required.
result<std::string> id(const nlohmann::json& obj, std::string_view field, std::string_view record);
/// Same, but absent/null -> "".
result<std::string> opt_id(const nlohmann::json& obj, std::string_view field,
                           std::string_view record);
/// A string that must be present and not null (may be empty).
result<std::string> str(const nlohmann::json& obj, std::string_view field, std::string_view record);
/// A string; absent/null -> "".
result<std::string> opt_str(const nlohmann::json& obj, std::string_view field,
                            std::string_view record);
/// A boolean; absent/null -> `fallback`.
result<bool> opt_bool(const nlohmann::json& obj, std::string_view field, std::string_view record,
                      bool fallback);
/// An integer; absent/null -> nullopt.
result<std::optional<std::int64_t>> opt_int(const nlohmann::json& obj, std::string_view field,
                                            std::string_view record);
/// An ISO-8601 date-time string; absent/null -> nullopt.
result<std::optional<epoch_ms>> opt_iso_time(const nlohmann::json& obj, std::string_view field,
                                             std::string_view record);
/// Epoch milliseconds as a JSON number; absent/null -> nullopt.
result<std::optional<epoch_ms>> opt_epoch_ms(const nlohmann::json& obj, std::string_view field,
                                             std::string_view record);

}  // namespace hw::domain::ats_json

/// Unwraps a result into `var` or returns its error from the enclosing function.
#define HW_ATS_TRY(var, expr)                            \
  auto var##_result_ = (expr);                           \
  if (!var##_result_) return std::move(var##_result_).error(); \
  auto var = std::move(*var##_result_)
