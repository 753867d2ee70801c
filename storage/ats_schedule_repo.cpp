#include "storage/ats_schedule_repo.hpp"

#include <exception>

#include <pqxx/pqxx>

#include "storage/migrate.hpp"  // sha256_hex
#include "storage/pg.hpp"
#include "storage/repo_util.hpp"  // opt_param

namespace hw::storage {

namespace {

// Exact to the microsecond both ways (no float): bound as epoch microseconds.
#define HW_SCHED_TS(n) "(timestamptz 'epoch' + ($" #n "::bigint) * interval '1 microsecond')"
#define HW_SCHED_US(col) "(extract(epoch FROM " col ") * 1000000)::bigint"

// The fencing predicate of a held lease: $1 org, $2 connection, $3 owner, $4 epoch.
#define HW_SCHED_FENCE \
  "l.org_id = $1::uuid AND l.connection_id = $2::uuid AND l.owner = $3 AND l.epoch = $4::bigint"

std::optional<time_point> from_epoch_us(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return time_point{std::chrono::microseconds{f.as<std::int64_t>()}};
}

std::int64_t us_after(time_point now, std::chrono::milliseconds ttl) {
  return to_epoch_us(now) + std::chrono::duration_cast<std::chrono::microseconds>(ttl).count();
}

hw::error conn_not_found() { return {errc::not_found, "ATS connection not found"}; }


bool valid_lease(const ats_sync_lease& l) {
  return is_uuid(l.org.value) && is_uuid(l.connection_id) && !l.owner.empty();
}

}  // namespace

result<std::vector<ats_schedule_row>> list_live_ats_connections(pqxx::connection_base& c, int limit) {
  if (limit < 1 || limit > 100'000) return hw::error{errc::invalid_argument, "limit: 1..100000"};
  try {
    pqxx::read_transaction tx{c, "list_live_ats_connections"};
    // Scheduling spans organizations: the supervisor owns every tenant's sync workers.
    set_system_scope(tx);
    auto r = tx.exec_params(
        "SELECT a.org_id::text, a.connection_id::text, a.vendor, a.state, a.consecutive_failures, "
        "       " HW_SCHED_US("a.next_sync_at") ", " HW_SCHED_US("a.last_sync_at") ", a.version, "
        "       l.owner, " HW_SCHED_US("l.lease_until")
        "  FROM ats_connections a "
        "  LEFT JOIN ats_sync_leases l ON l.org_id = a.org_id AND l.connection_id = a.connection_id "
        " WHERE a.state <> 'disconnected' "
        " ORDER BY a.connection_id LIMIT $1",
        limit);
    clear_system_scope(tx);
    tx.commit();
    std::vector<ats_schedule_row> out;
    out.reserve(r.size());
    for (const auto& row : r) {
      ats_schedule_row s;
      s.org = org_id{row[0].as<std::string>()};
      s.connection_id = row[1].as<std::string>();
      s.vendor = row[2].as<std::string>();
      auto st = domain::parse_ats_connection_state(row[3].as<std::string>());
      if (!st) continue;  // the CHECK constraint makes this impossible
      s.state = *st;
      s.consecutive_failures = static_cast<std::uint32_t>(row[4].as<std::int64_t>());
      s.next_sync_at = from_epoch_us(row[5]);
      s.last_sync_at = from_epoch_us(row[6]);
      s.version = row[7].as<std::int64_t>();
      if (!row[8].is_null()) s.sync_lease_owner = row[8].as<std::string>();
      s.sync_lease_until = from_epoch_us(row[9]);
      out.push_back(std::move(s));
    }
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "list_live_ats_connections");
  }
}

result<ats_sync_claim> claim_ats_sync(pqxx::connection_base& c, const org_id& org,
                                      const std::string& connection_id, const std::string& owner,
                                      std::chrono::milliseconds ttl, time_point now) {
  if (owner.empty() || owner.size() > 200) return hw::error{errc::invalid_argument, "owner: 1..200 bytes"};
  if (ttl < std::chrono::seconds{1}) return hw::error{errc::invalid_argument, "ttl: at least 1 s"};
  if (!is_uuid(org.value) || !is_uuid(connection_id)) return conn_not_found();
  const org_id o{canonical_uuid(org.value)};
  const auto cid = canonical_uuid(connection_id);
  try {
    pqxx::work tx{c, "claim_ats_sync"};
    set_tenant(tx, o);
    // Two attempts: when the claim finds the lease held but the holder has released it by the
    // time we look at who holds it, the second claim takes it.
    for (int attempt = 0; attempt < 2; ++attempt) {
      // ON CONFLICT DO UPDATE locks the existing row and evaluates the WHERE on its newest
      // version, so of two racing claimers exactly one passes; the other waits for the first's
      // commit and then sees a live lease (no row returned).
      auto r = tx.exec_params(
          "INSERT INTO ats_sync_leases AS l (org_id, connection_id, owner, epoch, lease_until, claimed_at)"
          " SELECT a.org_id, a.connection_id, $3, 1, " HW_SCHED_TS(4) ", " HW_SCHED_TS(5)
          "   FROM ats_connections a"
          "  WHERE a.org_id = $1::uuid AND a.connection_id = $2::uuid AND a.state <> 'disconnected'"
          " ON CONFLICT (org_id, connection_id) DO UPDATE"
          "    SET owner = EXCLUDED.owner, epoch = l.epoch + 1, lease_until = EXCLUDED.lease_until,"
          "        claimed_at = EXCLUDED.claimed_at"
          "  WHERE l.owner IS NULL OR l.lease_until <= EXCLUDED.claimed_at OR l.owner = EXCLUDED.owner"
          " RETURNING l.epoch, " HW_SCHED_US("l.lease_until"),
          o.value, cid, owner, us_after(now, ttl), to_epoch_us(now));
      if (!r.empty()) {
        tx.commit();
        ats_sync_claim out;
        out.claimed = true;
        out.lease = ats_sync_lease{o, cid, owner, r[0][0].as<std::int64_t>(),
                                   time_point{std::chrono::microseconds{r[0][1].as<std::int64_t>()}}};
        return out;
      }
      auto who = tx.exec_params(
          "SELECT a.state, l.owner, " HW_SCHED_US("l.lease_until")
          "  FROM ats_connections a"
          "  LEFT JOIN ats_sync_leases l ON l.org_id = a.org_id AND l.connection_id = a.connection_id"
          " WHERE a.org_id = $1::uuid AND a.connection_id = $2::uuid",
          o.value, cid);
      if (who.empty() || who[0][0].as<std::string>() == "disconnected") return conn_not_found();
      if (who[0][1].is_null()) continue;  // released in between: claim again
      ats_sync_claim out;
      out.holder = who[0][1].as<std::string>();
      out.held_until = from_epoch_us(who[0][2]);
      tx.commit();
      return out;
    }
    // Released twice in a row while we looked: report it as held; the caller tries later.
    tx.commit();
    return ats_sync_claim{};
  } catch (...) {
    return map_exception(std::current_exception(), "claim_ats_sync");
  }
}

result<bool> renew_ats_sync(pqxx::connection_base& c, ats_sync_lease& lease, std::chrono::milliseconds ttl,
                            time_point now) {
  if (!valid_lease(lease)) return false;
  try {
    pqxx::work tx{c, "renew_ats_sync"};
    set_tenant(tx, lease.org);
    auto r = tx.exec_params("UPDATE ats_sync_leases l SET lease_until = " HW_SCHED_TS(5)
                            " WHERE " HW_SCHED_FENCE " RETURNING " HW_SCHED_US("l.lease_until"),
                            lease.org.value, lease.connection_id, lease.owner, lease.epoch, us_after(now, ttl));
    tx.commit();
    if (r.empty()) return false;
    lease.until = time_point{std::chrono::microseconds{r[0][0].as<std::int64_t>()}};
    return true;
  } catch (...) {
    return map_exception(std::current_exception(), "renew_ats_sync");
  }
}

result<bool> release_ats_sync(pqxx::connection_base& c, const ats_sync_lease& lease) {
  if (!valid_lease(lease)) return false;
  try {
    pqxx::work tx{c, "release_ats_sync"};
    set_tenant(tx, lease.org);
    auto r = tx.exec_params0("UPDATE ats_sync_leases l SET owner = NULL, lease_until = NULL WHERE " HW_SCHED_FENCE,
                             lease.org.value, lease.connection_id, lease.owner, lease.epoch);
    tx.commit();
    return r.affected_rows() > 0;
  } catch (...) {
    return map_exception(std::current_exception(), "release_ats_sync");
  }
}

result<bool> record_leased_sync_outcome(pqxx::connection_base& c, ats_sync_lease& lease, const ats_sync_outcome& o,
                                        const std::optional<std::string>& checked_credentials,
                                        std::chrono::milliseconds ttl, time_point now) {
  if (!valid_lease(lease)) return false;
  std::optional<std::string> err;
  if (!o.success) err = cut_utf8_bytes(o.error.value_or(""), 500);
  std::optional<std::string> next;
  if (o.next_sync_at) next = std::to_string(to_epoch_us(*o.next_sync_at));
  std::optional<std::string> digest;
  if (checked_credentials) digest = sha256_hex(*checked_credentials);
  try {
    pqxx::work tx{c, "record_leased_sync_outcome"};
    set_tenant(tx, lease.org);
    // The lease row is updated (renewed) first, in the same statement: its row lock keeps a
    // concurrent claim waiting until this commits, and no lease row means no outcome row.
    auto r = tx.exec_params(
        "WITH held AS ("
        "  UPDATE ats_sync_leases l SET lease_until = " HW_SCHED_TS(6) ","
        "         checked_credentials_sha256 = coalesce(decode($10, 'hex'), l.checked_credentials_sha256)"
        "   WHERE " HW_SCHED_FENCE " RETURNING l.org_id, l.connection_id, " HW_SCHED_US("l.lease_until") " AS until_us)"
        " UPDATE ats_connections a SET last_sync_at = " HW_SCHED_TS(5) ","
        "   last_success_at = CASE WHEN $7::boolean THEN " HW_SCHED_TS(5) " ELSE a.last_success_at END,"
        "   last_error_at = CASE WHEN $7::boolean THEN a.last_error_at ELSE " HW_SCHED_TS(5) " END,"
        "   last_error = CASE WHEN $7::boolean THEN a.last_error ELSE $8 END,"
        "   next_sync_at = CASE WHEN $9::bigint IS NULL THEN NULL ELSE " HW_SCHED_TS(9) " END,"
        "   updated_at = " HW_SCHED_TS(5)
        "  FROM held WHERE a.org_id = held.org_id AND a.connection_id = held.connection_id"
        " RETURNING held.until_us",
        lease.org.value, lease.connection_id, lease.owner, lease.epoch, to_epoch_us(now), us_after(now, ttl),
        o.success, opt_param(err), opt_param(next), opt_param(digest));
    tx.commit();
    if (r.empty()) return false;
    lease.until = time_point{std::chrono::microseconds{r[0][0].as<std::int64_t>()}};
    return true;
  } catch (...) {
    return map_exception(std::current_exception(), "record_leased_sync_outcome");
  }
}

result<bool> ats_credentials_replaced(pqxx::connection_base& c, const org_id& org, const std::string& connection_id,
                                      const std::optional<std::string>& sealed) {
  if (!sealed || !is_uuid(org.value) || !is_uuid(connection_id)) return false;
  try {
    pqxx::read_transaction tx{c, "ats_credentials_replaced"};
    set_tenant(tx, org);
    auto r = tx.exec_params(
        "SELECT l.checked_credentials_sha256 <> decode($3, 'hex') FROM ats_sync_leases l"
        " WHERE l.org_id = $1::uuid AND l.connection_id = $2::uuid AND l.checked_credentials_sha256 IS NOT NULL",
        canonical_uuid(org.value), canonical_uuid(connection_id), sha256_hex(*sealed));
    tx.commit();
    return !r.empty() && r[0][0].as<bool>();
  } catch (...) {
    return map_exception(std::current_exception(), "ats_credentials_replaced");
  }
}

result<hw::unit> record_checked_credentials(pqxx::connection_base& c, const org_id& org,
                                            const std::string& connection_id, const std::string& sealed) {
  if (!is_uuid(org.value) || !is_uuid(connection_id)) return conn_not_found();
  const org_id o{canonical_uuid(org.value)};
  try {
    pqxx::work tx{c, "record_checked_credentials"};
    set_tenant(tx, o);
    auto r = tx.exec_params0(
        "INSERT INTO ats_sync_leases AS l (org_id, connection_id, checked_credentials_sha256)"
        " SELECT a.org_id, a.connection_id, decode($3, 'hex') FROM ats_connections a"
        "  WHERE a.org_id = $1::uuid AND a.connection_id = $2::uuid"
        " ON CONFLICT (org_id, connection_id) DO UPDATE"
        "    SET checked_credentials_sha256 = EXCLUDED.checked_credentials_sha256",
        o.value, canonical_uuid(connection_id), sha256_hex(sealed));
    if (r.affected_rows() == 0) return conn_not_found();
    tx.commit();
    return hw::unit{};
  } catch (...) {
    return map_exception(std::current_exception(), "record_checked_credentials");
  }
}

}  // namespace hw::storage
