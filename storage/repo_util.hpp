#pragma once
// Small helpers every repository .cpp used to define for itself: nullable parameters and columns,
// and the keyset cursor of the list endpoints. Internal to storage/ (not part of a repo's API).
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include <pqxx/pqxx>

#include "actors/domain/base64url.hpp"
#include "actors/domain/ids.hpp"

namespace hw::storage {

/// A nullable text parameter: nullptr binds SQL NULL.
inline const char* opt_param(const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; }

/// `s` cut to at most `max` bytes without splitting a UTF-8 sequence (for columns whose CHECK
/// bounds octet_length, e.g. the ATS error notes' 500).
inline std::string cut_utf8_bytes(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

/// A nullable text column.
inline std::optional<std::string> opt_text(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::string>();
}

/// A keyset position: (epoch microseconds, uuid), sent to clients as base64url of "<us>|<uuid>".
struct keyset {
  std::int64_t us = 0;
  std::string id;
};

inline std::string encode_cursor(std::int64_t us, const std::string& id) {
  return base64url_encode(std::to_string(us) + "|" + id);
}

/// nullopt for anything that is not a cursor encode_cursor made (the caller answers 400/422).
inline std::optional<keyset> decode_cursor(std::string_view cursor) {
  if (cursor.empty() || cursor.size() > 128) return std::nullopt;
  auto text = base64url_decode(cursor);
  if (!text) return std::nullopt;
  const auto bar = text->find('|');
  if (bar == std::string::npos || bar == 0 || bar > 20) return std::nullopt;
  keyset k;
  const char* first = text->data();
  const char* last = text->data() + bar;
  auto [end, ec] = std::from_chars(first, last, k.us);
  if (ec != std::errc{} || end != last) return std::nullopt;
  const auto id = std::string_view{*text}.substr(bar + 1);
  if (!is_uuid(id)) return std::nullopt;
  k.id = canonical_uuid(id);
  return k;
}

}  // namespace hw::storage
