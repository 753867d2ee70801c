// Per-organization OpenID Connect. Org-scoped: GET/PUT /api/v1/orgs/{id}/sso (sso.read /
// sso.configure). Public: the browser flow.
//   GET /api/v1/sso/start?org=<slug>     -> 302 to the IdP + the __Host-hw_sso state cookie
//                                            (HttpOnly, 10 minutes) binding the flow to this browser
//   GET /api/v1/sso/callback?code&state  -> 302 /app/ + session cookies; on any failure
//                                            302 /app/login?sso_error=<reason>; the state cookie is
//                                            cleared either way
// redirect_uri is server_options::public_origin + "/api/v1/sso/callback" (never derived from the
// Host header). Both public routes are GETs: SameSite=Lax cookies come along on the IdP's
// top-level redirect, and nothing changes state before the state cookie has been checked.
#include <chrono>
#include <string>

#include "http/auth.hpp"
#include "http/json/account_json.hpp"
#include "http/routes/routes.hpp"
#include "http/server.hpp"

namespace hw::http_api {

namespace {

constexpr std::chrono::seconds sso_state_max_age{600};
constexpr std::string_view callback_path = "/api/v1/sso/callback";

std::string redirect_uri(const server_options& opts) { return opts.public_origin + std::string{callback_path}; }

response redirect(unsigned version, std::string location) {
  response res{bhttp::status::found, version};
  res.set(bhttp::field::location, std::move(location));
  return res;
}

std::string clear_sso_cookie(const server_options& opts) {
  return make_set_cookie(cookie_name(sso_cookie_name, opts), "", std::chrono::seconds(0), true, !opts.allow_insecure_cookies);
}

/// A short reason for the login page; never the IdP's or the service's free text.
std::string_view sso_reason(errc e) noexcept {
  switch (e) {
    case errc::unauthorized: return "invalid";
    case errc::forbidden: return "not_allowed";
    case errc::not_found: return "not_configured";
    case errc::rate_limited: return "rate_limited";
    case errc::unavailable:
    case errc::timeout: return "unavailable";
    default: return "failed";
  }
}

bool is_slug(std::string_view s) noexcept {
  if (s.empty() || s.size() > limits::slug) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

void get_sso(const route_context& ctx, responder respond) {
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  acc->get_sso(path_org(ctx), reply_json<sso_settings>(ctx, respond, bhttp::status::ok,
                                                       [](const auto& s) { return sso_settings_json(s); }));
}

void put_sso(const route_context& ctx, responder respond) {
  if (!require_json(ctx, respond)) return;
  auto in = parse_sso_settings(ctx.req.body());
  if (!in) return respond_input_error(ctx, respond, in.error());
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  acc->put_sso(path_org(ctx), std::move(in.value()), *ctx.who, request_actor(ctx),
               reply_json<sso_settings>(ctx, respond, bhttp::status::ok,
                                        [](const auto& s) { return sso_settings_json(s); }));
}

void sso_start(const route_context& ctx, responder respond) {
  auto slug = query_value(ctx, "org");
  if (!slug || !is_slug(*slug)) {
    return respond(make_problem(ctx, bhttp::status::bad_request,
                                "org: the query parameter must be an organization slug (a-z, 0-9, -)"));
  }
  const auto& opts = ctx.svc.options;
  if (opts.public_origin.empty()) {
    return respond(make_problem(ctx, bhttp::status::service_unavailable,
                                "single sign-on needs the server's public origin to be configured"));
  }
  // Login CSRF: a link on another site must not start a sign-in into the attacker's organization
  // (its IdP would log the victim's browser into the attacker's account). Browsers send
  // Sec-Fetch-Site: none for a typed URL or bookmark and same-origin from the SPA.
  const auto site = ctx.req["Sec-Fetch-Site"];
  if (!site.empty() && site != "same-origin" && site != "none") {
    return respond(make_problem(ctx, bhttp::status::forbidden,
                                "single sign-on must be started from this site (Sec-Fetch-Site: " +
                                  std::string{site.data(), site.size()} + ")"));
  }
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  acc->sso_start(std::move(*slug), redirect_uri(opts), request_actor(ctx),
                 [respond, path = std::string{ctx.path}, rid = std::string{ctx.request_id},
                  version = ctx.req.version(), &opts](result<sso_start_result> r) {
                   if (!r) return respond(problem_from(r.error(), path, rid));
                   auto res = redirect(version, std::move(r->authorize_url));
                   res.insert(bhttp::field::set_cookie,
                              make_set_cookie(cookie_name(sso_cookie_name, opts), r->state_cookie, sso_state_max_age, true,
                                              !opts.allow_insecure_cookies));
                   respond(std::move(res));
                 });
}

void sso_callback(const route_context& ctx, responder respond) {
  const auto& opts = ctx.svc.options;
  const auto version = ctx.req.version();
  auto fail = [&](std::string_view reason) {
    auto res = redirect(version, "/app/login?sso_error=" + std::string{reason});
    res.insert(bhttp::field::set_cookie, clear_sso_cookie(opts));
    respond(std::move(res));
  };
  if (query_value(ctx, "error")) return fail("idp_error");  // e.g. access_denied at the IdP
  auto code = query_value(ctx, "code");
  auto state = query_value(ctx, "state");
  const auto cookie = cookie_value(ctx.req, cookie_name(sso_cookie_name, opts));
  if (!code || code->empty() || code->size() > limits::token * 4 || !state || state->empty() ||
      state->size() > limits::token) {
    return fail("invalid_request");
  }
  if (!cookie || cookie->empty()) return fail("invalid_state");
  if (opts.public_origin.empty() || !ctx.svc.accounts) return fail("unavailable");
  ctx.svc.accounts->sso_callback(
    std::move(*code), std::move(*state), std::string{*cookie}, redirect_uri(opts), request_actor(ctx),
    [respond, version, &opts](result<login_result> r) {
      if (!r) {
        auto res = redirect(version, "/app/login?sso_error=" + std::string{sso_reason(r.error().code)});
        res.insert(bhttp::field::set_cookie, clear_sso_cookie(opts));
        return respond(std::move(res));
      }
      auto res = redirect(version, "/app/");
      add_session_cookies(res, *r, opts);
      res.insert(bhttp::field::set_cookie, clear_sso_cookie(opts));
      respond(std::move(res));
    });
}

}  // namespace

void add_sso_routes(router& r) {
  using domain::action;
  const auto pub = route_access::public_route();
  r.add(bhttp::verb::get, "/api/v1/orgs/{id}/sso", route_access::org(action::sso_read), get_sso);
  r.add(bhttp::verb::put, "/api/v1/orgs/{id}/sso", route_access::org(action::sso_configure), put_sso);
  r.add(bhttp::verb::get, "/api/v1/sso/start", pub, sso_start);
  r.add(bhttp::verb::get, "/api/v1/sso/callback", pub, sso_callback);
}

}  // namespace hw::http_api
