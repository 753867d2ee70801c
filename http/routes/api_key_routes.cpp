// /api/v1/orgs/{id}/api-keys: list, create (the secret is in the 201 answer and nowhere else),
// revoke. Org-scoped (api_key.list / api_key.create / api_key.revoke); whether the creator may
// grant the key's role (domain::can_invite_role) is the account service's decision.
#include <string>

#include "actors/domain/ids.hpp"
#include "http/auth.hpp"
#include "http/json/account_json.hpp"
#include "http/routes/routes.hpp"

namespace hw::http_api {

namespace {

void list_keys(const route_context& ctx, responder respond) {
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  acc->list_api_keys(path_org(ctx), reply_json<std::vector<api_key_view>>(ctx, respond, bhttp::status::ok,
                                                                           [](const auto& v) { return api_keys_json(v); }));
}

void create_key(const route_context& ctx, responder respond) {
  if (!require_json(ctx, respond)) return;
  auto in = parse_api_key_create(ctx.req.body());
  if (!in) return respond_input_error(ctx, respond, in.error());
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  acc->create_api_key(path_org(ctx), std::move(in.value()), *ctx.who, request_actor(ctx),
                      reply_json<api_key_created>(ctx, respond, bhttp::status::created,
                                                  [](const auto& c) { return api_key_created_json(c); }));
}

void revoke_key(const route_context& ctx, responder respond) {
  if (!require_uuid_param(ctx, respond, "key", "no such API key")) return;
  auto* acc = accounts_or_503(ctx, respond);
  if (!acc) return;
  acc->revoke_api_key(path_org(ctx), canonical_uuid(ctx.param("key")), *ctx.who, request_actor(ctx),
                      reply_no_content(ctx, respond));
}

}  // namespace

void add_api_key_routes(router& r) {
  using domain::action;
  r.add(bhttp::verb::get, "/api/v1/orgs/{id}/api-keys", route_access::org(action::api_key_list), list_keys);
  r.add(bhttp::verb::post, "/api/v1/orgs/{id}/api-keys", route_access::org(action::api_key_create), create_key);
  r.add(bhttp::verb::delete_, "/api/v1/orgs/{id}/api-keys/{key}", route_access::org(action::api_key_revoke),
        revoke_key);
}

}  // namespace hw::http_api
