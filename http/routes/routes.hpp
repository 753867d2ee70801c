#pragma once
// Route registration, one function per routes/<resource>_routes.cpp, and the helpers the route
// files share (route_helpers.cpp).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include <nlohmann/json_fwd.hpp>

#include "actors/domain/accounts.hpp"
#include "actors/domain/audit.hpp"
#include "http/json/organization_json.hpp"
#include "http/problem.hpp"
#include "http/router.hpp"

namespace hw::http_api {

/// Every route the server serves with these options (the server's table; tests enumerate it).
router build_routes(const server_options& opts);

/// /healthz, /readyz, /metrics.
void add_system_routes(router& r);
/// / and /app (redirects to /app/), /app/* (static SPA files).
void add_static_routes(router& r);
/// /api/v1/orgs, /api/v1/orgs/{id}, /api/v1/orgs/{id}/{suspend,reactivate,close}.
void add_organization_routes(router& r);
/// GET /api/v1/orgs/{id}/audit (called by add_organization_routes).
void add_audit_routes(router& r);
/// GET /api/v1/orgs/{id}/dev-mailbox?limit=...&before=... (only with the dev mailbox transport).
void add_dev_mailbox_routes(router& r);
/// Sign-up, login/logout, the session, switching organizations, passwords and password reset.
void add_session_routes(router& r);
/// /api/v1/orgs/{id}/members[/{user_id}].
void add_member_routes(router& r);
/// /api/v1/orgs/{id}/team-invitations... and the public preview/accept.
void add_team_invitation_routes(router& r);
/// /api/v1/orgs/{id}/api-keys[/{key}].
void add_api_key_routes(router& r);
/// /api/v1/orgs/{id}/sso and the public /api/v1/sso/start, /api/v1/sso/callback.
void add_sso_routes(router& r);
/// /api/v1/orgs/{id}/ats/connections... and /api/v1/orgs/{id}/jobs... (issue 4, ats_routes.cpp).
void add_ats_routes(router& r);
/// /api/v1/orgs/{id}/content/... and /api/v1/orgs/{id}/jobs/{job}/template... (issue 5,
/// content_routes.cpp).
void add_content_routes(router& r);
/// The public POST /webhooks/greenhouse/{connection} and /webhooks/lever/{connection}.
void add_webhook_routes(router& r);

/// True when a Content-Type value is application/json (parameters such as charset allowed).
bool is_json_content_type(std::string_view content_type) noexcept;

/// A 2xx JSON response with Cache-Control: no-store added later by the session.
response json_response(bhttp::status s, unsigned version, std::string body);

// ---- helpers shared by the people-and-access routes (route_helpers.cpp) ----

/// True when the body is declared application/json; otherwise answers 415.
bool require_json(const route_context& ctx, const responder& respond);
/// The account service, or answers 503 ("not available on this server") and returns null.
account_service* accounts_or_503(const route_context& ctx, const responder& respond);
/// Answers a parser's refusal (400/422) as a problem.
void respond_input_error(const route_context& ctx, const responder& respond, const input_error& e);
/// The organization of an org-scoped route (the middleware checked {id} is a UUID the caller
/// may act in).
org_id path_org(const route_context& ctx);
/// True when `id` looks like an id we issue (a UUID); otherwise answers 404 `what` ("no such
/// member") without asking the service.
bool require_uuid_param(const route_context& ctx, const responder& respond, std::string_view name,
                        std::string_view what);
/// The first value of query parameter `name`, percent-decoded ('+' stays '+'); nothing when absent
/// or undecodable.
std::optional<std::string> query_value(const route_context& ctx, std::string_view name);

/// %XX-decodes a query component. '+' stays '+' (RFC 3986; keeps "+02:00" offsets readable);
/// a bad escape, NUL or a control character is nothing.
std::optional<std::string> percent_decode(std::string_view in);

/// The continuation of a service call that answers `ok` with `render(value)` as JSON, or the
/// problem for the error. Runs on any thread.
template <class T, class Render>
account_callback<T> reply_json(const route_context& ctx, responder respond, bhttp::status ok, Render render) {
  return [respond = std::move(respond), path = std::string{ctx.path}, rid = std::string{ctx.request_id},
          version = ctx.req.version(), ok, render = std::move(render)](result<T> r) {
    if (!r) return respond(problem_from(r.error(), path, rid));
    respond(json_response(ok, version, render(*r)));
  };
}

/// The continuation of a service call that answers 204 (or the problem).
account_callback<unit> reply_no_content(const route_context& ctx, responder respond);

// ---- strict query strings, path ids, ETags (ATS, content and audit routes) ----

/// A query string the route refuses: 400 unreadable (unknown or repeated name, bad escape, not
/// an integer, not one of the listed values), 422 a readable value out of range.
struct query_error {
  bhttp::status status;
  std::string detail;
};

/// Query parameter name -> percent-decoded value.
using query_map = std::map<std::string, std::string>;

/// The query string as a map. Unknown names (all of them listed, with the allowed ones), repeated
/// names and undecodable escapes or control characters are 400; empty values count as absent.
std::variant<query_map, query_error> read_query(const route_context& ctx,
                                                std::initializer_list<std::string_view> known);
/// The integer query value `name` into `out` (untouched when absent): 400 when it is not an
/// integer, 422 when it is outside [lo, hi].
std::optional<query_error> read_int(const query_map& q, const char* name, std::int64_t lo, std::int64_t hi,
                                    std::int64_t& out);
/// Answers a query_error as a problem.
void respond_query_error(const route_context& ctx, const responder& respond, const query_error& e);

/// Cursors are opaque tokens this API returned (base64url today): letters, digits, '-', '_' and
/// '=' padding only, at most 256 bytes.
bool is_cursor(std::string_view s) noexcept;

/// The canonical (lower-case) UUID of path parameter `name`; otherwise answers 404 `what` ("no
/// such job") without asking the service and returns nothing.
std::optional<std::string> path_id(const route_context& ctx, const responder& respond, std::string_view name,
                                   std::string_view what);

/// If-Match: absent or "*" -> no precondition (nullopt); one strong tag "v<n>" or "<n>" -> n;
/// anything else can never match: answers 412 and returns false.
bool if_match_or_412(const route_context& ctx, const responder& respond, std::optional<std::int64_t>& out);

/// Compact JSON; invalid UTF-8 is replaced, never thrown.
std::string dump_json(const nlohmann::json& j);

template <std::size_t N>
bool one_of(std::string_view v, const std::string_view (&set)[N]) noexcept {
  for (auto s : set) {
    if (s == v) return true;
  }
  return false;
}

/// "a, b, c" for details.
template <std::size_t N>
std::string list_of(const std::string_view (&set)[N]) {
  std::string out;
  for (auto s : set) out.append(out.empty() ? "" : ", ").append(s);
  return out;
}

/// reply_json with `render` returning a nlohmann::json (include <nlohmann/json.hpp> to use it).
template <class T, class Render>
std::function<void(result<T>)> reply(const route_context& ctx, responder respond, bhttp::status ok, Render render) {
  return reply_json<T>(ctx, std::move(respond), ok,
                       [render = std::move(render)](const T& v) { return dump_json(render(v)); });
}

/// A JSON answer with the ETag "v<version_of(value)>", or the problem. Runs on any thread.
template <class T, class Render, class Version>
std::function<void(result<T>)> reply_tagged(const route_context& ctx, responder respond, bhttp::status ok,
                                            Render render, Version version_of) {
  return [respond = std::move(respond), path = std::string{ctx.path}, rid = std::string{ctx.request_id},
          v = ctx.req.version(), ok, render = std::move(render), version_of = std::move(version_of)](result<T> r) {
    if (!r) return respond(problem_from(r.error(), path, rid));
    auto res = json_response(ok, v, dump_json(render(*r)));
    res.set(bhttp::field::etag, etag_for_version(version_of(*r)));
    respond(std::move(res));
  };
}

}  // namespace hw::http_api
