#pragma once
// hw::account_service on the actor system: storage calls run as db_tasks on the db worker pool
// (actors/db/db_task.hpp), argon2id runs on the hash pool (actors/auth/hash_pool.hpp), OIDC HTTP
// calls run on a db-task thread too (they block; the pool is the bounded place for blocking work).
// Sessions are answered from session_cache when possible; auth_listener keeps it true across
// processes. Every e-mail is enqueued in the transaction of its change, then the notification
// supervisor is nudged.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "actors/accounts/session_cache.hpp"
#include "actors/auth/tokens.hpp"
#include "actors/domain/accounts.hpp"

namespace hw::auth {
class jwks_cache;
}

namespace hw::actors {

struct account_service_options {
  std::chrono::seconds session_idle{3600};
  std::chrono::seconds session_absolute{12 * 3600};
  std::chrono::seconds touch_interval{60};       // idle expiry written back at most this often
  std::chrono::seconds reset_ttl{30 * 60};        // password reset link
  std::chrono::seconds invitation_ttl{7 * 24 * 3600};
  std::chrono::seconds sso_state_ttl{10 * 60};
  std::chrono::milliseconds hash_timeout{30'000};  // waiting for the hash pool
  std::string public_origin = "http://127.0.0.1:8080";  // links in e-mails
  auth::key32 box_key{};                           // secret_box key for SSO client secrets
  bool sso_allow_private_network = false;          // SSO HTTP may reach loopback/private addresses
  std::function<std::chrono::system_clock::time_point()> clock = [] { return std::chrono::system_clock::now(); };
};

class account_service_impl final : public account_service {
 public:
  /// `notify` may be null (no nudge). `cache` is shared with auth_listener.
  account_service_impl(caf::actor_system& sys, caf::actor db, caf::actor hash_pool, caf::actor notify,
                       std::shared_ptr<session_cache> cache, account_service_options opt);
  ~account_service_impl() override;

  void authenticate_session(std::string token, actor_ref who, account_callback<principal> cb) override;
  void authenticate_api_key(std::string key, actor_ref who, account_callback<principal> cb) override;
  void signup(signup_request req, actor_ref who, account_callback<login_result> cb) override;
  void login(login_request req, actor_ref who, account_callback<login_result> cb) override;
  void me(principal p, account_callback<me_view> cb) override;
  void logout(principal p, actor_ref who, account_callback<unit> cb) override;
  void logout_everywhere(principal p, actor_ref who, account_callback<unit> cb) override;
  void switch_org(principal p, std::string org, actor_ref who, account_callback<me_view> cb) override;
  void change_password(principal p, std::string current, std::string next, actor_ref who,
                       account_callback<unit> cb) override;
  void request_password_reset(std::string email, actor_ref who, account_callback<unit> cb) override;
  void confirm_password_reset(std::string token, std::string next, actor_ref who, account_callback<unit> cb) override;
  void list_members(org_id org, account_callback<std::vector<member_view>> cb) override;
  void change_member_role(org_id org, std::string user_id, domain::role role, principal p, actor_ref who,
                          account_callback<member_view> cb) override;
  void remove_member(org_id org, std::string user_id, principal p, actor_ref who, account_callback<unit> cb) override;
  void list_team_invitations(org_id org, account_callback<std::vector<team_invitation_view>> cb) override;
  void create_team_invitation(org_id org, std::string email, domain::role role, principal p, actor_ref who,
                              account_callback<team_invitation_view> cb) override;
  void resend_team_invitation(org_id org, std::string id, principal p, actor_ref who,
                              account_callback<team_invitation_view> cb) override;
  void revoke_team_invitation(org_id org, std::string id, principal p, actor_ref who,
                              account_callback<unit> cb) override;
  void preview_team_invitation(std::string token, account_callback<invitation_preview> cb) override;
  void accept_team_invitation(invitation_accept req, std::optional<principal> current, actor_ref who,
                              account_callback<login_result> cb) override;
  void list_api_keys(org_id org, account_callback<std::vector<api_key_view>> cb) override;
  void create_api_key(org_id org, api_key_create req, principal p, actor_ref who,
                      account_callback<api_key_created> cb) override;
  void revoke_api_key(org_id org, std::string id, principal p, actor_ref who, account_callback<unit> cb) override;
  void get_sso(org_id org, account_callback<sso_settings> cb) override;
  void put_sso(org_id org, sso_settings s, principal p, actor_ref who, account_callback<sso_settings> cb) override;
  void sso_start(std::string org_slug, std::string redirect_uri, actor_ref who,
                 account_callback<sso_start_result> cb) override;
  void sso_callback(std::string code, std::string state, std::string state_cookie, std::string redirect_uri,
                    actor_ref who, account_callback<login_result> cb) override;

  const session_cache& cache() const noexcept { return *cache_; }

 private:
  struct impl;
  std::unique_ptr<impl> d_;
  std::shared_ptr<session_cache> cache_;
};

}  // namespace hw::actors
