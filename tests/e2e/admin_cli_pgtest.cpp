// `hirewire admin create-org` run as a child process (the built binary, HW_SERVER_BINARY) against
// the fixture's database: exit codes, the JSON on stdout, and the rows it writes (or does not).
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "tests/support/pg_fixture.hpp"

namespace {

struct run_result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string slurp_fd(int fd) {
  std::string s;
  ::lseek(fd, 0, SEEK_SET);
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) s.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return s;
}

int temp_fd() {
  char name[] = "/tmp/hw_admin_cli_XXXXXX";
  int fd = ::mkstemp(name);
  REQUIRE(fd >= 0);
  ::unlink(name);
  return fd;
}

// Runs the binary with exactly `env` (nothing inherited), `stdin_text` on its stdin; stdout and
// stderr go to unlinked temporary files, read after it exits (no pipe can fill up and block).
run_result run_hirewire(const std::vector<std::string>& args, const std::vector<std::string>& env,
                        const std::string& stdin_text) {
  int in_pipe[2];
  REQUIRE(::pipe(in_pipe) == 0);
  const int out_fd = temp_fd();
  const int err_fd = temp_fd();
  std::vector<std::string> argv_s{HW_SERVER_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s = env;
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);

  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  std::size_t off = 0;
  while (off < stdin_text.size()) {
    auto n = ::write(in_pipe[1], stdin_text.data() + off, stdin_text.size() - off);
    if (n <= 0) break;  // the child exited without reading: fine
    off += static_cast<std::size_t>(n);
  }
  ::close(in_pipe[1]);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  run_result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp_fd(out_fd);
  r.err = slurp_fd(err_fd);
  return r;
}

const std::string strong_password = "correct horse battery staple 42";

std::vector<std::string> base_args(const std::string& slug, const std::string& email) {
  // --config=/dev/null: no hirewire.ini from the working directory.
  return {"admin", "create-org", "--config=/dev/null", "--name=Acme Corp", "--slug=" + slug,
          "--owner-email=" + email, "--time-zone=Europe/Berlin", "--owner-name=Olga Owner"};
}

long count(const hw::testing::pg_fixture& db, const std::string& sql) {
  pqxx::connection c{db.dsn()};
  pqxx::nontransaction tx{c};
  return tx.exec1(sql)[0].as<long>();
}

}  // namespace

TEST_CASE("admin cli: create-org creates the organization, the owner and the membership",
          "[pg][e2e][admin_cli]") {
  hw::testing::pg_fixture db;
  auto r = run_hirewire(base_args("acme", "Olga@Example.com"),
                        {"HIREWIRE_DB_DSN=" + db.dsn(),
                         "HIREWIRE_ADMIN_OWNER_PASSWORD=" + strong_password},
                        "");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["slug"] == "acme");
  CHECK(j["owner_created"] == true);
  const std::string org = j["org_id"];
  const std::string user = j["owner_user_id"];
  CHECK(r.err.find(strong_password) == std::string::npos);

  pqxx::connection c{db.dsn()};
  pqxx::nontransaction tx{c};
  auto o = tx.exec_params1("SELECT name, time_zone FROM organizations WHERE org_id = $1::uuid", org);
  CHECK(o[0].as<std::string>() == "Acme Corp");
  CHECK(o[1].as<std::string>() == "Europe/Berlin");
  auto u = tx.exec_params1(
    "SELECT email_normalized, display_name, password_hash FROM users WHERE user_id = $1::uuid", user);
  CHECK(u[0].as<std::string>() == "olga@example.com");
  CHECK(u[1].as<std::string>() == "Olga Owner");
  CHECK(u[2].as<std::string>().rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0) == 0);
  auto m = tx.exec_params1(
    "SELECT role FROM memberships WHERE org_id = $1::uuid AND user_id = $2::uuid", org, user);
  CHECK(m[0].as<std::string>() == "owner");
  auto audit = tx.exec_params1(
    "SELECT count(*) FROM audit_events WHERE org_id = $1::uuid AND actor_id = 'admin-cli'"
    " AND action IN ('organization.created', 'member.added')",
    org);
  CHECK(audit[0].as<long>() == 2);
}

TEST_CASE("admin cli: the password may come as one line on stdin", "[pg][e2e][admin_cli]") {
  hw::testing::pg_fixture db;
  auto r = run_hirewire(base_args("stdin-org", "sam@example.com"), {"HIREWIRE_DB_DSN=" + db.dsn()},
                        strong_password + "\n");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["slug"] == "stdin-org");
  CHECK(count(db, "SELECT count(*) FROM users WHERE email_normalized = 'sam@example.com'"
                  " AND password_hash LIKE '$argon2id$%'") == 1);
}

TEST_CASE("admin cli: a weak password exits 2 and writes nothing", "[pg][e2e][admin_cli]") {
  hw::testing::pg_fixture db;
  SECTION("too short, from the environment") {
    auto r = run_hirewire(base_args("weak", "w@example.com"),
                          {"HIREWIRE_DB_DSN=" + db.dsn(), "HIREWIRE_ADMIN_OWNER_PASSWORD=short"}, "");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("password") != std::string::npos);
    CHECK(r.out.empty());
  }
  SECTION("too common, from stdin") {
    auto r = run_hirewire(base_args("weak", "w@example.com"), {"HIREWIRE_DB_DSN=" + db.dsn()},
                          "password1234\n");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("password") != std::string::npos);
  }
  SECTION("none at all") {
    auto r = run_hirewire(base_args("weak", "w@example.com"), {"HIREWIRE_DB_DSN=" + db.dsn()}, "");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("HIREWIRE_ADMIN_OWNER_PASSWORD") != std::string::npos);
  }
  CHECK(count(db, "SELECT count(*) FROM organizations") == 0);
  CHECK(count(db, "SELECT count(*) FROM users") == 0);
}

TEST_CASE("admin cli: bad arguments and configuration exit 2 naming the problem",
          "[pg][e2e][admin_cli]") {
  hw::testing::pg_fixture db;
  const std::vector<std::string> env{"HIREWIRE_DB_DSN=" + db.dsn(),
                                     "HIREWIRE_ADMIN_OWNER_PASSWORD=" + strong_password};
  SECTION("missing --slug") {
    auto r = run_hirewire({"admin", "create-org", "--config=/dev/null", "--name=X",
                           "--owner-email=x@example.com"},
                          env, "");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--slug") != std::string::npos);
  }
  SECTION("a malformed owner e-mail") {
    auto args = base_args("fine", "not-an-email");
    auto r = run_hirewire(args, env, "");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("email") != std::string::npos);
  }
  SECTION("an unknown configuration key") {
    auto args = base_args("fine", "x@example.com");
    args.push_back("--db.nope=1");
    auto r = run_hirewire(args, env, "");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("db.nope") != std::string::npos);
  }
  SECTION("no database configured") {
    auto r = run_hirewire(base_args("fine", "x@example.com"),
                          {"HIREWIRE_ADMIN_OWNER_PASSWORD=" + strong_password}, "");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("db.dsn") != std::string::npos);
  }
  SECTION("an unknown command") {
    auto r = run_hirewire({"admin", "drop-everything"}, env, "");
    CHECK(r.exit_code == 2);
  }
  CHECK(count(db, "SELECT count(*) FROM organizations") == 0);
}

TEST_CASE("admin cli: a taken slug exits 1 and writes nothing", "[pg][e2e][admin_cli]") {
  hw::testing::pg_fixture db;
  db.make_org("taken");
  auto r = run_hirewire(base_args("taken", "new@example.com"),
                        {"HIREWIRE_DB_DSN=" + db.dsn(),
                         "HIREWIRE_ADMIN_OWNER_PASSWORD=" + strong_password},
                        "");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("slug: 'taken' is already taken") != std::string::npos);
  CHECK(r.out.empty());
  CHECK(count(db, "SELECT count(*) FROM organizations") == 1);
  CHECK(count(db, "SELECT count(*) FROM users") == 0);
  CHECK(count(db, "SELECT count(*) FROM memberships") == 0);
}
