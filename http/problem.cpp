#include "http/problem.hpp"

#include <nlohmann/json.hpp>

namespace hw::http_api {

bhttp::status status_for(errc e) noexcept {
  using s = bhttp::status;
  switch (e) {
    case errc::ok: return s::ok;
    case errc::invalid_argument: return s::unprocessable_entity;  // 422: see the header
    case errc::not_found: return s::not_found;
    case errc::conflict: return s::conflict;
    case errc::version_conflict: return s::conflict;
    case errc::precondition_failed: return s::precondition_failed;
    case errc::illegal_transition: return s::conflict;
    case errc::unauthorized: return s::unauthorized;
    case errc::forbidden: return s::forbidden;
    case errc::unavailable: return s::service_unavailable;
    case errc::timeout: return s::gateway_timeout;
    case errc::internal: return s::internal_server_error;
    case errc::rate_limited: return s::too_many_requests;
  }
  return s::internal_server_error;
}

std::string_view problem_type(bhttp::status s) noexcept {
  switch (s) {
    case bhttp::status::bad_request: return "urn:hirewire:problem:bad-request";
    case bhttp::status::unauthorized: return "urn:hirewire:problem:unauthorized";
    case bhttp::status::forbidden: return "urn:hirewire:problem:forbidden";
    case bhttp::status::not_found: return "urn:hirewire:problem:not-found";
    case bhttp::status::method_not_allowed: return "urn:hirewire:problem:method-not-allowed";
    case bhttp::status::conflict: return "urn:hirewire:problem:conflict";
    case bhttp::status::precondition_failed: return "urn:hirewire:problem:precondition-failed";
    case bhttp::status::payload_too_large: return "urn:hirewire:problem:payload-too-large";
    case bhttp::status::unsupported_media_type: return "urn:hirewire:problem:unsupported-media-type";
    case bhttp::status::unprocessable_entity: return "urn:hirewire:problem:validation";
    case bhttp::status::request_header_fields_too_large: return "urn:hirewire:problem:header-too-large";
    case bhttp::status::too_many_requests: return "urn:hirewire:problem:rate-limited";
    case bhttp::status::internal_server_error: return "urn:hirewire:problem:internal";
    case bhttp::status::service_unavailable: return "urn:hirewire:problem:unavailable";
    case bhttp::status::gateway_timeout: return "urn:hirewire:problem:timeout";
    default: return "about:blank";
  }
}

response make_problem(bhttp::status s, std::string_view detail, std::string_view instance,
                      std::string_view request_id) {
  return make_problem(s, problem_type(s), detail, instance, request_id);
}

response make_problem(bhttp::status s, std::string_view type, std::string_view detail,
                      std::string_view instance, std::string_view request_id) {
  nlohmann::json j = {
    {"type", type},
    {"title", std::string_view{bhttp::obsolete_reason(s)}},
    {"status", static_cast<unsigned>(s)},
    {"detail", detail},
    {"instance", instance},
    {"request_id", request_id},
  };
  response res{s, 11};
  res.set(bhttp::field::content_type, "application/problem+json");
  if (s == bhttp::status::unauthorized) res.set(bhttp::field::www_authenticate, "Bearer realm=\"hirewire\"");
  if (s == bhttp::status::service_unavailable) res.set(bhttp::field::retry_after, "5");
  // replace: a detail may quote client bytes; invalid UTF-8 must not throw here.
  res.body() = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return res;
}

response problem_from(const hw::error& e, std::string_view instance, std::string_view request_id) {
  const auto s = status_for(e.code == errc::ok ? errc::internal : e.code);
  if (s == bhttp::status::internal_server_error) {
    return make_problem(s, "an unexpected error occurred; quote the request_id when reporting it",
                        instance, request_id);
  }
  std::string_view detail = e.detail;
  if (detail.empty()) detail = to_string(e.code);
  auto res = make_problem(s, detail, instance, request_id);
  if (e.retry_after_s > 0) res.set(bhttp::field::retry_after, std::to_string(e.retry_after_s));
  return res;
}

response make_problem(const route_context& ctx, bhttp::status s, std::string_view detail) {
  return make_problem(s, detail, ctx.path, ctx.request_id);
}

response problem_from(const route_context& ctx, const hw::error& e) {
  return problem_from(e, ctx.path, ctx.request_id);
}

}  // namespace hw::http_api
