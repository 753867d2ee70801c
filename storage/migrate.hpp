#pragma once
// Forward-only migrations: storage/migrations/NNNN_<verb>_<object>.sql, embedded into the binary
// at build time, applied in order, each in its own transaction, recorded with a SHA-256 checksum in
// schema_migrations. An applied file that was edited since stops start-up.
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

}  // namespace hw::storage
