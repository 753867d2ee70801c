#include <catch2/catch.hpp>

#include "http/router.hpp"

using hw::http_api::router;
using hw::http_api::route_context;
using hw::http_api::responder;
using hw::http_api::route_access;
namespace bhttp = boost::beast::http;

namespace {

constexpr auto pub = route_access::public_route();

router make_router() {
  router r;
  auto noop = [](const route_context&, responder) {};
  r.add(bhttp::verb::get, "/", pub, noop);
  r.add(bhttp::verb::get, "/healthz", pub, noop);
  r.add(bhttp::verb::post, "/api/v1/orgs", pub, noop);
  r.add(bhttp::verb::get, "/api/v1/orgs/{id}", route_access::org(hw::domain::action::org_read), noop);
  r.add(bhttp::verb::patch, "/api/v1/orgs/{id}", route_access::org(hw::domain::action::org_update_settings), noop);
  r.add(bhttp::verb::post, "/api/v1/orgs/{id}/suspend", pub, noop);
  r.add(bhttp::verb::get, "/a/{x}/b/{y}", pub, noop);
  r.add(bhttp::verb::get, "/app", pub, noop);
  r.add(bhttp::verb::get, "/app/*", pub, noop);
  return r;
}

}  // namespace

TEST_CASE("router: literal and parameter templates match with their params", "[unit][router]") {
  const auto r = make_router();
  auto m = r.match(bhttp::verb::get, "/healthz");
  REQUIRE(m.kind == router::outcome::found);
  CHECK(m.route == "/healthz");
  CHECK(m.params.size == 0);

  m = r.match(bhttp::verb::get, "/api/v1/orgs/abc");
  REQUIRE(m.kind == router::outcome::found);
  CHECK(m.route == "/api/v1/orgs/{id}");
  CHECK(m.params.get("id") == "abc");
  CHECK(m.params.get("nope").empty());

  m = r.match(bhttp::verb::post, "/api/v1/orgs/abc/suspend");
  REQUIRE(m.kind == router::outcome::found);
  CHECK(m.route == "/api/v1/orgs/{id}/suspend");
  CHECK(m.params.get("id") == "abc");

  m = r.match(bhttp::verb::get, "/a/1/b/2");
  REQUIRE(m.kind == router::outcome::found);
  CHECK(m.params.get("x") == "1");
  CHECK(m.params.get("y") == "2");

  m = r.match(bhttp::verb::get, "/");
  REQUIRE(m.kind == router::outcome::found);
  CHECK(m.route == "/");
}

TEST_CASE("router: unknown paths are not_found", "[unit][router]") {
  const auto r = make_router();
  CHECK(r.match(bhttp::verb::get, "/nope").kind == router::outcome::not_found);
  CHECK(r.match(bhttp::verb::get, "/api/v1/orgs/abc/extra").kind == router::outcome::not_found);
  CHECK(r.match(bhttp::verb::get, "/api/v1/orgs//suspend").kind == router::outcome::not_found);
  CHECK(r.match(bhttp::verb::get, "").kind == router::outcome::not_found);
  CHECK(r.match(bhttp::verb::get, "healthz").kind == router::outcome::not_found);
}

TEST_CASE("router: a trailing slash is a different path", "[unit][router]") {
  const auto r = make_router();
  CHECK(r.match(bhttp::verb::get, "/healthz/").kind == router::outcome::not_found);
  CHECK(r.match(bhttp::verb::get, "/api/v1/orgs/abc/").kind == router::outcome::not_found);
  // An empty parameter never matches.
  CHECK(r.match(bhttp::verb::get, "/api/v1/orgs/").kind == router::outcome::not_found);
}

TEST_CASE("router: wrong verb on a known path is 405 with Allow", "[unit][router]") {
  const auto r = make_router();
  auto m = r.match(bhttp::verb::delete_, "/api/v1/orgs/abc");
  REQUIRE(m.kind == router::outcome::method_not_allowed);
  CHECK(m.route == "/api/v1/orgs/{id}");
  CHECK(m.allow == "GET, HEAD, PATCH");

  m = r.match(bhttp::verb::get, "/api/v1/orgs");
  REQUIRE(m.kind == router::outcome::method_not_allowed);
  CHECK(m.allow == "POST");
}

TEST_CASE("router: HEAD is answered by the GET handler", "[unit][router]") {
  const auto r = make_router();
  auto get = r.match(bhttp::verb::get, "/healthz");
  auto head = r.match(bhttp::verb::head, "/healthz");
  REQUIRE(head.kind == router::outcome::found);
  CHECK(head.fn == get.fn);
  CHECK(r.match(bhttp::verb::head, "/api/v1/orgs").kind == router::outcome::method_not_allowed);
}

TEST_CASE("router: a final * captures the rest of the path", "[unit][router]") {
  const auto r = make_router();
  auto m = r.match(bhttp::verb::get, "/app/assets/x.js");
  REQUIRE(m.kind == router::outcome::found);
  CHECK(m.route == "/app/*");
  CHECK(m.params.get("*") == "assets/x.js");
  m = r.match(bhttp::verb::get, "/app/");
  REQUIRE(m.kind == router::outcome::found);
  CHECK(m.route == "/app/*");
  CHECK(m.params.get("*").empty());
  m = r.match(bhttp::verb::get, "/app");
  REQUIRE(m.kind == router::outcome::found);
  CHECK(m.route == "/app");
}

TEST_CASE("router: malformed or duplicate templates are refused", "[unit][router]") {
  router r;
  auto noop = [](const route_context&, responder) {};
  CHECK_THROWS(r.add(bhttp::verb::get, "no-slash", pub, noop));
  CHECK_THROWS(r.add(bhttp::verb::get, "/a/*/b", pub, noop));
  CHECK_THROWS(r.add(bhttp::verb::get, "/a/x{y}", pub, noop));
  r.add(bhttp::verb::get, "/a", pub, noop);
  CHECK_THROWS(r.add(bhttp::verb::get, "/a", pub, noop));
  CHECK_NOTHROW(r.add(bhttp::verb::post, "/a", pub, noop));
  CHECK(r.templates().size() == 1);
}

TEST_CASE("router: every route carries its access declaration", "[unit][router]") {
  const auto r = make_router();
  auto m = r.match(bhttp::verb::patch, "/api/v1/orgs/abc");
  REQUIRE(m.kind == router::outcome::found);
  REQUIRE(m.access);
  CHECK(to_string(*m.access) == "org:org.update_settings");
  // HEAD runs the GET handler under the GET declaration.
  m = r.match(bhttp::verb::head, "/api/v1/orgs/abc");
  REQUIRE(m.access);
  CHECK(to_string(*m.access) == "org:org.read");
  CHECK(to_string(*r.match(bhttp::verb::get, "/healthz").access) == "public");

  std::size_t org_routes = 0;
  for (const auto& info : r.routes()) org_routes += info.access.k == route_access::kind::org;
  CHECK(org_routes == 2);
  CHECK(r.routes().size() == 9);
}

TEST_CASE("router: an org-scoped route needs an {id}", "[unit][router]") {
  router r;
  auto noop = [](const route_context&, responder) {};
  CHECK_THROWS(r.add(bhttp::verb::get, "/api/v1/things", route_access::org(hw::domain::action::org_read), noop));
  CHECK_NOTHROW(r.add(bhttp::verb::get, "/api/v1/things", route_access::session_only(), noop));
}

TEST_CASE("router: a route may carry its own body limit", "[unit][router]") {
  router r;
  auto noop = [](const route_context&, responder) {};
  r.add(bhttp::verb::post, "/api/v1/orgs/{id}/small", pub, noop);
  CHECK(r.body_limit(bhttp::verb::post, "/api/v1/orgs/x/small", 1000) == 1000);  // none set anywhere
  r.add(bhttp::verb::post, "/api/v1/orgs/{id}/import", pub, noop, 8u << 20);
  r.add(bhttp::verb::get, "/api/v1/orgs/{id}/import", pub, noop);
  CHECK(r.body_limit(bhttp::verb::post, "/api/v1/orgs/x/import", 1000) == (8u << 20));
  CHECK(r.body_limit(bhttp::verb::get, "/api/v1/orgs/x/import", 1000) == 1000);   // other verb: default
  CHECK(r.body_limit(bhttp::verb::post, "/api/v1/orgs/x/small", 1000) == 1000);
  CHECK(r.body_limit(bhttp::verb::post, "/nowhere", 1000) == 1000);
  CHECK(r.body_limit(bhttp::verb::put, "/api/v1/orgs/x/import", 1000) == 1000);   // 405 path: default
}

TEST_CASE("router: a match carries its route's body limit, the same as body_limit()", "[unit][router]") {
  router r;
  auto noop = [](const route_context&, responder) {};
  r.add(bhttp::verb::post, "/api/v1/orgs/{id}/small", pub, noop);
  r.add(bhttp::verb::post, "/api/v1/orgs/{id}/import", pub, noop, 8u << 20);
  r.add(bhttp::verb::get, "/api/v1/orgs/{id}/import", pub, noop, 4096);
  const std::pair<bhttp::verb, std::string_view> cases[] = {
    {bhttp::verb::post, "/api/v1/orgs/x/import"}, {bhttp::verb::get, "/api/v1/orgs/x/import"},
    {bhttp::verb::head, "/api/v1/orgs/x/import"}, {bhttp::verb::put, "/api/v1/orgs/x/import"},
    {bhttp::verb::post, "/api/v1/orgs/x/small"},  {bhttp::verb::post, "/nowhere"}};
  for (const auto& [v, path] : cases) {
    const auto m = r.match(v, path);
    CHECK(router::body_limit(m, 1000) == r.body_limit(v, path, 1000));
  }
  CHECK(router::body_limit(r.match(bhttp::verb::post, "/api/v1/orgs/x/import"), 1000) == (8u << 20));
  CHECK(router::body_limit(r.match(bhttp::verb::head, "/api/v1/orgs/x/import"), 1000) == 4096);  // GET's
  CHECK(router::body_limit(r.match(bhttp::verb::put, "/api/v1/orgs/x/import"), 1000) == 1000);    // 405
  CHECK(router::body_limit(r.match(bhttp::verb::post, "/api/v1/orgs/x/small"), 1000) == 1000);
}

TEST_CASE("router: templates starting with a parameter keep their registration order", "[unit][router]") {
  // match() only tries templates whose first segment can match; the first matching template in
  // registration order must still own the path (a scan of all of them decides the same).
  router r;
  auto noop = [](const route_context&, responder) {};
  const auto a = r.add(bhttp::verb::get, "/lit/y", pub, noop);
  const auto b = r.add(bhttp::verb::get, "/{any}/x", pub, noop);
  const auto c = r.add(bhttp::verb::post, "/lit/x", pub, noop);  // shadowed by b for /lit/x
  const auto d = r.add(bhttp::verb::get, "/other/{p}", pub, noop);
  const auto e = r.add(bhttp::verb::get, "/", pub, noop);
  const auto f = r.add(bhttp::verb::get, "/*", pub, noop);
  (void)c;
  auto m = r.match(bhttp::verb::get, "/lit/y");
  CHECK(m.kind == router::outcome::found);
  CHECK(m.route_id == a);
  m = r.match(bhttp::verb::get, "/lit/x");
  CHECK(m.kind == router::outcome::found);
  CHECK(m.route_id == b);
  CHECK(m.params.get("any") == "lit");
  m = r.match(bhttp::verb::post, "/lit/x");  // b owns the path: 405, as in a full scan
  CHECK(m.kind == router::outcome::method_not_allowed);
  CHECK(m.route_id == b);
  m = r.match(bhttp::verb::get, "/other/x");  // b was registered before d
  CHECK(m.route_id == b);
  m = r.match(bhttp::verb::get, "/other/z");
  CHECK(m.route_id == d);
  CHECK(m.params.get("p") == "z");
  CHECK(r.match(bhttp::verb::get, "/").route_id == e);
  m = r.match(bhttp::verb::get, "/nothing/here/at/all");  // only the wildcard
  CHECK(m.kind == router::outcome::found);
  CHECK(m.route_id == f);
  CHECK(m.params.get("*") == "nothing/here/at/all");
  CHECK(r.match(bhttp::verb::get, "/lit/y/").route_id == f);
  CHECK(r.match(bhttp::verb::get, "").kind == router::outcome::not_found);
}
