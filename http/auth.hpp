#pragma once
// The authentication / authorization middleware (STYLE B1 calls it tenant.*): runs on the strand
// for every matched route BEFORE its handler, enforcing the route's declaration (router.hpp,
// route_access). Order (http/README.md, "life of a request"):
//   1. origin checks on state-changing /api/ requests (Sec-Fetch-Site, else Origin) -> 403 csrf
//   2. public routes: done (no credential read)
//   3. credential: `Authorization: Bearer` (bootstrap admin token, else an "hwk_" API key) wins
//      over the `__Host-hw_session` cookie; none or a bad one -> 401 (a rejected cookie is cleared)
//   4. session cookie on a state-changing request: X-CSRF-Token must equal the `__Host-hw_csrf`
//      cookie (checked before the service is asked) and verify against the session -> 403 csrf
//   5. the declaration: session_only needs a user, operator_only the bootstrap admin (403);
//      org-scoped: role in {id} (none or a malformed id -> 404 "no such organization"), then
//      domain::allowed(role, action) (403 + an "authz.deny" audit row)
// Beast types are allowed here (http-internal header).
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "actors/domain/accounts.hpp"
#include "http/handler.hpp"
#include "http/router.hpp"

namespace hw::http_api {

inline constexpr std::string_view session_cookie_name = "__Host-hw_session";
inline constexpr std::string_view csrf_cookie_name = "__Host-hw_csrf";
inline constexpr std::string_view sso_cookie_name = "__Host-hw_sso";

/// The cookie name to use: `name` as is, or without its "__Host-" prefix when
/// server_options::allow_insecure_cookies (browsers refuse a __Host- cookie that lacks Secure,
/// except from http://localhost; plain-HTTP development on another host needs bare names).
std::string_view cookie_name(std::string_view name, const server_options& opts) noexcept;
inline constexpr std::string_view csrf_header_name = "X-CSRF-Token";
inline constexpr std::string_view csrf_problem_type = "urn:hirewire:problem:csrf";

/// Continues the request once the declaration is satisfied. `who` is null on public routes.
/// May run on any thread (the account service answers on actor threads); the session hops back
/// onto the strand before calling the handler.
using auth_next = std::function<void(std::shared_ptr<const principal> who)>;

/// The middleware (see the header comment). Answers through `respond` when the request is
/// refused, else calls `next` exactly once. Called on the strand; `ctx` is only read before the
/// first asynchronous step (what the continuation needs is copied).
void authorize(const route_context& ctx, const route_access& access, const responder& respond, auth_next next);

/// POST, PUT, PATCH, DELETE (and anything that is not GET/HEAD/OPTIONS/TRACE).
bool is_state_changing(bhttp::verb v) noexcept;

/// Sec-Fetch-Site (when present: same-origin or none) else Origin (when present: exactly
/// public_origin). The refusal's detail, or nothing when the request passes.
std::optional<std::string> check_request_origin(const request& req, std::string_view public_origin);

/// The value of cookie `name` in the request's Cookie header(s); nothing when absent.
std::optional<std::string_view> cookie_value(const request& req, std::string_view name);

/// A Set-Cookie value: `name=value; Path=/; Max-Age=n[; HttpOnly][; Secure]; SameSite=Lax`.
/// Secure unless server_options::allow_insecure_cookies.
std::string make_set_cookie(std::string_view name, std::string_view value, std::chrono::seconds max_age,
                            bool http_only, bool secure);

/// Sets the session cookie (HttpOnly) and the CSRF cookie (readable by the SPA) for a new
/// session, both with Max-Age = cookie_max_age. Returns the CSRF token (empty when the server has
/// no csrf_token hook).
std::string add_session_cookies(response& res, const login_result& login, const server_options& opts);

/// Expires the session and CSRF cookies (Max-Age=0).
void add_clear_session_cookies(response& res, const server_options& opts);

/// Lower-case hex SHA-256 (the session id hash the CSRF token is bound to).
std::string sha256_hex(std::string_view data);

/// The request context for the audit log (ip, user agent cut to 512 bytes, request id), with the
/// principal as actor when there is one; "system" with an empty id otherwise.
actor_ref request_actor(const route_context& ctx);

}  // namespace hw::http_api
