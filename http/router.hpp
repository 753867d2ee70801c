#pragma once
// The route table: verb + path template -> handler. Templates are literal segments, "{name}"
// parameters (one non-empty segment each) and an optional final "*" (the rest of the path, maybe
// empty). Matching is exact: a trailing slash is a different path ("/healthz/" is 404), the
// query string must already be stripped, and nothing is decoded (parameters are raw segments).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <ostream>  // boost/core/detail/string_view.hpp needs it complete

#include <boost/beast/http/verb.hpp>

#include "http/handler.hpp"

namespace hw::http_api {

class router {
 public:
  enum class outcome { found, not_found, method_not_allowed };

  struct match_result {
    outcome kind = outcome::not_found;
    const handler* fn = nullptr;   // set when found
    std::size_t route_id = 0;      // index into templates(), when a template matched
    std::string_view route;        // the matched template (metrics and access-log label)
    route_params params;
    std::string allow;             // "GET, HEAD, PATCH" when method_not_allowed
  };

  /// Registers `fn` for `v` on `tmpl`. Returns the template's route id. Called before start().
  /// Throws std::invalid_argument on a malformed template or a duplicate (verb, template).
  std::size_t add(bhttp::verb v, std::string_view tmpl, handler fn);

  /// HEAD falls back to the GET handler (the session drops the body). Thread-safe once built.
  match_result match(bhttp::verb v, std::string_view path) const;

  /// Route templates by route id.
  const std::vector<std::string>& templates() const noexcept { return names_; }

 private:
  struct segment {
    std::string text;   // literal text, or the parameter name
    bool param = false;
    bool rest = false;
  };
  struct method_entry {
    bhttp::verb verb;
    handler fn;
  };
  struct entry {
    std::vector<segment> segments;
    std::vector<method_entry> methods;
  };

  static bool match_path(const entry& e, std::string_view path, route_params& out) noexcept;

  std::vector<entry> entries_;   // indexed by route id
  std::vector<std::string> names_;
};

}  // namespace hw::http_api
