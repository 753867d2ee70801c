#include "actors/app/admin_cli.hpp"

#include <iostream>
#include <optional>
#include <sstream>

#include <termios.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "actors/auth/password_hash.hpp"
#include "actors/domain/organization.hpp"
#include "actors/domain/password_policy.hpp"
#include "config/app_config.hpp"
#include "storage/migrate.hpp"
#include "storage/pg.hpp"
#include "storage/user_repo.hpp"

namespace hw::app {

namespace {

constexpr int exit_ok = 0;
constexpr int exit_runtime = 1;
constexpr int exit_usage = 2;

struct create_org_args {
  std::optional<std::string> name, slug, owner_email, time_zone, owner_name;
  std::vector<std::string> config_args;  // everything else goes to config::load
};

// Our own flags; anything else starting with "--" is a configuration flag (--config=FILE,
// --db.statement-timeout=10s).
bool take_flag(const std::string& a, create_org_args& out) {
  static const std::pair<const char*, std::optional<std::string> create_org_args::*> flags[] = {
    {"--name=", &create_org_args::name},
    {"--slug=", &create_org_args::slug},
    {"--owner-email=", &create_org_args::owner_email},
    {"--time-zone=", &create_org_args::time_zone},
    {"--owner-name=", &create_org_args::owner_name},
  };
  for (const auto& [prefix, member] : flags) {
    const std::string p{prefix};
    if (a.rfind(p, 0) == 0) {
      out.*member = a.substr(p.size());
      return true;
    }
  }
  return false;
}

// One line from `in`; with a terminal, prompts on `err` and turns echo off meanwhile.
std::optional<std::string> read_password_line(std::istream& in, std::ostream& err) {
  const bool tty = &in == &std::cin && ::isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (tty && ::tcgetattr(STDIN_FILENO, &saved) == 0) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    err << "owner password: " << std::flush;
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(in, line));
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    err << "\n";
  }
  if (!got && line.empty()) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// Messages go to stderr (stdout carries only the JSON result), warnings and worse by default.
void setup_cli_logging(const config::app_config& cfg) {
  auto logger =
      std::make_shared<spdlog::logger>("hirewire", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
  auto level = spdlog::level::from_str(cfg.log_level);
  logger->set_level(std::max(level, spdlog::level::warn));
  spdlog::set_default_logger(logger);
}

int create_org(const std::vector<std::string>& args, std::map<std::string, std::string> env,
               std::istream& in, std::ostream& out, std::ostream& err) {
  create_org_args a;
  for (const auto& arg : args) {
    if (take_flag(arg, a)) continue;
    if (arg == "--migrate-only" || arg == "--print-config" || arg == "--seed-demo" ||
        arg == "--help" || arg == "-h" || arg.rfind("--", 0) != 0) {
      err << "hirewire admin create-org: unexpected argument '" << arg << "'\n" << admin_usage();
      return exit_usage;
    }
    a.config_args.push_back(arg);
  }
  for (auto [flag, value] : {std::pair{"--name", &a.name}, std::pair{"--slug", &a.slug},
                             std::pair{"--owner-email", &a.owner_email}}) {
    if (!*value) {
      err << "hirewire admin create-org: " << flag << "=... is required\n" << admin_usage();
      return exit_usage;
    }
  }

  // The password variable is ours, not a configuration key (config::load refuses unknown
  // HIREWIRE_* variables); take it out of the environment the configuration sees.
  std::optional<std::string> password;
  if (auto it = env.find(admin_owner_password_env); it != env.end()) {
    password = it->second;
    auth::wipe(it->second);
    env.erase(it);
  }
  auto launched = config::load(a.config_args, env);
  if (!launched) {
    err << "hirewire: configuration error: " << launched.error().detail << "\n";
    return exit_usage;
  }
  const auto& cfg = launched->cfg;
  setup_cli_logging(cfg);

  domain::org_create req;
  req.name = *a.name;
  req.slug = *a.slug;
  if (a.time_zone) req.time_zone = *a.time_zone;
  if (auto e = domain::validate(req)) {
    err << "hirewire admin create-org: " << e->detail << "\n";
    return exit_usage;
  }
  auto email = storage::normalize_email(*a.owner_email);
  if (!email) {
    err << "hirewire admin create-org: owner-" << email.error().detail << "\n";
    return exit_usage;
  }

  if (!password) password = read_password_line(in, err);
  if (!password) {
    err << "hirewire admin create-org: no owner password: set " << admin_owner_password_env
        << " or write it as one line on stdin\n";
    return exit_usage;
  }
  if (auto ok = domain::validate_password(*password, *email); !ok) {
    auth::wipe(*password);
    err << "hirewire admin create-org: owner " << ok.error().detail << "\n";
    return exit_usage;
  }
  storage::user_create owner;
  owner.email = *a.owner_email;
  owner.display_name = a.owner_name.value_or("");
  try {
    owner.password_hash = auth::hash_password(*password);  // production parameters
  } catch (const std::exception& e) {
    auth::wipe(*password);
    err << "hirewire admin create-org: cannot hash the password: " << e.what() << "\n";
    return exit_runtime;
  }
  auth::wipe(*password);

  storage::connection_ptr conn;
  try {
    conn = storage::connect(cfg.db_dsn, cfg.db_statement_timeout);
  } catch (const std::exception&) {
    err << "hirewire admin create-org: cannot connect to PostgreSQL (db.dsn)\n";
    return exit_runtime;
  }
  auto applied = storage::apply_migrations(*conn, storage::embedded_migrations());
  if (!applied) {
    err << "hirewire admin create-org: migrations: " << applied.error().detail << "\n";
    return exit_runtime;
  }
  actor_ref who;
  who.kind = "system";
  who.id = "admin-cli";
  auto created = storage::create_org_with_owner(*conn, req, owner, who);
  if (!created) {
    err << "hirewire admin create-org: " << created.error().detail << "\n";
    // A time zone the database does not know is a bad argument; the rest is the runtime's.
    return created.code() == errc::invalid_argument ? exit_usage : exit_runtime;
  }
  if (!created->owner_created) {
    err << "hirewire admin create-org: " << *email
        << " already has an account; it became the owner and keeps its password"
           " (the given password was not used)\n";
  }
  out << nlohmann::json{{"org_id", created->org.id.value},
                        {"slug", created->org.slug},
                        {"owner_user_id", created->owner.id},
                        {"owner_created", created->owner_created}}
             .dump()
      << "\n";
  return exit_ok;
}

}  // namespace

std::string admin_usage() {
  std::ostringstream o;
  o << "usage: hirewire admin create-org --name=NAME --slug=SLUG --owner-email=EMAIL\n"
       "                                 [--time-zone=TZ] [--owner-name=NAME]\n"
       "                                 [--config=FILE] [--section.key=value ...]\n\n"
       "Creates an organization and its owner's account (or makes an existing account, found by\n"
       "e-mail, its owner) in one transaction, after applying pending migrations. The owner's\n"
       "initial password is read from $"
    << admin_owner_password_env
    << ",\nelse as one line from stdin; never from the command line. The database comes from the\nserver's configuration ($HIREWIRE_DB_DSN or db.dsn-file).\n"
       "Prints {\"org_id\",\"slug\",\"owner_user_id\",\"owner_created\"} as JSON on stdout.\n"
       "Exit codes: 0 created; 2 bad arguments, configuration or password; 1 runtime failure\n"
       "(database unreachable, slug taken).\n";
  return o.str();
}

int run_admin(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
              std::istream& in, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    (args.empty() ? err : out) << admin_usage();
    return args.empty() ? exit_usage : exit_ok;
  }
  if (args[0] == "create-org") {
    std::vector<std::string> rest(args.begin() + 1, args.end());
    for (const auto& a : rest) {
      if (a == "--help" || a == "-h") {
        out << admin_usage();
        return exit_ok;
      }
    }
    return create_org(rest, env, in, out, err);
  }
  err << "hirewire admin: unknown command '" << args[0] << "'\n" << admin_usage();
  return exit_usage;
}

}  // namespace hw::app
