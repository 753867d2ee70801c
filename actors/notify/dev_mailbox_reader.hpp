#pragma once
// A detached actor with its own PostgreSQL connection that answers dev mailbox reads for the
// gateway (GET /api/v1/dev/mailbox). Spawned only when the dev mailbox is the transport.
//   (mailbox_atom, org_id, int limit, int64 before_id (<= 0: none)) -> std::vector<dev_mail_view>
// A lost connection answers errc::unavailable and is re-opened on the next request.
#include <chrono>
#include <string>

#include <caf/fwd.hpp>

namespace hw::actors {

caf::actor spawn_dev_mailbox_reader(caf::actor_system& sys, std::string dsn,
                                    std::chrono::milliseconds statement_timeout);

}  // namespace hw::actors
