#include "actors/domain/organization.hpp"

#include <cctype>
#include <cstdint>

namespace hw::domain {

namespace {

bool has_control_chars(std::string_view v) {
  for (unsigned char c : v) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// Counts UTF-8 code points; returns -1 on malformed UTF-8 (truncated sequences, overlong forms,
// surrogates, code points above U+10FFFF), which PostgreSQL would refuse anyway.
long utf8_length(std::string_view v) {
  long n = 0;
  for (std::size_t i = 0; i < v.size();) {
    const auto c = static_cast<unsigned char>(v[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (len == 0 || i + len > v.size()) return -1;
    std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(v[i + k]);
      if ((cc >> 6) != 0x2) return -1;
      cp = (cp << 6) | (cc & 0x3f);
    }
    static constexpr std::uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
    i += len;
    ++n;
  }
  return n;
}

// C0 and C1 control characters (the latter as their UTF-8 encoding C2 80..C2 9F).
bool has_c1_controls(std::string_view v) {
  for (std::size_t i = 0; i + 1 < v.size(); ++i) {
    if (static_cast<unsigned char>(v[i]) == 0xc2 && static_cast<unsigned char>(v[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(v[i + 1]) <= 0x9f)
      return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> check_name(std::string_view v) {
  const auto n = utf8_length(v);
  if (n < 0) return "name: must be valid UTF-8";
  if (n == 0) return "name: must not be empty";
  if (n > 200) return "name: must be at most 200 characters";
  if (has_control_chars(v) || has_c1_controls(v)) return "name: must not contain control characters";
  if (std::isspace(static_cast<unsigned char>(v.front())) || std::isspace(static_cast<unsigned char>(v.back())))
    return "name: must not start or end with whitespace";
  return std::nullopt;
}

std::optional<std::string> check_slug(std::string_view v) {
  if (v.size() < 3 || v.size() > 63) return "slug: must be 3 to 63 characters";
  for (char c : v) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
      return "slug: only lowercase letters, digits and '-' are allowed";
  }
  if (v.front() == '-' || v.back() == '-') return "slug: must not start or end with '-'";
  if (v.find("--") != std::string_view::npos) return "slug: must not contain '--'";
  return std::nullopt;
}

std::optional<std::string> check_time_zone(std::string_view v) {
  // IANA names: "UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5".
  if (v.empty() || v.size() > 64) return "time_zone: must be an IANA time zone name such as Europe/Berlin";
  if (v.front() == '/' || v.back() == '/' || v.find("..") != std::string_view::npos || v.find("//") != std::string_view::npos)
    return "time_zone: must be an IANA time zone name such as Europe/Berlin";
  for (char c : v) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' || c == '+'))
      return "time_zone: must be an IANA time zone name such as Europe/Berlin";
  }
  return std::nullopt;
}

std::optional<std::string> check_color(std::string_view field, std::string_view v) {
  bool ok = v.size() == 7 && v[0] == '#';
  for (std::size_t i = 1; ok && i < v.size(); ++i) ok = std::isxdigit(static_cast<unsigned char>(v[i])) != 0;
  if (!ok) return std::string{field} + ": must be a colour in the form #rrggbb";
  return std::nullopt;
}

std::optional<std::string> check_logo_url(std::string_view v) {
  constexpr std::string_view scheme = "https://";
  if (v.size() > 2048) return "branding.logo_url: must be at most 2048 characters";
  if (v.substr(0, scheme.size()) != scheme || v.size() <= scheme.size())
    return "branding.logo_url: must be an https:// URL";
  for (unsigned char c : v) {
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\')
      return "branding.logo_url: must be an https:// URL without spaces or quotes";
  }
  return std::nullopt;
}

std::optional<hw::error> validate(const org_create& c) {
  for (auto msg : {check_name(c.name), check_slug(c.slug), check_time_zone(c.time_zone),
                   check_color("branding.primary_color", c.brand.primary_color),
                   check_color("branding.accent_color", c.brand.accent_color)}) {
    if (msg) return hw::error{errc::invalid_argument, *msg};
  }
  if (c.brand.logo_url) {
    if (auto msg = check_logo_url(*c.brand.logo_url)) return hw::error{errc::invalid_argument, *msg};
  }
  return std::nullopt;
}

result<organization> apply_patch(const organization& o, const org_patch& p) {
  if (!settings_editable(o.state))
    return hw::error{errc::illegal_transition, "organization is closed; its settings can no longer change"};
  organization next = o;
  if (p.name) next.name = *p.name;
  if (p.slug) next.slug = *p.slug;
  if (p.time_zone) next.time_zone = *p.time_zone;
  if (p.logo_url) next.brand.logo_url = *p.logo_url;
  if (p.primary_color) next.brand.primary_color = *p.primary_color;
  if (p.accent_color) next.brand.accent_color = *p.accent_color;
  if (auto e = validate(org_create{next.name, next.slug, next.time_zone, next.brand})) return *e;
  return next;
}

result<organization> apply_event(const organization& o, org_event e) {
  auto t = find_transition(o.state, e);
  if (!t) {
    return hw::error{errc::illegal_transition, std::string{"cannot "} + std::string{to_string(e)} +
                                                   " an organization that is " + std::string{to_string(o.state)}};
  }
  organization next = o;
  next.state = t->to;
  return next;
}

}  // namespace hw::domain
