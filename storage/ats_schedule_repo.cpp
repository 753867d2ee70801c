#include "storage/ats_schedule_repo.hpp"

#include <exception>

#include <pqxx/pqxx>

#include "storage/pg.hpp"

namespace hw::storage {

namespace {

std::optional<time_point> from_epoch_us(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return time_point{std::chrono::microseconds{f.as<std::int64_t>()}};
}

}  // namespace

result<std::vector<ats_schedule_row>> list_live_ats_connections(pqxx::connection_base& c, int limit) {
  if (limit < 1 || limit > 100'000) return hw::error{errc::invalid_argument, "limit: 1..100000"};
  try {
    pqxx::read_transaction tx{c, "list_live_ats_connections"};
    // Scheduling spans organizations: the supervisor owns every tenant's sync workers.
    set_system_scope(tx);
    auto r = tx.exec_params(
        "SELECT org_id::text, connection_id::text, vendor, state, consecutive_failures, "
        "       (extract(epoch FROM next_sync_at) * 1000000)::bigint, "
        "       (extract(epoch FROM last_sync_at) * 1000000)::bigint, version "
        "  FROM ats_connections WHERE state <> 'disconnected' "
        " ORDER BY connection_id LIMIT $1",
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
      out.push_back(std::move(s));
    }
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "list_live_ats_connections");
  }
}

}  // namespace hw::storage
