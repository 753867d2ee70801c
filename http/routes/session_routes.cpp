// Sign-up, login / logout, the session ("me"), switching organizations, passwords and password
// reset (http/API.md). The middleware has enforced each route's declaration: sign-up, login and
// the reset routes are public (origin checks still apply to them); the rest need a signed-in user
// (session cookie, CSRF token on writes). Then: Content-Type (415) -> body (400/422) -> the account
// service, whose callback runs on an actor thread (or synchronously).
#include <string>

#include "actors/domain/ids.hpp"
#include "http/auth.hpp"
#include "http/json/account_json.hpp"
#include "http/routes/routes.hpp"
#include "http/server.hpp"

namespace hw::http_api {

namespace {

/// The continuation of a call that starts a session: `ok` + session JSON + the two cookies.
account_callback<login_result> session_started(const route_context& ctx, responder respond, bhttp::status ok) {
  return [respond = std::move(respond), path = std::string{ctx.path}, rid = std::string{ctx.request_id},
          version = ctx.req.version(), ok, &opts = ctx.svc.options](result<login_result> r) {
    if (!r) return respond(problem_from(r.error(), path, rid));
    response res{ok, version};
    const auto csrf = add_session_cookies(res, *r, opts);
    res.set(bhttp::field::content_type, "application/json");
    res.body() = session_json(r->me, csrf);
    respond(std::move(res));
  };
}

/// The CSRF token of the caller's session (for the session JSON).
std::string csrf_of(const route_context& ctx) {
  const auto& opts = ctx.svc.options;
  if (!ctx.who || !opts.csrf_token) return {};
  return opts.csrf_token(ctx.who->session_id_hash);
}

void signup(const route_context& ctx, responder respond) {
  if (!require_json(ctx, respond)) return;
  auto in = parse_signup(ctx.req.body());
  if (!in) return respond_input_error(ctx, respond, in.error());
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  acc->signup(std::move(in.value()), request_actor(ctx), session_started(ctx, respond, bhttp::status::created));
}

void login(const route_context& ctx, responder respond) {
  if (!require_json(ctx, respond)) return;
  auto in = parse_login(ctx.req.body());
  if (!in) return respond_input_error(ctx, respond, in.error());
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  acc->login(std::move(in.value()), request_actor(ctx), session_started(ctx, respond, bhttp::status::ok));
}

void get_session(const route_context& ctx, responder respond) {
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  acc->me(*ctx.who, reply_json<me_view>(ctx, respond, bhttp::status::ok,
                                        [csrf = csrf_of(ctx)](const me_view& me) { return session_json(me, csrf); }));
}

/// Logout and "sign out everywhere": 204 and the cookies cleared, also when the service failed
/// (the browser forgets the session either way; the error is still reported).
account_callback<unit> session_ended(const route_context& ctx, responder respond) {
  return [respond = std::move(respond), path = std::string{ctx.path}, rid = std::string{ctx.request_id},
          version = ctx.req.version(), &opts = ctx.svc.options](result<unit> r) {
    response res = r ? response{bhttp::status::no_content, version} : problem_from(r.error(), path, rid);
    add_clear_session_cookies(res, opts);
    respond(std::move(res));
  };
}

void logout(const route_context& ctx, responder respond) {
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  acc->logout(*ctx.who, request_actor(ctx), session_ended(ctx, respond));
}

void revoke_all(const route_context& ctx, responder respond) {
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  acc->logout_everywhere(*ctx.who, request_actor(ctx), session_ended(ctx, respond));
}

void switch_org(const route_context& ctx, responder respond) {
  if (!require_json(ctx, respond)) return;
  auto in = parse_org_switch(ctx.req.body());
  if (!in) return respond_input_error(ctx, respond, in.error());
  auto org = canonical_uuid(in.value().org_id);
  // Not a UUID: certainly not a membership. Same answer as the service's not_found.
  if (org.empty()) return respond(make_problem(ctx, bhttp::status::not_found, "no such organization"));
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  acc->switch_org(*ctx.who, std::move(org), request_actor(ctx),
                  reply_json<me_view>(ctx, respond, bhttp::status::ok,
                                      [csrf = csrf_of(ctx)](const me_view& me) { return session_json(me, csrf); }));
}

void change_password(const route_context& ctx, responder respond) {
  if (!require_json(ctx, respond)) return;
  auto in = parse_password_change(ctx.req.body());
  if (!in) return respond_input_error(ctx, respond, in.error());
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  auto& v = in.value();
  acc->change_password(*ctx.who, std::move(v.current_password), std::move(v.new_password), request_actor(ctx),
                       reply_no_content(ctx, respond));
}

void request_reset(const route_context& ctx, responder respond) {
  if (!require_json(ctx, respond)) return;
  auto in = parse_password_reset_request(ctx.req.body());
  if (!in) return respond_input_error(ctx, respond, in.error());
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  // 202 whether or not the account exists (no enumeration); throttling still answers 429.
  acc->request_password_reset(
    std::move(in.value()), request_actor(ctx),
    [respond, path = std::string{ctx.path}, rid = std::string{ctx.request_id}, version = ctx.req.version()](
      result<unit> r) {
      if (!r) return respond(problem_from(r.error(), path, rid));
      respond(json_response(bhttp::status::accepted, version, R"({"status":"accepted"})"));
    });
}

void confirm_reset(const route_context& ctx, responder respond) {
  if (!require_json(ctx, respond)) return;
  auto in = parse_password_reset_confirm(ctx.req.body());
  if (!in) return respond_input_error(ctx, respond, in.error());
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  auto& v = in.value();
  acc->confirm_password_reset(std::move(v.token), std::move(v.password), request_actor(ctx),
                              reply_no_content(ctx, respond));
}

}  // namespace

void add_session_routes(router& r) {
  const auto pub = route_access::public_route();
  const auto me = route_access::session_only();
  r.add(bhttp::verb::post, "/api/v1/signup", pub, signup);
  r.add(bhttp::verb::post, "/api/v1/session", pub, login);
  r.add(bhttp::verb::get, "/api/v1/session", me, get_session);
  r.add(bhttp::verb::delete_, "/api/v1/session", me, logout);
  r.add(bhttp::verb::post, "/api/v1/session/revoke-all", me, revoke_all);
  r.add(bhttp::verb::put, "/api/v1/session/org", me, switch_org);
  r.add(bhttp::verb::post, "/api/v1/password", me, change_password);
  r.add(bhttp::verb::post, "/api/v1/password-reset", pub, request_reset);
  r.add(bhttp::verb::post, "/api/v1/password-reset/confirm", pub, confirm_reset);
}

}  // namespace hw::http_api
