// /api/v1/orgs/{id}/members: list, change a role, remove. Org-scoped: the middleware checked the
// caller's role in {id} against member.list / member.change_role / member.remove. Whether the
// caller may give THIS member THAT role (owners, last owner) needs the target's current role, so
// it is the account service's decision (domain::check_role_change / check_member_removal).
#include <string>

#include "http/auth.hpp"
#include "http/json/account_json.hpp"
#include "http/routes/routes.hpp"

namespace hw::http_api {

namespace {

void list_members(const route_context& ctx, responder respond) {
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  acc->list_members(path_org(ctx), reply_json<std::vector<member_view>>(ctx, respond, bhttp::status::ok,
                                                                         [](const auto& v) { return members_json(v); }));
}

void change_role(const route_context& ctx, responder respond) {
  if (!require_uuid_param(ctx, respond, "user_id", "no such member")) return;
  if (!require_json(ctx, respond)) return;
  auto in = parse_member_role(ctx.req.body());
  if (!in) return respond_input_error(ctx, respond, in.error());
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  acc->change_member_role(path_org(ctx), canonical_uuid(ctx.param("user_id")), in.value(), *ctx.who,
                          request_actor(ctx),
                          reply_json<member_view>(ctx, respond, bhttp::status::ok,
                                                  [](const member_view& m) { return member_json(m); }));
}

void remove_member(const route_context& ctx, responder respond) {
  if (!require_uuid_param(ctx, respond, "user_id", "no such member")) return;
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  acc->remove_member(path_org(ctx), canonical_uuid(ctx.param("user_id")), *ctx.who, request_actor(ctx),
                     reply_no_content(ctx, respond));
}

}  // namespace

void add_member_routes(router& r) {
  using domain::action;
  r.add(bhttp::verb::get, "/api/v1/orgs/{id}/members", route_access::org(action::member_list), list_members);
  r.add(bhttp::verb::patch, "/api/v1/orgs/{id}/members/{user_id}", route_access::org(action::member_change_role),
        change_role);
  r.add(bhttp::verb::delete_, "/api/v1/orgs/{id}/members/{user_id}", route_access::org(action::member_remove),
        remove_member);
}

}  // namespace hw::http_api
