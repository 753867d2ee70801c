#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "http/problem.hpp"

using namespace hw;
using namespace hw::http_api;

TEST_CASE("problem: every errc maps to its HTTP status", "[unit][problem]") {
  CHECK(status_for(errc::invalid_argument) == bhttp::status::unprocessable_entity);
  CHECK(status_for(errc::not_found) == bhttp::status::not_found);
  CHECK(status_for(errc::conflict) == bhttp::status::conflict);
  CHECK(status_for(errc::version_conflict) == bhttp::status::conflict);
  CHECK(status_for(errc::precondition_failed) == bhttp::status::precondition_failed);
  CHECK(status_for(errc::illegal_transition) == bhttp::status::conflict);
  CHECK(status_for(errc::unauthorized) == bhttp::status::unauthorized);
  CHECK(status_for(errc::forbidden) == bhttp::status::forbidden);
  CHECK(status_for(errc::unavailable) == bhttp::status::service_unavailable);
  CHECK(status_for(errc::timeout) == bhttp::status::gateway_timeout);
  CHECK(status_for(errc::internal) == bhttp::status::internal_server_error);
  CHECK(status_for(errc::ok) == bhttp::status::ok);
}

TEST_CASE("problem: body is RFC 9457 problem+json with instance and request_id", "[unit][problem]") {
  auto res = problem_from(hw::error{errc::not_found, "no such organization"}, "/api/v1/orgs/x", "rid-1");
  CHECK(res.result() == bhttp::status::not_found);
  CHECK(res[bhttp::field::content_type] == "application/problem+json");
  auto j = nlohmann::json::parse(res.body());
  CHECK(j["type"] == "urn:hirewire:problem:not-found");
  CHECK(j["title"] == "Not Found");
  CHECK(j["status"] == 404);
  CHECK(j["detail"] == "no such organization");
  CHECK(j["instance"] == "/api/v1/orgs/x");
  CHECK(j["request_id"] == "rid-1");
}

TEST_CASE("problem: 401 carries WWW-Authenticate, 503 Retry-After", "[unit][problem]") {
  auto u = problem_from(hw::error{errc::unauthorized, "missing bearer token"}, "/p", "r");
  CHECK(u.result() == bhttp::status::unauthorized);
  CHECK(std::string{u[bhttp::field::www_authenticate]}.rfind("Bearer", 0) == 0);
  auto s = problem_from(hw::error{errc::unavailable, "database unavailable"}, "/p", "r");
  CHECK(s.result() == bhttp::status::service_unavailable);
  CHECK_FALSE(s[bhttp::field::retry_after].empty());
}

TEST_CASE("problem: internal errors never leak their detail", "[unit][problem]") {
  auto res = problem_from(hw::error{errc::internal, "pqxx: relation organizations does not exist"}, "/p", "r");
  CHECK(res.result() == bhttp::status::internal_server_error);
  CHECK(res.body().find("pqxx") == std::string::npos);
  CHECK(res.body().find("relation") == std::string::npos);
}

TEST_CASE("problem: invalid UTF-8 in a detail does not throw", "[unit][problem]") {
  std::string bad = "name: \xff\xfe";
  auto res = make_problem(bhttp::status::bad_request, bad, "/p", "r");
  CHECK(nlohmann::json::parse(res.body())["status"] == 400);
}
