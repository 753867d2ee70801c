// GET /api/v1/orgs/{id}/audit?action=&actor_kind=&actor_id=&outcome=&since=&until=&cursor=&limit=
// One organization's audit log, newest first, in keyset pages. Org-scoped (audit.read): the
// middleware has checked the credential (401, a rejected token on this path is itself audited)
// and the role. Then: path id is a UUID (404) -> query (400 unreadable or unknown parameter, 422
// a readable value out of range) -> gateway (404 when the organization does not exist).
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "actors/domain/audit.hpp"
#include "actors/domain/entity_gateway.hpp"
#include "http/problem.hpp"
#include "http/routes/routes.hpp"

namespace hw::http_api {

namespace {

/// The query string as an audit_query, or the 400/422 naming the parameter. Empty values count
/// as absent ("?cursor=" is no cursor).
std::variant<audit_query, query_error> parse_audit_query(const route_context& ctx) {
  auto read = read_query(ctx, {"action", "actor_kind", "actor_id", "outcome", "since", "until", "cursor", "limit"});
  if (auto* e = std::get_if<query_error>(&read)) return std::move(*e);
  auto& m = std::get<query_map>(read);
  audit_query q;
  auto take = [&m](const char* name, std::optional<std::string>& out) {
    if (auto it = m.find(name); it != m.end()) out = std::move(it->second);
  };
  take("action", q.action_prefix);
  take("actor_kind", q.actor_kind);
  take("actor_id", q.actor_id);
  take("outcome", q.outcome);
  take("since", q.since);
  take("until", q.until);
  take("cursor", q.cursor);
  if (q.since && !is_rfc3339(*q.since)) {
    return query_error{bhttp::status::bad_request, "since: expected an RFC 3339 date-time, e.g. 2024-05-01T12:00:00Z"};
  }
  if (q.until && !is_rfc3339(*q.until)) {
    return query_error{bhttp::status::bad_request, "until: expected an RFC 3339 date-time, e.g. 2024-05-01T12:00:00Z"};
  }
  if (q.cursor && !decode_audit_cursor(*q.cursor)) {
    return query_error{bhttp::status::bad_request, "cursor: not a cursor returned by this API"};
  }
  std::int64_t limit = q.limit;
  if (auto e = read_int(m, "limit", 1, audit_limit_max, limit)) return std::move(*e);
  q.limit = static_cast<int>(limit);
  // Readable values that are out of range (actor_kind, outcome, lengths): 422.
  if (auto e = validate(q)) return query_error{bhttp::status::unprocessable_entity, e->detail};
  return q;
}

nlohmann::json opt(const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

nlohmann::json to_json(const audit_record& a) {
  auto detail = nlohmann::json::parse(a.detail_json, nullptr, false);
  if (detail.is_discarded() || !detail.is_object()) detail = nlohmann::json::object();
  return {
    {"id", a.id},
    {"at", a.at},
    {"actor", {{"kind", a.actor_kind}, {"id", a.actor_id}}},
    {"action", a.action},
    {"target", a.target},
    {"outcome", a.outcome},
    {"ip", opt(a.ip)},
    {"user_agent", opt(a.user_agent)},
    {"request_id", opt(a.request_id)},
    {"detail", std::move(detail)},
  };
}

void list_audit(const route_context& ctx, responder respond) {
  auto id = canonical_uuid(ctx.param("id"));
  if (id.empty()) return respond(make_problem(ctx, bhttp::status::not_found, "no such organization"));
  auto parsed = parse_audit_query(ctx);
  if (auto* e = std::get_if<query_error>(&parsed)) return respond_query_error(ctx, respond, *e);
  ctx.svc.gateway.list_audit(
    org_id{std::move(id)}, std::move(std::get<audit_query>(parsed)),
    [respond, path = std::string{ctx.path}, rid = std::string{ctx.request_id},
     version = ctx.req.version()](result<audit_page> r) {
      if (!r) return respond(problem_from(r.error(), path, rid));
      nlohmann::json items = nlohmann::json::array();
      for (const auto& a : r->entries) items.push_back(to_json(a));
      nlohmann::json body = {{"items", std::move(items)}, {"next_cursor", opt(r->next_cursor)}};
      respond(json_response(bhttp::status::ok, version,
                            body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
    });
}

}  // namespace

void add_audit_routes(router& r) {
  r.add(bhttp::verb::get, "/api/v1/orgs/{id}/audit", route_access::org(domain::action::audit_read), list_audit);
}

}  // namespace hw::http_api
