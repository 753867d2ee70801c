#include "http/json/account_json.hpp"

#include <initializer_list>
#include <variant>

#include <nlohmann/json.hpp>

#include "actors/domain/audit.hpp"
#include "http/json/body_reader.hpp"

namespace hw::http_api {

namespace {

using json = nlohmann::json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json opt(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }

json member_obj(const member_view& m) {
  return {{"user_id", m.user_id}, {"email", m.email},      {"display_name", m.display_name},
          {"role", domain::to_string(m.role)}, {"joined_at", m.joined_at}};
}

json invitation_obj(const team_invitation_view& v) {
  return {{"id", v.id},
          {"email", v.email},
          {"role", domain::to_string(v.role)},
          {"status", v.status},
          {"invited_by", v.invited_by},
          {"created_at", v.created_at},
          {"expires_at", v.expires_at},
          {"sends", v.sends}};
}

json api_key_obj(const api_key_view& k) {
  return {{"id", k.id},
          {"name", k.name},
          {"prefix", k.prefix},
          {"role", domain::to_string(k.role)},
          {"created_by", k.created_by},
          {"created_at", k.created_at},
          {"expires_at", opt(k.expires_at)},
          {"last_used_at", opt(k.last_used_at)},
          {"revoked_at", opt(k.revoked_at)}};
}

}  // namespace

parsed<signup_request> parse_signup(std::string_view body) {
  return with_reader(body, {"org_name", "org_slug", "email", "display_name", "password"},
                     [](body_reader& r) -> parsed<signup_request> {
                       signup_request s;
                       auto org_name = r.string("org_name", limits::name, true);
                       auto org_slug = r.string("org_slug", limits::slug, true);
                       auto email = r.string("email", limits::email, true);
                       auto display_name = r.string("display_name", limits::name, true);
                       auto password = r.string("password", limits::password, true);
                       if (r.error) return *r.error;
                       s.org_name = std::move(*org_name);
                       s.org_slug = std::move(*org_slug);
                       s.email = std::move(*email);
                       s.display_name = std::move(*display_name);
                       s.password = std::move(*password);
                       return s;
                     });
}

parsed<login_request> parse_login(std::string_view body) {
  return with_reader(body, {"email", "password"}, [](body_reader& r) -> parsed<login_request> {
    auto email = r.string("email", limits::email, true);
    auto password = r.string("password", limits::password, true);
    if (r.error) return *r.error;
    return login_request{std::move(*email), std::move(*password)};
  });
}

parsed<org_switch> parse_org_switch(std::string_view body) {
  return with_reader(body, {"org_id"}, [](body_reader& r) -> parsed<org_switch> {
    auto id = r.string("org_id", limits::id, true);
    if (r.error) return *r.error;
    return org_switch{std::move(*id)};
  });
}

parsed<password_change> parse_password_change(std::string_view body) {
  return with_reader(body, {"current_password", "new_password"}, [](body_reader& r) -> parsed<password_change> {
    auto current = r.string("current_password", limits::password, true);
    auto next = r.string("new_password", limits::password, true);
    if (r.error) return *r.error;
    return password_change{std::move(*current), std::move(*next)};
  });
}

parsed<std::string> parse_password_reset_request(std::string_view body) {
  return with_reader(body, {"email"}, [](body_reader& r) -> parsed<std::string> {
    auto email = r.string("email", limits::email, true);
    if (r.error) return *r.error;
    return std::move(*email);
  });
}

parsed<password_reset_confirm> parse_password_reset_confirm(std::string_view body) {
  return with_reader(body, {"token", "password"}, [](body_reader& r) -> parsed<password_reset_confirm> {
    auto token = r.string("token", limits::token, true);
    auto password = r.string("password", limits::password, true);
    if (r.error) return *r.error;
    return password_reset_confirm{std::move(*token), std::move(*password)};
  });
}

parsed<domain::role> parse_member_role(std::string_view body) {
  return with_reader(body, {"role"}, [](body_reader& r) -> parsed<domain::role> {
    auto role = r.role("role", true);
    if (r.error) return *r.error;
    return *role;
  });
}

parsed<team_invitation_create> parse_team_invitation_create(std::string_view body) {
  return with_reader(body, {"email", "role"}, [](body_reader& r) -> parsed<team_invitation_create> {
    auto email = r.string("email", limits::email, true);
    auto role = r.role("role", true);
    if (r.error) return *r.error;
    return team_invitation_create{std::move(*email), *role};
  });
}

parsed<std::string> parse_invitation_token(std::string_view body) {
  return with_reader(body, {"token"}, [](body_reader& r) -> parsed<std::string> {
    auto token = r.string("token", limits::token, true);
    if (r.error) return *r.error;
    return std::move(*token);
  });
}

parsed<invitation_accept> parse_invitation_accept(std::string_view body) {
  return with_reader(body, {"token", "display_name", "password"}, [](body_reader& r) -> parsed<invitation_accept> {
    auto token = r.string("token", limits::token, true);
    auto display_name = r.string("display_name", limits::name, false);
    auto password = r.string("password", limits::password, true);
    if (r.error) return *r.error;
    invitation_accept a;
    a.token = std::move(*token);
    if (display_name) a.display_name = std::move(*display_name);
    a.password = std::move(*password);
    return a;
  });
}

parsed<api_key_create> parse_api_key_create(std::string_view body) {
  return with_reader(body, {"name", "role", "expires_at"}, [](body_reader& r) -> parsed<api_key_create> {
    auto name = r.string("name", limits::name, true);
    auto role = r.role("role", true);
    auto expires = r.string("expires_at", limits::timestamp, false);
    if (!r.error && name && name->empty()) r.fail("name: must not be empty");
    if (!r.error && expires && !is_rfc3339(*expires)) {
      r.fail("expires_at: expected an RFC 3339 date-time, e.g. 2025-01-31T00:00:00Z");
    }
    if (r.error) return *r.error;
    api_key_create c;
    c.name = std::move(*name);
    c.role = *role;
    c.expires_at = std::move(expires);
    return c;
  });
}

parsed<sso_settings> parse_sso_settings(std::string_view body) {
  return with_reader(
    body,
    {"enabled", "issuer", "client_id", "client_secret", "allowed_domains", "default_role", "sso_required"},
    [](body_reader& r) -> parsed<sso_settings> {
      auto enabled = r.boolean("enabled", true);
      auto issuer = r.string("issuer", limits::url, true);
      auto client_id = r.string("client_id", limits::client_id, true);
      auto secret = r.string("client_secret", limits::client_secret, false);
      auto domains = r.string_list("allowed_domains", limits::domains, limits::domain, true);
      auto role = r.role("default_role", true);
      auto required = r.boolean("sso_required", true);
      if (r.error) return *r.error;
      sso_settings s;
      s.enabled = *enabled;
      s.issuer = std::move(*issuer);
      s.client_id = std::move(*client_id);
      s.client_secret = std::move(secret);
      s.allowed_domains = std::move(*domains);
      s.default_role = *role;
      s.sso_required = *required;
      return s;
    });
}

std::string session_json(const me_view& me, std::string_view csrf_token) {
  json orgs = json::array();
  for (const auto& o : me.orgs) {
    orgs.push_back({{"id", o.org_id}, {"slug", o.slug}, {"name", o.name}, {"role", domain::to_string(o.role)}});
  }
  json j = {
    {"user", {{"id", me.user_id}, {"email", me.email}, {"display_name", me.display_name}}},
    {"orgs", std::move(orgs)},
    {"active_org", opt(me.active_org)},
    {"expires_at", me.session_expires_at},
  };
  if (!csrf_token.empty()) j["csrf_token"] = csrf_token;
  return dump(j);
}

std::string member_json(const member_view& m) { return dump(member_obj(m)); }

std::string members_json(const std::vector<member_view>& ms) {
  json a = json::array();
  for (const auto& m : ms) a.push_back(member_obj(m));
  return dump(json{{"members", std::move(a)}});
}

std::string team_invitation_json(const team_invitation_view& v) { return dump(invitation_obj(v)); }

std::string team_invitations_json(const std::vector<team_invitation_view>& vs) {
  json a = json::array();
  for (const auto& v : vs) a.push_back(invitation_obj(v));
  return dump(json{{"invitations", std::move(a)}});
}

std::string invitation_preview_json(const invitation_preview& p) {
  return dump(json{{"org_name", p.org_name},
                   {"org_slug", p.org_slug},
                   {"email", p.email},
                   {"role", domain::to_string(p.role)},
                   {"account_exists", p.account_exists},
                   {"expires_at", p.expires_at}});
}

std::string api_key_json(const api_key_view& k) { return dump(api_key_obj(k)); }

std::string api_keys_json(const std::vector<api_key_view>& ks) {
  json a = json::array();
  for (const auto& k : ks) a.push_back(api_key_obj(k));
  return dump(json{{"api_keys", std::move(a)}});
}

std::string api_key_created_json(const api_key_created& c) {
  return dump(json{{"api_key", api_key_obj(c.key)}, {"secret", c.secret}});
}

std::string sso_settings_json(const sso_settings& s) {
  return dump(json{{"enabled", s.enabled},
                   {"issuer", s.issuer},
                   {"client_id", s.client_id},
                   {"client_secret_set", s.client_secret_set},
                   {"allowed_domains", s.allowed_domains},
                   {"default_role", domain::to_string(s.default_role)},
                   {"sso_required", s.sso_required}});
}

}  // namespace hw::http_api
