#include <catch2/catch.hpp>

#include "http/static_files.hpp"

using namespace hw::http_api;

TEST_CASE("static_files: content types by extension", "[unit][static]") {
  CHECK(content_type_for("index.html") == "text/html; charset=utf-8");
  CHECK(content_type_for("assets/app.js") == "text/javascript; charset=utf-8");
  CHECK(content_type_for("assets/app.mjs") == "text/javascript; charset=utf-8");
  CHECK(content_type_for("a.css") == "text/css; charset=utf-8");
  CHECK(content_type_for("a.svg") == "image/svg+xml");
  CHECK(content_type_for("a.png") == "image/png");
  CHECK(content_type_for("favicon.ico") == "image/x-icon");
  CHECK(content_type_for("a.json") == "application/json");
  CHECK(content_type_for("a.js.map") == "application/json");
  CHECK(content_type_for("f.woff2") == "font/woff2");
  CHECK(content_type_for("robots.txt") == "text/plain; charset=utf-8");
  CHECK(content_type_for("site.webmanifest") == "application/manifest+json");
  CHECK(content_type_for("INDEX.HTML") == "text/html; charset=utf-8");
  CHECK(content_type_for("x.exe") == "application/octet-stream");
  CHECK(content_type_for("noext") == "application/octet-stream");
  CHECK(content_type_for("dir.d/noext") == "application/octet-stream");
}

TEST_CASE("static_files: the path guard refuses traversal", "[unit][static]") {
  CHECK(safe_relative_path("") == std::optional<std::string>{""});
  CHECK(safe_relative_path("index.html") == std::optional<std::string>{"index.html"});
  CHECK(safe_relative_path("assets/a%20b.js") == std::optional<std::string>{"assets/a b.js"});
  CHECK(safe_relative_path("orgs/42") == std::optional<std::string>{"orgs/42"});
  CHECK_FALSE(safe_relative_path(".."));
  CHECK_FALSE(safe_relative_path("../etc/passwd"));
  CHECK_FALSE(safe_relative_path("assets/../../etc/passwd"));
  CHECK_FALSE(safe_relative_path("%2e%2e/etc/passwd"));
  CHECK_FALSE(safe_relative_path("%2E%2E%2Fetc%2Fpasswd"));
  CHECK_FALSE(safe_relative_path("..%2fetc"));
  CHECK_FALSE(safe_relative_path("a\\..\\b"));
  CHECK_FALSE(safe_relative_path("a%5c..%5cb"));
  CHECK_FALSE(safe_relative_path("a%00.html"));
  CHECK_FALSE(safe_relative_path("/etc/passwd"));
  CHECK_FALSE(safe_relative_path("%2fetc/passwd"));
  CHECK_FALSE(safe_relative_path("a//b"));
  CHECK_FALSE(safe_relative_path("./a"));
  CHECK_FALSE(safe_relative_path("a%"));
  CHECK_FALSE(safe_relative_path("a%zz"));
  CHECK_FALSE(safe_relative_path("a%2"));
}

TEST_CASE("static_files: If-None-Match comparison", "[unit][static]") {
  CHECK(etag_matches("\"abc\"", "\"abc\""));
  CHECK(etag_matches("W/\"abc\"", "\"abc\""));
  CHECK(etag_matches("\"x\", \"abc\"", "\"abc\""));
  CHECK(etag_matches("*", "\"abc\""));
  CHECK_FALSE(etag_matches("\"abd\"", "\"abc\""));
  CHECK_FALSE(etag_matches("", "\"abc\""));
  CHECK_FALSE(etag_matches("abc", "\"abc\""));
}
