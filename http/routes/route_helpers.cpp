// Small helpers shared by the route files (declared in routes.hpp).
#include <charconv>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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

std::variant<query_map, query_error> read_query(const route_context& ctx,
                                                std::initializer_list<std::string_view> known) {
  query_map out;
  const std::string_view target{ctx.req.target().data(), ctx.req.target().size()};
  const auto qpos = target.find('?');
  if (qpos == std::string_view::npos) return out;
  std::vector<std::string> seen;
  std::string unknown;
  std::size_t unknown_count = 0;
  auto rest = target.substr(qpos + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const auto item = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    auto name = percent_decode(item.substr(0, eq));
    if (!name) return query_error{bhttp::status::bad_request, "the query string has a malformed escape"};
    bool ok = false;
    for (auto k : known) ok = ok || *name == k;
    if (!ok) {
      // Listed all at once (names cut to 40 bytes) after the other checks.
      unknown.append(unknown.empty() ? "" : ", ").append(name->size() > 40 ? name->substr(0, 40) + "..." : *name);
      ++unknown_count;
      continue;
    }
    for (const auto& s : seen) {
      if (s == *name) return query_error{bhttp::status::bad_request, *name + ": given more than once"};
    }
    seen.push_back(*name);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1));
    if (!value) return query_error{bhttp::status::bad_request, *name + ": malformed escape or control character"};
    if (!value->empty()) out.emplace(std::move(*name), std::move(*value));
  }
  if (unknown_count > 0) {
    std::string allowed;
    for (auto k : known) allowed.append(allowed.empty() ? "" : ", ").append(k);
    return query_error{bhttp::status::bad_request,
                       std::string{unknown_count == 1 ? "unknown query parameter: " : "unknown query parameters: "} +
                         unknown + " (allowed: " + allowed + ")"};
  }
  return out;
}

std::optional<query_error> read_int(const query_map& q, const char* name, std::int64_t lo, std::int64_t hi,
                                    std::int64_t& out) {
  auto it = q.find(name);
  if (it == q.end()) return std::nullopt;
  const auto& v = it->second;
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  const auto range = std::string{name} + ": expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
  if (ec == std::errc::result_out_of_range) return query_error{bhttp::status::unprocessable_entity, range};
  if (ec != std::errc{} || p != v.data() + v.size()) return query_error{bhttp::status::bad_request, range};
  if (n < lo || n > hi) return query_error{bhttp::status::unprocessable_entity, range};
  out = n;
  return std::nullopt;
}

void respond_query_error(const route_context& ctx, const responder& respond, const query_error& e) {
  respond(make_problem(ctx, e.status, e.detail));
}

bool is_cursor(std::string_view s) noexcept {
  if (s.empty() || s.size() > 256) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '=';
    if (!ok) return false;
  }
  return true;
}

std::optional<std::string> path_id(const route_context& ctx, const responder& respond, std::string_view name,
                                   std::string_view what) {
  auto id = canonical_uuid(ctx.param(name));
  if (id.empty()) {
    respond(make_problem(ctx, bhttp::status::not_found, what));
    return std::nullopt;
  }
  return id;
}

namespace {

/// As organization_json's parse_if_match, and the bare number in quotes too ("7").
bool read_if_match(const route_context& ctx, std::optional<std::int64_t>& out) {
  out.reset();
  auto h = ctx.req[bhttp::field::if_match];
  std::string_view v{h.data(), h.size()};
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  if (v.empty() || v == "*") return true;
  if (v.size() < 3 || v.front() != '"' || v.back() != '"') return false;
  v = v.substr(1, v.size() - 2);
  if (!v.empty() && v.front() == 'v') v.remove_prefix(1);
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc{} || p != v.data() + v.size() || n < 0) return false;
  out = n;
  return true;
}

}  // namespace

bool if_match_or_412(const route_context& ctx, const responder& respond, std::optional<std::int64_t>& out) {
  if (read_if_match(ctx, out)) return true;
  respond(make_problem(ctx, bhttp::status::precondition_failed,
                       "If-Match must be the ETag of the current version, e.g. \"v3\""));
  return false;
}

std::string dump_json(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

account_callback<unit> reply_no_content(const route_context& ctx, responder respond) {
  return [respond = std::move(respond), path = std::string{ctx.path}, rid = std::string{ctx.request_id},
          version = ctx.req.version()](result<unit> r) {
    if (!r) return respond(problem_from(r.error(), path, rid));
    respond(response{bhttp::status::no_content, version});
  };
}

}  // namespace hw::http_api
