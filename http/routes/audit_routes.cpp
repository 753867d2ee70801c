// GET /api/v1/orgs/{id}/audit?action=&actor_kind=&actor_id=&outcome=&since=&until=&cursor=&limit=
// One organization's audit log, newest first, in keyset pages. Org-scoped (audit.read): the
// middleware has checked the credential (401, a rejected token on this path is itself audited)
// and the role. Then: path id is a UUID (404) -> query (400 unreadable or unknown parameter, 422
// a readable value out of range) -> gateway (404 when the organization does not exist).
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/domain/audit.hpp"
#include "actors/domain/entity_gateway.hpp"
#include "http/problem.hpp"
#include "http/routes/routes.hpp"

namespace hw::http_api {

namespace {

constexpr std::string_view known_params[] = {"action", "actor_kind", "actor_id", "outcome",
                                             "since",  "until",      "cursor",   "limit"};

struct query_error {
  bhttp::status status;
  std::string detail;
};

/// The query string of `target` as an audit_query, or the 400/422 naming the parameter.
std::variant<audit_query, query_error> parse_audit_query(std::string_view target) {
  audit_query q;
  const auto qpos = target.find('?');
  if (qpos == std::string_view::npos) return q;
  std::vector<std::string> unknown;
  std::vector<std::string> seen;
  auto rest = target.substr(qpos + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const auto item = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    auto name = percent_decode(item.substr(0, eq));
    if (!name) return query_error{bhttp::status::bad_request, "the query string has a malformed escape"};
    bool known = false;
    for (auto k : known_params) known = known || *name == k;
    if (!known) {
      unknown.push_back(name->size() > 40 ? name->substr(0, 40) + "..." : *name);
      continue;
    }
    for (const auto& s : seen) {
      if (s == *name) return query_error{bhttp::status::bad_request, *name + ": given more than once"};
    }
    seen.push_back(*name);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1));
    if (!value) return query_error{bhttp::status::bad_request, *name + ": malformed escape or control character"};
    if (value->empty()) continue;  // "?cursor=" is the same as no cursor
    if (*name == "action") {
      q.action_prefix = std::move(*value);
    } else if (*name == "actor_kind") {
      q.actor_kind = std::move(*value);
    } else if (*name == "actor_id") {
      q.actor_id = std::move(*value);
    } else if (*name == "outcome") {
      q.outcome = std::move(*value);
    } else if (*name == "since") {
      if (!is_rfc3339(*value))
        return query_error{bhttp::status::bad_request, "since: expected an RFC 3339 date-time, e.g. 2024-05-01T12:00:00Z"};
      q.since = std::move(*value);
    } else if (*name == "until") {
      if (!is_rfc3339(*value))
        return query_error{bhttp::status::bad_request, "until: expected an RFC 3339 date-time, e.g. 2024-05-01T12:00:00Z"};
      q.until = std::move(*value);
    } else if (*name == "cursor") {
      if (!decode_audit_cursor(*value))
        return query_error{bhttp::status::bad_request, "cursor: not a cursor returned by this API"};
      q.cursor = std::move(*value);
    } else if (*name == "limit") {
      int n = 0;
      auto [p, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
      if (ec == std::errc::result_out_of_range)
        return query_error{bhttp::status::unprocessable_entity, "limit: expected 1 to 200"};
      if (ec != std::errc{} || p != value->data() + value->size())
        return query_error{bhttp::status::bad_request, "limit: expected an integer from 1 to 200"};
      q.limit = n;
    }
  }
  if (!unknown.empty()) {
    std::string names;
    for (const auto& u : unknown) names += (names.empty() ? "" : ", ") + u;
    return query_error{bhttp::status::bad_request,
                       "unknown query parameter(s): " + names +
                         " (allowed: action, actor_kind, actor_id, outcome, since, until, cursor, limit)"};
  }
  // Readable values that are out of range (limit, actor_kind, outcome, lengths): 422.
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
  auto parsed = parse_audit_query(std::string_view{ctx.req.target().data(), ctx.req.target().size()});
  if (auto* e = std::get_if<query_error>(&parsed)) return respond(make_problem(ctx, e->status, e->detail));
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
