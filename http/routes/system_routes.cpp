// /healthz, /readyz and /metrics. /healthz is the load-balancer probe and the benchmark's hot
// path: a constant answer, no gateway call, no allocation beyond the response itself.
#include <string>

#include <nlohmann/json.hpp>

#include "actors/domain/entity_gateway.hpp"
#include "http/metrics.hpp"
#include "http/problem.hpp"
#include "http/routes/routes.hpp"

namespace hw::http_api {

namespace {

void get_healthz(const route_context& ctx, responder respond) {
  static const std::string body = R"({"status":"ok"})";
  respond(json_response(bhttp::status::ok, ctx.req.version(), body));
}

void get_readyz(const route_context& ctx, responder respond) {
  const unsigned version = ctx.req.version();
  ctx.svc.gateway.readiness([respond, version](result<readiness_report> r) {
    readiness_report rep;
    if (r) {
      rep = std::move(*r);
    } else {
      // The report itself could not be made: not ready, and say why (caller-safe detail).
      rep.problems.push_back(std::string{"readiness check failed: "} +
                             std::string{to_string(r.error().code)});
    }
    const bool ready = rep.ready();
    nlohmann::json j = {
      {"status", ready ? "ready" : "not_ready"},
      {"ready", ready},
      {"database", rep.database},
      {"migrations_current", rep.migrations_current},
      {"supervisors_ok", rep.supervisors_ok},
      {"problems", rep.problems},
      {"notes", rep.notes},
    };
    auto res = json_response(ready ? bhttp::status::ok : bhttp::status::service_unavailable, version,
                             j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (!ready) res.set(bhttp::field::retry_after, "5");
    respond(std::move(res));
  });
}

void get_metrics(const route_context& ctx, responder respond) {
  const unsigned version = ctx.req.version();
  http_metrics& metrics = ctx.svc.metrics;
  ctx.svc.gateway.stats([respond, version, &metrics](result<runtime_stats> r) {
    std::string out;
    out.reserve(8192);
    metrics.render(out);
    // The HTTP series are ours and always available; the runtime ones only when the actor
    // system answered.
    if (r) render_runtime_stats(*r, out);
    response res{bhttp::status::ok, version};
    res.set(bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    res.body() = std::move(out);
    respond(std::move(res));
  });
}

}  // namespace

bool is_json_content_type(std::string_view ct) noexcept {
  const auto semi = ct.find(';');
  auto type = ct.substr(0, semi);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  constexpr std::string_view want = "application/json";
  if (type.size() != want.size()) return false;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const char c = type[i] >= 'A' && type[i] <= 'Z' ? static_cast<char>(type[i] - 'A' + 'a') : type[i];
    if (c != want[i]) return false;
  }
  return true;
}

response json_response(bhttp::status s, unsigned version, std::string body) {
  response res{s, version};
  res.set(bhttp::field::content_type, "application/json");
  res.body() = std::move(body);
  return res;
}

void add_system_routes(router& r) {
  const auto pub = route_access::public_route();
  r.add(bhttp::verb::get, "/healthz", pub, get_healthz);
  r.add(bhttp::verb::get, "/readyz", pub, get_readyz);
  r.add(bhttp::verb::get, "/metrics", pub, get_metrics);
}

}  // namespace hw::http_api
