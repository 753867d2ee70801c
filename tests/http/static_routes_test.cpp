// The SPA under /app/ from a temporary static_dir.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "tests/support/http_test_server.hpp"

using namespace hw::testing;
namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream out{p, std::ios::binary | std::ios::trunc};
  out << content;
}

struct static_site {
  fs::path root;  // holds secret.txt; the served directory is root/dist
  fs::path dist;
  static_site() {
    std::string tmpl = (fs::temp_directory_path() / "hw-static-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    root = tmpl;
    dist = root / "dist";
    write_file(dist / "index.html", "<!doctype html><title>hirewire</title>");
    write_file(dist / "assets" / "app-1234.js", "console.log(1);");
    write_file(dist / "assets" / "app-1234.css", "body{}");
    write_file(dist / "favicon.ico", "ico");
    write_file(dist / "robots.txt", "User-agent: *");
    write_file(dist / "logo.svg", "<svg/>");
    write_file(dist / "site.webmanifest", "{}");
    write_file(root / "secret.txt", "TOP-SECRET");
  }
  ~static_site() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  hw::http_api::server_options options() const {
    auto o = test_options();
    o.static_dir = dist.string();
    return o;
  }
};

}  // namespace

TEST_CASE("static: / and /app redirect to /app/", "[http][static]") {
  static_site site;
  test_server s{site.options()};
  auto r = s.get("/");
  CHECK(r.status == 308);
  CHECK(r.header("Location") == "/app/");
  r = s.get("/app");
  CHECK(r.status == 308);
  CHECK(r.header("Location") == "/app/");
}

TEST_CASE("static: index.html with no-cache and a CSP, assets immutable", "[http][static]") {
  static_site site;
  test_server s{site.options()};
  auto r = s.get("/app/");
  CHECK(r.status == 200);
  CHECK(r.body == "<!doctype html><title>hirewire</title>");
  CHECK(r.header("Content-Type") == "text/html; charset=utf-8");
  CHECK(r.header("Cache-Control") == "no-cache");
  CHECK_THAT(r.header("Content-Security-Policy"), Catch::Contains("default-src 'self'"));
  CHECK(r.header("X-Frame-Options") == "DENY");
  CHECK(r.header("ETag").size() > 2);

  r = s.get("/app/assets/app-1234.js");
  CHECK(r.status == 200);
  CHECK(r.header("Content-Type") == "text/javascript; charset=utf-8");
  CHECK(r.header("Cache-Control") == "public, max-age=31536000, immutable");
  CHECK(r.header("Content-Security-Policy").empty());

  CHECK(s.get("/app/assets/app-1234.css").header("Content-Type") == "text/css; charset=utf-8");
  CHECK(s.get("/app/favicon.ico").header("Content-Type") == "image/x-icon");
  CHECK(s.get("/app/robots.txt").header("Content-Type") == "text/plain; charset=utf-8");
  CHECK(s.get("/app/logo.svg").header("Content-Type") == "image/svg+xml");
  CHECK(s.get("/app/site.webmanifest").header("Content-Type") == "application/manifest+json");
  CHECK(s.get("/app/robots.txt").header("Cache-Control") == "no-cache");
}

TEST_CASE("static: If-None-Match with the ETag is 304", "[http][static]") {
  static_site site;
  test_server s{site.options()};
  auto first = s.get("/app/assets/app-1234.js");
  const auto etag = first.header("ETag");
  REQUIRE(etag.size() > 2);
  CHECK(etag.front() == '"');
  auto r = s.get("/app/assets/app-1234.js", {{"If-None-Match", etag}});
  CHECK(r.status == 304);
  CHECK(r.body.empty());
  CHECK(r.header("ETag") == etag);
  CHECK(s.get("/app/assets/app-1234.js", {{"If-None-Match", "\"other\""}}).status == 200);
}

TEST_CASE("static: a changed file is served fresh with a new ETag", "[http][static]") {
  static_site site;
  test_server s{site.options()};
  auto before = s.get("/app/robots.txt");
  write_file(site.dist / "robots.txt", "User-agent: *\nDisallow: /");
  auto after = s.get("/app/robots.txt");
  CHECK(after.body == "User-agent: *\nDisallow: /");
  CHECK(after.header("ETag") != before.header("ETag"));
}

TEST_CASE("static: SPA fallback for extensionless paths, 404 for missing files", "[http][static]") {
  static_site site;
  test_server s{site.options()};
  auto r = s.get("/app/orgs/42/settings");
  CHECK(r.status == 200);
  CHECK(r.header("Content-Type") == "text/html; charset=utf-8");
  CHECK(r.body == "<!doctype html><title>hirewire</title>");
  r = s.get("/app/assets/missing.js");
  CHECK(r.status == 404);
  CHECK(r.header("Content-Type") == "application/problem+json");
  CHECK(s.get("/app/missing.png").status == 404);
}

TEST_CASE("static: HEAD has headers and no body", "[http][static]") {
  static_site site;
  test_server s{site.options()};
  http_client c{s.port};
  auto r = c.request("HEAD", "/app/");
  CHECK(r.status == 200);
  CHECK(r.body.empty());
  CHECK(r.header("Content-Length") == std::to_string(std::string{"<!doctype html><title>hirewire</title>"}.size()));
  CHECK(c.request("GET", "/healthz").status == 200);
}

TEST_CASE("static: path traversal is refused", "[http][static]") {
  static_site site;
  test_server s{site.options()};
  for (const char* target : {"/app/../secret.txt", "/app/%2e%2e/secret.txt", "/app/%2E%2E%2Fsecret.txt",
                             "/app/assets/..%2f..%2fsecret.txt", "/app/..\\secret.txt", "/app/a%00.txt",
                             "/app/%2fetc/passwd"}) {
    CAPTURE(target);
    http_client c{s.port};
    c.send_raw(std::string{"GET "} + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
    auto r = c.read_reply();
    CHECK((r.status == 400 || r.status == 404));
    CHECK(r.body.find("TOP-SECRET") == std::string::npos);
  }
}
