#include "storage/user_repo.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "actors/domain/ids.hpp"
#include "actors/domain/password_policy.hpp"
#include "storage/audit_repo.hpp"
#include "storage/organization_repo.hpp"
#include "storage/pg.hpp"
#include "storage/session_repo.hpp"

namespace hw::storage {

namespace {

// RFC 3339 in UTC with microseconds, e.g. 2024-05-01T12:00:00.123456Z.
#define HW_USER_RFC3339(col) \
  "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

// The columns every users statement returns, in the order row_to_user reads them.
#define HW_USER_COLUMNS                                                                   \
  "user_id::text, email, email_normalized, display_name, password_hash, " HW_USER_RFC3339( \
    "password_changed_at") ", " HW_USER_RFC3339("created_at") ", " HW_USER_RFC3339(        \
    "updated_at") ", version"

// A membership joined with its user, in the order row_to_member reads them.
#define HW_MEMBER_COLUMNS                                                                \
  "m.org_id::text, m.user_id::text, m.role, u.email, u.display_name, " HW_USER_RFC3339( \
    "m.created_at") ", " HW_USER_RFC3339("m.updated_at")

constexpr std::size_t display_name_max = 200;

user_record row_to_user(const pqxx::row& r) {
  user_record u;
  u.id = r[0].as<std::string>();
  u.email = r[1].as<std::string>();
  u.email_normalized = r[2].as<std::string>();
  u.display_name = r[3].as<std::string>();
  if (!r[4].is_null()) u.password_hash = r[4].as<std::string>();
  if (!r[5].is_null()) u.password_changed_at = r[5].as<std::string>();
  u.created_at = r[6].as<std::string>();
  u.updated_at = r[7].as<std::string>();
  u.version = r[8].as<std::int64_t>();
  return u;
}

domain::role role_of(const pqxx::field& f) {
  auto r = domain::parse_role(f.as<std::string>());
  if (!r) throw pqxx::conversion_error{"memberships.role holds an unknown role"};
  return *r;
}

member_record row_to_member(const pqxx::row& r) {
  member_record m;
  m.org = org_id{r[0].as<std::string>()};
  m.user_id = r[1].as<std::string>();
  m.role = role_of(r[2]);
  m.email = r[3].as<std::string>();
  m.display_name = r[4].as<std::string>();
  m.created_at = r[5].as<std::string>();
  m.updated_at = r[6].as<std::string>();
  return m;
}

bool is_space(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

const char* nullable(const std::optional<std::string>& v) { return v ? v->c_str() : nullptr; }

hw::error member_not_found() { return {errc::not_found, "member not found"}; }

// The validated form of a user_create: trimmed e-mail, its normalized key, trimmed display name.
struct checked_user {
  std::string email;
  std::string normalized;
  std::string display_name;
};

result<checked_user> check_user(const user_create& req) {
  auto norm = normalize_email(req.email);
  if (!norm) return std::move(norm).error();
  auto name = trim(req.display_name);
  auto points = domain::utf8_code_points(name);
  if (!points) return hw::error{errc::invalid_argument, "display_name: must be valid UTF-8"};
  if (*points > display_name_max)
    return hw::error{errc::invalid_argument, "display_name: at most 200 characters"};
  for (unsigned char ch : name) {
    if (ch < 0x20 || ch == 0x7f)
      return hw::error{errc::invalid_argument, "display_name: must not contain control characters"};
  }
  if (req.password_hash && req.password_hash->rfind("$argon2id$", 0) != 0)
    return hw::error{errc::invalid_argument, "password_hash: must be an argon2id hash"};
  return checked_user{std::string{trim(req.email)}, std::move(*norm), std::string{name}};
}

// Inserts (or, with reuse_existing, finds) the user inside `tx`. nullopt user = taken.
struct inserted_user {
  user_record user;
  bool created = false;
};

result<inserted_user> insert_user(pqxx::transaction_base& tx, const checked_user& u,
                                  const std::optional<std::string>& hash, bool reuse_existing) {
  auto r = tx.exec_prepared("user_insert", u.email, u.normalized, u.display_name, nullable(hash));
  if (!r.empty()) return inserted_user{row_to_user(r[0]), true};
  if (!reuse_existing) return hw::error{errc::conflict, "email: already registered"};
  // Taken: by a committed row (READ COMMITTED sees it now) or by one inserted concurrently and
  // committed while ON CONFLICT waited.
  r = tx.exec_prepared("user_find_by_email", u.normalized);
  if (r.empty()) return hw::error{errc::unavailable, "the account was changed concurrently; retry"};
  return inserted_user{row_to_user(r[0]), false};
}

void write_member_audit(pqxx::transaction_base& tx, const org_id& org, const actor_ref& who,
                        const std::string& action, const std::string& user_id,
                        const nlohmann::json& detail) {
  audit_entry e;
  e.org = org;
  e.who = who;
  if (e.who.kind.empty()) e.who.kind = "system";
  e.action = action;
  e.target = user_id;
  e.detail_json = detail.dump();
  append_audit(tx, e);
}

std::string role_text(domain::role r) { return std::string{domain::to_string(r)}; }

// The locked view of an organization's memberships that a role change or removal decides on.
struct locked_members {
  std::size_t owner_count = 0;
  std::optional<domain::role> target;
  std::optional<domain::role> actor;
};

// Locks, in user_id order (so concurrent changes queue instead of deadlocking), every owner
// membership of `org` plus the target's and the actor's. Under READ COMMITTED a row demoted or
// removed by a transaction we waited for is re-checked and dropped, so owner_count is the number
// of owners that will exist when this transaction commits (a concurrent promotion can only make it
// too low, which refuses: fail closed).
locked_members lock_members(pqxx::transaction_base& tx, const org_id& org,
                            const std::string& target, const actor_ref& who) {
  const bool user_actor = who.kind == "user" && is_uuid(who.id);
  const std::string actor_id = user_actor ? canonical_uuid(who.id) : target;
  auto rows = tx.exec_prepared("membership_lock", org.value, target, actor_id);
  locked_members out;
  for (const auto& row : rows) {
    const auto id = row[0].as<std::string>();
    const auto role = role_of(row[1]);
    if (role == domain::role::owner) ++out.owner_count;
    if (id == target) out.target = role;
    if (user_actor && id == actor_id) out.actor = role;
  }
  return out;
}

// check_role_change / check_member_removal for a user acting, last_owner_guard otherwise.
result<hw::unit> decide(const locked_members& m, const actor_ref& who,
                        std::optional<domain::role> new_role) {
  if (who.kind == "user") {
    if (!m.actor)
      return hw::error{errc::forbidden, "member: you are not a member of this organization"};
    if (new_role) return domain::check_role_change(*m.actor, *m.target, *new_role, m.owner_count);
    return domain::check_member_removal(*m.actor, *m.target, m.owner_count);
  }
  return domain::last_owner_guard(m.owner_count, *m.target, new_role);
}

}  // namespace

void prepare_user_statements(pqxx::connection_base& c) {
  c.prepare("user_insert",
            "INSERT INTO users (email, email_normalized, display_name, password_hash,"
            " password_changed_at)"
            " VALUES ($1, $2, $3, $4::text, CASE WHEN $4::text IS NULL THEN NULL ELSE now() END)"
            " ON CONFLICT (email_normalized) DO NOTHING RETURNING " HW_USER_COLUMNS);
  c.prepare("user_find_by_email",
            "SELECT " HW_USER_COLUMNS " FROM users WHERE email_normalized = $1");
  c.prepare("user_load", "SELECT " HW_USER_COLUMNS " FROM users WHERE user_id = $1::uuid");
  c.prepare("user_set_password_hash",
            "UPDATE users SET password_hash = $2, password_changed_at = now(),"
            " updated_at = greatest(now(), updated_at), version = version + 1"
            " WHERE user_id = $1::uuid RETURNING " HW_USER_COLUMNS);
  c.prepare("membership_org_exists",
            "SELECT EXISTS (SELECT 1 FROM organizations WHERE org_id = $1::uuid)");
  c.prepare("membership_org_and_user_exist",
            "SELECT EXISTS (SELECT 1 FROM organizations WHERE org_id = $1::uuid),"
            " EXISTS (SELECT 1 FROM users WHERE user_id = $2::uuid)");
  c.prepare("membership_insert",
            "INSERT INTO memberships (org_id, user_id, role) VALUES ($1::uuid, $2::uuid, $3)"
            " ON CONFLICT (org_id, user_id) DO NOTHING RETURNING user_id");
  c.prepare("membership_get",
            "SELECT " HW_MEMBER_COLUMNS " FROM memberships m JOIN users u ON u.user_id = m.user_id"
            " WHERE m.org_id = $1::uuid AND m.user_id = $2::uuid");
  c.prepare("membership_list",
            "SELECT " HW_MEMBER_COLUMNS " FROM memberships m JOIN users u ON u.user_id = m.user_id"
            " WHERE m.org_id = $1::uuid ORDER BY m.created_at, m.user_id");
  // The owner lock of change_role / remove_member (see lock_members).
  c.prepare("membership_lock",
            "SELECT user_id::text, role FROM memberships"
            " WHERE org_id = $1::uuid AND (role = 'owner' OR user_id = $2::uuid OR user_id = $3::uuid)"
            " ORDER BY user_id FOR UPDATE");
  c.prepare("membership_update_role",
            "UPDATE memberships SET role = $3, updated_at = greatest(now(), updated_at)"
            " WHERE org_id = $1::uuid AND user_id = $2::uuid");
  c.prepare("membership_delete",
            "DELETE FROM memberships WHERE org_id = $1::uuid AND user_id = $2::uuid");
  c.prepare("membership_user_orgs",
            "SELECT o.org_id::text, o.slug, o.name, m.role FROM memberships m"
            " JOIN organizations o ON o.org_id = m.org_id"
            " WHERE m.user_id = $1::uuid ORDER BY o.slug");
}

result<std::string> normalize_email(std::string_view email) {
  auto s = trim(email);
  std::string out;
  out.reserve(s.size());
  std::size_t at = std::string::npos;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto ch = static_cast<unsigned char>(s[i]);
    if (ch <= 0x20 || ch == 0x7f)
      return hw::error{errc::invalid_argument,
                       "email: must not contain spaces or control characters"};
    if (ch == '@') {
      if (at != std::string::npos)
        return hw::error{errc::invalid_argument, "email: must contain exactly one '@'"};
      at = i;
    }
    out.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : static_cast<char>(ch));
  }
  if (at == std::string::npos || at == 0 || at + 1 == out.size())
    return hw::error{errc::invalid_argument, "email: must look like name@example.com"};
  if (out.size() > 254) return hw::error{errc::invalid_argument, "email: at most 254 characters"};
  if (!domain::utf8_code_points(out))
    return hw::error{errc::invalid_argument, "email: must be valid UTF-8"};
  return out;
}

result<user_record> create_user(pqxx::connection_base& c, const user_create& req) {
  auto u = check_user(req);
  if (!u) return std::move(u).error();
  try {
    pqxx::work tx{c, "create_user"};
    auto r = insert_user(tx, *u, req.password_hash, false);
    if (!r) return std::move(r).error();
    tx.commit();
    return std::move(r->user);
  } catch (const pqxx::unique_violation&) {
    return hw::error{errc::conflict, "email: already registered"};
  } catch (...) {
    return map_exception(std::current_exception(), "user_insert");
  }
}

result<user_record> find_user_by_email(pqxx::connection_base& c, std::string_view email) {
  auto norm = normalize_email(email);
  if (!norm) return hw::error{errc::not_found, "user not found"};
  try {
    pqxx::nontransaction tx{c, "find_user_by_email"};
    auto r = tx.exec_prepared("user_find_by_email", *norm);
    if (r.empty()) return hw::error{errc::not_found, "user not found"};
    return row_to_user(r[0]);
  } catch (...) {
    return map_exception(std::current_exception(), "user_find_by_email");
  }
}

result<user_record> load_user(pqxx::connection_base& c, const std::string& user_id) {
  if (!is_uuid(user_id)) return hw::error{errc::not_found, "user not found"};
  try {
    pqxx::nontransaction tx{c, "load_user"};
    auto r = tx.exec_prepared("user_load", user_id);
    if (r.empty()) return hw::error{errc::not_found, "user not found"};
    return row_to_user(r[0]);
  } catch (...) {
    return map_exception(std::current_exception(), "user_load");
  }
}

result<user_record> set_password_hash(pqxx::connection_base& c, const std::string& user_id,
                                      const std::string& hash) {
  if (!is_uuid(user_id)) return hw::error{errc::not_found, "user not found"};
  if (hash.rfind("$argon2id$", 0) != 0)
    return hw::error{errc::invalid_argument, "password_hash: must be an argon2id hash"};
  try {
    pqxx::work tx{c, "set_password_hash"};
    auto r = tx.exec_prepared("user_set_password_hash", user_id, hash);
    if (r.empty()) return hw::error{errc::not_found, "user not found"};
    auto u = row_to_user(r[0]);
    tx.commit();
    return u;
  } catch (...) {
    return map_exception(std::current_exception(), "user_set_password_hash");
  }
}

result<member_record> add_membership(pqxx::transaction_base& tx, const org_id& org,
                                     const std::string& user_id, domain::role role,
                                     const actor_ref& who, const std::string& detail_json) {
  set_tenant(tx, org);
  auto r = tx.exec_prepared("membership_insert", org.value, user_id, role_text(role));
  if (r.empty())
    return hw::error{errc::conflict, "member: the user is already a member of this organization"};
  auto detail = nlohmann::json::parse(detail_json, nullptr, false);
  if (!detail.is_object()) detail = nlohmann::json::object();
  detail["role"] = role_text(role);
  write_member_audit(tx, org, who, "member.added", user_id, detail);
  // Session caches (account_service) drop this user's cached memberships on commit.
  notify_auth(tx, "user:" + user_id);
  return row_to_member(tx.exec_prepared1("membership_get", org.value, user_id));
}

result<member_record> add_membership(pqxx::connection_base& c, const org_id& org,
                                     const std::string& user_id, domain::role role,
                                     const actor_ref& who) {
  if (!is_uuid(org.value)) return hw::error{errc::not_found, "organization not found"};
  if (!is_uuid(user_id)) return hw::error{errc::not_found, "user not found"};
  try {
    pqxx::work tx{c, "add_membership"};
    set_tenant(tx, org);
    auto exist = tx.exec_prepared1("membership_org_and_user_exist", org.value, user_id);
    if (!exist[0].as<bool>()) return hw::error{errc::not_found, "organization not found"};
    if (!exist[1].as<bool>()) return hw::error{errc::not_found, "user not found"};
    auto m = add_membership(static_cast<pqxx::transaction_base&>(tx), org,
                            canonical_uuid(user_id), role, who);
    if (!m) return m;
    tx.commit();
    return m;
  } catch (const pqxx::foreign_key_violation&) {
    return hw::error{errc::not_found, "organization or user not found"};
  } catch (...) {
    return map_exception(std::current_exception(), "membership_insert");
  }
}

result<member_record> change_role(pqxx::connection_base& c, const org_id& org,
                                  const std::string& user_id, domain::role new_role,
                                  const actor_ref& who) {
  if (!is_uuid(org.value) || !is_uuid(user_id)) return member_not_found();
  const auto target = canonical_uuid(user_id);
  try {
    pqxx::work tx{c, "change_role"};
    set_tenant(tx, org);
    auto locked = lock_members(tx, org, target, who);
    if (!locked.target) return member_not_found();
    if (auto ok = decide(locked, who, new_role); !ok) return std::move(ok).error();
    if (*locked.target != new_role) {
      tx.exec_prepared0("membership_update_role", org.value, target, role_text(new_role));
      write_member_audit(tx, org, who, "member.role_changed", target,
                         {{"changed", {"role"}},
                          {"previous_role", role_text(*locked.target)},
                          {"role", role_text(new_role)}});
      notify_auth(tx, "user:" + target);
    }
    auto m = row_to_member(tx.exec_prepared1("membership_get", org.value, target));
    tx.commit();
    return m;
  } catch (...) {
    return map_exception(std::current_exception(), "membership_update_role");
  }
}

result<hw::unit> remove_member(pqxx::connection_base& c, const org_id& org,
                               const std::string& user_id, const actor_ref& who) {
  if (!is_uuid(org.value) || !is_uuid(user_id)) return member_not_found();
  const auto target = canonical_uuid(user_id);
  try {
    pqxx::work tx{c, "remove_member"};
    set_tenant(tx, org);
    auto locked = lock_members(tx, org, target, who);
    if (!locked.target) return member_not_found();
    if (auto ok = decide(locked, who, std::nullopt); !ok) return std::move(ok).error();
    tx.exec_prepared0("membership_delete", org.value, target);
    write_member_audit(tx, org, who, "member.removed", target,
                       {{"previous_role", role_text(*locked.target)}});
    notify_auth(tx, "user:" + target);
    tx.commit();
    return hw::unit{};
  } catch (...) {
    return map_exception(std::current_exception(), "membership_delete");
  }
}

result<std::vector<member_record>> list_members(pqxx::connection_base& c, const org_id& org) {
  if (!is_uuid(org.value)) return hw::error{errc::not_found, "organization not found"};
  try {
    // One snapshot for the existence check and the list.
    pqxx::read_transaction tx{c, "list_members"};
    set_tenant(tx, org);
    if (!tx.exec_prepared1("membership_org_exists", org.value)[0].as<bool>())
      return hw::error{errc::not_found, "organization not found"};
    std::vector<member_record> out;
    for (const auto& row : tx.exec_prepared("membership_list", org.value))
      out.push_back(row_to_member(row));
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "membership_list");
  }
}

result<std::vector<user_org_record>> list_user_orgs(pqxx::connection_base& c,
                                                    const std::string& user_id) {
  if (!is_uuid(user_id)) return std::vector<user_org_record>{};
  try {
    // One person's organizations span tenants: an explicit system-scope read (0007), bound to
    // this user's memberships by the statement.
    pqxx::read_transaction tx{c, "list_user_orgs"};
    set_system_scope(tx);
    std::vector<user_org_record> out;
    for (const auto& row : tx.exec_prepared("membership_user_orgs", user_id)) {
      user_org_record o;
      o.org = org_id{row[0].as<std::string>()};
      o.slug = row[1].as<std::string>();
      o.name = row[2].as<std::string>();
      o.role = role_of(row[3]);
      out.push_back(std::move(o));
    }
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "membership_user_orgs");
  }
}

result<org_with_owner> create_org_with_owner(pqxx::connection_base& c,
                                             const domain::org_create& org,
                                             const user_create& owner, const actor_ref& who) {
  if (auto e = domain::validate(org)) return *e;
  auto u = check_user(owner);
  if (!u) return std::move(u).error();
  try {
    pqxx::work tx{c, "create_org_with_owner"};
    auto o = insert_organization(static_cast<pqxx::transaction_base&>(tx), org, who);
    if (!o) return std::move(o).error();
    auto user = insert_user(tx, *u, owner.password_hash, true);
    if (!user) return std::move(user).error();
    const auto role = domain::role::owner;
    auto r = tx.exec_prepared("membership_insert", o->id.value, user->user.id, role_text(role));
    if (r.empty()) return hw::error{errc::internal, "the new organization already has members"};
    write_member_audit(tx, o->id, who, "member.added", user->user.id,
                       {{"role", role_text(role)}, {"user_created", user->created}});
    notify_auth(tx, "user:" + user->user.id);
    tx.commit();
    return org_with_owner{std::move(*o), std::move(user->user), user->created};
  } catch (const pqxx::unique_violation&) {
    // A concurrent insert of the same slug that ON CONFLICT did not absorb.
    return hw::error{errc::conflict, "slug: '" + org.slug + "' is already taken"};
  } catch (...) {
    return map_exception(std::current_exception(), "create_org_with_owner");
  }
}

}  // namespace hw::storage
