#pragma once
// Periodically returns jobs whose lease expired (their worker died) to the queue, and promotes
// due scheduled/retryable jobs. The timer is only a wake-up: due times live in PostgreSQL.
#include <chrono>

#include <caf/fwd.hpp>

namespace hw::actors {

struct sweeper_options {
  std::chrono::milliseconds interval{5000};
  std::chrono::milliseconds backoff{10000};  // delay before a swept job may run again
  std::chrono::milliseconds db_timeout{6000};
};

caf::behavior job_sweeper(caf::event_based_actor* self, caf::actor db, sweeper_options opt);

}  // namespace hw::actors
