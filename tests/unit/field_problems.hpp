#pragma once
// Small helpers for tests of the field-by-field validators of actors/domain/content.hpp.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/domain/content.hpp"

namespace hw::testing {

/// The paths the problems name.
inline std::set<std::string> paths(const std::vector<domain::field_problem>& ps) {
  std::set<std::string> s;
  for (const auto& p : ps) s.insert(p.path);
  return s;
}

/// Whether some problem names `path`.
inline bool has_path(const std::vector<domain::field_problem>& ps, const std::string& path) {
  return paths(ps).count(path) == 1;
}

/// `base` with the value at the JSON pointer `pointer` replaced (or added).
inline nlohmann::json with(nlohmann::json base, const std::string& pointer,
                           const nlohmann::json& v) {
  base[nlohmann::json::json_pointer(pointer)] = v;
  return base;
}

/// One edit of a valid body, and whether the parser must accept it.
struct bound_case {
  std::string pointer;  // where the value goes
  nlohmann::json value;
  bool accepted;
  std::string problem_path;  // where the problem must be reported ("": at pointer)
};

/// `parse` (json -> problems) of `base` edited by `c` accepts it, or reports a problem at its path.
template <class Parse>
void check_bound(const nlohmann::json& base, const bound_case& c, Parse parse) {
  const nlohmann::json body = with(base, c.pointer, c.value);
  std::vector<domain::field_problem> ps;
  REQUIRE_NOTHROW(ps = parse(body));
  const std::string value_text = c.value.dump().substr(0, 60);
  CAPTURE(c.pointer, value_text, domain::describe(ps));
  if (c.accepted) {
    CHECK(ps.empty());
  } else {
    CHECK(has_path(ps, c.problem_path.empty() ? c.pointer : c.problem_path));
  }
}

}  // namespace hw::testing
