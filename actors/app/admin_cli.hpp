#pragma once
// Operator commands: `hirewire admin <command> ...` (dispatched by run_main when argv[1] is
// "admin"). Blocking, single-threaded, no actor system: they connect once, apply migrations and
// call storage directly.
//
//   hirewire admin create-org --name=NAME --slug=SLUG --owner-email=EMAIL
//                             [--time-zone=TZ] [--owner-name=NAME] [--config=FILE] [--db.KEY=V]
//
// The owner's initial password comes from $HIREWIRE_ADMIN_OWNER_PASSWORD, else from the first
// line of stdin (never from argv). Prints {"org_id":..., "slug":..., "owner_user_id":...,
// "owner_created":...} on stdout. Exit codes: 0 done; 2 bad arguments, configuration or password;
// 1 runtime failure (database unreachable, slug taken, ...).
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace hw::app {

/// The environment variable the owner's initial password may come from.
inline constexpr const char* admin_owner_password_env = "HIREWIRE_ADMIN_OWNER_PASSWORD";

/// `args` are the arguments after "admin". `env` is the process environment (the password variable
/// is removed before the configuration sees it). Reads the password from `in` when the variable is
/// not set; writes the JSON result to `out` and messages to `err`.
int run_admin(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
              std::istream& in, std::ostream& out, std::ostream& err);

/// The `hirewire admin --help` text.
std::string admin_usage();

}  // namespace hw::app
