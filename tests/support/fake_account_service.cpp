#include "tests/support/fake_account_service.hpp"

#include <cstdio>

#include "http/auth.hpp"

namespace hw::testing {

namespace {

std::string uuid_of(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
  return buf;
}

}  // namespace

fake_account_service::fake_account_service() : worker_([this] { run_worker(); }) {}

fake_account_service::~fake_account_service() {
  {
    std::lock_guard<std::mutex> lock{mutex_};
    stopping_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void fake_account_service::run_worker() {
  std::unique_lock<std::mutex> lock{mutex_};
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;
    auto work = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    work();
    lock.lock();
  }
}

void fake_account_service::post(std::function<void()> work) {
  {
    std::lock_guard<std::mutex> lock{mutex_};
    if (async_) {
      queue_.push_back(std::move(work));
      cv_.notify_all();
      return;
    }
  }
  work();
}

template <class T>
void fake_account_service::answer(const std::string& name, account_callback<T> cb, std::function<result<T>()> f) {
  std::optional<hw::error> forced;
  {
    std::lock_guard<std::mutex> lock{mutex_};
    calls_.push_back(name);
    if (auto it = fail_next_.find(name); it != fail_next_.end()) {
      forced = it->second;
      fail_next_.erase(it);
    }
  }
  post([this, cb = std::move(cb), f = std::move(f), forced = std::move(forced)] {
    if (forced) return cb(*forced);
    std::optional<result<T>> r;
    {
      std::lock_guard<std::mutex> lock{data_mutex_};
      r.emplace(f());
    }
    cb(std::move(*r));
  });
}

// ---- setup and observation ----

std::string fake_account_service::add_session(const std::string& user_id, std::map<std::string, domain::role> roles) {
  std::lock_guard<std::mutex> lock{data_mutex_};
  auto& u = users_[user_id];
  u.id = user_id;
  if (u.email.empty()) u.email = user_id + "@example.com";
  u.roles = roles;
  const std::string token = "sess-" + std::to_string(next_++) + "-" + user_id;
  principal p;
  p.k = principal::kind::user;
  p.user_id = user_id;
  p.email = u.email;
  p.display_name = "User " + user_id;
  p.session_id_hash = http_api::sha256_hex(token);
  p.roles = std::move(roles);
  sessions_[token] = std::move(p);
  return token;
}

std::string fake_account_service::add_api_key(const std::string& org, domain::role r) {
  std::lock_guard<std::mutex> lock{data_mutex_};
  const int n = next_++;
  std::string key = "hwk_test" + std::to_string(n);
  key.resize(47, 'x');
  principal p;
  p.k = principal::kind::api_key;
  p.api_key_id = uuid_of(9000 + n);
  p.roles[org] = r;
  keys_[key] = std::move(p);
  return key;
}

void fake_account_service::add_user(const std::string& email, const std::string& password, const std::string& user_id) {
  std::lock_guard<std::mutex> lock{data_mutex_};
  auto& u = users_[user_id];
  u.id = user_id;
  u.email = email;
  u.password = password;
}

void fake_account_service::fail_next(const std::string& name, hw::error e) {
  std::lock_guard<std::mutex> lock{mutex_};
  fail_next_[name] = std::move(e);
}

void fake_account_service::set_async(bool on) {
  std::lock_guard<std::mutex> lock{mutex_};
  async_ = on;
}

std::size_t fake_account_service::call_count(const std::string& name) const {
  std::lock_guard<std::mutex> lock{mutex_};
  std::size_t n = 0;
  for (const auto& c : calls_) n += c == name;
  return n;
}

std::size_t fake_account_service::action_calls() const {
  std::lock_guard<std::mutex> lock{mutex_};
  std::size_t n = 0;
  for (const auto& c : calls_) n += c != "authenticate_session" && c != "authenticate_api_key";
  return n;
}

std::vector<std::string> fake_account_service::calls() const {
  std::lock_guard<std::mutex> lock{mutex_};
  return calls_;
}

actor_ref fake_account_service::last_who() const {
  std::lock_guard<std::mutex> lock{mutex_};
  return last_who_;
}

std::optional<principal> fake_account_service::last_principal() const {
  std::lock_guard<std::mutex> lock{mutex_};
  return last_principal_;
}

std::string fake_account_service::last_redirect_uri() const {
  std::lock_guard<std::mutex> lock{mutex_};
  return last_redirect_uri_;
}

std::optional<bool> fake_account_service::last_accept_had_current() const {
  std::lock_guard<std::mutex> lock{mutex_};
  return last_accept_had_current_;
}

bool fake_account_service::session_alive(const std::string& token) const {
  std::lock_guard<std::mutex> lock{data_mutex_};
  return sessions_.count(token) != 0;
}

// ---- helpers under data_mutex_ ----

login_result fake_account_service::start_session_locked(const user& u, std::optional<std::string> active) {
  const std::string token = "sess-" + std::to_string(next_++) + "-" + u.id;
  principal p;
  p.k = principal::kind::user;
  p.user_id = u.id;
  p.email = u.email;
  p.display_name = "User " + u.id;
  p.session_id_hash = http_api::sha256_hex(token);
  p.roles = u.roles;
  p.active_org = std::move(active);
  sessions_[token] = p;
  login_result r;
  r.session_token = token;
  r.cookie_max_age = std::chrono::seconds(43200);
  r.me = me_locked(p);
  return r;
}

me_view fake_account_service::me_locked(const principal& p) const {
  me_view v;
  v.user_id = p.user_id;
  v.email = p.email;
  v.display_name = p.display_name;
  for (const auto& [org, role] : p.roles) v.orgs.push_back({org, "org-" + org.substr(org.size() - 4), "Org", role});
  v.active_org = p.active_org;
  v.session_expires_at = "2030-01-01T00:00:00Z";
  return v;
}

// ---- account_service ----

void fake_account_service::authenticate_session(std::string token, actor_ref who, account_callback<principal> cb) {
  answer<principal>("authenticate_session", std::move(cb), [this, token]() -> result<principal> {
    auto it = sessions_.find(token);
    if (it == sessions_.end()) return hw::error{errc::unauthorized, "the session has ended"};
    return it->second;
  });
  (void)who;
}

void fake_account_service::authenticate_api_key(std::string key, actor_ref who, account_callback<principal> cb) {
  answer<principal>("authenticate_api_key", std::move(cb), [this, key]() -> result<principal> {
    auto it = keys_.find(key);
    if (it == keys_.end()) return hw::error{errc::unauthorized, "invalid API key"};
    return it->second;
  });
  (void)who;
}

void fake_account_service::signup(signup_request req, actor_ref who, account_callback<login_result> cb) {
  {
    std::lock_guard<std::mutex> lock{mutex_};
    last_who_ = who;
  }
  answer<login_result>("signup", std::move(cb), [this, req]() -> result<login_result> {
    for (const auto& [id, u] : users_) {
      if (u.email == req.email) return hw::error{errc::conflict, "email: is already registered"};
    }
    user u;
    u.id = uuid_of(next_++);
    u.email = req.email;
    u.password = req.password;
    const auto org = uuid_of(next_++);
    u.roles[org] = domain::role::owner;
    users_[u.id] = u;
    return start_session_locked(u, org);
  });
}

void fake_account_service::login(login_request req, actor_ref who, account_callback<login_result> cb) {
  {
    std::lock_guard<std::mutex> lock{mutex_};
    last_who_ = who;
  }
  answer<login_result>("login", std::move(cb), [this, req]() -> result<login_result> {
    for (const auto& [id, u] : users_) {
      if (u.email == req.email && u.password == req.password) return start_session_locked(u, std::nullopt);
    }
    return hw::error{errc::unauthorized, "email or password is wrong"};
  });
}

void fake_account_service::me(principal p, account_callback<me_view> cb) {
  answer<me_view>("me", std::move(cb), [this, p]() -> result<me_view> { return me_locked(p); });
}

void fake_account_service::logout(principal p, actor_ref who, account_callback<unit> cb) {
  (void)who;
  answer<unit>("logout", std::move(cb), [this, p]() -> result<unit> {
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      it = it->second.session_id_hash == p.session_id_hash ? sessions_.erase(it) : std::next(it);
    }
    return unit{};
  });
}

void fake_account_service::logout_everywhere(principal p, actor_ref who, account_callback<unit> cb) {
  (void)who;
  answer<unit>("logout_everywhere", std::move(cb), [this, p]() -> result<unit> {
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      it = it->second.user_id == p.user_id ? sessions_.erase(it) : std::next(it);
    }
    return unit{};
  });
}

void fake_account_service::switch_org(principal p, std::string org, actor_ref who, account_callback<me_view> cb) {
  (void)who;
  answer<me_view>("switch_org", std::move(cb), [this, p, org]() mutable -> result<me_view> {
    if (p.roles.count(org) == 0) return hw::error{errc::not_found, "no such organization"};
    p.active_org = org;
    return me_locked(p);
  });
}

void fake_account_service::change_password(principal p, std::string current, std::string next, actor_ref who,
                                           account_callback<unit> cb) {
  (void)who;
  (void)next;
  answer<unit>("change_password", std::move(cb), [p, current]() -> result<unit> {
    if (current == "wrong") return hw::error{errc::unauthorized, "the current password is wrong"};
    return unit{};
  });
}

void fake_account_service::request_password_reset(std::string email, actor_ref who, account_callback<unit> cb) {
  (void)email;
  (void)who;
  answer<unit>("request_password_reset", std::move(cb), []() -> result<unit> { return unit{}; });
}

void fake_account_service::confirm_password_reset(std::string token, std::string next, actor_ref who,
                                                  account_callback<unit> cb) {
  (void)next;
  (void)who;
  answer<unit>("confirm_password_reset", std::move(cb), [token]() -> result<unit> {
    if (token == "bad") return hw::error{errc::unauthorized, "the link is invalid or has expired"};
    return unit{};
  });
}

void fake_account_service::list_members(org_id org, account_callback<std::vector<member_view>> cb) {
  answer<std::vector<member_view>>("list_members", std::move(cb), [org]() -> result<std::vector<member_view>> {
    member_view m;
    m.user_id = uuid_of(1);
    m.email = "owner@example.com";
    m.display_name = "Owner";
    m.role = domain::role::owner;
    m.joined_at = "2024-01-01T00:00:00Z";
    (void)org;
    return std::vector<member_view>{m};
  });
}

void fake_account_service::change_member_role(org_id org, std::string user_id, domain::role role, principal p,
                                              actor_ref who, account_callback<member_view> cb) {
  {
    std::lock_guard<std::mutex> lock{mutex_};
    last_who_ = who;
    last_principal_ = p;
  }
  (void)org;
  answer<member_view>("change_member_role", std::move(cb), [user_id, role]() -> result<member_view> {
    member_view m;
    m.user_id = user_id;
    m.email = "member@example.com";
    m.display_name = "Member";
    m.role = role;
    m.joined_at = "2024-01-01T00:00:00Z";
    return m;
  });
}

void fake_account_service::remove_member(org_id org, std::string user_id, principal p, actor_ref who,
                                         account_callback<unit> cb) {
  (void)org;
  (void)user_id;
  (void)p;
  (void)who;
  answer<unit>("remove_member", std::move(cb), []() -> result<unit> { return unit{}; });
}

namespace {
team_invitation_view sample_invitation(std::string id, std::string email, domain::role role) {
  team_invitation_view v;
  v.id = std::move(id);
  v.email = std::move(email);
  v.role = role;
  v.status = "pending";
  v.invited_by = uuid_of(1);
  v.created_at = "2024-01-01T00:00:00Z";
  v.expires_at = "2024-01-08T00:00:00Z";
  return v;
}
}  // namespace

void fake_account_service::list_team_invitations(org_id org, account_callback<std::vector<team_invitation_view>> cb) {
  (void)org;
  answer<std::vector<team_invitation_view>>("list_team_invitations", std::move(cb), []() -> result<std::vector<team_invitation_view>> {
    return std::vector<team_invitation_view>{sample_invitation(uuid_of(500), "new@example.com", domain::role::viewer)};
  });
}

void fake_account_service::create_team_invitation(org_id org, std::string email, domain::role role, principal p,
                                                  actor_ref who, account_callback<team_invitation_view> cb) {
  {
    std::lock_guard<std::mutex> lock{mutex_};
    last_who_ = who;
    last_principal_ = p;
  }
  (void)org;
  answer<team_invitation_view>("create_team_invitation", std::move(cb), [this, email, role]() -> result<team_invitation_view> {
    return sample_invitation(uuid_of(500 + next_++), email, role);
  });
}

void fake_account_service::resend_team_invitation(org_id org, std::string id, principal p, actor_ref who,
                                                  account_callback<team_invitation_view> cb) {
  (void)org;
  (void)p;
  (void)who;
  answer<team_invitation_view>("resend_team_invitation", std::move(cb), [id]() -> result<team_invitation_view> {
    auto v = sample_invitation(id, "new@example.com", domain::role::viewer);
    v.sends = 2;
    return v;
  });
}

void fake_account_service::revoke_team_invitation(org_id org, std::string id, principal p, actor_ref who,
                                                  account_callback<unit> cb) {
  (void)org;
  (void)id;
  (void)p;
  (void)who;
  answer<unit>("revoke_team_invitation", std::move(cb), []() -> result<unit> { return unit{}; });
}

void fake_account_service::preview_team_invitation(std::string token, account_callback<invitation_preview> cb) {
  answer<invitation_preview>("preview_team_invitation", std::move(cb), [token]() -> result<invitation_preview> {
    if (token == "bad") return hw::error{errc::unauthorized, "the invitation is invalid or has expired"};
    invitation_preview p;
    p.org_name = "Acme";
    p.org_slug = "acme";
    p.email = "new@example.com";
    p.role = domain::role::recruiter;
    p.expires_at = "2024-01-08T00:00:00Z";
    return p;
  });
}

void fake_account_service::accept_team_invitation(invitation_accept req, std::optional<principal> current,
                                                  actor_ref who, account_callback<login_result> cb) {
  {
    std::lock_guard<std::mutex> lock{mutex_};
    last_who_ = who;
    last_accept_had_current_ = current.has_value();
  }
  answer<login_result>("accept_team_invitation", std::move(cb), [this, req]() -> result<login_result> {
    if (req.token == "bad") return hw::error{errc::unauthorized, "the invitation is invalid or has expired"};
    user u;
    u.id = uuid_of(next_++);
    u.email = "new@example.com";
    u.roles[uuid_of(77)] = domain::role::recruiter;
    users_[u.id] = u;
    return start_session_locked(u, uuid_of(77));
  });
}

namespace {
api_key_view sample_key(std::string id, std::string name, domain::role role) {
  api_key_view k;
  k.id = std::move(id);
  k.name = std::move(name);
  k.prefix = "hwk_ab12";
  k.role = role;
  k.created_by = uuid_of(1);
  k.created_at = "2024-01-01T00:00:00Z";
  return k;
}
}  // namespace

void fake_account_service::list_api_keys(org_id org, account_callback<std::vector<api_key_view>> cb) {
  (void)org;
  answer<std::vector<api_key_view>>("list_api_keys", std::move(cb), []() -> result<std::vector<api_key_view>> {
    return std::vector<api_key_view>{sample_key(uuid_of(700), "ci", domain::role::viewer)};
  });
}

void fake_account_service::create_api_key(org_id org, api_key_create req, principal p, actor_ref who,
                                          account_callback<api_key_created> cb) {
  {
    std::lock_guard<std::mutex> lock{mutex_};
    last_who_ = who;
    last_principal_ = p;
  }
  answer<api_key_created>("create_api_key", std::move(cb), [this, org, req]() -> result<api_key_created> {
    api_key_created c;
    c.key = sample_key(uuid_of(700 + next_++), req.name, req.role);
    c.key.expires_at = req.expires_at;
    c.secret = "hwk_" + std::string(43, 'S');
    (void)org;
    return c;
  });
}

void fake_account_service::revoke_api_key(org_id org, std::string id, principal p, actor_ref who,
                                          account_callback<unit> cb) {
  (void)org;
  (void)id;
  (void)p;
  (void)who;
  answer<unit>("revoke_api_key", std::move(cb), []() -> result<unit> { return unit{}; });
}

void fake_account_service::get_sso(org_id org, account_callback<sso_settings> cb) {
  (void)org;
  answer<sso_settings>("get_sso", std::move(cb), []() -> result<sso_settings> {
    sso_settings s;
    s.enabled = true;
    s.issuer = "https://idp.example";
    s.client_id = "client";
    s.client_secret_set = true;
    s.allowed_domains = {"example.com"};
    return s;
  });
}

void fake_account_service::put_sso(org_id org, sso_settings s, principal p, actor_ref who,
                                   account_callback<sso_settings> cb) {
  (void)org;
  (void)p;
  (void)who;
  answer<sso_settings>("put_sso", std::move(cb), [s]() mutable -> result<sso_settings> {
    s.client_secret_set = s.client_secret.has_value();
    s.client_secret.reset();
    return s;
  });
}

void fake_account_service::sso_start(std::string org_slug, std::string redirect_uri, actor_ref who,
                                     account_callback<sso_start_result> cb) {
  {
    std::lock_guard<std::mutex> lock{mutex_};
    last_who_ = who;
    last_redirect_uri_ = redirect_uri;
  }
  answer<sso_start_result>("sso_start", std::move(cb), [org_slug]() -> result<sso_start_result> {
    if (org_slug == "nosso") return hw::error{errc::not_found, "this organization has no single sign-on"};
    return sso_start_result{"https://idp.example/authorize?state=s1", "sso-state-1"};
  });
}

void fake_account_service::sso_callback(std::string code, std::string state, std::string state_cookie,
                                        std::string redirect_uri, actor_ref who, account_callback<login_result> cb) {
  {
    std::lock_guard<std::mutex> lock{mutex_};
    last_who_ = who;
    last_redirect_uri_ = redirect_uri;
  }
  answer<login_result>("sso_callback", std::move(cb), [this, code, state, state_cookie]() -> result<login_result> {
    if (state != "s1" || state_cookie != "sso-state-1" || code.empty()) {
      return hw::error{errc::unauthorized, "state mismatch"};
    }
    user u;
    u.id = uuid_of(next_++);
    u.email = "sso@example.com";
    users_[u.id] = u;
    return start_session_locked(u, std::nullopt);
  });
}

}  // namespace hw::testing
