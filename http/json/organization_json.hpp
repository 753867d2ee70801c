#pragma once
// Organization DTOs: strict parsing of request bodies and the JSON view of an organization.
// Parsing never throws. Failures carry the HTTP status to answer (see http/problem.hpp):
// 400 for unreadable input (malformed JSON with the parser position, not an object, wrong JSON
// type, unknown field), 422 for invalid values (domain check_* messages, missing field, empty
// patch). Every detail names the offending field.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "actors/domain/organization.hpp"

namespace hw::http_api {

/// Why a body was refused: the status (400 or 422) and a caller-safe detail.
struct input_error {
  unsigned status = 400;
  std::string detail;
};

/// A parsed value or the reason it was refused.
template <class T>
class parsed {
 public:
  parsed(T v) : v_(std::move(v)) {}            // NOLINT: implicit by design
  parsed(input_error e) : v_(std::move(e)) {}  // NOLINT
  explicit operator bool() const noexcept { return v_.index() == 0; }
  T& value() { return std::get<0>(v_); }
  const input_error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, input_error> v_;
};

/// {"name","slug","time_zone"?,"branding"?:{"logo_url"?,"primary_color"?,"accent_color"?}},
/// validated with domain::validate (422 naming the field).
parsed<domain::org_create> parse_org_create(std::string_view body);

/// Any of name, slug, time_zone, branding.{logo_url (null clears), primary_color, accent_color};
/// each present field checked with its domain check_*; an empty patch is 422.
parsed<domain::org_patch> parse_org_patch(std::string_view body);

/// The organization as the API shows it (one JSON object, compact).
std::string to_json(const domain::organization& o);

/// The entity tag of a version: "v<n>" with the quotes.
std::string etag_for_version(std::int64_t version);

/// Parses an If-Match value. nullopt + ok: no precondition ("*" or absent); a value: the version.
/// Returns false when the header is present but names no version we could ever have.
bool parse_if_match(std::string_view header, std::optional<std::int64_t>& version);

}  // namespace hw::http_api
