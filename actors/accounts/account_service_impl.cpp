#include "actors/accounts/account_service_impl.hpp"

#include <atomic>
#include <ctime>
#include <map>
#include <mutex>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/accounts/account_mail.hpp"
#include "actors/auth/oidc_client.hpp"
#include "actors/auth/password_hash.hpp"
#include "actors/auth/secret_box.hpp"
#include "actors/domain/password_policy.hpp"
#include "actors/message_types.hpp"
#include "storage/api_key_repo.hpp"
#include "storage/login_throttle_repo.hpp"
#include "storage/organization_repo.hpp"
#include "storage/password_reset_repo.hpp"
#include "storage/session_repo.hpp"
#include "storage/sso_repo.hpp"
#include "storage/team_invitation_repo.hpp"
#include "storage/user_repo.hpp"

namespace hw::actors {

namespace {

using time_point = std::chrono::system_clock::time_point;

const hw::error bad_login{errc::unauthorized, "email or password is wrong"};

hw::error session_ended() { return hw::error{errc::unauthorized, "not signed in (the session ended or is unknown)"}; }

}  // namespace

struct account_service_impl::impl {
  caf::actor_system& sys;
  caf::actor db;
  caf::actor pool;
  caf::actor notify;
  std::shared_ptr<session_cache> cache;
  account_service_options opt;

  time_point now() const { return opt.clock(); }

  // SSO: blocking OIDC HTTP calls, bounded; discovery documents and JWKS cached per issuer.
  static constexpr int max_blocking = 4;
  std::shared_ptr<std::atomic<int>> blocking_in_flight = std::make_shared<std::atomic<int>>(0);
  auth::oidc_http_options oidc_http{};
  std::shared_ptr<auth::jwks_cache> jwks = make_jwks(opt.sso_allow_private_network);
  static std::shared_ptr<auth::jwks_cache> make_jwks(bool allow_private) {
    auth::jwks_cache::options o;
    o.http.allow_private_addresses = allow_private;
    return std::make_shared<auth::jwks_cache>(o, nullptr, nullptr);
  }
  std::mutex disc_mu;
  std::map<std::string, std::pair<auth::oidc_discovery, std::chrono::steady_clock::time_point>> discoveries;
  const auth::oidc_http_options& opt_http() const { return oidc_http; }
  void blocking(std::function<void()> work, std::function<void(hw::error)> busy);
  result<auth::oidc_discovery> discovery_for(const std::string& issuer);

  /// Runs `f(connection)` -> result<T> on a db worker; delivers the result to `cb`.
  template <class T, class F>
  void db_call(F f, account_callback<T> cb) {
    db_task t;
    t.run = [f = std::move(f), cb](pqxx::connection_base& c) mutable -> result<hw::unit> {
      result<T> r = f(c);
      if (!r) return std::move(r).error();
      try {
        cb(std::move(r));
      } catch (const std::exception& e) {  // delivered already: never answer twice
        spdlog::error("account service callback threw: {}", e.what());
      }
      return hw::unit{};
    };
    t.fail = [cb](hw::error e) { cb(std::move(e)); };
    caf::anon_send(db, run_atom::value, std::move(t));
  }

  /// Fire-and-forget database work (touching a session, recording a throttle failure).
  template <class F>
  void db_forget(F f, const char* what) {
    db_task t;
    t.run = [f = std::move(f)](pqxx::connection_base& c) mutable -> result<hw::unit> { return f(c); };
    t.fail = [what](hw::error e) { spdlog::warn("{} failed: {}", what, e.detail); };
    caf::anon_send(db, run_atom::value, std::move(t));
  }

  template <class T, class Atom, class... Ts>
  void pool_call(account_callback<T> cb, Atom atom, Ts... xs) {
    auto timeout = opt.hash_timeout;
    auto target = pool;
    sys.spawn([=](caf::event_based_actor* self) {
      self->request(target, timeout, atom, xs...)
        .then([cb](T v) { cb(std::move(v)); }, [cb](caf::error& e) { cb(to_hw_error(e)); });
    });
  }

  void hash(std::string pw, account_callback<std::string> cb) { pool_call<std::string>(std::move(cb), hash_atom::value, std::move(pw)); }
  void verify(std::string pw, std::string stored, account_callback<bool> cb) {
    pool_call<bool>(std::move(cb), verify_atom::value, std::move(pw), std::move(stored));
  }
  void dummy(std::string pw, account_callback<bool> cb) { pool_call<bool>(std::move(cb), dummy_atom::value, std::move(pw)); }

  void nudge() {
    if (notify) caf::anon_send(notify, nudge_atom::value);
  }

  static principal make_principal(const storage::loaded_session& s) {
    principal p;
    p.k = principal::kind::user;
    p.user_id = s.session.user_id;
    p.email = s.email;
    p.display_name = s.display_name;
    p.session_id_hash = s.session.id_hash;
    p.roles = s.roles;
    if (s.session.active_org) p.active_org = s.session.active_org->value;
    return p;
  }

  /// "me" for a user: their organizations with names, the active one, the session's expiry.
  /// Only the organizations in `reach` (the session's roles) are listed: an SSO session sees its
  /// own organization, a password session not those that require SSO.
  static result<me_view> load_me(pqxx::connection_base& c, const std::string& user_id,
                                 const std::optional<std::string>& active, const std::string& expires_at,
                                 const std::map<std::string, domain::role>& reach) {
    auto user = storage::load_user(c, user_id);
    if (!user) return std::move(user).error();
    auto orgs = storage::list_user_orgs(c, user_id);
    if (!orgs) return std::move(orgs).error();
    me_view m;
    m.user_id = user->id;
    m.email = user->email;
    m.display_name = user->display_name;
    for (auto& o : *orgs) {
      if (reach.count(o.org.value) != 0) m.orgs.push_back(my_org_view{o.org.value, o.slug, o.name, o.role});
    }
    if (active) {
      for (auto& o : m.orgs) {
        if (o.org_id == *active) m.active_org = active;
      }
    }
    if (!m.active_org && !m.orgs.empty()) m.active_org = m.orgs.front().org_id;
    m.session_expires_at = expires_at;
    return m;
  }

  /// Creates a session for `user_id` and builds the login answer, in one db task.
  result<login_result> start_session(pqxx::connection_base& c, const std::string& user_id,
                                     std::optional<org_id> active, const std::string& method, const actor_ref& who) {
    login_result out;
    out.session_token = auth::random_secret();
    storage::new_session ns;
    ns.user_id = user_id;
    ns.id_hash = auth::sha256_hex(out.session_token);
    ns.active_org = std::move(active);
    ns.idle = opt.session_idle;
    ns.absolute = opt.session_absolute;
    ns.method = method;
    auto s = storage::create_session(c, ns, now(), who);
    if (!s) return std::move(s).error();
    out.cookie_max_age = opt.session_absolute;
    auto loaded = storage::load_session(c, ns.id_hash, now());
    if (!loaded) return std::move(loaded).error();
    std::optional<std::string> act;
    if (loaded->session.active_org) act = loaded->session.active_org->value;
    auto me = load_me(c, user_id, act, s->absolute_expires_at_rfc3339, loaded->roles);
    if (!me) return std::move(me).error();
    out.me = std::move(*me);
    return out;
  }

  /// The login after the password was checked: throttle reset, session.
  void finish_password_login(std::string user_id, std::string email_key, actor_ref who,
                             account_callback<login_result> cb) {
    db_call<login_result>(
      [this, user_id, email_key, who](pqxx::connection_base& c) -> result<login_result> {
        // "SSO required" takes an organization out of password sessions (load_session); when
        // every organization of the person requires it, a password session would be useless.
        auto req = storage::user_sso_requirements(c, user_id);
        if (!req) return std::move(req).error();
        auto orgs = storage::list_user_orgs(c, user_id);
        if (!orgs) return std::move(orgs).error();
        bool all_required = !req->empty();
        for (const auto& r : *req) {
          bool owner = false;  // owners keep password access (break-glass)
          for (const auto& o : *orgs) owner = owner || (o.org.value == r.org.value && o.role == domain::role::owner);
          all_required = all_required && r.sso_required && !owner;
        }
        if (all_required) {
          return hw::error{errc::forbidden,
                           "your organization requires single sign-on: use \"Continue with SSO\""};
        }
        (void)storage::record_login_success(c, email_key);
        return start_session(c, user_id, std::nullopt, "password", who);
      },
      std::move(cb));
  }

  /// A refused password: the e-mail key was counted before the check (login); the client address
  /// counts failures only; a known account gets an auth.login_failed row.
  void record_failure(const std::optional<std::string>& ip,
                      const std::optional<std::string>& user_id, actor_ref who) {
    auto t = now();
    db_forget(
      [ip, user_id, who, t](pqxx::connection_base& c) -> result<hw::unit> {
        // The e-mail key was counted before the check (login); the address counts failures only.
        if (ip) {
          auto r2 = storage::record_login_failure(c, storage::login_throttle_key_ip(*ip), t);
          if (!r2) return std::move(r2).error();
        }
        if (user_id) {
          audit_entry e;
          e.who = who;
          e.action = "auth.login_failed";
          e.target = *user_id;
          e.outcome = "failure";
          e.detail_json = R"({"reason":"wrong_password"})";
          auto r3 = storage::append_user_audit(c, *user_id, e);
          if (!r3) return std::move(r3).error();
        }
        return hw::unit{};
      },
      "recording a failed login");
  }
};

account_service_impl::account_service_impl(caf::actor_system& sys, caf::actor db, caf::actor hash_pool,
                                           caf::actor notify, std::shared_ptr<session_cache> cache,
                                           account_service_options opt)
    : d_(new impl{sys, std::move(db), std::move(hash_pool), std::move(notify), cache, std::move(opt)}),
      cache_(std::move(cache)) {
  d_->oidc_http.allow_private_addresses = d_->opt.sso_allow_private_network;
}

account_service_impl::~account_service_impl() = default;

// ---- authentication ------------------------------------------------------------------------

void account_service_impl::authenticate_session(std::string token, actor_ref, account_callback<principal> cb) {
  if (!auth::looks_like_secret(token)) return cb(session_ended());
  auto hash = auth::sha256_hex(token);
  auth::wipe(token);
  const auto t = d_->now();
  if (auto hit = cache_->find(hash, t)) {
    if (hit->touch_due) {
      auto idle = d_->opt.session_idle;
      auto cache = cache_;
      d_->db_forget(
        [hash, idle, t, cache](pqxx::connection_base& c) -> result<hw::unit> {
          auto r = storage::touch_session(c, hash, idle, t);
          if (!r && r.code() == errc::unauthorized) {
            // Ended meanwhile and the NOTIFY did not reach us (or not yet): stop trusting the copy.
            cache->evict_session(hash);
            return hw::unit{};
          }
          if (!r) return std::move(r).error();
          return hw::unit{};
        },
        "touching a session");
    }
    return cb(std::move(hit->who));
  }
  const auto gen = cache_->generation();
  auto cache = cache_;
  auto idle = d_->opt.session_idle;
  auto touch_interval = d_->opt.touch_interval;
  d_->db_call<principal>(
    [hash, t, gen, cache, idle, touch_interval](pqxx::connection_base& c) -> result<principal> {
      auto s = storage::load_session(c, hash, t);
      if (!s) return std::move(s).error();
      // A session not written back for a while gets its idle expiry extended now.
      if (t - s->session.last_seen_at >= touch_interval) {
        auto touched = storage::touch_session(c, hash, idle, t);
        if (touched) s->session.idle_expires_at = *touched;
        s->session.last_seen_at = t;
      }
      auto p = impl::make_principal(*s);
      cache->put(hash, session_cache::entry{p, s->session.idle_expires_at, s->session.absolute_expires_at,
                                            s->session.last_seen_at},
                 gen);
      return p;
    },
    [cb](result<principal> r) {
      if (!r && r.code() == errc::unauthorized) return cb(session_ended());
      cb(std::move(r));
    });
}

// ---- sign-up, login, sessions ----------------------------------------------------------------

void account_service_impl::signup(signup_request req, actor_ref who, account_callback<login_result> cb) {
  domain::org_create oc;
  oc.name = req.org_name;
  oc.slug = req.org_slug;
  if (auto e = domain::validate(oc)) return cb(std::move(*e));
  auto email = storage::normalize_email(req.email);
  if (!email) return cb(std::move(email).error());
  if (auto pw = domain::validate_password(req.password, *email); !pw) {
    auth::wipe(req.password);
    return cb(std::move(pw).error());
  }
  auto password = std::move(req.password);
  auto self = d_.get();
  self->hash(std::move(password), [self, oc, req, who, cb](result<std::string> h) {
    if (!h) return cb(std::move(h).error());
    self->db_call<login_result>(
      [self, oc, req, who, hash = std::move(*h)](pqxx::connection_base& c) -> result<login_result> {
        auto existing = storage::find_user_by_email(c, req.email);
        if (existing) return hw::error{errc::conflict, "email: already registered; sign in and ask to be invited"};
        if (existing.code() != errc::not_found) return std::move(existing).error();
        storage::user_create uc;
        uc.email = req.email;
        uc.display_name = req.display_name;
        uc.password_hash = hash;
        actor_ref creator = who;
        creator.kind = "system";
        creator.id = "signup";
        auto made = storage::create_org_with_owner(c, oc, uc, creator);
        if (!made) return std::move(made).error();
        if (!made->owner_created) {
          // Lost a race with another sign-up of the same address: that account owns the new
          // organization, but this caller gets no session for it.
          return hw::error{errc::conflict, "email: already registered; sign in and ask to be invited"};
        }
        return self->start_session(c, made->owner.id, made->org.id, "signup", who);
      },
      cb);
  });
}

void account_service_impl::login(login_request req, actor_ref who, account_callback<login_result> cb) {
  if (req.password.empty() || req.password.size() > 1024) return cb(bad_login);
  const auto email_key = storage::login_throttle_key_email(req.email);
  const auto ip = who.ip;
  const auto t = d_->now();
  auto self = d_.get();
  struct lookup {
    std::optional<storage::user_record> user;
  };
  // 1. throttle and account lookup (one task), 2. argon2id on the pool, 3. session.
  // The e-mail is copied BEFORE the call: the second lambda below moves `req`, and the order in
  // which function arguments are evaluated is unspecified (GCC builds the last one first).
  std::string email = req.email;
  self->db_call<lookup>(
    [email_key, ip, t, email = std::move(email)](pqxx::connection_base& c) -> result<lookup> {
      std::vector<std::string> keys{email_key};
      if (ip) keys.push_back(storage::login_throttle_key_ip(*ip));
      auto wait = storage::check_login_throttle(c, keys, t);
      if (!wait) return std::move(wait).error();
      if (wait->count() > 0) {
        hw::error e{errc::rate_limited, "too many failed sign-in attempts; try again later"};
        e.retry_after_s = static_cast<std::int32_t>(wait->count());
        return e;
      }
      // The attempt counts before the password is checked (a success clears it): concurrent
      // guesses cannot all slip through one open throttle check.
      auto counted = storage::record_login_failure(c, email_key, t);
      if (!counted) return std::move(counted).error();
      lookup out;
      auto u = storage::find_user_by_email(c, email);
      if (u) {
        out.user = std::move(*u);
      } else if (u.code() != errc::not_found && u.code() != errc::invalid_argument) {
        return std::move(u).error();
      }
      return out;
    },
    [self, req = std::move(req), who, email_key, ip, cb](result<lookup> r) mutable {
      if (!r) {
        auth::wipe(req.password);
        return cb(std::move(r).error());
      }
      if (!r->user || !r->user->password_hash) {
        // Unknown account (or SSO-only): the same argon2id work, the same answer.
        self->dummy(std::move(req.password), [self, ip, who, cb](result<bool> v) {
          if (!v) return cb(std::move(v).error());
          self->record_failure(ip, std::nullopt, who);
          cb(bad_login);
        });
        return;
      }
      auto user = std::move(*r->user);
      auto stored = *user.password_hash;
      self->verify(std::move(req.password), stored,
                   [self, user, email_key, ip, who, cb](result<bool> ok) {
                     if (!ok) return cb(std::move(ok).error());
                     if (!*ok) {
                       self->record_failure(ip, user.id, who);
                       return cb(bad_login);
                     }
                     self->finish_password_login(user.id, email_key, who, cb);
                   });
    });
}

void account_service_impl::me(principal p, account_callback<me_view> cb) {
  if (p.k != principal::kind::user) return cb(hw::error{errc::forbidden, "only people have a session"});
  auto hash = p.session_id_hash;
  auto t = d_->now();
  d_->db_call<me_view>(
    [p, hash, t](pqxx::connection_base& c) -> result<me_view> {
      auto s = storage::load_session(c, hash, t);
      if (!s) return std::move(s).error();
      std::optional<std::string> act;
      if (s->session.active_org) act = s->session.active_org->value;
      return impl::load_me(c, p.user_id, act, s->session.absolute_expires_at_rfc3339, s->roles);
    },
    std::move(cb));
}

void account_service_impl::logout(principal p, actor_ref who, account_callback<unit> cb) {
  if (p.k != principal::kind::user) return cb(hw::error{errc::forbidden, "only people have a session"});
  auto t = d_->now();
  auto cache = cache_;
  d_->db_call<unit>(
    [p, t, who, cache](pqxx::connection_base& c) -> result<unit> {
      auto r = storage::revoke_session(c, p.session_id_hash, "logout", t, who);
      if (!r) return std::move(r).error();
      cache->evict_session(p.session_id_hash);  // this process at once; others by NOTIFY
      return unit{};
    },
    std::move(cb));
}

void account_service_impl::logout_everywhere(principal p, actor_ref who, account_callback<unit> cb) {
  if (p.k != principal::kind::user) return cb(hw::error{errc::forbidden, "only people have a session"});
  auto t = d_->now();
  auto cache = cache_;
  d_->db_call<unit>(
    [p, t, who, cache](pqxx::connection_base& c) -> result<unit> {
      auto r = storage::revoke_user_sessions(c, p.user_id, "logout_everywhere", std::nullopt, t, who);
      if (!r) return std::move(r).error();
      cache->evict_user(p.user_id);
      return unit{};
    },
    std::move(cb));
}

void account_service_impl::switch_org(principal p, std::string org, actor_ref, account_callback<me_view> cb) {
  if (p.k != principal::kind::user) return cb(hw::error{errc::forbidden, "only people have a session"});
  auto canonical = canonical_uuid(org);
  if (canonical.empty()) return cb(hw::error{errc::not_found, "no such organization"});
  auto t = d_->now();
  auto cache = cache_;
  d_->db_call<me_view>(
    [p, t, cache, id = org_id{canonical}](pqxx::connection_base& c) -> result<me_view> {
      auto r = storage::set_active_org(c, p.session_id_hash, id, t);
      if (!r) return std::move(r).error();
      cache->evict_session(p.session_id_hash);
      auto s = storage::load_session(c, p.session_id_hash, t);
      if (!s) return std::move(s).error();
      return impl::load_me(c, p.user_id, id.value, s->session.absolute_expires_at_rfc3339, s->roles);
    },
    std::move(cb));
}

// ---- passwords -----------------------------------------------------------------------------

void account_service_impl::change_password(principal p, std::string current, std::string next, actor_ref who,
                                           account_callback<unit> cb) {
  if (p.k != principal::kind::user) return cb(hw::error{errc::forbidden, "only people have a password"});
  if (auto pw = domain::validate_password(next, p.email); !pw) {
    auth::wipe(current);
    auth::wipe(next);
    return cb(std::move(pw).error());
  }
  auto self = d_.get();
  auto cache = cache_;
  self->db_call<storage::user_record>(
    [uid = p.user_id](pqxx::connection_base& c) { return storage::load_user(c, uid); },
    [self, p, current = std::move(current), next = std::move(next), who, cache,
     cb](result<storage::user_record> u) mutable {
      if (!u) return cb(std::move(u).error());
      if (!u->password_hash) {
        return cb(hw::error{errc::forbidden, "this account signs in with SSO and has no password"});
      }
      self->verify(std::move(current), *u->password_hash,
                   [self, p, next = std::move(next), who, cache, cb](result<bool> ok) mutable {
                     if (!ok) return cb(std::move(ok).error());
                     if (!*ok) return cb(hw::error{errc::unauthorized, "current_password: wrong password"});
                     self->hash(std::move(next), [self, p, who, cache, cb](result<std::string> h) {
                       if (!h) return cb(std::move(h).error());
                       auto t = self->now();
                       self->db_call<unit>(
                         [p, who, cache, t, hash = std::move(*h)](pqxx::connection_base& c) -> result<unit> {
                           actor_ref actor = who;
                           actor.kind = "user";
                           actor.id = p.user_id;
                           auto r = storage::change_password(c, p.user_id, hash, p.session_id_hash, t, actor);
                           if (!r) return std::move(r).error();
                           cache->evict_user(p.user_id);
                           return unit{};
                         },
                         cb);
                     });
                   });
    });
}

void account_service_impl::request_password_reset(std::string email, actor_ref who, account_callback<unit> cb) {
  // Always the same answer; the work (lookup, token, e-mail) happens behind it.
  auto self = d_.get();
  auto t = d_->now();
  auto token = auth::random_secret();
  auto mail = password_reset_mail(d_->opt.public_origin, "placeholder@invalid", token);
  auto expires = t + d_->opt.reset_ttl;
  self->db_call<unit>(
    [self, email, who, t, token_hash = auth::sha256_hex(token), mail, expires](pqxx::connection_base& c) -> result<unit> {
      auto u = storage::find_user_by_email(c, email);
      if (!u) return unit{};  // unknown or malformed: nothing to do, same answer
      auto made = storage::create_password_reset(c, u->id, token_hash, expires, mail, t, who);
      if (!made) {
        if (made.code() != errc::rate_limited) spdlog::warn("password reset not created: {}", made.error().detail);
        return unit{};  // the same answer either way
      }
      if (made->email_id) self->nudge();
      return unit{};
    },
    std::move(cb));
}

void account_service_impl::confirm_password_reset(std::string token, std::string next, actor_ref who,
                                                  account_callback<unit> cb) {
  const hw::error bad_link{errc::unauthorized, "the reset link is invalid or has expired"};
  if (!auth::looks_like_secret(token)) return cb(bad_link);
  if (auto pw = domain::validate_password(next, ""); !pw) {
    auth::wipe(next);
    return cb(std::move(pw).error());
  }
  auto self = d_.get();
  auto cache = cache_;
  auto token_hash = auth::sha256_hex(token);
  // A bad link is refused before an argon2id hash is spent on it (the pool is shared with logins).
  self->db_call<unit>(
    [token_hash, t = self->now()](pqxx::connection_base& c) -> result<unit> {
      return storage::check_password_reset(c, token_hash, t);
    },
    [self, who, cache, cb, token_hash, next = std::move(next)](result<unit> valid) mutable {
      if (!valid) {
        auth::wipe(next);
        return cb(std::move(valid).error());
      }
      self->hash(std::move(next), [self, who, cache, cb, token_hash](result<std::string> h) {
        if (!h) return cb(std::move(h).error());
        auto t = self->now();
        self->db_call<unit>(
          [who, cache, t, token_hash, hash = std::move(*h)](pqxx::connection_base& c) -> result<unit> {
            auto r = storage::consume_password_reset(c, token_hash, hash, t, who);
            if (!r) return std::move(r).error();
            cache->evict_user(r->user_id);
            return unit{};
          },
          cb);
      });
    });
}

// ---- members -------------------------------------------------------------------------------

namespace {

member_view to_view(const storage::member_record& m) {
  return member_view{m.user_id, m.email, m.display_name, m.role, m.created_at};
}

team_invitation_view to_view(const storage::team_invitation_record& r) {
  team_invitation_view v;
  v.id = r.id;
  v.email = r.email;
  v.role = r.role;
  v.status = r.status;
  v.invited_by = r.invited_by_kind == "user" ? r.invited_by_id : r.invited_by_kind;
  v.created_at = r.created_at;
  v.expires_at = r.expires_at;
  v.sends = r.sends;
  return v;
}

api_key_view to_view(const storage::api_key_record& r) {
  api_key_view v;
  v.id = r.id;
  v.name = r.name;
  v.prefix = r.prefix;
  v.role = r.role;
  v.created_by = r.created_by_kind == "user" ? r.created_by_id : r.created_by_kind;
  v.created_at = r.created_at;
  v.expires_at = r.expires_at;
  v.last_used_at = r.last_used_at;
  v.revoked_at = r.revoked_at;
  return v;
}

/// The audit actor: the principal, with the request's ip / user agent / request id.
actor_ref acting(const principal& p, const actor_ref& who) {
  actor_ref a = p.as_actor();
  a.ip = who.ip;
  a.user_agent = who.user_agent;
  a.request_id = who.request_id;
  return a;
}

/// A strict RFC 3339 date-time (audit.hpp is_rfc3339) as a time point; fractions are dropped.
std::optional<time_point> parse_rfc3339(const std::string& s) {
  if (!is_rfc3339(s)) return std::nullopt;
  std::tm tm{};
  tm.tm_year = std::stoi(s.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(s.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(s.substr(8, 2));
  tm.tm_hour = std::stoi(s.substr(11, 2));
  tm.tm_min = std::stoi(s.substr(14, 2));
  tm.tm_sec = std::stoi(s.substr(17, 2));
  auto secs = static_cast<long long>(timegm(&tm));
  auto tz = s.find_first_of("Zz+-", 19);
  if (tz != std::string::npos && s[tz] != 'Z' && s[tz] != 'z') {
    int off = std::stoi(s.substr(tz + 1, 2)) * 3600 + std::stoi(s.substr(tz + 4, 2)) * 60;
    secs -= s[tz] == '+' ? off : -off;
  }
  return time_point{std::chrono::seconds{secs}};
}

std::string rfc3339_utc(time_point t) {
  auto secs = std::chrono::time_point_cast<std::chrono::seconds>(t);
  std::time_t tt = std::chrono::system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

/// At most `max_chars` code points of `s`, never splitting a UTF-8 sequence; trimmed of spaces.
std::string utf8_prefix(const std::string& s, std::size_t max_chars) {
  std::size_t i = 0;
  std::size_t chars = 0;
  while (i < s.size() && chars < max_chars) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xe ? 3 : (b >> 3) == 0x1e ? 4 : 1;
    if (i + len > s.size()) break;
    i += len;
    ++chars;
  }
  std::string out = s.substr(0, i);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  while (!out.empty() && out.front() == ' ') out.erase(out.begin());
  return out;
}

/// The current role of `user_id` in `org`; not_found when not a member.
result<domain::role> member_role(pqxx::connection_base& c, const org_id& org, const std::string& user_id) {
  auto members = storage::list_members(c, org);
  if (!members) return std::move(members).error();
  for (const auto& m : *members) {
    if (m.user_id == user_id) return m.role;
  }
  return hw::error{errc::not_found, "no such member"};
}

}  // namespace

void account_service_impl::list_members(org_id org, account_callback<std::vector<member_view>> cb) {
  d_->db_call<std::vector<member_view>>(
    [org](pqxx::connection_base& c) -> result<std::vector<member_view>> {
      auto r = storage::list_members(c, org);
      if (!r) return std::move(r).error();
      std::vector<member_view> out;
      for (auto& m : *r) out.push_back(to_view(m));
      return out;
    },
    std::move(cb));
}

void account_service_impl::change_member_role(org_id org, std::string user_id, domain::role role, principal p,
                                              actor_ref who, account_callback<member_view> cb) {
  auto id = canonical_uuid(user_id);
  if (id.empty()) return cb(hw::error{errc::not_found, "no such member"});
  auto cache = cache_;
  d_->db_call<member_view>(
    [org, id, role, p, actor = acting(p, who), cache](pqxx::connection_base& c) -> result<member_view> {
      // storage applies the role rules to people (reading their role under lock); an API key's
      // role is checked here, against the target's current role.
      if (p.k == principal::kind::api_key) {
        auto target = member_role(c, org, id);
        if (!target) return std::move(target).error();
        auto mine = p.role_in(org.value);
        if (!mine || !domain::can_assign_role(*mine, *target, role)) {
          return hw::error{errc::forbidden, "role: this API key may not make that change"};
        }
      }
      auto r = storage::change_role(c, org, id, role, actor);
      if (!r) return std::move(r).error();
      cache->evict_user(id);
      return to_view(*r);
    },
    std::move(cb));
}

void account_service_impl::remove_member(org_id org, std::string user_id, principal p, actor_ref who,
                                         account_callback<unit> cb) {
  auto id = canonical_uuid(user_id);
  if (id.empty()) return cb(hw::error{errc::not_found, "no such member"});
  auto cache = cache_;
  auto t = d_->now();
  d_->db_call<unit>(
    [org, id, t, p, actor = acting(p, who), cache](pqxx::connection_base& c) -> result<unit> {
      if (p.k == principal::kind::api_key) {
        auto target = member_role(c, org, id);
        if (!target) return std::move(target).error();
        auto mine = p.role_in(org.value);
        if (!mine || !domain::can_remove_member(*mine, *target)) {
          return hw::error{errc::forbidden, "role: this API key may not remove that member"};
        }
      }
      auto r = storage::remove_member(c, org, id, actor);
      if (!r) return std::move(r).error();
      // The removed person's sessions end (all of them: a session is the person's, and its
      // cached roles must not outlive the membership anywhere).
      auto revoked = storage::revoke_user_sessions(c, id, "member_removed", std::nullopt, t, actor);
      if (!revoked) return std::move(revoked).error();
      cache->evict_user(id);
      return unit{};
    },
    std::move(cb));
}

// ---- teammate invitations ------------------------------------------------------------------

void account_service_impl::list_team_invitations(org_id org,
                                                 account_callback<std::vector<team_invitation_view>> cb) {
  auto t = d_->now();
  d_->db_call<std::vector<team_invitation_view>>(
    [org, t](pqxx::connection_base& c) -> result<std::vector<team_invitation_view>> {
      auto r = storage::list_team_invitations(c, org, t);
      if (!r) return std::move(r).error();
      std::vector<team_invitation_view> out;
      for (auto& i : *r) out.push_back(to_view(i));
      return out;
    },
    std::move(cb));
}

void account_service_impl::create_team_invitation(org_id org, std::string email, domain::role role, principal p,
                                                  actor_ref who, account_callback<team_invitation_view> cb) {
  auto mine = p.role_in(org.value);
  if (!mine) return cb(hw::error{errc::not_found, "no such organization"});
  if (!domain::can_invite_role(*mine, role)) {
    return cb(hw::error{errc::forbidden, "role: you may not invite someone as " + std::string{domain::to_string(role)}});
  }
  auto self = d_.get();
  auto t = d_->now();
  auto token = auth::random_secret();
  storage::team_invitation_create req;
  req.email = std::move(email);
  req.role = role;
  req.token_hash = auth::sha256_hex(token);
  req.expires_at = t + d_->opt.invitation_ttl;
  d_->db_call<team_invitation_view>(
    [self, org, req, token, t, p, actor = acting(p, who)](pqxx::connection_base& c) -> result<team_invitation_view> {
      auto o = storage::load_organization(c, org);
      if (!o) return std::move(o).error();
      auto mail = teammate_invitation_mail(self->opt.public_origin, req.email, o->name, p.display_name, req.role,
                                           token, rfc3339_utc(req.expires_at));
      auto r = storage::create_team_invitation(c, org, req, mail, t, actor);
      if (!r) return std::move(r).error();
      self->nudge();
      return to_view(*r);
    },
    std::move(cb));
}

void account_service_impl::resend_team_invitation(org_id org, std::string id, principal p, actor_ref who,
                                                  account_callback<team_invitation_view> cb) {
  auto inv = canonical_uuid(id);
  if (inv.empty()) return cb(hw::error{errc::not_found, "no such invitation"});
  auto self = d_.get();
  auto t = d_->now();
  auto token = auth::random_secret();
  auto expires = t + d_->opt.invitation_ttl;
  d_->db_call<team_invitation_view>(
    [self, org, inv, token, t, expires, p, actor = acting(p, who)](pqxx::connection_base& c) -> result<team_invitation_view> {
      auto o = storage::load_organization(c, org);
      if (!o) return std::move(o).error();
      auto list = storage::list_team_invitations(c, org, t);
      if (!list) return std::move(list).error();
      const storage::team_invitation_record* found = nullptr;
      for (auto& i : *list) {
        if (i.id == inv) found = &i;
      }
      if (!found) return hw::error{errc::not_found, "no such invitation"};
      auto mine = p.role_in(org.value);
      if (!mine || !domain::can_invite_role(*mine, found->role)) {
        return hw::error{errc::forbidden, "role: you may not invite someone as " +
                                            std::string{domain::to_string(found->role)}};
      }
      auto mail = teammate_invitation_mail(self->opt.public_origin, found->email, o->name, p.display_name,
                                           found->role, token, rfc3339_utc(expires));
      auto r = storage::resend_team_invitation(c, org, inv, auth::sha256_hex(token), expires, mail, t, actor);
      if (!r) return std::move(r).error();
      self->nudge();
      return to_view(*r);
    },
    std::move(cb));
}

void account_service_impl::revoke_team_invitation(org_id org, std::string id, principal p, actor_ref who,
                                                  account_callback<unit> cb) {
  auto inv = canonical_uuid(id);
  if (inv.empty()) return cb(hw::error{errc::not_found, "no such invitation"});
  auto t = d_->now();
  d_->db_call<unit>(
    [org, inv, t, actor = acting(p, who)](pqxx::connection_base& c) -> result<unit> {
      auto r = storage::revoke_team_invitation(c, org, inv, t, actor);
      if (!r) return std::move(r).error();
      return unit{};
    },
    std::move(cb));
}

void account_service_impl::preview_team_invitation(std::string token, account_callback<invitation_preview> cb) {
  const hw::error bad_link{errc::unauthorized, "the invitation link is invalid, used, revoked or expired"};
  if (!auth::looks_like_secret(token)) return cb(bad_link);
  auto t = d_->now();
  d_->db_call<invitation_preview>(
    [hash = auth::sha256_hex(token), t](pqxx::connection_base& c) -> result<invitation_preview> {
      auto r = storage::find_invitation_by_token(c, hash, t);
      if (!r) return std::move(r).error();
      invitation_preview v;
      v.org_name = r->org_name;
      v.org_slug = r->org_slug;
      v.email = r->invitation.email;
      v.role = r->invitation.role;
      v.account_exists = r->account_exists;
      v.expires_at = r->invitation.expires_at;
      return v;
    },
    [cb, bad_link](result<invitation_preview> r) {
      if (!r && r.code() == errc::unauthorized) return cb(bad_link);
      cb(std::move(r));
    });
}

void account_service_impl::accept_team_invitation(invitation_accept req, std::optional<principal> current,
                                                  actor_ref who, account_callback<login_result> cb) {
  const hw::error bad_link{errc::unauthorized, "the invitation link is invalid, used, revoked or expired"};
  if (!auth::looks_like_secret(req.token)) return cb(bad_link);
  auto self = d_.get();
  auto hash = auth::sha256_hex(req.token);
  auto t = d_->now();
  auto cache = cache_;
  // Accepts for `user_id` and starts a session in the invited organization.
  auto finish = [self, hash, who, cache, cb](std::string user_id) {
    auto t2 = self->now();
    self->db_call<login_result>(
      [self, hash, who, cache, user_id, t2](pqxx::connection_base& c) -> result<login_result> {
        actor_ref actor = who;
        actor.kind = "user";
        actor.id = user_id;
        auto a = storage::accept_team_invitation(c, hash, user_id, t2, actor);
        if (!a) return std::move(a).error();
        cache->evict_user(user_id);
        return self->start_session(c, user_id, a->invitation.org, "invitation", actor);
      },
      cb);
  };
  self->db_call<storage::team_invitation_lookup>(
    [hash, t](pqxx::connection_base& c) { return storage::find_invitation_by_token(c, hash, t); },
    [self, req = std::move(req), current, finish, bad_link, cb](result<storage::team_invitation_lookup> r) mutable {
      if (!r) {
        auth::wipe(req.password);
        return cb(r.code() == errc::unauthorized ? bad_link : std::move(r).error());
      }
      const auto invited = r->invitation.email_normalized;
      // 1. Signed in as the invited person: no password needed.
      if (current && current->k == principal::kind::user) {
        auto mine = storage::normalize_email(current->email);
        if (mine && *mine == invited) {
          auth::wipe(req.password);
          return finish(current->user_id);
        }
      }
      if (req.password.empty() || req.password.size() > 1024) {
        return cb(hw::error{errc::invalid_argument, "password: required"});
      }
      // 2. An existing account: prove it with its password.
      if (r->account_exists) {
        self->db_call<storage::user_record>(
          [invited](pqxx::connection_base& c) { return storage::find_user_by_email(c, invited); },
          [self, pw = std::move(req.password), finish, cb](result<storage::user_record> u) mutable {
            if (!u) return cb(std::move(u).error());
            if (!u->password_hash) {
              auth::wipe(pw);
              return cb(hw::error{errc::forbidden, "this account signs in with SSO: sign in first, then open the link again"});
            }
            auto uid = u->id;
            self->verify(std::move(pw), *u->password_hash, [finish, uid, cb](result<bool> ok) {
              if (!ok) return cb(std::move(ok).error());
              if (!*ok) return cb(hw::error{errc::unauthorized, "password: wrong password for this account"});
              finish(uid);
            });
          });
        return;
      }
      // 3. A new account.
      if (auto pw = domain::validate_password(req.password, invited); !pw) {
        auth::wipe(req.password);
        return cb(std::move(pw).error());
      }
      auto email = r->invitation.email;
      auto name = req.display_name;
      self->hash(std::move(req.password), [self, email, name, finish, cb](result<std::string> h) {
        if (!h) return cb(std::move(h).error());
        self->db_call<storage::user_record>(
          [email, name, hash = std::move(*h)](pqxx::connection_base& c) {
            storage::user_create uc;
            uc.email = email;
            uc.display_name = name;
            uc.password_hash = hash;
            return storage::create_user(c, uc);
          },
          [finish, cb](result<storage::user_record> u) {
            if (!u) return cb(std::move(u).error());
            finish(u->id);
          });
      });
    });
}

// ---- API keys ------------------------------------------------------------------------------

void account_service_impl::authenticate_api_key(std::string key, actor_ref who, account_callback<principal> cb) {
  const hw::error bad_key{errc::unauthorized, "the API key is invalid, revoked or expired"};
  if (!auth::looks_like_api_key(key)) return cb(bad_key);
  auto hash = auth::sha256_hex(key);
  auth::wipe(key);
  auto t = d_->now();
  d_->db_call<principal>(
    [hash, t, who](pqxx::connection_base& c) -> result<principal> {
      auto k = storage::find_api_key_by_hash(c, hash, t);
      if (!k) return std::move(k).error();
      principal p;
      p.k = principal::kind::api_key;
      p.api_key_id = k->id;
      p.roles[k->org.value] = k->role;
      actor_ref actor = who;
      actor.kind = "api_key";
      actor.id = k->id;
      auto used = storage::mark_api_key_used(c, k->org, k->id, t, actor);
      if (!used) spdlog::warn("api key use not recorded: {}", used.error().detail);
      return p;
    },
    [cb, bad_key](result<principal> r) {
      if (!r && r.code() == errc::unauthorized) return cb(bad_key);
      cb(std::move(r));
    });
}

void account_service_impl::list_api_keys(org_id org, account_callback<std::vector<api_key_view>> cb) {
  d_->db_call<std::vector<api_key_view>>(
    [org](pqxx::connection_base& c) -> result<std::vector<api_key_view>> {
      auto r = storage::list_api_keys(c, org);
      if (!r) return std::move(r).error();
      std::vector<api_key_view> out;
      for (auto& k : *r) out.push_back(to_view(k));
      return out;
    },
    std::move(cb));
}

void account_service_impl::create_api_key(org_id org, api_key_create req, principal p, actor_ref who,
                                          account_callback<api_key_created> cb) {
  auto mine = p.role_in(org.value);
  if (!mine) return cb(hw::error{errc::not_found, "no such organization"});
  if (!domain::can_invite_role(*mine, req.role)) {
    return cb(hw::error{errc::forbidden, "role: you may not create a key with role " +
                                           std::string{domain::to_string(req.role)}});
  }
  auto t = d_->now();
  storage::api_key_create_row row;
  row.name = req.name;
  row.role = req.role;
  std::optional<time_point> expires;
  if (req.expires_at) {
    auto e = parse_rfc3339(*req.expires_at);
    if (!e) return cb(hw::error{errc::invalid_argument, "expires_at: expected an RFC 3339 date-time"});
    if (*e <= t) return cb(hw::error{errc::invalid_argument, "expires_at: must be in the future"});
    row.expires_at = *e;
  }
  auto secret = auth::new_api_key();
  row.prefix = secret.substr(0, 8);
  row.key_hash = auth::sha256_hex(secret);
  d_->db_call<api_key_created>(
    [org, row, t, secret, actor = acting(p, who)](pqxx::connection_base& c) -> result<api_key_created> {
      auto r = storage::create_api_key(c, org, row, t, actor);
      if (!r) return std::move(r).error();
      return api_key_created{to_view(*r), secret};
    },
    std::move(cb));
}

void account_service_impl::revoke_api_key(org_id org, std::string id, principal p, actor_ref who,
                                          account_callback<unit> cb) {
  auto key = canonical_uuid(id);
  if (key.empty()) return cb(hw::error{errc::not_found, "no such API key"});
  auto t = d_->now();
  d_->db_call<unit>(
    [org, key, t, actor = acting(p, who)](pqxx::connection_base& c) -> result<unit> {
      auto r = storage::revoke_api_key(c, org, key, t, actor);
      if (!r) return std::move(r).error();
      return unit{};
    },
    std::move(cb));
}

// ---- SSO settings --------------------------------------------------------------------------

namespace {

sso_settings to_settings(const std::optional<storage::sso_config_record>& r) {
  sso_settings s;
  if (!r) return s;
  s.enabled = r->enabled;
  s.issuer = r->issuer;
  s.client_id = r->client_id;
  s.client_secret_set = r->client_secret_enc.has_value();
  s.allowed_domains = r->allowed_domains;
  s.default_role = r->default_role;
  s.sso_required = r->sso_required;
  return s;
}

/// https://host[:port][/path], or http:// on a loopback host (tests and local providers only).
bool acceptable_issuer(const std::string& iss) {
  if (iss.size() > 500 || iss.find_first_of(" \t\r\n?#") != std::string::npos) return false;
  if (iss.rfind("https://", 0) == 0) return iss.size() > 8;
  for (const char* loop : {"http://127.0.0.1", "http://localhost", "http://[::1]"}) {
    const std::string l{loop};
    if (iss.rfind(l, 0) == 0 && (iss.size() == l.size() || iss[l.size()] == ':' || iss[l.size()] == '/')) return true;
  }
  return false;
}

}  // namespace

void account_service_impl::get_sso(org_id org, account_callback<sso_settings> cb) {
  d_->db_call<sso_settings>(
    [org](pqxx::connection_base& c) -> result<sso_settings> {
      auto r = storage::get_sso_config(c, org);
      if (!r) return std::move(r).error();
      return to_settings(*r);
    },
    std::move(cb));
}

void account_service_impl::put_sso(org_id org, sso_settings in, principal p, actor_ref who,
                                   account_callback<sso_settings> cb) {
  if (in.enabled || !in.issuer.empty()) {
    if (!acceptable_issuer(in.issuer)) {
      return cb(hw::error{errc::invalid_argument, "issuer: expected an https:// URL (http:// only on loopback)"});
    }
  }
  if (in.enabled && in.client_id.empty()) return cb(hw::error{errc::invalid_argument, "client_id: required to enable SSO"});
  if (in.sso_required && !in.enabled) {
    return cb(hw::error{errc::invalid_argument, "sso_required: enable SSO first"});
  }
  auto mine = p.role_in(org.value);
  if (!mine || !domain::can_invite_role(*mine, in.default_role)) {
    return cb(hw::error{errc::forbidden, "default_role: you may not grant " +
                                           std::string{domain::to_string(in.default_role)}});
  }
  storage::sso_config_put put;
  put.enabled = in.enabled;
  put.issuer = in.issuer;
  put.client_id = in.client_id;
  if (in.client_secret) {
    if (in.client_secret->size() > 1024) return cb(hw::error{errc::invalid_argument, "client_secret: at most 1024 bytes"});
    put.client_secret_enc = auth::seal_secret(d_->opt.box_key, *in.client_secret);
    auth::wipe(*in.client_secret);
  }
  put.allowed_domains = in.allowed_domains;
  put.default_role = in.default_role;
  put.sso_required = in.sso_required;
  auto t = d_->now();
  d_->db_call<sso_settings>(
    [org, put, t, actor = acting(p, who)](pqxx::connection_base& c) -> result<sso_settings> {
      if (put.enabled && !put.client_secret_enc) {
        auto cur = storage::get_sso_config(c, org);
        if (!cur) return std::move(cur).error();
        if (!*cur || !(*cur)->client_secret_enc) {
          return hw::error{errc::invalid_argument, "client_secret: required to enable SSO"};
        }
      }
      auto r = storage::put_sso_config(c, org, put, t, actor);  // NOTIFYs "all" on a change
      if (!r) return std::move(r).error();
      return to_settings(*r);
    },
    std::move(cb));
}

// ---- SSO sign-in (OpenID Connect authorization code flow with PKCE) --------------------------

namespace {
const hw::error sso_failed{errc::unauthorized, "sso: the sign-in could not be completed; start again"};
}

void account_service_impl::impl::blocking(std::function<void()> work, std::function<void(hw::error)> busy) {
  // OIDC calls block on HTTP for up to oidc_http_options::timeout: each runs on a detached actor
  // of its own, at most max_blocking at once (SSO sign-ins are rare; a flood is refused, not queued).
  if (blocking_in_flight->fetch_add(1) >= max_blocking) {
    blocking_in_flight->fetch_sub(1);
    return busy(hw::error{errc::unavailable, "too many single sign-ins in progress; try again"});
  }
  auto counter = blocking_in_flight;
  sys.spawn<caf::detached>([work = std::move(work), busy = std::move(busy), counter](caf::event_based_actor* self) {
    try {
      work();
    } catch (const std::exception& e) {
      spdlog::error("sso step failed unexpectedly: {}", e.what());
      busy(hw::error{errc::internal, "sso step failed"});
    }
    counter->fetch_sub(1);
    self->quit();
  });
}

result<auth::oidc_discovery> account_service_impl::impl::discovery_for(const std::string& issuer) {
  {
    std::lock_guard<std::mutex> g{disc_mu};
    auto it = discoveries.find(issuer);
    if (it != discoveries.end() && std::chrono::steady_clock::now() - it->second.second < std::chrono::hours{1}) {
      return it->second.first;
    }
  }
  auto d = auth::discover(issuer, oidc_http);
  if (!d) return d;
  std::lock_guard<std::mutex> g{disc_mu};
  discoveries[issuer] = {*d, std::chrono::steady_clock::now()};
  return d;
}

void account_service_impl::sso_start(std::string org_slug, std::string redirect_uri, actor_ref who,
                                     account_callback<sso_start_result> cb) {
  (void)who;
  auto self = d_.get();
  self->db_call<storage::sso_org_lookup>(
    [org_slug](pqxx::connection_base& c) { return storage::find_sso_by_org_slug(c, org_slug); },
    [self, redirect_uri, cb](result<storage::sso_org_lookup> found) {
      if (!found) {
        if (found.code() == errc::not_found) {
          return cb(hw::error{errc::not_found, "sso: this organization has no single sign-on"});
        }
        return cb(std::move(found).error());
      }
      auto cfg = found->config;
      auto org = found->org;
      self->blocking(
        [self, cfg, org, redirect_uri, cb] {
          auto d = self->discovery_for(cfg.issuer);
          if (!d) {
            spdlog::warn("sso: discovery failed for org_id={}: {}", org.value, d.error().detail);
            return cb(hw::error{errc::unavailable, "sso: the identity provider cannot be reached"});
          }
          auto state = auth::random_secret();
          auto nonce = auth::random_secret();
          auto pkce = auth::new_pkce();
          auto t = self->now();
          storage::sso_login_state_create st;
          st.org = org;
          st.state_hash = auth::sha256_hex(state);
          st.nonce = nonce;
          st.code_verifier = pkce.verifier;
          st.redirect_uri = redirect_uri;
          st.expires_at = t + self->opt.sso_state_ttl;
          auto url = auth::authorize_url(*d, cfg.client_id, redirect_uri, state, nonce, pkce.challenge);
          self->db_call<sso_start_result>(
            [st, t, url, state](pqxx::connection_base& c) -> result<sso_start_result> {
              auto r = storage::create_sso_login_state(c, st, t);
              if (!r) return std::move(r).error();
              return sso_start_result{url, state};
            },
            cb);
        },
        [cb](hw::error e) { cb(std::move(e)); });
    });
}

void account_service_impl::sso_callback(std::string code, std::string state, std::string state_cookie,
                                        std::string redirect_uri, actor_ref who, account_callback<login_result> cb) {
  if (!auth::looks_like_secret(state) || code.empty() || code.size() > 2048) return cb(sso_failed);
  if (!auth::constant_time_equal(state, state_cookie)) {
    return cb(hw::error{errc::unauthorized, "sso: the sign-in was started in another browser; start again"});
  }
  auto self = d_.get();
  auto t = d_->now();
  struct started {
    storage::sso_login_state state;
    storage::sso_config_record config;
  };
  self->db_call<started>(
    [hash = auth::sha256_hex(state), t](pqxx::connection_base& c) -> result<started> {
      auto st = storage::consume_sso_login_state(c, hash, t);
      if (!st) return std::move(st).error();
      auto cfg = storage::get_sso_config(c, st->org);
      if (!cfg) return std::move(cfg).error();
      if (!*cfg || !(*cfg)->enabled) return hw::error{errc::not_found, "sso: this organization has no single sign-on"};
      return started{std::move(*st), std::move(**cfg)};
    },
    [self, code, redirect_uri, who, cb](result<started> r) {
      if (!r) return cb(r.code() == errc::unauthorized ? sso_failed : std::move(r).error());
      if (r->state.redirect_uri != redirect_uri) return cb(sso_failed);
      auto st = std::move(r->state);
      auto cfg = std::move(r->config);
      self->blocking(
        [self, st, cfg, code, redirect_uri, who, cb] {
          if (!cfg.client_secret_enc) return cb(hw::error{errc::unavailable, "sso: no client secret is configured"});
          auto secret = auth::open_secret(self->opt.box_key, *cfg.client_secret_enc);
          if (!secret) {
            spdlog::error("sso: the client secret of org_id={} cannot be decrypted (auth.secret-key changed?)",
                          st.org.value);
            return cb(hw::error{errc::unavailable, "sso: the organization's SSO settings must be saved again"});
          }
          auto d = self->discovery_for(cfg.issuer);
          if (!d) return cb(hw::error{errc::unavailable, "sso: the identity provider cannot be reached"});
          auto token = auth::exchange_code(*d, cfg.client_id, *secret, code, redirect_uri, st.code_verifier,
                                           self->opt_http());
          auth::wipe(*secret);
          if (!token) {
            spdlog::warn("sso: code exchange failed for org_id={}: {}", st.org.value, token.error().detail);
            return cb(sso_failed);
          }
          domain::id_token_expectation x;
          x.issuer = cfg.issuer;
          x.client_id = cfg.client_id;
          x.nonce = st.nonce;
          x.allowed_domains = cfg.allowed_domains;
          x.now = std::chrono::duration_cast<std::chrono::seconds>(self->now().time_since_epoch()).count();
          auto id = auth::verify_id_token(*token, *d, *self->jwks, x);
          if (!id) {
            // The reason (nonce, audience, signature, domain...) is safe to show and to log.
            spdlog::warn("sso: id token refused for org_id={}: {}", st.org.value, id.error().detail);
            return cb(hw::error{errc::unauthorized, id.error().detail});
          }
          auto ident = std::move(*id);
          auto org = st.org;
          auto role = cfg.default_role;
          self->db_call<login_result>(
            [self, ident, org, role, who](pqxx::connection_base& c) -> result<login_result> {
              auto u = storage::find_user_by_email(c, ident.email);
              std::string user_id;
              if (u) {
                user_id = u->id;
              } else if (u.code() == errc::not_found) {
                storage::user_create uc;
                uc.email = ident.email;
                uc.display_name = utf8_prefix(ident.name, 200);
                auto made = storage::create_user(c, uc);
                if (!made) return std::move(made).error();
                user_id = made->id;
              } else {
                return std::move(u).error();
              }
              // Just-in-time membership with the organization's default role.
              auto orgs = storage::list_user_orgs(c, user_id);
              if (!orgs) return std::move(orgs).error();
              bool member = false;
              for (auto& o : *orgs) member = member || o.org.value == org.value;
              actor_ref actor = who;
              actor.kind = "system";
              actor.id = "sso";
              if (!member && u) {
                // An organization's IdP may vouch for an address at any domain it lists (domains
                // are not verified): never let it adopt an existing account that is not already a
                // member here. New addresses get a new SSO-only account.
                return hw::error{errc::forbidden,
                                 "sso: an account with this e-mail already exists; sign in with its password "
                                 "and ask an admin of this organization for an invitation"};
              }
              if (!member) {
                auto added = storage::add_membership(c, org, user_id, role, actor);
                if (!added && added.code() != errc::conflict) return std::move(added).error();
              }
              actor.kind = "user";
              actor.id = user_id;
              return self->start_session(c, user_id, org, "sso", actor);
            },
            cb);
        },
        [cb](hw::error e) { cb(std::move(e)); });
    });
}

}  // namespace hw::actors
