// Teammate invitations. Org-scoped (member.list / member.invite): list, create, resend, revoke.
// Public: preview and accept (the token in the body is the credential; it never goes in a URL).
// Accepting while signed in as the invited user uses that session, but only when the request also
// carries the session's CSRF token (a cross-site form cannot make someone join an organization).
#include <memory>
#include <optional>
#include <string>

#include "actors/domain/ids.hpp"
#include "http/auth.hpp"
#include "http/json/account_json.hpp"
#include "http/routes/routes.hpp"
#include "http/server.hpp"

namespace hw::http_api {

namespace {

void list_invitations(const route_context& ctx, responder respond) {
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  acc->list_team_invitations(path_org(ctx), reply_json<std::vector<team_invitation_view>>(
                                              ctx, respond, bhttp::status::ok,
                                              [](const auto& v) { return team_invitations_json(v); }));
}

void create_invitation(const route_context& ctx, responder respond) {
  if (!require_json(ctx, respond)) return;
  auto in = parse_team_invitation_create(ctx.req.body());
  if (!in) return respond_input_error(ctx, respond, in.error());
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  acc->create_team_invitation(path_org(ctx), std::move(in.value().email), in.value().role, *ctx.who,
                              request_actor(ctx),
                              reply_json<team_invitation_view>(ctx, respond, bhttp::status::created,
                                                               [](const auto& v) { return team_invitation_json(v); }));
}

void resend_invitation(const route_context& ctx, responder respond) {
  if (!require_uuid_param(ctx, respond, "inv", "no such invitation")) return;
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  acc->resend_team_invitation(path_org(ctx), canonical_uuid(ctx.param("inv")), *ctx.who, request_actor(ctx),
                              reply_json<team_invitation_view>(ctx, respond, bhttp::status::ok,
                                                               [](const auto& v) { return team_invitation_json(v); }));
}

void revoke_invitation(const route_context& ctx, responder respond) {
  if (!require_uuid_param(ctx, respond, "inv", "no such invitation")) return;
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  acc->revoke_team_invitation(path_org(ctx), canonical_uuid(ctx.param("inv")), *ctx.who, request_actor(ctx),
                              reply_no_content(ctx, respond));
}

void preview_invitation(const route_context& ctx, responder respond) {
  if (!require_json(ctx, respond)) return;
  auto in = parse_invitation_token(ctx.req.body());
  if (!in) return respond_input_error(ctx, respond, in.error());
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  acc->preview_team_invitation(std::move(in.value()),
                               reply_json<invitation_preview>(ctx, respond, bhttp::status::ok, [](const auto& p) {
                                 return invitation_preview_json(p);
                               }));
}

void accept_invitation(const route_context& ctx, responder respond) {
  if (!require_json(ctx, respond)) return;
  auto in = parse_invitation_accept(ctx.req.body());
  if (!in) return respond_input_error(ctx, respond, in.error());
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  const auto& opts = ctx.svc.options;
  auto who = request_actor(ctx);
  auto done = [respond, path = std::string{ctx.path}, rid = std::string{ctx.request_id}, version = ctx.req.version(),
               &opts](result<login_result> r) {
    if (!r) return respond(problem_from(r.error(), path, rid));
    response res{bhttp::status::ok, version};
    const auto csrf = add_session_cookies(res, *r, opts);
    res.set(bhttp::field::content_type, "application/json");
    res.body() = session_json(r->me, csrf);
    respond(std::move(res));
  };

  const auto cookie = cookie_value(ctx.req, cookie_name(session_cookie_name, ctx.svc.options));
  const auto header = ctx.req[csrf_header_name];
  const auto csrf_cookie = cookie_value(ctx.req, cookie_name(csrf_cookie_name, ctx.svc.options));
  const bool double_submit = cookie && !cookie->empty() && !header.empty() && csrf_cookie &&
                             *csrf_cookie == std::string_view{header.data(), header.size()};
  if (!double_submit) {
    return acc->accept_team_invitation(std::move(in.value()), std::nullopt, std::move(who), std::move(done));
  }
  // Signed in: accept as this user when the session is valid and the token is its own; a stale
  // session just means "not signed in" here.
  auto req = std::make_shared<invitation_accept>(std::move(in.value()));
  acc->authenticate_session(
    std::string{*cookie}, who,
    [acc, req, who, done = std::move(done), token = std::string{header.data(), header.size()}, &opts](
      result<principal> p) mutable {
      std::optional<principal> current;
      if (p && opts.csrf_valid && opts.csrf_valid(p->session_id_hash, token)) current = std::move(*p);
      acc->accept_team_invitation(std::move(*req), std::move(current), std::move(who), std::move(done));
    });
}

}  // namespace

void add_team_invitation_routes(router& r) {
  using domain::action;
  const auto pub = route_access::public_route();
  r.add(bhttp::verb::get, "/api/v1/orgs/{id}/team-invitations", route_access::org(action::member_list),
        list_invitations);
  r.add(bhttp::verb::post, "/api/v1/orgs/{id}/team-invitations", route_access::org(action::member_invite),
        create_invitation);
  r.add(bhttp::verb::post, "/api/v1/orgs/{id}/team-invitations/{inv}/resend",
        route_access::org(action::member_invite), resend_invitation);
  r.add(bhttp::verb::delete_, "/api/v1/orgs/{id}/team-invitations/{inv}", route_access::org(action::member_invite),
        revoke_invitation);
  r.add(bhttp::verb::post, "/api/v1/team-invitations/preview", pub, preview_invitation);
  r.add(bhttp::verb::post, "/api/v1/team-invitations/accept", pub, accept_invitation);
}

}  // namespace hw::http_api
