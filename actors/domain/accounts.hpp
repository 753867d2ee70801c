#pragma once
// The CAF-free interface http/ calls for people and access (issue 3): sign-up, login, sessions,
// passwords, members, teammate invitations, API keys and per-org OIDC SSO. Its implementation
// (actors/accounts/account_service_impl) runs the storage calls on the db worker pool and the
// argon2id work on the hash pool. Callbacks run on an actor thread (or, for a session-cache hit,
// synchronously on the caller's thread): never block in them.
//
// Vocabulary:
// - A *secret* (session token, API key, invitation / reset token) is 256 random bits, sent to the
//   client once, base64url without padding; only its SHA-256 is stored. Secrets never appear in
//   logs, audit rows or error details.
// - `actor_ref who` carries ip / user agent / request id of the request for the audit log.
// - Every org-scoped call takes the org from the authenticated principal (http/ checked that the
//   path org is one the principal may act in); another organization's ids answer not_found.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "actors/domain/audit.hpp"
#include "actors/domain/ids.hpp"
#include "actors/domain/permissions.hpp"
#include "actors/domain/result.hpp"

namespace hw {

template <class T>
using account_callback = std::function<void(result<T>)>;

/// Who is calling, as established by a session cookie, an API key or the bootstrap admin token.
struct principal {
  enum class kind : std::uint8_t { user, api_key, bootstrap_admin };
  kind k = kind::user;
  std::string user_id;                    // kind::user
  std::string email;                      // kind::user (for "me"; never logged)
  std::string display_name;               // kind::user
  std::string session_id_hash;            // kind::user: hex SHA-256 of the session token (CSRF binding)
  std::string api_key_id;                 // kind::api_key
  std::map<std::string, domain::role> roles;  // org uuid -> role (user: all memberships; key: its org)
  std::optional<std::string> active_org;  // the organization the user last switched to

  /// The role in `org`, or nothing when the principal has no access to it (answer 404).
  /// The bootstrap admin has owner rights everywhere.
  std::optional<domain::role> role_in(const std::string& org) const {
    if (k == kind::bootstrap_admin) return domain::role::owner;
    auto it = roles.find(org);
    if (it == roles.end()) return std::nullopt;
    return it->second;
  }
  /// The actor for the audit log.
  actor_ref as_actor() const {
    actor_ref a;
    a.kind = k == kind::user ? "user" : k == kind::api_key ? "api_key" : "bootstrap_admin";
    a.id = k == kind::user ? user_id : k == kind::api_key ? api_key_id : "config";
    return a;
  }
};

/// One organization in "my organizations".
struct my_org_view {
  std::string org_id;
  std::string slug;
  std::string name;
  domain::role role = domain::role::viewer;
};

/// GET /api/v1/session.
struct me_view {
  std::string user_id;
  std::string email;
  std::string display_name;
  std::vector<my_org_view> orgs;
  std::optional<std::string> active_org;
  std::string session_expires_at;  // RFC 3339: the absolute expiry
};

/// What a successful sign-up / login / invitation acceptance / SSO login returns. `session_token`
/// goes into the cookie and nowhere else.
struct login_result {
  std::string session_token;
  std::chrono::seconds cookie_max_age{0};  // until the absolute expiry
  me_view me;
};

struct signup_request {
  std::string org_name;
  std::string org_slug;
  std::string email;
  std::string display_name;
  std::string password;  // plain; checked with domain::check_password, hashed by the pool, wiped
};

struct login_request {
  std::string email;
  std::string password;
};

struct member_view {
  std::string user_id;
  std::string email;
  std::string display_name;
  domain::role role = domain::role::viewer;
  std::string joined_at;
};

/// A teammate invitation. status: pending | accepted | revoked | expired.
struct team_invitation_view {
  std::string id;
  std::string email;
  domain::role role = domain::role::viewer;
  std::string status;
  std::string invited_by;  // user id (or "bootstrap_admin")
  std::string created_at;
  std::string expires_at;
  int sends = 1;
};

/// What the accept page shows before accepting (POST /api/v1/team-invitations/preview).
struct invitation_preview {
  std::string org_name;
  std::string org_slug;
  std::string email;
  domain::role role = domain::role::viewer;
  bool account_exists = false;  // the page asks for the existing password instead of a new one
  std::string expires_at;
};

struct invitation_accept {
  std::string token;
  std::string display_name;  // new account only
  std::string password;      // new account: the new password; existing account: its password
};

struct api_key_view {
  std::string id;
  std::string name;
  std::string prefix;  // the first characters of the key, to recognise it ("hwk_ab12")
  domain::role role = domain::role::viewer;
  std::string created_by;
  std::string created_at;
  std::optional<std::string> expires_at;
  std::optional<std::string> last_used_at;
  std::optional<std::string> revoked_at;
};

struct api_key_create {
  std::string name;
  domain::role role = domain::role::viewer;
  std::optional<std::string> expires_at;  // RFC 3339, in the future
};

struct api_key_created {
  api_key_view key;
  std::string secret;  // shown once
};

/// Per-org OIDC settings (GET/PUT /api/v1/orgs/{id}/sso). The client secret is write-only.
struct sso_settings {
  bool enabled = false;
  std::string issuer;          // https://... (http:// only for loopback in tests/dev)
  std::string client_id;
  std::optional<std::string> client_secret;  // PUT: set/replace when present; GET: never returned
  bool client_secret_set = false;            // GET only
  std::vector<std::string> allowed_domains;  // e-mail domains allowed to sign in, lower case
  domain::role default_role = domain::role::viewer;
  bool sso_required = false;  // password login refused for this org's members
};

/// GET /api/v1/sso/start?org=<slug>: where to send the browser, and the state cookie that binds
/// the flow to this browser.
struct sso_start_result {
  std::string authorize_url;
  std::string state_cookie;  // opaque; the handler sets it HttpOnly, 10 minutes
};

class account_service {
 public:
  virtual ~account_service() = default;

  // ---- authentication of a request -------------------------------------------------------
  /// The principal for a session cookie value. unauthorized when unknown, revoked, idle or past its
  /// absolute expiry. A cache hit answers synchronously without touching the database; the cache
  /// is invalidated across processes (LISTEN/NOTIFY) when a session ends or memberships change.
  virtual void authenticate_session(std::string token, actor_ref who, account_callback<principal> cb) = 0;
  /// The principal for an API key (Authorization: Bearer hwk_...). unauthorized when unknown,
  /// revoked or expired. Records last_used_at (and audits the first use).
  virtual void authenticate_api_key(std::string key, actor_ref who, account_callback<principal> cb) = 0;

  // ---- sign-up, login, sessions ---------------------------------------------------------------
  virtual void signup(signup_request req, actor_ref who, account_callback<login_result> cb) = 0;
  /// unauthorized "email or password is wrong" for an unknown e-mail and a wrong password alike
  /// (same work: a dummy verification); unavailable with a retry hint when throttled or when the
  /// hash pool is full; forbidden when every org of the user requires SSO.
  virtual void login(login_request req, actor_ref who, account_callback<login_result> cb) = 0;
  virtual void me(principal p, account_callback<me_view> cb) = 0;
  virtual void logout(principal p, actor_ref who, account_callback<unit> cb) = 0;
  /// Ends every session of the user (including this one).
  virtual void logout_everywhere(principal p, actor_ref who, account_callback<unit> cb) = 0;
  /// Sets the session's active organization; not_found when not a member.
  virtual void switch_org(principal p, std::string org, actor_ref who, account_callback<me_view> cb) = 0;

  // ---- passwords ------------------------------------------------------------------------------
  /// Ends every other session of the user.
  virtual void change_password(principal p, std::string current, std::string next, actor_ref who,
                               account_callback<unit> cb) = 0;
  /// Always succeeds (never reveals whether the e-mail exists); mails a 30-minute single-use link
  /// when it does.
  virtual void request_password_reset(std::string email, actor_ref who, account_callback<unit> cb) = 0;
  /// unauthorized for an unknown, used or expired token. Ends every session of the user.
  virtual void confirm_password_reset(std::string token, std::string next, actor_ref who,
                                      account_callback<unit> cb) = 0;

  // ---- members --------------------------------------------------------------------------------
  virtual void list_members(org_id org, account_callback<std::vector<member_view>> cb) = 0;
  virtual void change_member_role(org_id org, std::string user_id, domain::role role, principal p,
                                  actor_ref who, account_callback<member_view> cb) = 0;
  /// Ends the removed user's sessions.
  virtual void remove_member(org_id org, std::string user_id, principal p, actor_ref who,
                             account_callback<unit> cb) = 0;

  // ---- teammate invitations -------------------------------------------------------------------
  virtual void list_team_invitations(org_id org, account_callback<std::vector<team_invitation_view>> cb) = 0;
  /// Enqueues the e-mail in the same transaction. conflict when the e-mail is already a member or
  /// has a pending invitation; forbidden when the inviter may not grant the role.
  virtual void create_team_invitation(org_id org, std::string email, domain::role role, principal p,
                                      actor_ref who, account_callback<team_invitation_view> cb) = 0;
  /// New token, new 7-day expiry, new e-mail; the old link stops working.
  virtual void resend_team_invitation(org_id org, std::string id, principal p, actor_ref who,
                                      account_callback<team_invitation_view> cb) = 0;
  virtual void revoke_team_invitation(org_id org, std::string id, principal p, actor_ref who,
                                      account_callback<unit> cb) = 0;
  /// unauthorized for an unknown, revoked, accepted or expired token.
  virtual void preview_team_invitation(std::string token, account_callback<invitation_preview> cb) = 0;
  /// Creates the account (or checks the existing account's password, or uses the caller's
  /// session when it is the invited user), adds the membership, starts a session.
  virtual void accept_team_invitation(invitation_accept req, std::optional<principal> current, actor_ref who,
                                      account_callback<login_result> cb) = 0;

  // ---- API keys -------------------------------------------------------------------------------
  virtual void list_api_keys(org_id org, account_callback<std::vector<api_key_view>> cb) = 0;
  /// forbidden when the creator may not grant the role (domain::can_invite_role).
  virtual void create_api_key(org_id org, api_key_create req, principal p, actor_ref who,
                              account_callback<api_key_created> cb) = 0;
  virtual void revoke_api_key(org_id org, std::string id, principal p, actor_ref who,
                              account_callback<unit> cb) = 0;

  // ---- SSO (OpenID Connect) -------------------------------------------------------------------
  virtual void get_sso(org_id org, account_callback<sso_settings> cb) = 0;
  virtual void put_sso(org_id org, sso_settings s, principal p, actor_ref who,
                       account_callback<sso_settings> cb) = 0;
  /// not_found when the org has no enabled SSO. `redirect_uri` is our callback URL.
  virtual void sso_start(std::string org_slug, std::string redirect_uri, actor_ref who,
                         account_callback<sso_start_result> cb) = 0;
  /// Validates state (against the cookie), exchanges the code (PKCE), verifies the ID token and
  /// its claims, provisions the membership just in time, starts a session.
  virtual void sso_callback(std::string code, std::string state, std::string state_cookie,
                            std::string redirect_uri, actor_ref who, account_callback<login_result> cb) = 0;
};

}  // namespace hw
