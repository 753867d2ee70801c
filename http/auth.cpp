#include "http/auth.hpp"

#include <utility>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include "actors/domain/entity_gateway.hpp"
#include "actors/domain/ids.hpp"
#include "http/admin_auth.hpp"
#include "http/problem.hpp"
#include "http/server.hpp"

namespace hw::http_api {

namespace {


std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view sv(boost::beast::string_view v) noexcept { return {v.data(), v.size()}; }

/// Everything the middleware needs after its first asynchronous step (the route_context is gone
/// by then), copied once.
struct pending {
  services* svc = nullptr;
  route_access access;
  responder respond;
  auth_next next;
  std::string path;
  std::string route;
  std::string request_id;
  std::string method;
  std::string org_param;     // the raw {id}, "" when the route has none
  std::string csrf_header;   // X-CSRF-Token, for the session check after authentication
  actor_ref context;         // ip / user agent / request id; kind and id filled per credential
  bool unsafe = false;       // state-changing method under /api/
  bool cookie_credential = false;

  pending(const route_context& ctx, const route_access& a, const responder& r, auth_next n)
      : svc(&ctx.svc), access(a), respond(r), next(std::move(n)), path(ctx.path), route(ctx.route),
        request_id(ctx.request_id), method(sv(ctx.req.method_string())), org_param(ctx.param("id")),
        context(request_actor(ctx)) {}

  response problem(bhttp::status s, std::string_view detail) const {
    return make_problem(s, detail, path, request_id);
  }
  response csrf_refusal(std::string_view detail) const {
    return make_problem(bhttp::status::forbidden, csrf_problem_type, detail, path, request_id);
  }
  response unauthorized(std::string_view detail) const {
    auto res = problem_from(hw::error{errc::unauthorized, std::string{detail}}, path, request_id);
    if (cookie_credential) add_clear_session_cookies(res, svc->options);
    return res;
  }
};

using pending_ptr = std::shared_ptr<pending>;

/// A refused bearer token (or no credential at all) on a path naming an organization is written
/// to that organization's audit log (fire-and-forget; only if it exists), never with the token.
/// Without an org id a warning line is logged instead.
void record_rejected_credential(const pending& p, const std::string& reason) {
  try {
    auto org = canonical_uuid(p.org_param);
    if (org.empty()) {
      spdlog::warn("credential rejected method={} route={} request_id={} ip={} reason=\"{}\"", p.method, p.route,
                   p.request_id, p.context.ip.value_or(""), reason);
      return;
    }
    audit_entry entry;
    entry.org = org_id{org};
    entry.who = p.context;
    entry.who.kind = "bootstrap_admin";  // unauthenticated: the principal a bearer token claims to be
    entry.who.id = "";
    entry.action = "auth.admin_token_rejected";
    entry.target = org;
    entry.outcome = "failure";
    entry.detail_json = nlohmann::json{{"reason", reason}, {"method", p.method}, {"route", p.route}}.dump();
    p.svc->gateway.record_audit(std::move(entry));
  } catch (const std::exception&) {
    spdlog::error("credential rejection not recorded route={} request_id={}", p.route, p.request_id);
  }
}

void record_denied(const pending& p, const principal& who, const std::string& org, domain::role r) {
  try {
    audit_entry entry;
    entry.org = org_id{org};
    entry.who = who.as_actor();
    entry.who.ip = p.context.ip;
    entry.who.user_agent = p.context.user_agent;
    entry.who.request_id = p.context.request_id;
    entry.action = "authz.deny";
    entry.target = org;
    entry.outcome = "denied";
    entry.detail_json = nlohmann::json{{"action", domain::to_string(p.access.act)},
                                       {"role", domain::to_string(r)},
                                       {"method", p.method},
                                       {"route", p.route}}
                          .dump();
    p.svc->gateway.record_audit(std::move(entry));
  } catch (const std::exception&) {
    spdlog::error("authz.deny not recorded route={} request_id={}", p.route, p.request_id);
  }
}

/// Step 5: the route's declaration against the authenticated principal. Any thread.
void enforce(const pending_ptr& p, principal who) {
  switch (p->access.k) {
    case route_access::kind::public_route:
      break;
    case route_access::kind::session_only:
      if (who.k != principal::kind::user) {
        return p->respond(p->problem(bhttp::status::forbidden,
                                     "this route needs a signed-in user (the session cookie), not a bearer token"));
      }
      break;
    case route_access::kind::operator_only:
      if (who.k != principal::kind::bootstrap_admin) {
        return p->respond(p->problem(bhttp::status::forbidden,
                                     "only the operator (the bootstrap admin token) may do this"));
      }
      break;
    case route_access::kind::org: {
      // A malformed id and an organization the principal cannot see look the same: 404, so ids
      // of other tenants are not confirmed to exist.
      const auto org = canonical_uuid(p->org_param);
      const auto role = org.empty() ? std::nullopt : who.role_in(org);
      if (!role) return p->respond(p->problem(bhttp::status::not_found, "no such organization"));
      if (!domain::allowed(*role, p->access.act)) {
        record_denied(*p, who, org, *role);
        return p->respond(p->problem(bhttp::status::forbidden,
                                     "your role (" + std::string{domain::to_string(*role)} + ") may not do " +
                                       std::string{domain::to_string(p->access.act)} + " in this organization"));
      }
      break;
    }
  }
  p->next(std::make_shared<const principal>(std::move(who)));
}

}  // namespace

bool is_state_changing(bhttp::verb v) noexcept {
  switch (v) {
    case bhttp::verb::get:
    case bhttp::verb::head:
    case bhttp::verb::options:
    case bhttp::verb::trace: return false;
    default: return true;
  }
}

std::optional<std::string> check_request_origin(const request& req, std::string_view public_origin) {
  if (auto it = req.find("Sec-Fetch-Site"); it != req.end()) {
    const auto v = trim(sv(it->value()));
    if (v == "same-origin" || v == "none") return std::nullopt;
    return "cross-site request refused (Sec-Fetch-Site: " + std::string{v.substr(0, 32)} + ")";
  }
  if (auto it = req.find(bhttp::field::origin); it != req.end()) {
    const auto v = trim(sv(it->value()));
    if (!public_origin.empty() && v == public_origin) return std::nullopt;
    return std::string{"cross-origin request refused (Origin does not match this server)"};
  }
  return std::nullopt;  // neither header: not a browser (curl, server to server)
}

std::optional<std::string_view> cookie_value(const request& req, std::string_view name) {
  for (auto it = req.find(bhttp::field::cookie); it != req.end() && it->name() == bhttp::field::cookie; ++it) {
    auto rest = sv(it->value());
    while (!rest.empty()) {
      const auto semi = rest.find(';');
      auto item = trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      const auto eq = item.find('=');
      if (eq == std::string_view::npos) continue;
      if (trim(item.substr(0, eq)) != name) continue;
      auto value = trim(item.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      return value;
    }
  }
  return std::nullopt;
}

std::string make_set_cookie(std::string_view name, std::string_view value, std::chrono::seconds max_age,
                            bool http_only, bool secure) {
  std::string out;
  out.reserve(name.size() + value.size() + 80);
  out.append(name).append("=").append(value);
  out += "; Path=/; Max-Age=";
  out += std::to_string(max_age.count() < 0 ? 0 : max_age.count());
  if (http_only) out += "; HttpOnly";
  if (secure) out += "; Secure";
  out += "; SameSite=Lax";
  return out;
}

std::string_view cookie_name(std::string_view name, const server_options& opts) noexcept {
  constexpr std::string_view prefix = "__Host-";
  if (opts.allow_insecure_cookies && name.substr(0, prefix.size()) == prefix) name.remove_prefix(prefix.size());
  return name;
}

std::string add_session_cookies(response& res, const login_result& login, const server_options& opts) {
  const bool secure = !opts.allow_insecure_cookies;
  res.insert(bhttp::field::set_cookie,
             make_set_cookie(cookie_name(session_cookie_name, opts), login.session_token, login.cookie_max_age, true, secure));
  std::string csrf;
  if (opts.csrf_token) csrf = opts.csrf_token(sha256_hex(login.session_token));
  if (!csrf.empty()) {
    res.insert(bhttp::field::set_cookie, make_set_cookie(cookie_name(csrf_cookie_name, opts), csrf, login.cookie_max_age, false, secure));
  }
  return csrf;
}

void add_clear_session_cookies(response& res, const server_options& opts) {
  const bool secure = !opts.allow_insecure_cookies;
  res.insert(bhttp::field::set_cookie, make_set_cookie(cookie_name(session_cookie_name, opts), "", std::chrono::seconds(0), true, secure));
  res.insert(bhttp::field::set_cookie, make_set_cookie(cookie_name(csrf_cookie_name, opts), "", std::chrono::seconds(0), false, secure));
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  std::string out;
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1) return out;
  static constexpr char hex[] = "0123456789abcdef";
  out.reserve(2 * len);
  for (unsigned i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0xf];
  }
  return out;
}

actor_ref request_actor(const route_context& ctx) {
  actor_ref a = ctx.who ? ctx.who->as_actor() : actor_ref{"system", ""};
  if (!ctx.remote_ip.empty()) a.ip = std::string{ctx.remote_ip};
  const auto ua = ctx.req[bhttp::field::user_agent];
  if (!ua.empty()) a.user_agent = truncate_user_agent(sv(ua));
  if (!ctx.request_id.empty()) a.request_id = std::string{ctx.request_id};
  return a;
}

void authorize(const route_context& ctx, const route_access& access, const responder& respond, auth_next next) {
  const auto& opts = ctx.svc.options;
  const bool api = ctx.path.substr(0, 5) == "/api/";
  const bool unsafe = api && is_state_changing(ctx.req.method());

  // 1. Origin checks: cheap, and they need no credential (login and sign-up are covered too).
  if (unsafe) {
    if (auto refused = check_request_origin(ctx.req, opts.public_origin)) {
      return respond(make_problem(bhttp::status::forbidden, csrf_problem_type, *refused, ctx.path, ctx.request_id));
    }
  }
  // 2. Public routes read no credential.
  if (access.k == route_access::kind::public_route) return next(nullptr);

  auto p = std::make_shared<pending>(ctx, access, respond, std::move(next));
  p->unsafe = unsafe;

  // 3. The credential. A bearer header wins over cookies.
  const auto authz = sv(ctx.req[bhttp::field::authorization]);
  if (!authz.empty()) {
    if (!iequals_prefix(authz, "bearer ")) {
      record_rejected_credential(*p, "missing bearer token");
      return respond(p->unauthorized("missing bearer token"));
    }
    const auto token = trim(authz.substr(7));
    if (ctx.svc.admin.enabled && !check_admin(ctx.svc.admin, authz)) {
      principal admin;
      admin.k = principal::kind::bootstrap_admin;
      return enforce(p, std::move(admin));
    }
    if (token.substr(0, 4) == "hwk_") {
      if (!ctx.svc.accounts) return respond(p->problem(bhttp::status::service_unavailable, "API keys are not available"));
      auto who = p->context;
      who.kind = "api_key";
      ctx.svc.accounts->authenticate_api_key(std::string{token}, std::move(who), [p](result<principal> r) {
        if (!r) {
          if (r.error().code == errc::unauthorized) return p->respond(p->unauthorized("invalid API key"));
          return p->respond(problem_from(r.error(), p->path, p->request_id));
        }
        enforce(p, std::move(*r));
      });
      return;
    }
    // Neither the admin token nor an API key. The detail says why without echoing the token.
    auto e = check_admin(ctx.svc.admin, authz);
    const std::string reason = e ? e->detail : "invalid bearer token";
    record_rejected_credential(*p, reason);
    return respond(p->unauthorized(reason));
  }

  const auto cookie = cookie_value(ctx.req, cookie_name(session_cookie_name, ctx.svc.options));
  if (!cookie || cookie->empty()) {
    record_rejected_credential(*p, "missing bearer token");
    return respond(p->unauthorized("sign in first: no session cookie or bearer token"));
  }
  p->cookie_credential = true;
  if (!ctx.svc.accounts) return respond(p->problem(bhttp::status::service_unavailable, "sign-in is not available"));

  // 4a. Double submit, before anything is asked of the service: the header must equal the cookie.
  if (unsafe) {
    const auto header = trim(sv(ctx.req[csrf_header_name]));
    const auto csrf_cookie = cookie_value(ctx.req, cookie_name(csrf_cookie_name, ctx.svc.options));
    if (header.empty()) return respond(p->csrf_refusal("the X-CSRF-Token header is missing"));
    if (!csrf_cookie || *csrf_cookie != header) {
      return respond(p->csrf_refusal("the X-CSRF-Token header does not match the CSRF cookie"));
    }
    p->csrf_header = std::string{header};
  }
  auto who = p->context;
  who.kind = "user";
  ctx.svc.accounts->authenticate_session(std::string{*cookie}, std::move(who), [p](result<principal> r) {
    if (!r) {
      if (r.error().code == errc::unauthorized) {
        return p->respond(p->unauthorized("the session has ended; sign in again"));
      }
      return p->respond(problem_from(r.error(), p->path, p->request_id));
    }
    // 4b. The token must be the one issued for this very session (HMAC bound to its id hash).
    if (p->unsafe) {
      const auto& opts = p->svc->options;
      if (!opts.csrf_valid) {
        spdlog::error("csrf_valid is not configured: refusing a cookie-authenticated write request_id={}",
                      p->request_id);
        return p->respond(p->csrf_refusal("CSRF protection is not configured on this server"));
      }
      if (!opts.csrf_valid(r->session_id_hash, p->csrf_header)) {
        return p->respond(p->csrf_refusal("the X-CSRF-Token does not belong to this session"));
      }
    }
    enforce(p, std::move(*r));
  });
}

}  // namespace hw::http_api
