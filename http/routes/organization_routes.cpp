// /api/v1/orgs: the bootstrap admin's organization API. Order of checks on every route:
// auth (401) -> path id is a UUID (404, never reaches the gateway) -> Content-Type (415) ->
// body (400/422) -> gateway. The gateway's callback runs on an actor thread; `respond` posts the
// response onto the connection's strand.
#include <string>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "actors/domain/entity_gateway.hpp"
#include "http/admin_auth.hpp"
#include "http/json/organization_json.hpp"
#include "http/problem.hpp"
#include "http/routes/routes.hpp"

namespace hw::http_api {

namespace {

void fill_request_context(const route_context& ctx, actor_ref& who) {
  if (!ctx.remote_ip.empty()) who.ip = std::string{ctx.remote_ip};
  const auto ua = ctx.req[bhttp::field::user_agent];
  if (!ua.empty()) who.user_agent = truncate_user_agent(std::string_view{ua.data(), ua.size()});
  if (!ctx.request_id.empty()) who.request_id = std::string{ctx.request_id};
}

void record_rejected_token(const route_context& ctx, const std::string& reason) {
  // `reason` says why (missing, invalid, API disabled); check_admin never puts the token in it.
  const std::string method{ctx.req.method_string().data(), ctx.req.method_string().size()};
  auto org = canonical_uuid(ctx.param("id"));
  if (org.empty()) {
    spdlog::warn("admin token rejected method={} route={} request_id={} ip={} reason=\"{}\"", method, ctx.route,
                 ctx.request_id, ctx.remote_ip, reason);
    return;
  }
  audit_entry entry;
  entry.org = org_id{org};
  entry.who = actor_ref{"bootstrap_admin", ""};  // unauthenticated: the principal it claimed to be
  fill_request_context(ctx, entry.who);
  entry.action = "auth.admin_token_rejected";
  entry.target = org;
  entry.outcome = "failure";
  entry.detail_json =
    nlohmann::json{{"reason", reason}, {"method", method}, {"route", std::string{ctx.route}}}.dump();
  ctx.svc.gateway.record_audit(std::move(entry));
}

}  // namespace

actor_ref admin_actor(const route_context& ctx) {
  actor_ref who{"bootstrap_admin", "config"};
  fill_request_context(ctx, who);
  return who;
}

bool admin_authorized(const route_context& ctx, const responder& respond) {
  auto e = check_admin(ctx.svc.admin, ctx.req[bhttp::field::authorization]);
  if (!e) return true;
  // Recording is a non-blocking hand-off (record_audit never waits), done before the answer so
  // that a client seeing the 401 can rely on the refusal having been handed over. It can never
  // fail the answer.
  if (e->code == errc::unauthorized) {
    try {
      record_rejected_token(ctx, e->detail);
    } catch (const std::exception&) {
      spdlog::error("admin token rejection not recorded route={} request_id={}", ctx.route, ctx.request_id);
    }
  }
  respond(problem_from(ctx, *e));
  return false;
}

namespace {

actor_ref bootstrap_admin(const route_context& ctx) { return admin_actor(ctx); }

bool authorized(const route_context& ctx, const responder& respond) { return admin_authorized(ctx, respond); }

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

void respond_input_error(const route_context& ctx, const responder& respond, const input_error& e) {
  respond(make_problem(ctx, static_cast<bhttp::status>(e.status), e.detail));
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
  if (!authorized(ctx, respond) || !json_body(ctx, respond)) return;
  auto in = parse_org_create(ctx.req.body());
  if (!in) return respond_input_error(ctx, respond, in.error());
  ctx.svc.gateway.create_organization(std::move(in.value()), bootstrap_admin(ctx),
                                      org_reply(ctx, respond, bhttp::status::created));
}

void get_org(const route_context& ctx, responder respond) {
  if (!authorized(ctx, respond)) return;
  auto id = path_org_id(ctx, respond);
  if (!id) return;
  ctx.svc.gateway.get_organization(std::move(*id), org_reply(ctx, respond, bhttp::status::ok));
}

void patch_org(const route_context& ctx, responder respond) {
  if (!authorized(ctx, respond)) return;
  auto id = path_org_id(ctx, respond);
  if (!id || !json_body(ctx, respond)) return;
  std::optional<std::int64_t> if_match;
  if (!parse_if_match(ctx.req[bhttp::field::if_match], if_match)) {
    return respond(make_problem(ctx, bhttp::status::precondition_failed,
                                "If-Match must be the ETag of the current version, e.g. \"v3\""));
  }
  auto in = parse_org_patch(ctx.req.body());
  if (!in) return respond_input_error(ctx, respond, in.error());
  ctx.svc.gateway.update_organization(std::move(*id), std::move(in.value()), if_match, bootstrap_admin(ctx),
                                      org_reply(ctx, respond, bhttp::status::ok));
}

template <domain::org_event Event>
void org_event(const route_context& ctx, responder respond) {
  if (!authorized(ctx, respond)) return;
  auto id = path_org_id(ctx, respond);
  if (!id) return;
  ctx.svc.gateway.apply_organization_event(std::move(*id), Event, bootstrap_admin(ctx),
                                           org_reply(ctx, respond, bhttp::status::ok));
}

}  // namespace

void add_organization_routes(router& r) {
  r.add(bhttp::verb::post, "/api/v1/orgs", create_org);
  r.add(bhttp::verb::get, "/api/v1/orgs/{id}", get_org);
  r.add(bhttp::verb::patch, "/api/v1/orgs/{id}", patch_org);
  r.add(bhttp::verb::post, "/api/v1/orgs/{id}/suspend", org_event<domain::org_event::suspend>);
  r.add(bhttp::verb::post, "/api/v1/orgs/{id}/reactivate", org_event<domain::org_event::reactivate>);
  r.add(bhttp::verb::post, "/api/v1/orgs/{id}/close", org_event<domain::org_event::close>);
  add_audit_routes(r);
}

}  // namespace hw::http_api
