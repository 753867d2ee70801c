#pragma once
// An in-memory hw::account_service for http tests. Thread-safe. Like the real one it answers on a
// foreign thread (its own worker) unless set_async(false), which answers synchronously on the
// caller's thread (the real service's session-cache hit), so both paths of the middleware run.
//
// Credentials for tests: add_session(user, {org: role}) returns a session cookie value (a "role
// token"); add_api_key(org, role) returns an "hwk_..." key. Every call is counted by name;
// action_calls() counts everything except authenticate_*.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "actors/domain/accounts.hpp"

namespace hw::testing {

class fake_account_service final : public account_service {
 public:
  fake_account_service();
  ~fake_account_service() override;

  // ---- test setup ----
  /// A session for `user_id` (created if new, e-mail "<user_id>@example.com") with these roles.
  /// Returns the cookie value. The principal's session_id_hash is the hex SHA-256 of it.
  std::string add_session(const std::string& user_id, std::map<std::string, domain::role> roles);
  /// An API key bound to one organization and role.
  std::string add_api_key(const std::string& org, domain::role r);
  /// A user that can log in with e-mail and password.
  void add_user(const std::string& email, const std::string& password, const std::string& user_id);
  /// The next call named `name` fails with `e` (once).
  void fail_next(const std::string& name, hw::error e);
  /// true (default): answer on the worker thread; false: answer on the caller's thread.
  void set_async(bool on);

  // ---- observation ----
  std::size_t call_count(const std::string& name) const;
  /// Calls other than authenticate_session / authenticate_api_key.
  std::size_t action_calls() const;
  std::vector<std::string> calls() const;
  actor_ref last_who() const;
  std::optional<principal> last_principal() const;
  std::string last_redirect_uri() const;
  std::optional<bool> last_accept_had_current() const;
  /// True while the session token is still valid (not logged out).
  bool session_alive(const std::string& token) const;

  // ---- account_service ----
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

 private:
  struct user {
    std::string id;
    std::string email;
    std::string password;
    std::map<std::string, domain::role> roles;
  };

  /// Records the call, applies a forced failure, else computes `f()` under the data lock and
  /// answers (on the worker or inline).
  template <class T>
  void answer(const std::string& name, account_callback<T> cb, std::function<result<T>()> f);
  void post(std::function<void()> work);
  void run_worker();
  // Under data_mutex_.
  login_result start_session_locked(const user& u, std::optional<std::string> active);
  me_view me_locked(const principal& p) const;

  mutable std::mutex mutex_;  // calls, queue, settings
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  bool async_ = true;
  std::vector<std::string> calls_;
  std::map<std::string, hw::error> fail_next_;
  actor_ref last_who_;
  std::optional<principal> last_principal_;
  std::string last_redirect_uri_;
  std::optional<bool> last_accept_had_current_;

  mutable std::mutex data_mutex_;
  std::map<std::string, user> users_;            // by id
  std::map<std::string, principal> sessions_;    // token -> principal
  std::map<std::string, principal> keys_;        // key -> principal
  int next_ = 1;

  std::thread worker_;
};

}  // namespace hw::testing
