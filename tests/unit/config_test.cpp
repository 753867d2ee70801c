#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include <unistd.h>

#include "config/app_config.hpp"

using namespace hw::config;
using hw::errc;
using std::chrono::milliseconds;

namespace {

namespace fs = std::filesystem;

// A file in the temp directory that is removed when the test ends.
struct temp_file {
  fs::path path;
  explicit temp_file(const std::string& content, const std::string& stem = "hw_unit_cfg") {
    static std::atomic<int> counter{0};
    path = fs::temp_directory_path() /
           (stem + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".tmp");
    std::ofstream out{path, std::ios::binary};
    out << content;
  }
  ~temp_file() {
    std::error_code ec;
    fs::remove(path, ec);
  }
  std::string str() const { return path.string(); }
};

// A path in the temp directory that does not exist.
std::string missing_path() {
  return (fs::temp_directory_path() / ("hw_unit_missing_" + std::to_string(::getpid()) + "_nope.ini")).string();
}

const std::vector<std::string> all_keys = {
    "http.address",        "http.port",           "http.io-threads",     "http.body-limit",
    "http.max-connections", "http.idle-timeout",  "http.header-timeout", "http.body-timeout",
    "http.write-timeout",  "http.request-timeout", "http.shutdown-grace", "http.static-dir",
    "http.access-log",     "db.dsn",              "db.dsn-file",         "db.pool-size",
    "db.statement-timeout", "db.reconnect-min",   "db.reconnect-max",    "actors.idle-timeout",
    "actors.request-timeout", "actors.db-timeout", "scheduler.threads",  "scheduler.policy",
    "scheduler.max-throughput", "jobs.sweep-interval", "jobs.sweep-backoff", "admin.token",
    "admin.token-file",    "log.level",           "log.file",            "dev.seed-demo",
};

const std::string good_token(40, 't');

bool has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

template <class R>
std::string detail(const R& r) {
  return r ? std::string{"(no error)"} : r.error().detail;
}

// Expects set_key(key, value) from a file to fail, naming the key; returns the detail.
std::string expect_bad(const std::string& key, const std::string& value) {
  app_config c;
  auto r = set_key(c, key, value, "test.ini:1");
  CAPTURE(key, value);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::invalid_argument);
  CHECK(has(r.error().detail, key));
  return r.error().detail;
}

void expect_ok(app_config& c, const std::string& key, const std::string& value) {
  auto r = set_key(c, key, value, "test.ini:1");
  CAPTURE(key, value, detail(r));
  REQUIRE(r);
}

std::map<std::string, std::string> base_env() { return {{"HIREWIRE_DB_DSN", "host=localhost dbname=hw"}}; }

}  // namespace

// ---------------------------------------------------------------- apply_ini syntax

TEST_CASE("config: apply_ini reads sections, keys and values", "[unit][config]") {
  app_config c;
  const std::string ini =
      "# a comment\n"
      "; another comment\n"
      "\n"
      "[http]\n"
      "port = 9090\n"
      "  address=0.0.0.0  \n"
      "io-threads = 4\r\n"
      "[ db ]\n"
      "pool-size = 8\n"
      "[log]\n"
      "level = debug\n";
  auto r = apply_ini(c, ini, "hirewire.ini");
  CAPTURE(detail(r));
  REQUIRE(r);
  CHECK(c.http_port == 9090);
  CHECK(c.http_address == "0.0.0.0");
  CHECK(c.http_io_threads == 4);
  CHECK(c.db_pool_size == 8);
  CHECK(c.log_level == "debug");
}

TEST_CASE("config: apply_ini on empty or comment-only text changes nothing", "[unit][config]") {
  app_config c;
  REQUIRE(apply_ini(c, "", "x.ini"));
  REQUIRE(apply_ini(c, "# only\n; comments\n   \n", "x.ini"));
  CHECK(dump(c) == dump(app_config{}));
}

TEST_CASE("config: apply_ini strips surrounding double quotes", "[unit][config]") {
  app_config c;
  REQUIRE(apply_ini(c, "[http]\nstatic-dir = \"/srv/web app\"\naddress = \"::1\"\n", "x.ini"));
  CHECK(c.http_static_dir == "/srv/web app");
  CHECK(c.http_address == "::1");
  SECTION("empty quotes give an empty value") {
    REQUIRE(apply_ini(c, "[log]\nfile = \"\"\n", "x.ini"));
    CHECK(c.log_file.empty());
  }
  SECTION("a lone quote is kept") {
    REQUIRE(apply_ini(c, "[log]\nfile = \"\n", "x.ini"));
    CHECK(c.log_file == "\"");
  }
}

TEST_CASE("config: apply_ini later values win", "[unit][config]") {
  app_config c;
  REQUIRE(apply_ini(c, "[http]\nport = 1\nport = 2\n", "x.ini"));
  CHECK(c.http_port == 2);
}

TEST_CASE("config: apply_ini malformed lines name file and line", "[unit][config]") {
  app_config c;
  std::string text, where;
  SECTION("no equals sign") { text = "[http]\nport 8080\n"; where = "my.ini:2"; }
  SECTION("unterminated section") { text = "# c\n\n[http\nport = 1\n"; where = "my.ini:3"; }
  SECTION("empty section header") { text = "[]\n"; where = "my.ini:1"; }
  SECTION("trailing junk after section") { text = "[http] x\n"; where = "my.ini:1"; }
  SECTION("key outside section") { text = "\n# c\nport = 8080\n"; where = "my.ini:3"; }
  SECTION("bad value on line 4") { text = "[http]\nport = 1\n\nport = nope\n"; where = "my.ini:4"; }
  auto r = apply_ini(c, text, "my.ini");
  CAPTURE(text);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::invalid_argument);
  CHECK(r.error().detail.rfind(where, 0) == 0);
}

TEST_CASE("config: apply_ini key outside a section says so", "[unit][config]") {
  app_config c;
  auto r = apply_ini(c, "port = 8080\n", "f.ini");
  REQUIRE_FALSE(r);
  CHECK(has(r.error().detail, "f.ini:1"));
  CHECK(has(r.error().detail, "section"));
}

TEST_CASE("config: apply_ini unknown key names the key", "[unit][config]") {
  app_config c;
  auto r = apply_ini(c, "[http]\nprot = 80\n", "f.ini");
  REQUIRE_FALSE(r);
  CHECK(has(r.error().detail, "f.ini:2"));
  CHECK(has(r.error().detail, "'http.prot'"));
  SECTION("unknown section") {
    auto r2 = apply_ini(c, "[htp]\nport = 80\n", "f.ini");
    REQUIRE_FALSE(r2);
    CHECK(has(r2.error().detail, "'htp.port'"));
  }
}

TEST_CASE("config: apply_ini stops at the first error", "[unit][config]") {
  app_config c;
  auto r = apply_ini(c, "[http]\nport = 1111\nbogus = 1\n[db]\npool-size = 9\n", "f.ini");
  REQUIRE_FALSE(r);
  CHECK(c.db_pool_size == app_config{}.db_pool_size);
}

// ---------------------------------------------------------------- value types

TEST_CASE("config: integer keys enforce syntax and range", "[unit][config]") {
  app_config c;
  expect_ok(c, "http.port", "0");
  CHECK(c.http_port == 0);
  expect_ok(c, "http.port", "65535");
  CHECK(c.http_port == 65535);
  expect_ok(c, "http.io-threads", "64");
  CHECK(c.http_io_threads == 64);
  for (const char* v : {"65536", "-1", "abc", "", "80x", "8.0", "0x50", "99999999999999999999999"}) {
    CHECK(has(expect_bad("http.port", v), "integer"));
  }
  CHECK(has(expect_bad("http.io-threads", "0"), "from 1 to 64"));
  expect_bad("http.io-threads", "65");
  expect_bad("db.pool-size", "0");
  expect_bad("db.pool-size", "257");
  expect_bad("scheduler.threads", "0");
  expect_bad("scheduler.max-throughput", "1000001");
}

TEST_CASE("config: a bad value error quotes the value", "[unit][config]") {
  CHECK(has(expect_bad("http.port", "seventy"), "'seventy'"));
}

TEST_CASE("config: duration keys need a unit", "[unit][config]") {
  app_config c;
  expect_ok(c, "http.idle-timeout", "250ms");
  CHECK(c.http_idle_timeout == milliseconds{250});
  expect_ok(c, "http.idle-timeout", "5s");
  CHECK(c.http_idle_timeout == milliseconds{5000});
  expect_ok(c, "http.idle-timeout", "15min");
  CHECK(c.http_idle_timeout == milliseconds{15 * 60'000});
  expect_ok(c, "http.idle-timeout", "1h");
  CHECK(c.http_idle_timeout == milliseconds{3'600'000});
  expect_ok(c, "http.shutdown-grace", "0ms");
  CHECK(c.http_shutdown_grace == milliseconds{0});
  for (const char* v : {"5000", "0", "", "5 s", "5S", "5sec", "s", "-5s", "1.5s", "5m", "ms", "1d"}) {
    CHECK(has(expect_bad("http.idle-timeout", v), "duration"));
  }
}

TEST_CASE("config: duration keys enforce their range", "[unit][config]") {
  CHECK(has(expect_bad("http.idle-timeout", "9ms"), "from 10ms to 1h"));
  expect_bad("http.idle-timeout", "2h");
  expect_bad("http.header-timeout", "11min");
  expect_bad("db.reconnect-min", "0ms");
  expect_bad("actors.idle-timeout", "25h");
  expect_bad("http.idle-timeout", "999999999999h");  // huge, must not wrap into range
  app_config c;
  expect_ok(c, "actors.idle-timeout", "24h");
  CHECK(c.actors_idle_timeout == milliseconds{24LL * 3'600'000});
}

TEST_CASE("config: size keys accept B, KiB and MiB", "[unit][config]") {
  app_config c;
  expect_ok(c, "http.body-limit", "65536");
  CHECK(c.http_body_limit == 65536);
  expect_ok(c, "http.body-limit", "2048B");
  CHECK(c.http_body_limit == 2048);
  expect_ok(c, "http.body-limit", "64KiB");
  CHECK(c.http_body_limit == 64 * 1024);
  expect_ok(c, "http.body-limit", "2MiB");
  CHECK(c.http_body_limit == 2 * 1024 * 1024);
  expect_ok(c, "http.body-limit", "64MiB");
  CHECK(c.http_body_limit == 64u * 1024 * 1024);
  for (const char* v : {"", "KiB", "1KB", "1kib", "1GiB", "1 KiB", "-1", "1.5MiB", "1023", "65MiB", "999999999999MiB"}) {
    CHECK(has(expect_bad("http.body-limit", v), "size"));
  }
  expect_bad("http.max-connections", "0");
  expect_bad("http.max-connections", "1MiB");  // 1048576 > 1000000
}

TEST_CASE("config: boolean keys accept the usual spellings only", "[unit][config]") {
  app_config c;
  for (const char* v : {"true", "yes", "on", "1"}) {
    c.http_access_log = false;
    expect_ok(c, "http.access-log", v);
    CHECK(c.http_access_log);
  }
  for (const char* v : {"false", "no", "off", "0"}) {
    c.http_access_log = true;
    expect_ok(c, "http.access-log", v);
    CHECK_FALSE(c.http_access_log);
  }
  for (const char* v : {"", "maybe", "2", "y", "enabled"}) {
    CHECK(has(expect_bad("dev.seed-demo", v), "true or false"));
  }
}

TEST_CASE("config: enum keys list their choices", "[unit][config]") {
  app_config c;
  expect_ok(c, "scheduler.policy", "stealing");
  CHECK(c.scheduler_policy == "stealing");
  expect_ok(c, "log.level", "off");
  CHECK(c.log_level == "off");
  CHECK(has(expect_bad("scheduler.policy", "fair"), "sharing, stealing"));
  CHECK(has(expect_bad("log.level", "verbose"), "trace, debug, info, warn, error, off"));
  expect_bad("log.level", "INFO");
  expect_bad("log.level", "");
}

TEST_CASE("config: http.address must not be empty, log.file may be", "[unit][config]") {
  CHECK(has(expect_bad("http.address", ""), "empty"));
  app_config c;
  c.log_file = "x.log";
  expect_ok(c, "log.file", "");
  CHECK(c.log_file.empty());
}

// ---------------------------------------------------------------- secrets

TEST_CASE("config: secrets are refused from an ini file", "[unit][config]") {
  for (const auto& [section, key, name] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"db", "dsn", "db.dsn"}, {"admin", "token", "admin.token"}}) {
    app_config c;
    const std::string secret = "s3cr3t-value-never-echoed-0123456789";
    auto r = apply_ini(c, "[" + section + "]\n" + key + " = " + secret + "\n", "prod.ini");
    CAPTURE(name);
    REQUIRE_FALSE(r);
    CHECK(has(r.error().detail, "prod.ini:2"));
    CHECK(has(r.error().detail, name));
    CHECK(has(r.error().detail, "secret"));
    CHECK_FALSE(has(r.error().detail, secret));
    CHECK(c.db_dsn.empty());
    CHECK(c.admin_token.empty());
  }
}

TEST_CASE("config: secret refusal names the environment variable and the -file key", "[unit][config]") {
  app_config c;
  auto r = set_key(c, "admin.token", "x", "cfg.ini:1");
  REQUIRE_FALSE(r);
  CHECK(has(r.error().detail, "HIREWIRE_ADMIN_TOKEN"));
  CHECK(has(r.error().detail, "admin.token-file"));
  auto r2 = set_key(c, "db.dsn", "x", "cfg.ini:1");
  REQUIRE_FALSE(r2);
  CHECK(has(r2.error().detail, "HIREWIRE_DB_DSN"));
  CHECK(has(r2.error().detail, "db.dsn-file"));
}

// Bug: set_key decides "came from the environment" with origin.rfind("environment", 0) == 0, and
// apply_ini/load use the config file path as the origin. A config file whose path starts with
// "environment" (e.g. --config=environment.ini in the working directory) can therefore set
// db.dsn and admin.token, defeating the "secrets only from env or -file" rule.
TEST_CASE("config: secrets are refused from an ini file whose name starts with 'environment'", "[unit][config]") {
  app_config c;
  auto r = apply_ini(c, "[db]\ndsn = host=evil\n", "environment.ini");
  CHECK_FALSE(r);
  CHECK(c.db_dsn.empty());
}

TEST_CASE("config: secret -file keys are accepted from an ini file", "[unit][config]") {
  temp_file dsn{"  host=db.internal dbname=hw password=pw\n\n"};
  temp_file tok{good_token + "\n"};
  app_config c;
  auto r = apply_ini(c, "[db]\ndsn-file = " + dsn.str() + "\n[admin]\ntoken-file = \"" + tok.str() + "\"\n", "x.ini");
  CAPTURE(detail(r));
  REQUIRE(r);
  CHECK(c.db_dsn == "host=db.internal dbname=hw password=pw");  // trimmed
  CHECK(c.admin_token == good_token);
}

TEST_CASE("config: secret -file errors for a missing or empty file without echoing content", "[unit][config]") {
  app_config c;
  SECTION("missing") {
    auto r = set_key(c, "db.dsn-file", missing_path(), "x.ini:1");
    REQUIRE_FALSE(r);
    CHECK(has(r.error().detail, "db.dsn-file"));
    CHECK(has(r.error().detail, "cannot read"));
  }
  SECTION("blank") {
    temp_file f{" \n\t\n"};
    auto r = set_key(c, "admin.token-file", f.str(), "x.ini:1");
    REQUIRE_FALSE(r);
    CHECK(has(r.error().detail, "admin.token-file"));
    CHECK(has(r.error().detail, "empty"));
    CHECK(c.admin_token.empty());
  }
}

TEST_CASE("config: secrets are refused from flags", "[unit][config]") {
  temp_file cfg{""};
  for (const std::string& flag : std::vector<std::string>{"--db.dsn=host=x", "--admin.token=" + good_token}) {
    CAPTURE(flag);
    auto r = load({"--config=" + cfg.str(), flag}, base_env());
    REQUIRE_FALSE(r);
    CHECK(has(r.error().detail, "command line"));
    CHECK(has(r.error().detail, "secret"));
    CHECK_FALSE(has(r.error().detail, good_token));
  }
}

TEST_CASE("config: secrets are accepted from the environment", "[unit][config]") {
  temp_file cfg{""};
  auto env = base_env();
  env["HIREWIRE_ADMIN_TOKEN"] = good_token;
  auto r = load({"--config=" + cfg.str()}, env);
  CAPTURE(detail(r));
  REQUIRE(r);
  CHECK(r->cfg.db_dsn == "host=localhost dbname=hw");
  CHECK(r->cfg.admin_token == good_token);
}

TEST_CASE("config: secrets are accepted from -file keys via environment and flags", "[unit][config]") {
  temp_file cfg{""};
  temp_file dsn{"host=fromfile\n"};
  temp_file tok{good_token};
  SECTION("environment") {
    auto r = load({"--config=" + cfg.str()},
                  {{"HIREWIRE_DB_DSN_FILE", dsn.str()}, {"HIREWIRE_ADMIN_TOKEN_FILE", tok.str()}});
    CAPTURE(detail(r));
    REQUIRE(r);
    CHECK(r->cfg.db_dsn == "host=fromfile");
    CHECK(r->cfg.admin_token == good_token);
  }
  SECTION("flags") {
    auto r = load({"--config=" + cfg.str(), "--db.dsn-file=" + dsn.str(), "--admin.token-file=" + tok.str()}, {});
    CAPTURE(detail(r));
    REQUIRE(r);
    CHECK(r->cfg.db_dsn == "host=fromfile");
    CHECK(r->cfg.admin_token == good_token);
  }
}

// ---------------------------------------------------------------- load

TEST_CASE("config: load precedence is file < environment < flags", "[unit][config]") {
  temp_file cfg{"[http]\nport = 1000\n[log]\nlevel = warn\n[db]\npool-size = 3\n"};
  auto env = base_env();
  SECTION("file only") {
    auto r = load({"--config=" + cfg.str()}, env);
    REQUIRE(r);
    CHECK(r->cfg.http_port == 1000);
    CHECK(r->cfg.log_level == "warn");
    CHECK(r->cfg.db_pool_size == 3);
    REQUIRE(r->sources.size() == 1);
    CHECK(r->sources[0] == cfg.str());
  }
  SECTION("environment beats file") {
    env["HIREWIRE_HTTP_PORT"] = "2000";
    auto r = load({"--config=" + cfg.str()}, env);
    REQUIRE(r);
    CHECK(r->cfg.http_port == 2000);
    CHECK(r->cfg.log_level == "warn");
  }
  SECTION("flag beats environment and file") {
    env["HIREWIRE_HTTP_PORT"] = "2000";
    env["HIREWIRE_LOG_LEVEL"] = "error";
    auto r = load({"--config=" + cfg.str(), "--http.port=3000"}, env);
    CAPTURE(detail(r));
    REQUIRE(r);
    CHECK(r->cfg.http_port == 3000);
    CHECK(r->cfg.log_level == "error");
    CHECK(r->cfg.db_pool_size == 3);
  }
}

TEST_CASE("config: HIREWIRE_CONFIG names the file when --config is absent", "[unit][config]") {
  temp_file cfg{"[http]\nport = 4321\n"};
  auto env = base_env();
  env["HIREWIRE_CONFIG"] = cfg.str();
  auto r = load({}, env);
  CAPTURE(detail(r));
  REQUIRE(r);
  CHECK(r->cfg.http_port == 4321);
  SECTION("--config wins over HIREWIRE_CONFIG") {
    temp_file other{"[http]\nport = 1234\n"};
    auto r2 = load({"--config=" + other.str()}, env);
    REQUIRE(r2);
    CHECK(r2->cfg.http_port == 1234);
  }
  SECTION("a missing HIREWIRE_CONFIG file is an error") {
    env["HIREWIRE_CONFIG"] = missing_path();
    auto r3 = load({}, env);
    REQUIRE_FALSE(r3);
    CHECK(has(r3.error().detail, missing_path()));
  }
}

TEST_CASE("config: HIREWIRE_HTTP_IO_THREADS maps to http.io-threads", "[unit][config]") {
  temp_file cfg{""};
  auto env = base_env();
  env["HIREWIRE_HTTP_IO_THREADS"] = "7";
  env["HIREWIRE_DB_STATEMENT_TIMEOUT"] = "2s";
  auto r = load({"--config=" + cfg.str()}, env);
  CAPTURE(detail(r));
  REQUIRE(r);
  CHECK(r->cfg.http_io_threads == 7);
  CHECK(r->cfg.db_statement_timeout == milliseconds{2000});
  SECTION("a bad value names the variable and the key") {
    env["HIREWIRE_HTTP_IO_THREADS"] = "lots";
    auto r2 = load({"--config=" + cfg.str()}, env);
    REQUIRE_FALSE(r2);
    CHECK(has(r2.error().detail, "HIREWIRE_HTTP_IO_THREADS"));
    CHECK(has(r2.error().detail, "http.io-threads"));
  }
}

TEST_CASE("config: unknown HIREWIRE_ variables are errors naming them", "[unit][config]") {
  temp_file cfg{""};
  auto env = base_env();
  std::string name;
  SECTION("typo") { name = "HIREWIRE_HTTP_PROT"; }
  SECTION("no key") { name = "HIREWIRE_HTTP"; }
  SECTION("bare prefix") { name = "HIREWIRE_"; }
  env[name] = "1";
  env["PATH"] = "/usr/bin";           // non-HIREWIRE variables are ignored
  env["HIREWIREX_FOO"] = "1";          // so is a different prefix
  auto r = load({"--config=" + cfg.str()}, env);
  CAPTURE(name);
  REQUIRE_FALSE(r);
  CHECK(has(r.error().detail, "'" + name + "'"));
}

TEST_CASE("config: load ignores unrelated environment variables", "[unit][config]") {
  temp_file cfg{""};
  auto env = base_env();
  env["PATH"] = "/usr/bin";
  env["HOME"] = "/root";
  env["HIREWIREX_FOO"] = "1";
  auto r = load({"--config=" + cfg.str()}, env);
  CAPTURE(detail(r));
  CHECK(r);
}

TEST_CASE("config: a missing explicit config file is an error", "[unit][config]") {
  const auto p = missing_path();
  auto r = load({"--config=" + p}, base_env());
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::invalid_argument);
  CHECK(has(r.error().detail, p));
}

TEST_CASE("config: an error in the config file is reported with file and line", "[unit][config]") {
  temp_file cfg{"[http]\n\nport = big\n"};
  auto r = load({"--config=" + cfg.str()}, base_env());
  REQUIRE_FALSE(r);
  CHECK(has(r.error().detail, cfg.str() + ":3"));
  CHECK(has(r.error().detail, "http.port"));
}

TEST_CASE("config: --help returns early without reading anything", "[unit][config]") {
  for (const char* h : {"--help", "-h"}) {
    auto r = load({"--config=" + missing_path(), h, "--http.port=notanumber"}, {{"HIREWIRE_BOGUS", "x"}});
    CAPTURE(h, detail(r));
    REQUIRE(r);
    CHECK(r->help);
    CHECK(r->sources.empty());
  }
}

TEST_CASE("config: --print-config skips validation but applies settings", "[unit][config]") {
  temp_file cfg{"[http]\nport = 5555\n"};
  auto r = load({"--config=" + cfg.str(), "--print-config"}, {});  // no dsn
  CAPTURE(detail(r));
  REQUIRE(r);
  CHECK(r->print_config);
  CHECK_FALSE(r->help);
  CHECK(r->cfg.http_port == 5555);
  CHECK(r->cfg.db_dsn.empty());
  SECTION("without --print-config the missing dsn is an error") {
    auto r2 = load({"--config=" + cfg.str()}, {});
    REQUIRE_FALSE(r2);
    CHECK(has(r2.error().detail, "db.dsn"));
  }
}

TEST_CASE("config: --migrate-only and --seed-demo flags", "[unit][config]") {
  temp_file cfg{""};
  auto r = load({"--config=" + cfg.str(), "--migrate-only", "--seed-demo"}, base_env());
  CAPTURE(detail(r));
  REQUIRE(r);
  CHECK(r->migrate_only);
  CHECK(r->cfg.dev_seed_demo);
  auto r2 = load({"--config=" + cfg.str()}, base_env());
  REQUIRE(r2);
  CHECK_FALSE(r2->migrate_only);
  CHECK_FALSE(r2->cfg.dev_seed_demo);
}

TEST_CASE("config: bad command-line arguments are errors", "[unit][config]") {
  temp_file cfg{""};
  SECTION("positional") {
    auto r = load({"--config=" + cfg.str(), "serve"}, base_env());
    REQUIRE_FALSE(r);
    CHECK(has(r.error().detail, "'serve'"));
  }
  SECTION("flag without value") {
    auto r = load({"--config=" + cfg.str(), "--http.port"}, base_env());
    REQUIRE_FALSE(r);
    CHECK(has(r.error().detail, "--http.port"));
  }
  SECTION("unknown flag key") {
    auto r = load({"--config=" + cfg.str(), "--http.prot=1"}, base_env());
    REQUIRE_FALSE(r);
    CHECK(has(r.error().detail, "http.prot"));
  }
  SECTION("bad flag value") {
    auto r = load({"--config=" + cfg.str(), "--log.level=loud"}, base_env());
    REQUIRE_FALSE(r);
    CHECK(has(r.error().detail, "log.level"));
  }
}

TEST_CASE("config: load validates the result", "[unit][config]") {
  temp_file cfg{"[db]\nreconnect-min = 5s\nreconnect-max = 1s\n"};
  auto r = load({"--config=" + cfg.str()}, base_env());
  REQUIRE_FALSE(r);
  CHECK(has(r.error().detail, "reconnect-min"));
}

// ---------------------------------------------------------------- validate

TEST_CASE("config: validate requires a dsn", "[unit][config]") {
  app_config c;
  auto r = validate(c);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::invalid_argument);
  CHECK(has(r.error().detail, "db.dsn"));
  c.db_dsn = "host=x";
  CHECK(validate(c));
}

TEST_CASE("config: validate refuses reconnect-min above reconnect-max", "[unit][config]") {
  app_config c;
  c.db_dsn = "host=x";
  c.db_reconnect_min = milliseconds{2000};
  c.db_reconnect_max = milliseconds{1000};
  auto r = validate(c);
  REQUIRE_FALSE(r);
  CHECK(has(r.error().detail, "db.reconnect-min"));
  c.db_reconnect_max = milliseconds{2000};
  CHECK(validate(c));  // equal is fine
}

TEST_CASE("config: validate refuses a short admin token but allows none", "[unit][config]") {
  app_config c;
  c.db_dsn = "host=x";
  c.admin_token = std::string(31, 'a');
  auto r = validate(c);
  REQUIRE_FALSE(r);
  CHECK(has(r.error().detail, "admin.token"));
  CHECK_FALSE(has(r.error().detail, c.admin_token));
  c.admin_token = std::string(32, 'a');
  CHECK(validate(c));
  c.admin_token.clear();
  CHECK(validate(c));
}

TEST_CASE("config: defaults validate once a dsn is set", "[unit][config]") {
  app_config c;
  c.db_dsn = "host=x";
  CHECK(validate(c));
}

// ---------------------------------------------------------------- usage and dump

TEST_CASE("config: usage lists every key", "[unit][config]") {
  const auto u = usage();
  for (const auto& k : all_keys) {
    CAPTURE(k);
    CHECK(has(u, "  " + k + " ("));
  }
  CHECK(has(u, "--config=FILE"));
  CHECK(has(u, "--print-config"));
  CHECK(has(u, "http.port (integer) default: 8080"));
  CHECK(has(u, "http.body-limit (size) default: 1MiB"));
  CHECK(has(u, "http.idle-timeout (duration) default: 30s"));
  CHECK(has(u, "log.file (string) default: \"\""));
}

TEST_CASE("config: every listed key is settable (usage and the key table agree)", "[unit][config]") {
  // Each key must be known to set_key: the error, if any, must not be "unknown key".
  for (const auto& k : all_keys) {
    app_config c;
    auto r = set_key(c, k, "?", "environment TEST");
    CAPTURE(k, detail(r));
    CHECK_FALSE(has(detail(r), "unknown key"));
  }
}

TEST_CASE("config: dump shows every non-file key with its value", "[unit][config]") {
  app_config c;
  c.http_port = 9999;
  c.http_idle_timeout = milliseconds{90'000};
  const auto d = dump(c);
  for (const auto& k : all_keys) {
    CAPTURE(k);
    const bool file_key = k.size() > 5 && k.compare(k.size() - 5, 5, "-file") == 0;
    CHECK(has(d, k + " = ") != file_key);
  }
  CHECK(has(d, "http.port = 9999\n"));
  CHECK(has(d, "http.idle-timeout = 90s\n"));
  CHECK(has(d, "http.shutdown-grace = 10s\n"));
  CHECK(has(d, "actors.idle-timeout = 15min\n"));
  CHECK(has(d, "http.access-log = true\n"));
}

TEST_CASE("config: dump masks secrets", "[unit][config]") {
  app_config c;
  SECTION("unset secrets are blank") {
    const auto d = dump(c);
    CHECK(has(d, "db.dsn = \n"));
    CHECK(has(d, "admin.token = \n"));
  }
  SECTION("set secrets show (set) and never their value") {
    c.db_dsn = "postgresql://hw:Sup3rS3cretPw@db/hw";
    c.admin_token = "tok_0123456789abcdef0123456789abcdef";
    const auto d = dump(c);
    CHECK(has(d, "db.dsn = (set)\n"));
    CHECK(has(d, "admin.token = (set)\n"));
    CHECK_FALSE(has(d, "Sup3rS3cretPw"));
    CHECK_FALSE(has(d, c.db_dsn));
    CHECK_FALSE(has(d, "0123456789abcdef"));
  }
  SECTION("secrets loaded from files are masked too") {
    temp_file tok{"filetoken_abcdefghijklmnopqrstuvwxyz012345"};
    auto r = set_key(c, "admin.token-file", tok.str(), "x.ini:1");
    REQUIRE(r);
    const auto d = dump(c);
    CHECK(has(d, "admin.token = (set)\n"));
    CHECK_FALSE(has(d, "filetoken_"));
    CHECK_FALSE(has(d, tok.str()));
  }
}
