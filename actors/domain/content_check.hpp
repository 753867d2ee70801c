#pragma once
// PURE: the non-throwing JSON field readers and text rules shared by content.cpp and
// interview_template.cpp (internal to the content validation; other code uses content.hpp).
// Every reader reports into a problem list with a JSON-pointer-like path and never throws, whatever
// the input (wrong types, nulls, huge numbers, invalid UTF-8 in a built body).
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "actors/domain/content.hpp"

namespace hw::domain::content_check {

using problems = std::vector<field_problem>;

/// `parent` + "/" + the key, escaped like a JSON pointer (~0, ~1), invalid UTF-8 and control
/// characters as '?', cut after 64 characters (an unknown key may be anything).
std::string key_path(std::string_view parent, std::string_view key);
std::string index_path(std::string_view parent, std::size_t i);

/// Code points in `s`, or nullopt when it is not valid UTF-8 (overlong forms and surrogates too).
std::optional<std::size_t> utf8_length(std::string_view s) noexcept;

enum class text_kind : std::uint8_t {
  line,   // a one-line label: no control characters at all
  block,  // Markdown or code: tab, CR and LF allowed, no other control characters
  data,   // test input and output: anything but NUL (PostgreSQL jsonb refuses \u0000)
};

/// Valid UTF-8, [min_chars, max_chars] code points, the characters `kind` allows and, when
/// min_chars > 0, not only whitespace. One problem at `path` per broken rule.
void check_text(problems& out, const std::string& path, std::string_view s, std::size_t min_chars,
                std::size_t max_chars, text_kind kind);

/// `v` must be an object: otherwise one problem and false.
bool expect_object(problems& out, const nlohmann::json& v, const std::string& path);
/// One "unknown field" problem per key of `obj` not in `allowed`.
void refuse_unknown_keys(problems& out, const nlohmann::json& obj, const std::string& path,
                         std::initializer_list<std::string_view> allowed);

/// The member `key` of `obj` unless absent or null. When required and absent or null, reports
/// "is required" at `path`.
const nlohmann::json* member(problems& out, const nlohmann::json& obj, const char* key,
                             const std::string& path, bool required);

/// A string member (absent/null: "is required" when required, else nullopt without a problem).
std::optional<std::string> read_string(problems& out, const nlohmann::json& obj, const char* key,
                                       const std::string& path, bool required = true);
/// An integer member within [lo, hi]; floats, strings and out-of-range values (any magnitude)
/// are reported and give nullopt.
std::optional<std::int64_t> read_int(problems& out, const nlohmann::json& obj, const char* key,
                                     const std::string& path, std::int64_t lo, std::int64_t hi,
                                     bool required = true);
std::optional<bool> read_bool(problems& out, const nlohmann::json& obj, const char* key,
                              const std::string& path, bool required = true);
/// An array member (absent/null: "is required" when required).
const nlohmann::json* read_array(problems& out, const nlohmann::json& obj, const char* key,
                                 const std::string& path, bool required = true);

/// "must be one of: a, b, c".
std::string one_of(std::initializer_list<std::string_view> names);

}  // namespace hw::domain::content_check
