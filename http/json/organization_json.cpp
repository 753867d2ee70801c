#include "http/json/organization_json.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

namespace hw::http_api {

namespace {

using json = nlohmann::json;

input_error bad(std::string detail) { return {400, std::move(detail)}; }
input_error invalid(std::string detail) { return {422, std::move(detail)}; }

const char* type_name(const json& v) { return v.type_name(); }

// Parses without letting an exception cross this function: the exception is the only way
// nlohmann reports the byte position, which the caller needs to fix the body.
std::variant<json, input_error> parse_object(std::string_view body) {
  json j;
  try {
    j = json::parse(body.begin(), body.end());
  } catch (const json::parse_error& e) {
    return bad("malformed JSON at byte " + std::to_string(e.byte) + ": " +
               (e.id == 101 ? "syntax error" : "invalid input"));
  } catch (const json::exception&) {
    return bad("malformed JSON");
  }
  if (!j.is_object()) return bad(std::string{"the body must be a JSON object, not "} + type_name(j));
  return j;
}

std::optional<input_error> take_string(const json& obj, const char* key, std::string_view field,
                                       std::optional<std::string>& out) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::nullopt;
  if (!it->is_string()) {
    return bad(std::string{field} + ": must be a string, not " + type_name(*it));
  }
  out = it->get<std::string>();
  return std::nullopt;
}

std::optional<input_error> check_known(const json& obj, std::initializer_list<std::string_view> known,
                                       std::string_view prefix) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool ok = false;
    for (auto k : known) ok = ok || it.key() == k;
    if (!ok) return bad("unknown field: " + std::string{prefix} + it.key());
  }
  return std::nullopt;
}

struct branding_input {
  bool present = false;
  std::optional<std::optional<std::string>> logo_url;
  std::optional<std::string> primary_color;
  std::optional<std::string> accent_color;
};

std::optional<input_error> take_branding(const json& obj, branding_input& out) {
  auto it = obj.find("branding");
  if (it == obj.end()) return std::nullopt;
  if (!it->is_object()) return bad(std::string{"branding: must be an object, not "} + type_name(*it));
  out.present = true;
  const json& b = *it;
  if (auto e = check_known(b, {"logo_url", "primary_color", "accent_color"}, "branding.")) return e;
  if (auto l = b.find("logo_url"); l != b.end()) {
    if (l->is_null()) {
      out.logo_url = std::optional<std::string>{};
    } else if (l->is_string()) {
      out.logo_url = l->get<std::string>();
    } else {
      return bad(std::string{"branding.logo_url: must be a string or null, not "} + type_name(*l));
    }
  }
  if (auto e = take_string(b, "primary_color", "branding.primary_color", out.primary_color)) return e;
  if (auto e = take_string(b, "accent_color", "branding.accent_color", out.accent_color)) return e;
  return std::nullopt;
}

}  // namespace

parsed<domain::org_create> parse_org_create(std::string_view body) {
  auto p = parse_object(body);
  if (auto* e = std::get_if<input_error>(&p)) return std::move(*e);
  const json& j = std::get<json>(p);
  if (auto e = check_known(j, {"name", "slug", "time_zone", "branding"}, "")) return *e;
  std::optional<std::string> name, slug, tz;
  if (auto e = take_string(j, "name", "name", name)) return *e;
  if (auto e = take_string(j, "slug", "slug", slug)) return *e;
  if (auto e = take_string(j, "time_zone", "time_zone", tz)) return *e;
  branding_input b;
  if (auto e = take_branding(j, b)) return *e;
  if (!name) return invalid("name: is required");
  if (!slug) return invalid("slug: is required");

  domain::org_create c;
  c.name = std::move(*name);
  c.slug = std::move(*slug);
  if (tz) c.time_zone = std::move(*tz);
  if (b.logo_url) c.brand.logo_url = std::move(*b.logo_url);
  if (b.primary_color) c.brand.primary_color = std::move(*b.primary_color);
  if (b.accent_color) c.brand.accent_color = std::move(*b.accent_color);
  if (auto e = domain::validate(c)) return invalid(std::move(e->detail));
  return c;
}

parsed<domain::org_patch> parse_org_patch(std::string_view body) {
  auto p = parse_object(body);
  if (auto* e = std::get_if<input_error>(&p)) return std::move(*e);
  const json& j = std::get<json>(p);
  if (auto e = check_known(j, {"name", "slug", "time_zone", "branding"}, "")) return *e;
  domain::org_patch patch;
  if (auto e = take_string(j, "name", "name", patch.name)) return *e;
  if (auto e = take_string(j, "slug", "slug", patch.slug)) return *e;
  if (auto e = take_string(j, "time_zone", "time_zone", patch.time_zone)) return *e;
  branding_input b;
  if (auto e = take_branding(j, b)) return *e;
  patch.logo_url = std::move(b.logo_url);
  patch.primary_color = std::move(b.primary_color);
  patch.accent_color = std::move(b.accent_color);
  if (patch.empty()) return invalid("the patch changes nothing: send at least one field");

  std::optional<std::string> msg;
  if (patch.name && !msg) msg = domain::check_name(*patch.name);
  if (patch.slug && !msg) msg = domain::check_slug(*patch.slug);
  if (patch.time_zone && !msg) msg = domain::check_time_zone(*patch.time_zone);
  if (patch.logo_url && *patch.logo_url && !msg) msg = domain::check_logo_url(**patch.logo_url);
  if (patch.primary_color && !msg) msg = domain::check_color("branding.primary_color", *patch.primary_color);
  if (patch.accent_color && !msg) msg = domain::check_color("branding.accent_color", *patch.accent_color);
  if (msg) return invalid(std::move(*msg));
  return patch;
}

namespace {

// JSON string escaping (RFC 8259): quotes, backslashes and control characters. Stored strings
// are valid UTF-8 (checked on input, and PostgreSQL refuses anything else), so other bytes pass.
void append_json_string(std::string& out, std::string_view v) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (char ch : v) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0xf];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

void append_field(std::string& out, std::string_view key, std::string_view value) {
  out += '"';
  out += key;
  out += "\":";
  append_json_string(out, value);
}

}  // namespace

// Written directly rather than through a nlohmann tree: this runs for every organization read
// (the hottest API path), and building the tree costs more than the rest of the response.
std::string to_json(const domain::organization& o) {
  std::string out;
  out.reserve(320 + o.name.size() + (o.brand.logo_url ? o.brand.logo_url->size() : 0));
  out += '{';
  append_field(out, "id", o.id.value);
  out += ',';
  append_field(out, "name", o.name);
  out += ',';
  append_field(out, "slug", o.slug);
  out += ',';
  append_field(out, "time_zone", o.time_zone);
  out += ",\"branding\":{\"logo_url\":";
  if (o.brand.logo_url) {
    append_json_string(out, *o.brand.logo_url);
  } else {
    out += "null";
  }
  out += ',';
  append_field(out, "primary_color", o.brand.primary_color);
  out += ',';
  append_field(out, "accent_color", o.brand.accent_color);
  out += "},";
  append_field(out, "status", domain::to_string(o.state));
  out += ",\"version\":";
  out += std::to_string(o.version);
  out += ',';
  append_field(out, "created_at", o.created_at);
  out += ',';
  append_field(out, "updated_at", o.updated_at);
  out += '}';
  return out;
}

std::string etag_for_version(std::int64_t version) { return "\"v" + std::to_string(version) + "\""; }

bool parse_if_match(std::string_view h, std::optional<std::int64_t>& version) {
  version.reset();
  while (!h.empty() && (h.front() == ' ' || h.front() == '\t')) h.remove_prefix(1);
  while (!h.empty() && (h.back() == ' ' || h.back() == '\t')) h.remove_suffix(1);
  if (h.empty() || h == "*") return true;
  // One strong tag "v<n>". Weak tags never match for If-Match (RFC 9110 13.1.1).
  if (h.size() < 4 || h.front() != '"' || h.back() != '"' || h[1] != 'v') return false;
  const auto digits = h.substr(2, h.size() - 3);
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc{} || ptr != digits.data() + digits.size() || v < 0) return false;
  version = v;
  return true;
}

}  // namespace hw::http_api
