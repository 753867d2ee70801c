// GET /api/v1/orgs/{id}/dev-mailbox[?limit=1..200][&before=<id>]: the e-mails the dev mailbox
// transport "delivered" for an organization, newest first. Registered only when smtp.url is empty
// (server_options::dev_mailbox). Org-scoped (dev_mailbox.read): the middleware checked the
// credential and the role; then the query (400 for bad paging) -> gateway.
#include <charconv>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "actors/domain/entity_gateway.hpp"
#include "actors/domain/ids.hpp"
#include "http/problem.hpp"
#include "http/routes/routes.hpp"

namespace hw::http_api {

namespace {

/// The raw value of `name` in the query string of `target` (no percent-decoding: the accepted
/// values are UUIDs and digits, which need none).
std::optional<std::string_view> query_param(std::string_view target, std::string_view name) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  auto rest = target.substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const auto item = rest.substr(0, amp);
    const auto eq = item.find('=');
    if (item.substr(0, eq) == name) return eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1);
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::optional<std::int64_t> parse_positive(std::string_view v) {
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc{} || p != v.data() + v.size() || n < 1) return std::nullopt;
  return n;
}

nlohmann::json to_json(const dev_mail_view& m) {
  return {
    {"id", m.id},
    {"kind", m.kind},
    {"to", m.to},
    {"subject", m.subject},
    {"text_body", m.text_body},
    {"html_body", m.html_body ? nlohmann::json(*m.html_body) : nlohmann::json(nullptr)},
    {"message_id", m.message_id},
    {"status", m.status},
    {"created_at", m.created_at},
    {"sent_at", m.sent_at ? nlohmann::json(*m.sent_at) : nlohmann::json(nullptr)},
  };
}

void get_mailbox(const route_context& ctx, responder respond) {
  const std::string_view target{ctx.req.target().data(), ctx.req.target().size()};
  auto org = canonical_uuid(ctx.param("id"));
  if (org.empty()) return respond(make_problem(ctx, bhttp::status::not_found, "no such organization"));
  int limit = 50;
  if (auto l = query_param(target, "limit")) {
    auto n = parse_positive(*l);
    if (!n || *n > 200) return respond(make_problem(ctx, bhttp::status::bad_request, "limit: expected 1 to 200"));
    limit = static_cast<int>(*n);
  }
  std::optional<std::int64_t> before;
  if (auto b = query_param(target, "before")) {
    before = parse_positive(*b);
    if (!before) return respond(make_problem(ctx, bhttp::status::bad_request, "before: expected a message id"));
  }
  ctx.svc.gateway.dev_mailbox(
    org_id{std::move(org)}, limit, before,
    [respond, path = std::string{ctx.path}, rid = std::string{ctx.request_id}, version = ctx.req.version(),
     limit](result<std::vector<dev_mail_view>> r) {
      if (!r) return respond(problem_from(r.error(), path, rid));
      nlohmann::json msgs = nlohmann::json::array();
      for (const auto& m : *r) msgs.push_back(to_json(m));
      nlohmann::json body = {
        {"messages", std::move(msgs)},
        // The cursor for the next (older) page; null on the last page.
        {"next_before", static_cast<int>(r->size()) == limit && !r->empty() ? nlohmann::json(r->back().id)
                                                                             : nlohmann::json(nullptr)},
      };
      respond(json_response(bhttp::status::ok, version,
                            body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
    });
}

}  // namespace

void add_dev_mailbox_routes(router& r) {
  r.add(bhttp::verb::get, "/api/v1/orgs/{id}/dev-mailbox", route_access::org(domain::action::dev_mailbox_read),
        get_mailbox);
}

}  // namespace hw::http_api
