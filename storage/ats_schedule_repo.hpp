#pragma once
// Cross-tenant scheduling reads of the ATS supervisor (issue 4). The one SYSTEM-scope statement
// over ats_connections: which connections are live in any organization, their state and when
// they are due. Secrets are never selected here. Unprepared (exec_params), so pg.cpp's
// prepare_all needs no entry.
//
// Blocking: call only from a db worker (or tests).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actors/domain/ats_connection_fsm.hpp"
#include "actors/domain/ids.hpp"
#include "actors/domain/result.hpp"
#include "storage/job_queue.hpp"  // time_point

namespace pqxx {
class connection_base;
}

namespace hw::storage {

struct ats_schedule_row {
  org_id org;
  std::string connection_id;  // canonical UUID
  std::string vendor;
  domain::ats_connection_state state = domain::ats_connection_state::pending;
  std::uint32_t consecutive_failures = 0;
  std::optional<time_point> next_sync_at;
  std::optional<time_point> last_sync_at;
  std::int64_t version = 1;
};

/// Every connection that is not disconnected, in every organization, ordered by connection id.
/// At most `limit` rows (1..100000).
result<std::vector<ats_schedule_row>> list_live_ats_connections(pqxx::connection_base& c,
                                                                int limit = 10'000);

}  // namespace hw::storage
