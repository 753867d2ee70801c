#include "actors/domain/content_check.hpp"

#include <nlohmann/json.hpp>

namespace hw::domain::content_check {

namespace {

using nlohmann::json;

// Decodes one code point at s[i]; advances i. nullopt on invalid UTF-8 (i is then unspecified).
std::optional<char32_t> next_code_point(std::string_view s, std::size_t& i) noexcept {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  std::size_t n = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 1, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 2, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 3, cp = b0 & 0x07, min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (s.size() - i <= n) return std::nullopt;
  for (std::size_t k = 1; k <= n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  i += n + 1;
  return cp;
}

bool is_control(char32_t cp) noexcept { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

bool is_space(char32_t cp) noexcept {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' ||
         cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

const char* type_name_for(const json& v) noexcept {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  return "not a JSON value";
}

void wrong_type(problems& out, const std::string& path, const char* want, const json& got) {
  out.push_back({path, std::string{"must be "} + want + ", not " + type_name_for(got)});
}

}  // namespace

std::string key_path(std::string_view parent, std::string_view key) {
  std::string p{parent};
  p += '/';
  std::size_t i = 0;
  std::size_t chars = 0;
  while (i < key.size()) {
    if (chars == 64) {
      p += "...";
      break;
    }
    const std::size_t start = i;
    const auto cp = next_code_point(key, i);
    ++chars;
    if (!cp) {
      p += '?';
      i = start + 1;
    } else if (*cp == '~') {
      p += "~0";
    } else if (*cp == '/') {
      p += "~1";
    } else if (is_control(*cp)) {
      p += '?';
    } else {
      p.append(key.substr(start, i - start));
    }
  }
  return p;
}

std::string index_path(std::string_view parent, std::size_t i) {
  std::string p{parent};
  p += '/';
  p += std::to_string(i);
  return p;
}

std::optional<std::size_t> utf8_length(std::string_view s) noexcept {
  std::size_t n = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    if (!next_code_point(s, i)) return std::nullopt;
    ++n;
  }
  return n;
}

void check_text(problems& out, const std::string& path, std::string_view s, std::size_t min_chars,
                std::size_t max_chars, text_kind kind) {
  std::size_t n = 0;
  std::size_t i = 0;
  bool bad_char = false;
  bool blank = true;
  while (i < s.size()) {
    const auto cp = next_code_point(s, i);
    if (!cp) {
      out.push_back({path, "must be valid UTF-8"});
      return;
    }
    ++n;
    blank = blank && is_space(*cp);
    switch (kind) {
      case text_kind::line: bad_char = bad_char || is_control(*cp); break;
      case text_kind::block:
        bad_char = bad_char || (is_control(*cp) && *cp != '\t' && *cp != '\n' && *cp != '\r');
        break;
      case text_kind::data: bad_char = bad_char || *cp == 0; break;
    }
  }
  if (n < min_chars || n > max_chars) {
    if (min_chars == 0) {
      out.push_back({path, "must be at most " + std::to_string(max_chars) + " characters"});
    } else {
      out.push_back({path, "must be " + std::to_string(min_chars) + ".." +
                             std::to_string(max_chars) + " characters"});
    }
  } else if (min_chars > 0 && blank) {
    out.push_back({path, "must not be blank"});
  }
  if (bad_char) {
    switch (kind) {
      case text_kind::line: out.push_back({path, "must not contain control characters"}); break;
      case text_kind::block:
        out.push_back({path, "must not contain control characters other than tab and line breaks"});
        break;
      case text_kind::data: out.push_back({path, "must not contain NUL characters"}); break;
    }
  }
}

bool expect_object(problems& out, const json& v, const std::string& path) {
  if (v.is_object()) return true;
  wrong_type(out, path, "an object", v);
  return false;
}

void refuse_unknown_keys(problems& out, const json& obj, const std::string& path,
                         std::initializer_list<std::string_view> allowed) {
  if (!obj.is_object()) return;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool known = false;
    for (auto a : allowed) known = known || it.key() == a;
    if (!known) out.push_back({key_path(path, it.key()), "unknown field"});
  }
}

const json* member(problems& out, const json& obj, const char* key, const std::string& path,
                   bool required) {
  const json* v = nullptr;
  if (obj.is_object()) {
    const auto it = obj.find(key);
    if (it != obj.end() && !it->is_null()) v = &*it;
  }
  if (!v && required) out.push_back({path, "is required"});
  return v;
}

std::optional<std::string> read_string(problems& out, const json& obj, const char* key,
                                       const std::string& path, bool required) {
  const json* v = member(out, obj, key, path, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    wrong_type(out, path, "a string", *v);
    return std::nullopt;
  }
  return v->get_ref<const std::string&>();
}

std::optional<std::int64_t> read_int(problems& out, const json& obj, const char* key,
                                     const std::string& path, std::int64_t lo, std::int64_t hi,
                                     bool required) {
  const json* v = member(out, obj, key, path, required);
  if (!v) return std::nullopt;
  const std::string range =
    "must be an integer in " + std::to_string(lo) + ".." + std::to_string(hi);
  if (!v->is_number_integer()) {
    if (v->is_number()) {
      out.push_back({path, range});
    } else {
      wrong_type(out, path, "an integer", *v);
    }
    return std::nullopt;
  }
  std::int64_t x = 0;
  if (v->is_number_unsigned()) {
    const auto u = v->get<std::uint64_t>();
    if (hi < 0 || u > static_cast<std::uint64_t>(hi)) {
      out.push_back({path, range});
      return std::nullopt;
    }
    x = static_cast<std::int64_t>(u);
  } else {
    x = v->get<std::int64_t>();
  }
  if (x < lo || x > hi) {
    out.push_back({path, range});
    return std::nullopt;
  }
  return x;
}

std::optional<bool> read_bool(problems& out, const json& obj, const char* key,
                              const std::string& path, bool required) {
  const json* v = member(out, obj, key, path, required);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    wrong_type(out, path, "true or false", *v);
    return std::nullopt;
  }
  return v->get<bool>();
}

const json* read_array(problems& out, const json& obj, const char* key, const std::string& path,
                       bool required) {
  const json* v = member(out, obj, key, path, required);
  if (!v) return nullptr;
  if (!v->is_array()) {
    wrong_type(out, path, "an array", *v);
    return nullptr;
  }
  return v;
}

std::string one_of(std::initializer_list<std::string_view> names) {
  std::string s = "must be one of: ";
  bool first = true;
  for (auto n : names) {
    if (!first) s += ", ";
    s.append(n);
    first = false;
  }
  return s;
}

}  // namespace hw::domain::content_check
