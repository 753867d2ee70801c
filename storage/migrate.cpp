#include "storage/migrate.hpp"

#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <map>
#include <pqxx/pqxx>

#include "storage/pg.hpp"

namespace hw::storage {

namespace {

// Serializes migrators across processes: pg_advisory_xact_lock on this key is taken at the
// start of every migration transaction and released by its COMMIT/ROLLBACK (even if the
// connection dies, unlike a session lock). ASCII "hwmigrat".
constexpr const char* lock_sql = "SELECT pg_advisory_xact_lock(7528770074471244148)";

constexpr const char* create_table_sql =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version    text        PRIMARY KEY,"
    " name       text        NOT NULL,"
    " checksum   text        NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

struct applied_row {
  std::string name;
  std::string checksum;
};

// version -> row, ordered by version.
std::map<std::string, applied_row> read_applied(pqxx::transaction_base& tx) {
  std::map<std::string, applied_row> out;
  auto r = tx.exec("SELECT version, name, checksum FROM schema_migrations ORDER BY version");
  for (const auto& row : r) {
    out.emplace(row[0].as<std::string>(),
                applied_row{row[1].as<std::string>(), row[2].as<std::string>()});
  }
  return out;
}

migration_status compare(const std::map<std::string, applied_row>& applied,
                         const std::vector<migration_file>& files) {
  migration_status s;
  std::map<std::string, const migration_file*> by_version;
  for (const auto& f : files) by_version.emplace(f.version, &f);
  for (const auto& f : files) {
    auto it = applied.find(f.version);
    if (it == applied.end()) {
      s.pending.push_back(f.name);
      continue;
    }
    s.applied.push_back(f.name);
    if (it->second.checksum != f.checksum) s.edited.push_back(f.name);
  }
  for (const auto& [version, row] : applied) {
    if (by_version.count(version) == 0) s.unknown.push_back(row.name);
  }
  return s;
}

std::string edited_detail(const std::vector<std::string>& edited) {
  std::string names;
  for (const auto& n : edited) names += (names.empty() ? "" : ", ") + n;
  return "migration " + names +
         " was edited after it was applied (checksum mismatch); applied migrations are never "
         "edited: restore the file and add a new migration instead";
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr) != 1) return {};
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(digits[md[i] >> 4]);
    out.push_back(digits[md[i] & 0xf]);
  }
  return out;
}

result<migration_status> check_migrations(pqxx::connection_base& c,
                                          const std::vector<migration_file>& files) {
  try {
    pqxx::nontransaction tx{c, "check_migrations"};
    auto exists = tx.exec1("SELECT to_regclass('schema_migrations') IS NOT NULL");
    std::map<std::string, applied_row> applied;
    if (exists[0].as<bool>()) applied = read_applied(tx);
    return compare(applied, files);
  } catch (...) {
    return map_exception(std::current_exception(), "check_migrations");
  }
}

result<std::vector<std::string>> apply_migrations(pqxx::connection_base& c,
                                                  const std::vector<migration_file>& files) {
  std::vector<std::string> applied_now;
  std::string current;  // the file being applied, for the error
  try {
    bool warned_unknown = false;
    // One transaction per file: take the lock, re-read what is applied (another process may
    // have applied files while we waited), apply the first pending file with its row, commit.
    for (;;) {
      pqxx::work tx{c, "apply_migrations"};
      // Migrations (and waiting for another process's migrations) may legitimately run longer
      // than the per-statement timeout of the pool: lift it before taking the lock.
      tx.exec("SET LOCAL statement_timeout = 0");
      // Row-level security (0007) is forced on the owner too: a data migration must see every
      // organization's rows, so the runner is one of the explicit system-scope transactions.
      tx.exec("SELECT set_config('hw.scope', 'system', true)");
      tx.exec(lock_sql);
      tx.exec(create_table_sql);
      const auto status = compare(read_applied(tx), files);
      if (!status.edited.empty()) {
        spdlog::error("migrations refused: {} edited applied file(s), first={}",
                      status.edited.size(), status.edited.front());
        return hw::error{errc::conflict, edited_detail(status.edited)};
      }
      if (!status.unknown.empty() && !warned_unknown) {
        // A newer binary migrated this database; we can still run against it.
        spdlog::warn("migrations: {} applied version(s) unknown to this binary, first={}",
                     status.unknown.size(), status.unknown.front());
        warned_unknown = true;
      }
      if (status.pending.empty()) {
        tx.commit();
        break;
      }
      const migration_file* next = nullptr;
      for (const auto& f : files) {
        if (f.name == status.pending.front()) next = &f;
      }
      current = next->name;
      tx.exec(next->sql);
      tx.exec_params(
          "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, "
          "now())",
          next->version, next->name, next->checksum);
      tx.commit();
      spdlog::info("migration applied name={}", next->name);
      applied_now.push_back(next->name);
      current.clear();
    }
    return applied_now;
  } catch (...) {
    auto e = map_exception(std::current_exception(), "apply_migrations");
    if (!current.empty() && e.code != errc::unavailable) {
      // Name the file that failed so the operator knows where to look (no SQL text).
      spdlog::error("migration failed name={}", current);
      e.detail =
          "migration " + current + " failed to apply and was rolled back; see the server log";
    }
    return e;
  }
}

result<serving_role> prepare_serving_role(pqxx::connection_base& owner, const std::string& serving_dsn,
                                          std::chrono::milliseconds statement_timeout, bool grant) {
  serving_role out;
  try {
    auto c = connect(serving_dsn, statement_timeout);
    pqxx::nontransaction tx{*c};
    auto r = tx.exec("SELECT current_user::text, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user");
    if (r.empty()) return hw::error{errc::internal, "db.dsn: cannot read the serving role"};
    out.name = r[0][0].as<std::string>();
    out.superuser = r[0][1].as<bool>();
    out.bypass_rls = r[0][2].as<bool>();
  } catch (const pqxx::broken_connection&) {
    return hw::error{errc::unavailable, "cannot connect to PostgreSQL (db.dsn)"};
  } catch (...) {
    return map_exception(std::current_exception(), "serving role");
  }
  if (!grant || out.superuser) return out;
  try {
    pqxx::work tx{owner};
    auto member = tx.exec_params(
      "SELECT EXISTS (SELECT 1 FROM pg_roles g WHERE g.rolname = 'hirewire_app'), "
      "       pg_has_role($1, 'hirewire_app', 'MEMBER') "
      "  FROM (SELECT 1) x WHERE EXISTS (SELECT 1 FROM pg_roles g WHERE g.rolname = 'hirewire_app') ",
      out.name);
    if (!member.empty() && !member[0][1].as<bool>()) {
      tx.exec("GRANT hirewire_app TO " + tx.quote_name(out.name));
      spdlog::info("granted hirewire_app to the serving role {}", out.name);
    }
    tx.commit();
  } catch (...) {
    return map_exception(std::current_exception(), "grant serving role");
  }
  return out;
}

}  // namespace hw::storage
