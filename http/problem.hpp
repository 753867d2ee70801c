#pragma once
// RFC 9457 problem+json responses and THE ONLY map from hw::errc to an HTTP status.
//
// Status policy for client input (documented in http/README.md):
//   400  the request cannot be read: malformed JSON, not an object, a field of the wrong JSON
//        type, an unknown field (strict, so typos are caught), a malformed path
//   422  the request was read but a field's value is invalid (errc::invalid_argument: the
//        domain check_* functions, a missing required field, an empty PATCH)
#include <string_view>

#include "actors/domain/errc.hpp"
#include "http/handler.hpp"

namespace hw::http_api {

/// The HTTP status for an error code. Total over hw::errc (ok maps to 200).
bhttp::status status_for(errc e) noexcept;

/// The stable problem type URI for a status, e.g. "urn:hirewire:problem:not-found".
std::string_view problem_type(bhttp::status s) noexcept;

/// Builds an application/problem+json response {type,title,status,detail,instance,request_id}.
/// `instance` is the request path (no query string). Adds WWW-Authenticate for 401 and
/// Retry-After for 503. The session adds X-Request-Id and the common headers.
response make_problem(bhttp::status s, std::string_view detail, std::string_view instance,
                      std::string_view request_id);

/// The same with an explicit problem `type` (e.g. "urn:hirewire:problem:csrf").
response make_problem(bhttp::status s, std::string_view type, std::string_view detail,
                      std::string_view instance, std::string_view request_id);

/// The problem for an error from the gateway or the domain. errc::internal never shows its
/// detail (it may hold internals); everything else shows the caller-safe detail.
response problem_from(const hw::error& e, std::string_view instance, std::string_view request_id);

/// Shorthands for handlers.
response make_problem(const route_context& ctx, bhttp::status s, std::string_view detail);
response problem_from(const route_context& ctx, const hw::error& e);

}  // namespace hw::http_api
