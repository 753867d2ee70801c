#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "config/app_config.hpp"

// The documented example must stay true: uncommenting every key gives the defaults back.
TEST_CASE("config: hirewire.example.ini documents every key with its default", "[unit][config]") {
  std::ifstream in{std::string{HW_SOURCE_DIR} + "/config/hirewire.example.ini"};
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  // "# key = value   ; comment" -> "key = value   ; comment", except the secret-file keys
  // (their default is empty, which is not a readable file).
  std::string uncommented;
  std::istringstream lines{text};
  std::string line;
  int keys = 0;
  const std::regex commented_key{R"(^# ([a-z-]+) = (.*)$)"};
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, m, commented_key) && m[1] != "dsn-file" && m[1] != "token-file" &&
        m[1] != "password-file" && m[1] != "migrate-dsn-file" && m[1] != "secret-key-file" &&
        m[1] != "credential-keys-file") {
      uncommented += m[1].str() + " = " + m[2].str() + "\n";
      ++keys;
    } else {
      uncommented += line + "\n";
    }
  }
  hw::config::app_config from_file;
  auto r = hw::config::apply_ini(from_file, uncommented, "hirewire.example.ini");
  INFO((r ? std::string{} : r.error().detail));
  REQUIRE(r);
  CHECK(hw::config::dump(from_file) == hw::config::dump(hw::config::app_config{}));
  // Every key of --help appears in the example.
  auto help = hw::config::usage();
  std::regex help_key{R"(\n  ([a-z]+)\.([a-z-]+) \()"};
  int help_keys = 0;
  for (std::sregex_iterator it{help.begin(), help.end(), help_key}, end; it != end; ++it) {
    ++help_keys;
    if ((*it)[2] == "dsn" || (*it)[2] == "token" || (*it)[2] == "password" || (*it)[2] == "migrate-dsn" ||
        (*it)[2] == "secret-key" || (*it)[2] == "credential-keys")
      continue;  // secrets never appear in the file
    INFO((*it)[1].str() + "." + (*it)[2].str());
    CHECK(text.find("[" + (*it)[1].str() + "]") != std::string::npos);
    CHECK(text.find((*it)[2].str() + " =") != std::string::npos);
  }
  CHECK(help_keys >= 30);
  CHECK(keys == help_keys - 12);  // all but the six secrets and the six *-file keys
}

TEST_CASE("config: timeouts must nest so no layer gives up while the one below may still commit",
          "[unit][config]") {
  hw::config::app_config c;
  c.db_dsn = "host=x";
  REQUIRE(hw::config::validate(c));  // the defaults nest
  c.db_statement_timeout = c.actors_db_timeout;
  auto r = hw::config::validate(c);
  REQUIRE_FALSE(r);
  CHECK(r.error().detail.find("db.statement-timeout") == 0);
  c = hw::config::app_config{};
  c.db_dsn = "host=x";
  c.http_request_timeout = 3 * c.actors_db_timeout;
  r = hw::config::validate(c);
  REQUIRE_FALSE(r);
  CHECK(r.error().detail.find("http.request-timeout") == 0);
}

TEST_CASE("config: the admin CLI's password variable is not mistaken for a setting", "[unit][config]") {
  std::map<std::string, std::string> env{{"HIREWIRE_DB_DSN", "host=x"},
                                         {"HIREWIRE_ADMIN_OWNER_PASSWORD", "correct horse battery staple"},
                                         {"HIREWIRE_CONFIG", "/nonexistent-but-unused"}};
  env.erase("HIREWIRE_CONFIG");
  auto r = hw::config::load({"--config=/dev/null"}, env);
  INFO((r ? std::string{} : r.error().detail));
  CHECK(r);
  env["HIREWIRE_NO_SUCH_KEY"] = "1";
  CHECK_FALSE(hw::config::load({"--config=/dev/null"}, env));
}
