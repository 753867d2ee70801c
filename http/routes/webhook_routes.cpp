// POST /webhooks/greenhouse/{connection} and POST /webhooks/lever/{connection}: the ATS vendors'
// deliveries. Public: the vendor's signature over the raw body is the authentication, checked by
// hw::ats_service::receive_webhook. Not under /api/, so the middleware applies no Origin, cookie
// or CSRF check (vendors send none). Checks here, in order: connection id is a UUID (404, no
// service call) -> body at most 512 KiB (413) -> Content-Type JSON (415) -> the service, which gets
// the body bytes untouched and the headers with lower-case names.
// Nothing here logs the body or any header (the Signature header included); the access log
// line has the route template only.
#include <map>
#include <string>

#include "actors/domain/ats_service.hpp"
#include "actors/domain/ids.hpp"
#include "http/auth.hpp"
#include "http/problem.hpp"
#include "http/routes/routes.hpp"

namespace hw::http_api {

namespace {

/// Webhook bodies above this answer 413 (the server's body_limit applies first when smaller).
constexpr std::size_t webhook_body_limit = 512 * 1024;

/// Every request header, names in lower case; repeated headers joined with ", " (RFC 9110 5.3).
std::map<std::string, std::string> lower_case_headers(const request& req) {
  std::map<std::string, std::string> out;
  std::string name;
  for (const auto& f : req) {
    const auto n = f.name_string();
    name.assign(n.data(), n.size());
    for (auto& c : name) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');  // ASCII only, like tolower in "C"
    }
    const auto v = f.value();
    auto it = out.lower_bound(name);
    if (it != out.end() && it->first == name) {
      it->second.append(", ").append(v.data(), v.size());
    } else {
      out.emplace_hint(it, name, std::string{v.data(), v.size()});
    }
  }
  return out;
}

/// The three bodies a delivery can get, as nlohmann::json{{"status", s}}.dump() prints them.
response status_reply(unsigned version, std::string_view status) {
  std::string body;
  body.reserve(status.size() + 14);
  body.append(R"({"status":")").append(status).append(R"("})");
  return json_response(bhttp::status::ok, version, std::move(body));
}

/// The service's outcome as an HTTP answer. A refused signature never says more than that (which
/// check failed is the service's log's business); a disconnected connection looks unknown.
response webhook_answer(const result<webhook_ack>& r, unsigned version, std::string_view path,
                        std::string_view rid) {
  if (r) {
    switch (r->outcome) {
      case webhook_outcome::accepted: return status_reply(version, "accepted");
      case webhook_outcome::duplicate: return status_reply(version, "duplicate");
      case webhook_outcome::ping: return status_reply(version, "ping");
    }
    return status_reply(version, "accepted");
  }
  const auto& e = r.error();
  switch (e.code) {
    case errc::unauthorized: return make_problem(bhttp::status::unauthorized, "signature invalid", path, rid);
    case errc::not_found:
    case errc::illegal_transition:
      return make_problem(bhttp::status::not_found, "no such webhook endpoint", path, rid);
    case errc::invalid_argument:
      return make_problem(bhttp::status::bad_request, e.detail.empty() ? "the body is not a valid delivery" : e.detail,
                          path, rid);
    default: return problem_from(e, path, rid);  // unavailable 503 + Retry-After, timeout 504, ...
  }
}

template <const char* Vendor>
void receive(const route_context& ctx, responder respond) {
  auto id = canonical_uuid(ctx.param("connection"));
  if (id.empty()) return respond(make_problem(ctx, bhttp::status::not_found, "no such webhook endpoint"));
  if (ctx.req.body().size() > webhook_body_limit) {
    return respond(make_problem(ctx, bhttp::status::payload_too_large,
                                "the request body exceeds the limit of " + std::to_string(webhook_body_limit) +
                                  " bytes"));
  }
  if (!require_json(ctx, respond)) return;
  if (!ctx.svc.ats) {
    return respond(make_problem(ctx, bhttp::status::service_unavailable, "webhooks are not available on this server"));
  }
  webhook_delivery d;
  d.vendor = Vendor;
  d.connection_id = std::move(id);
  d.raw_body = ctx.req.body();
  d.headers = lower_case_headers(ctx.req);
  d.who = request_actor(ctx);
  ctx.svc.ats->receive_webhook(std::move(d), [respond, path = std::string{ctx.path}, rid = std::string{ctx.request_id},
                                              version = ctx.req.version()](result<webhook_ack> r) {
    respond(webhook_answer(r, version, path, rid));
  });
}

constexpr char greenhouse[] = "greenhouse";
constexpr char lever[] = "lever";

}  // namespace

void add_webhook_routes(router& r) {
  const auto pub = route_access::public_route();
  r.add(bhttp::verb::post, "/webhooks/greenhouse/{connection}", pub, receive<greenhouse>);
  r.add(bhttp::verb::post, "/webhooks/lever/{connection}", pub, receive<lever>);
}

}  // namespace hw::http_api
