#pragma once
// People-and-access DTOs (http/API.md): strict parsing of request bodies and the JSON views.
// Parsing never throws. Statuses (stricter than organization_json, as API.md asks for this API):
//   400  the body cannot be read: malformed JSON (with the byte position), not a JSON object
//   422  it was read but is not acceptable: a missing required field, a field of the wrong JSON
//        type, an unknown field, a value over its size limit, an unknown role, a bad date
// Every detail starts with the offending field ("email: ..."). Values are never echoed (they may
// be passwords or tokens). Whether a password is strong enough or an e-mail is deliverable is the
// account service's decision (domain::check_password...), not the parser's.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/domain/accounts.hpp"
#include "http/json/organization_json.hpp"

namespace hw::http_api {

/// Size limits, in bytes of UTF-8.
namespace limits {
inline constexpr std::size_t name = 200;          // org_name, display_name, API key name
inline constexpr std::size_t slug = 63;
inline constexpr std::size_t email = 254;         // RFC 5321 path limit
inline constexpr std::size_t password = 1024;     // argon2 hashes anything; this bounds the work
inline constexpr std::size_t token = 512;         // reset / invitation tokens (ours are 43 chars)
inline constexpr std::size_t url = 2048;          // SSO issuer
inline constexpr std::size_t client_id = 512;
inline constexpr std::size_t client_secret = 1024;
inline constexpr std::size_t domain = 253;
inline constexpr std::size_t domains = 100;       // allowed_domains entries
inline constexpr std::size_t timestamp = 64;
inline constexpr std::size_t id = 64;             // UUIDs and opaque ids in bodies
}  // namespace limits

struct org_switch {
  std::string org_id;  // not checked here: a non-UUID is simply not a membership (404)
};

struct password_change {
  std::string current_password;
  std::string new_password;
};

struct password_reset_confirm {
  std::string token;
  std::string password;
};

struct team_invitation_create {
  std::string email;
  domain::role role = domain::role::viewer;
};

/// {org_name, org_slug, email, display_name, password}
parsed<signup_request> parse_signup(std::string_view body);
/// {email, password}
parsed<login_request> parse_login(std::string_view body);
/// {org_id}
parsed<org_switch> parse_org_switch(std::string_view body);
/// {current_password, new_password}
parsed<password_change> parse_password_change(std::string_view body);
/// {email}: the e-mail to send a reset link to.
parsed<std::string> parse_password_reset_request(std::string_view body);
/// {token, password}
parsed<password_reset_confirm> parse_password_reset_confirm(std::string_view body);
/// {role}
parsed<domain::role> parse_member_role(std::string_view body);
/// {email, role}
parsed<team_invitation_create> parse_team_invitation_create(std::string_view body);
/// {token}
parsed<std::string> parse_invitation_token(std::string_view body);
/// {token, display_name?, password}
parsed<invitation_accept> parse_invitation_accept(std::string_view body);
/// {name, role, expires_at? (RFC 3339 or null)}
parsed<api_key_create> parse_api_key_create(std::string_view body);
/// {enabled, issuer, client_id, client_secret?, allowed_domains, default_role, sso_required}
parsed<sso_settings> parse_sso_settings(std::string_view body);

/// The `session` JSON: {user:{id,email,display_name}, orgs:[{id,slug,name,role}], active_org,
/// expires_at, csrf_token}. `csrf_token` is omitted when empty.
std::string session_json(const me_view& me, std::string_view csrf_token);
std::string member_json(const member_view& m);
std::string members_json(const std::vector<member_view>& ms);
std::string team_invitation_json(const team_invitation_view& v);
std::string team_invitations_json(const std::vector<team_invitation_view>& vs);
std::string invitation_preview_json(const invitation_preview& p);
std::string api_key_json(const api_key_view& k);
std::string api_keys_json(const std::vector<api_key_view>& ks);
/// {api_key: {...}, secret}: the secret is shown this once.
std::string api_key_created_json(const api_key_created& c);
/// Never contains the client secret: client_secret_set says whether one is stored.
std::string sso_settings_json(const sso_settings& s);

}  // namespace hw::http_api
