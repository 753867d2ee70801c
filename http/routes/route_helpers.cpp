// Small helpers shared by the people-and-access routes (declared in routes.hpp).
#include <string>

#include "actors/domain/ids.hpp"
#include "http/routes/routes.hpp"
#include "actors/domain/hex.hpp"

namespace hw::http_api {

namespace {

using hw::hex_value;

}  // namespace

std::optional<std::string> percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      const int hi = hex_value(in[i + 1]);
      const int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return std::nullopt;
    out += c;
  }
  return out;
}

bool require_json(const route_context& ctx, const responder& respond) {
  if (is_json_content_type(ctx.req[bhttp::field::content_type])) return true;
  respond(make_problem(ctx, bhttp::status::unsupported_media_type, "Content-Type must be application/json"));
  return false;
}

account_service* accounts_or_503(const route_context& ctx, const responder& respond) {
  if (ctx.svc.accounts) return ctx.svc.accounts;
  respond(make_problem(ctx, bhttp::status::service_unavailable, "accounts are not available on this server"));
  return nullptr;
}

void respond_input_error(const route_context& ctx, const responder& respond, const input_error& e) {
  respond(make_problem(ctx, static_cast<bhttp::status>(e.status), e.detail));
}

org_id path_org(const route_context& ctx) { return org_id{canonical_uuid(ctx.param("id"))}; }

bool require_uuid_param(const route_context& ctx, const responder& respond, std::string_view name,
                        std::string_view what) {
  if (is_uuid(ctx.param(name))) return true;
  respond(make_problem(ctx, bhttp::status::not_found, what));
  return false;
}

std::optional<std::string> query_value(const route_context& ctx, std::string_view name) {
  const std::string_view target{ctx.req.target().data(), ctx.req.target().size()};
  const auto q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  auto rest = target.substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const auto item = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    const auto eq = item.find('=');
    if (item.substr(0, eq) != name) continue;
    return percent_decode(eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1));
  }
  return std::nullopt;
}

account_callback<unit> reply_no_content(const route_context& ctx, responder respond) {
  return [respond = std::move(respond), path = std::string{ctx.path}, rid = std::string{ctx.request_id},
          version = ctx.req.version()](result<unit> r) {
    if (!r) return respond(problem_from(r.error(), path, rid));
    respond(response{bhttp::status::no_content, version});
  };
}

}  // namespace hw::http_api
