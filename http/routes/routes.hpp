#pragma once
// Route registration, one function per routes/<resource>_routes.cpp.
#include "http/router.hpp"

namespace hw::http_api {

/// /healthz, /readyz, /metrics.
void add_system_routes(router& r);
/// / and /app (redirects to /app/), /app/* (static SPA files).
void add_static_routes(router& r);
/// /api/v1/orgs, /api/v1/orgs/{id}, /api/v1/orgs/{id}/{suspend,reactivate,close}.
void add_organization_routes(router& r);
/// GET /api/v1/dev/mailbox?org_id=...&limit=...&before=... (only with the dev mailbox transport).
void add_dev_mailbox_routes(router& r);

/// True when a Content-Type value is application/json (parameters such as charset allowed).
bool is_json_content_type(std::string_view content_type) noexcept;

/// A 2xx JSON response with Cache-Control: no-store added later by the session.
response json_response(bhttp::status s, unsigned version, std::string body);

}  // namespace hw::http_api
