#pragma once
// Route registration, one function per routes/<resource>_routes.cpp.
#include "actors/domain/audit.hpp"
#include "http/router.hpp"

namespace hw::http_api {

/// /healthz, /readyz, /metrics.
void add_system_routes(router& r);
/// / and /app (redirects to /app/), /app/* (static SPA files).
void add_static_routes(router& r);
/// /api/v1/orgs, /api/v1/orgs/{id}, /api/v1/orgs/{id}/{suspend,reactivate,close}.
void add_organization_routes(router& r);
/// GET /api/v1/orgs/{id}/audit (called by add_organization_routes).
void add_audit_routes(router& r);
/// GET /api/v1/dev/mailbox?org_id=...&limit=...&before=... (only with the dev mailbox transport).
void add_dev_mailbox_routes(router& r);

/// The bootstrap admin as the actor of a request: kind, id and the request's context (peer ip,
/// User-Agent, request id) for the audit log. Never the token.
actor_ref admin_actor(const route_context& ctx);

/// Checks the admin bearer token. On failure answers 401 at once, then records the refusal
/// without waiting: an audit row ("auth.admin_token_rejected", outcome failure, written only if
/// the organization exists) when the path's {id} is a UUID, else a warning log line. Neither holds
/// the token.
bool admin_authorized(const route_context& ctx, const responder& respond);

/// True when a Content-Type value is application/json (parameters such as charset allowed).
bool is_json_content_type(std::string_view content_type) noexcept;

/// A 2xx JSON response with Cache-Control: no-store added later by the session.
response json_response(bhttp::status s, unsigned version, std::string body);

}  // namespace hw::http_api
