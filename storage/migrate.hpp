#pragma once
// Forward-only migrations: storage/migrations/NNNN_<verb>_<object>.sql, embedded into the binary
// at build time, applied in order, each in its own transaction, recorded with a SHA-256 checksum in
// schema_migrations. An applied file that was edited since stops start-up.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "actors/domain/result.hpp"

namespace pqxx {
class connection_base;
}

namespace hw::storage {

struct migration_file {
  std::string version;   // "0001"
  std::string name;      // "0001_create_organizations.sql"
  std::string sql;
  std::string checksum;  // hex SHA-256 of sql
};

/// The files under storage/migrations, as embedded at build time, in order.
const std::vector<migration_file>& embedded_migrations();

/// Lowercase hex SHA-256 of `bytes` (OpenSSL); the build computes the embedded checksums with
/// CMake's file(SHA256), and the tests check that both agree.
std::string sha256_hex(std::string_view bytes);

struct migration_status {
  std::vector<std::string> applied;  // names, in order
  std::vector<std::string> pending;  // names not yet applied
  std::vector<std::string> edited;   // applied, but the file's checksum differs
  std::vector<std::string> unknown;  // applied versions with no file (a newer binary ran here)
  bool current() const { return pending.empty() && edited.empty(); }
};

/// Reads schema_migrations (absent table = nothing applied) and compares with `files`.
result<migration_status> check_migrations(pqxx::connection_base& c, const std::vector<migration_file>& files);

/// Applies the pending files in order under an advisory lock (several processes may start at once).
/// Refuses with errc::conflict, naming the file, when an applied file was edited.
/// Returns the names applied by this call.
result<std::vector<std::string>> apply_migrations(pqxx::connection_base& c, const std::vector<migration_file>& files);

/// The database role the server serves as (db.dsn).
struct serving_role {
  std::string name;
  bool superuser = false;
  bool bypass_rls = false;
};

/// Connects with `serving_dsn` and reports its role. With `grant` (the server was given a
/// separate owner connection `owner`, i.e. db.migrate-dsn), makes that role a member of the
/// group role hirewire_app (created by the migrations; it holds the table privileges) unless it
/// is one already or is a superuser. unavailable when `serving_dsn` does not connect.
result<serving_role> prepare_serving_role(pqxx::connection_base& owner, const std::string& serving_dsn,
                                          std::chrono::milliseconds statement_timeout, bool grant);

}  // namespace hw::storage
