#pragma once
// The route table: verb + path template -> handler. Templates are literal segments, "{name}"
// parameters (one non-empty segment each) and an optional final "*" (the rest of the path, maybe
// empty). Matching is exact: a trailing slash is a different path ("/healthz/" is 404), the
// query string must already be stripped, and nothing is decoded (parameters are raw segments).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <ostream>  // boost/core/detail/string_view.hpp needs it complete

#include <boost/beast/http/verb.hpp>

#include "actors/domain/permissions.hpp"
#include "http/handler.hpp"

namespace hw::http_api {

/// Who may call a route. Every route declares one when it is registered; the middleware
/// (http/auth.cpp) enforces it before the handler runs, so a handler never checks credentials.
struct route_access {
  enum class kind : std::uint8_t {
    public_route,  // no credential needed (health, static files, login, sign-up, ...)
    session_only,  // a signed-in user (session cookie); not tied to an organization
    operator_only, // the bootstrap admin token only
    org,           // /.../orgs/{id}/...: the principal's role in {id} must allow `act`
  };
  kind k = kind::public_route;
  domain::action act = domain::action::org_read;  // kind::org only

  static constexpr route_access public_route() noexcept { return {kind::public_route, domain::action::org_read}; }
  static constexpr route_access session_only() noexcept { return {kind::session_only, domain::action::org_read}; }
  static constexpr route_access operator_only() noexcept { return {kind::operator_only, domain::action::org_read}; }
  static constexpr route_access org(domain::action a) noexcept { return {kind::org, a}; }
};

/// "public", "session", "operator" or "org:<action>" (tests, docs).
std::string to_string(const route_access& a);

class router {
 public:
  enum class outcome { found, not_found, method_not_allowed };

  struct match_result {
    outcome kind = outcome::not_found;
    const handler* fn = nullptr;   // set when found
    const route_access* access = nullptr;  // set when found
    std::size_t route_id = 0;      // index into templates(), when a template matched
    std::size_t max_body = 0;      // the route's own body limit (0: the server's), when found
    std::string_view route;        // the matched template (metrics and access-log label)
    route_params params;
    std::string allow;             // "GET, HEAD, PATCH" when method_not_allowed
  };

  /// One registered (verb, template) and its declaration.
  struct route_info {
    bhttp::verb verb;
    std::string tmpl;
    route_access access;
  };

  /// Registers `fn` for `v` on `tmpl`, callable by `access`. Returns the template's route id.
  /// Called before start(). Throws std::invalid_argument on a malformed template, a duplicate
  /// (verb, template), or an org-scoped route whose template has no "{id}".
  /// `max_body`: this route's request body limit in bytes (0: the server's body_limit), for the
  /// few routes that take more (a library import) or should take less.
  std::size_t add(bhttp::verb v, std::string_view tmpl, route_access access, handler fn,
                  std::size_t max_body = 0);

  /// The body limit of the route `v` `path` would match: its own, else `fallback` (also when
  /// nothing matches). The session checks it before reading the body.
  std::size_t body_limit(bhttp::verb v, std::string_view path, std::size_t fallback) const;
  /// The same for a match() already made (the session matches once per request and keeps it).
  static std::size_t body_limit(const match_result& m, std::size_t fallback) noexcept {
    return m.kind == outcome::found && m.max_body != 0 ? m.max_body : fallback;
  }

  /// HEAD falls back to the GET handler (the session drops the body). Thread-safe once built.
  match_result match(bhttp::verb v, std::string_view path) const;

  /// Route templates by route id.
  const std::vector<std::string>& templates() const noexcept { return names_; }

  /// Every (verb, template, access), in registration order per template (tests enumerate this).
  std::vector<route_info> routes() const;

 private:
  struct segment {
    std::string text;   // literal text, or the parameter name
    bool param = false;
    bool rest = false;
  };
  struct method_entry {
    bhttp::verb verb;
    route_access access;
    handler fn;
    std::size_t max_body = 0;
  };
  struct entry {
    std::vector<segment> segments;
    std::vector<method_entry> methods;
  };

  static bool match_path(const entry& e, std::string_view path, route_params& out) noexcept;
  /// The route ids to try for `path`, in registration order (see by_first_).
  const std::vector<std::size_t>& candidates(std::string_view path) const noexcept;

  std::vector<entry> entries_;   // indexed by route id
  // match() tries only the templates whose first segment can match the path's: by that literal
  // segment, plus every template starting with a parameter or "*" (by_other_), each list in
  // route id order, so the first match is the same as in a scan of all templates.
  std::unordered_map<std::string, std::vector<std::size_t>> by_first_;
  std::vector<std::size_t> by_other_;
  bool has_body_limits_ = false;  // some route has its own max_body
  std::vector<std::string> names_;
};

}  // namespace hw::http_api
