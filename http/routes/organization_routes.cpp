// /api/v1/orgs: the organization API. The middleware (http/auth.cpp) has already enforced each
// route's declaration: creating, suspending and reactivating are the operator's (bootstrap admin
// token); reading, updating settings and closing are org-scoped actions for session users, API
// keys and the operator. Then: path id is a UUID (404, never reaches the gateway) ->
// Content-Type (415) -> body (400/422) -> gateway. The gateway's callback runs on an actor thread; `respond` posts the
// response onto the connection's strand.
#include <string>

#include "actors/domain/entity_gateway.hpp"
#include "http/auth.hpp"
#include "http/json/organization_json.hpp"
#include "http/problem.hpp"
#include "http/routes/routes.hpp"

namespace hw::http_api {

namespace {

/// The canonical org id from the path, or answers 404 and returns nothing.
std::optional<org_id> path_org_id(const route_context& ctx, const responder& respond) {
  auto id = canonical_uuid(ctx.param("id"));
  if (id.empty()) {
    respond(make_problem(ctx, bhttp::status::not_found, "no such organization"));
    return std::nullopt;
  }
  return org_id{std::move(id)};
}

bool json_body(const route_context& ctx, const responder& respond) {
  if (is_json_content_type(ctx.req[bhttp::field::content_type])) return true;
  respond(make_problem(ctx, bhttp::status::unsupported_media_type, "Content-Type must be application/json"));
  return false;
}


/// The continuation shared by every organization call: the view, or the problem for the error.
callback<domain::organization> org_reply(const route_context& ctx, responder respond,
                                         bhttp::status ok_status) {
  return [respond = std::move(respond), path = std::string{ctx.path}, rid = std::string{ctx.request_id},
          version = ctx.req.version(), ok_status](result<domain::organization> r) {
    if (!r) return respond(problem_from(r.error(), path, rid));
    auto res = json_response(ok_status, version, to_json(*r));
    res.set(bhttp::field::etag, etag_for_version(r->version));
    if (ok_status == bhttp::status::created) res.set(bhttp::field::location, "/api/v1/orgs/" + r->id.value);
    respond(std::move(res));
  };
}

void create_org(const route_context& ctx, responder respond) {
  if (!json_body(ctx, respond)) return;
  auto in = parse_org_create(ctx.req.body());
  if (!in) return respond_input_error(ctx, respond, in.error());
  ctx.svc.gateway.create_organization(std::move(in.value()), request_actor(ctx),
                                      org_reply(ctx, respond, bhttp::status::created));
}

void get_org(const route_context& ctx, responder respond) {
  auto id = path_org_id(ctx, respond);
  if (!id) return;
  ctx.svc.gateway.get_organization(std::move(*id), org_reply(ctx, respond, bhttp::status::ok));
}

void patch_org(const route_context& ctx, responder respond) {
  auto id = path_org_id(ctx, respond);
  if (!id || !json_body(ctx, respond)) return;
  std::optional<std::int64_t> if_match;
  if (!parse_if_match(ctx.req[bhttp::field::if_match], if_match)) {
    return respond(make_problem(ctx, bhttp::status::precondition_failed,
                                "If-Match must be the ETag of the current version, e.g. \"v3\""));
  }
  auto in = parse_org_patch(ctx.req.body());
  if (!in) return respond_input_error(ctx, respond, in.error());
  ctx.svc.gateway.update_organization(std::move(*id), std::move(in.value()), if_match, request_actor(ctx),
                                      org_reply(ctx, respond, bhttp::status::ok));
}

template <domain::org_event Event>
void org_event(const route_context& ctx, responder respond) {
  auto id = path_org_id(ctx, respond);
  if (!id) return;
  ctx.svc.gateway.apply_organization_event(std::move(*id), Event, request_actor(ctx),
                                           org_reply(ctx, respond, bhttp::status::ok));
}

}  // namespace

void add_organization_routes(router& r) {
  using domain::action;
  const auto op = route_access::operator_only();
  r.add(bhttp::verb::post, "/api/v1/orgs", op, create_org);
  r.add(bhttp::verb::get, "/api/v1/orgs/{id}", route_access::org(action::org_read), get_org);
  r.add(bhttp::verb::patch, "/api/v1/orgs/{id}", route_access::org(action::org_update_settings), patch_org);
  r.add(bhttp::verb::post, "/api/v1/orgs/{id}/suspend", op, org_event<domain::org_event::suspend>);
  r.add(bhttp::verb::post, "/api/v1/orgs/{id}/reactivate", op, org_event<domain::org_event::reactivate>);
  r.add(bhttp::verb::post, "/api/v1/orgs/{id}/close", route_access::org(action::org_close),
        org_event<domain::org_event::close>);
  add_audit_routes(r);
}

}  // namespace hw::http_api
