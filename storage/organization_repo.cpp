#include "storage/organization_repo.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "storage/audit_repo.hpp"
#include "storage/pg.hpp"

namespace hw::storage {

namespace {

// RFC 3339 in UTC with microseconds, e.g. 2024-05-01T12:00:00.123456Z.
#define HW_RFC3339(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

// The columns every statement returns, in the order row_to_org reads them.
#define HW_ORG_COLUMNS(p)                                                                       \
  p "org_id::text, " p "name, " p "slug, " p "time_zone, " p "logo_url, " p "primary_color, " p \
    "accent_color, " p "status, " p                                                             \
    "version, " HW_RFC3339(p "created_at") ", " HW_RFC3339(p "updated_at")
constexpr int org_column_count = 11;

domain::organization row_to_org(const pqxx::row& r) {
  domain::organization o;
  o.id = org_id{r[0].as<std::string>()};
  o.name = r[1].as<std::string>();
  o.slug = r[2].as<std::string>();
  o.time_zone = r[3].as<std::string>();
  if (!r[4].is_null()) o.brand.logo_url = r[4].as<std::string>();
  o.brand.primary_color = r[5].as<std::string>();
  o.brand.accent_color = r[6].as<std::string>();
  const auto status = r[7].as<std::string>();
  const auto state = domain::parse_org_state(status);
  if (!state) throw pqxx::conversion_error{"organizations.status holds an unknown state"};
  o.state = *state;
  o.version = r[8].as<std::int64_t>();
  o.created_at = r[9].as<std::string>();
  o.updated_at = r[10].as<std::string>();
  return o;
}

const char* nullable(const std::optional<std::string>& v) { return v ? v->c_str() : nullptr; }

std::string slug_taken(const std::string& slug) { return "slug: '" + slug + "' is already taken"; }

// organization_tz_exists: the domain checks the IANA *form*; only the server knows which zones
// exist. Exact (case-sensitive) match keeps the stored name canonical.
std::optional<hw::error> check_zone(pqxx::transaction_base& tx, const std::string& tz) {
  auto r = tx.exec_prepared1("organization_tz_exists", tz);
  if (r[0].as<bool>()) return std::nullopt;
  return hw::error{errc::invalid_argument, "time_zone: unknown time zone '" + tz + "'"};
}

// The audit row of a change (storage/audit_repo), in the change's transaction. detail carries
// field names only, never values (no PII in the audit log); the request context comes with `who`.
void write_audit(pqxx::transaction_base& tx, const std::string& org, const actor_ref& who,
                 const std::string& action, const std::vector<std::string>& changed) {
  audit_entry e;
  e.org = org_id{org};
  e.who = who;
  if (e.who.kind.empty()) e.who.kind = "system";
  e.action = action;
  e.target = org;
  e.detail_json = nlohmann::json{{"changed", changed}}.dump();
  append_audit(tx, e);
}

std::vector<std::string> all_fields(const domain::org_create& c) {
  std::vector<std::string> f = {"name", "slug", "time_zone", "branding.primary_color",
                                "branding.accent_color"};
  if (c.brand.logo_url) f.push_back("branding.logo_url");
  return f;
}

// Names of the fields that differ between the stored row (columns 11..17 of organization_cas)
// and `next`.
std::vector<std::string> changed_fields(const pqxx::row& r, const domain::organization& next) {
  std::vector<std::string> f;
  if (r[org_column_count + 0].as<std::string>() != next.slug) f.push_back("slug");
  if (r[org_column_count + 1].as<std::string>() != next.name) f.push_back("name");
  if (r[org_column_count + 2].as<std::string>() != next.time_zone) f.push_back("time_zone");
  std::optional<std::string> old_logo;
  if (!r[org_column_count + 3].is_null()) old_logo = r[org_column_count + 3].as<std::string>();
  if (old_logo != next.brand.logo_url) f.push_back("branding.logo_url");
  if (r[org_column_count + 4].as<std::string>() != next.brand.primary_color)
    f.push_back("branding.primary_color");
  if (r[org_column_count + 5].as<std::string>() != next.brand.accent_color)
    f.push_back("branding.accent_color");
  if (r[org_column_count + 6].as<std::string>() != domain::to_string(next.state))
    f.push_back("status");
  return f;
}

}  // namespace

void prepare_organization_statements(pqxx::connection_base& c) {
  c.prepare("organization_load",
            "SELECT " HW_ORG_COLUMNS("") " FROM organizations WHERE org_id = $1::uuid");
  c.prepare("organization_load_by_slug",
            "SELECT " HW_ORG_COLUMNS("") " FROM organizations WHERE slug = $1");
  c.prepare("organization_version", "SELECT version FROM organizations WHERE org_id = $1::uuid");
  c.prepare("organization_tz_exists",
            "SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1)");
  c.prepare("organization_insert",
            "INSERT INTO organizations (slug, name, time_zone, logo_url, primary_color, "
            "accent_color, status,"
            " version, created_at, updated_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, 'active', 1, now(), now())"
            " ON CONFLICT (slug) DO NOTHING RETURNING " HW_ORG_COLUMNS(""));
  // Compare-and-swap. The CTE locks the expected version and hands the old values to RETURNING
  // (for the audit's changed-field list) in the same round trip. A concurrent writer makes the
  // re-checked row fail `version = $2`, so the update touches nothing.
  c.prepare("organization_cas",
            "WITH old AS (SELECT * FROM organizations"
            "              WHERE org_id = $1::uuid AND version = $2 FOR UPDATE)"
            " UPDATE organizations o SET slug = $3, name = $4, time_zone = $5, logo_url = $6,"
            " primary_color = $7, accent_color = $8, status = $9, version = o.version + 1,"
            " updated_at = greatest(now(), o.updated_at)"
            " FROM old WHERE o.org_id = old.org_id AND o.version = $2"
            " RETURNING " HW_ORG_COLUMNS("o.") ", old.slug, old.name, old.time_zone, old.logo_url,"
            " old.primary_color, old.accent_color, old.status");
}

result<domain::organization> load_organization(pqxx::connection_base& c, const org_id& id) {
  // A malformed id can never name a row; don't let the uuid cast turn it into a 500.
  if (!is_uuid(id.value)) return hw::error{errc::not_found, "organization not found"};
  try {
    pqxx::read_transaction tx{c, "load_organization"};
    set_tenant(tx, id);
    auto r = tx.exec_prepared("organization_load", id.value);
    if (r.empty()) return hw::error{errc::not_found, "organization not found"};
    auto org = row_to_org(r[0]);
    tx.commit();
    return org;
  } catch (...) {
    return map_exception(std::current_exception(), "organization_load");
  }
}

result<domain::organization> insert_organization(pqxx::connection_base& c,
                                                 const domain::org_create& req,
                                                 const actor_ref& who) {
  // The actor validated already; re-checking here keeps a CHECK violation from becoming a 500.
  if (auto e = domain::validate(req)) return *e;
  try {
    pqxx::work tx{c, "insert_organization"};
    auto org = insert_organization(static_cast<pqxx::transaction_base&>(tx), req, who);
    if (!org) return org;
    tx.commit();
    return org;
  } catch (const pqxx::unique_violation&) {
    return hw::error{errc::conflict, slug_taken(req.slug)};
  } catch (...) {
    return map_exception(std::current_exception(), "organization_insert");
  }
}

result<domain::organization> insert_organization(pqxx::transaction_base& tx,
                                                 const domain::org_create& req,
                                                 const actor_ref& who) {
  if (auto e = domain::validate(req)) return *e;
  if (auto e = check_zone(tx, req.time_zone)) return *e;
  // No tenant exists yet: the insert (and its ON CONFLICT (slug) check) runs in the system scope,
  // which ends right after it; the rest of the caller's transaction runs as the new tenant.
  set_system_scope(tx);
  auto r = tx.exec_prepared("organization_insert", req.slug, req.name, req.time_zone,
                            nullable(req.brand.logo_url), req.brand.primary_color,
                            req.brand.accent_color);
  clear_system_scope(tx);
  if (r.empty()) return hw::error{errc::conflict, slug_taken(req.slug)};
  auto org = row_to_org(r[0]);
  set_tenant(tx, org.id);
  write_audit(tx, org.id.value, who, "organization.created", all_fields(req));
  return org;
}

result<domain::organization> save_organization(pqxx::connection_base& c,
                                               const domain::organization& next,
                                               std::int64_t expected_version, const actor_ref& who,
                                               const std::string& action) {
  if (!is_uuid(next.id.value)) return hw::error{errc::not_found, "organization not found"};
  if (auto e =
          domain::validate(domain::org_create{next.name, next.slug, next.time_zone, next.brand}))
    return *e;
  try {
    pqxx::work tx{c, "save_organization"};
    set_tenant(tx, next.id);
    if (auto e = check_zone(tx, next.time_zone)) return *e;
    auto r =
        tx.exec_prepared("organization_cas", next.id.value, expected_version, next.slug, next.name,
                         next.time_zone, nullable(next.brand.logo_url), next.brand.primary_color,
                         next.brand.accent_color, std::string{domain::to_string(next.state)});
    if (r.empty()) {
      auto v = tx.exec_prepared("organization_version", next.id.value);
      if (v.empty()) return hw::error{errc::not_found, "organization not found"};
      return hw::error{errc::version_conflict,
                       "the organization was changed concurrently (stored version " +
                           v[0][0].as<std::string>() + ", expected " +
                           std::to_string(expected_version) + ")"};
    }
    auto stored = row_to_org(r[0]);
    write_audit(tx, stored.id.value, who, action, changed_fields(r[0], next));
    tx.commit();
    return stored;
  } catch (const pqxx::unique_violation&) {
    return hw::error{errc::conflict, slug_taken(next.slug)};
  } catch (...) {
    return map_exception(std::current_exception(), "organization_cas");
  }
}

result<domain::organization> ensure_demo_organization(pqxx::connection_base& c) {
  const domain::org_create demo{"Demo Organization", "demo", "UTC", domain::branding{}};
  try {
    pqxx::work tx{c, "ensure_demo_organization"};
    // Organization creation and the lookup by slug span tenants (there is no tenant yet).
    set_system_scope(tx);
    auto r = tx.exec_prepared("organization_insert", demo.slug, demo.name, demo.time_zone,
                              nullable(demo.brand.logo_url), demo.brand.primary_color,
                              demo.brand.accent_color);
    if (!r.empty()) {
      auto org = row_to_org(r[0]);
      clear_system_scope(tx);
      set_tenant(tx, org.id);
      write_audit(tx, org.id.value, actor_ref{"system", "bootstrap"}, "organization.created",
                  all_fields(demo));
      tx.commit();
      spdlog::info("demo organization created org_id={}", org.id.value);
      return org;
    }
    // Taken: it exists already (possibly inserted concurrently; READ COMMITTED sees it now).
    r = tx.exec_prepared("organization_load_by_slug", demo.slug);
    if (r.empty()) return hw::error{errc::internal, "the demo organization could not be created"};
    auto org = row_to_org(r[0]);
    tx.commit();
    return org;
  } catch (...) {
    return map_exception(std::current_exception(), "organization_ensure_demo");
  }
}

}  // namespace hw::storage
