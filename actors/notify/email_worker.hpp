#pragma once
// One step of an e-mail sender worker, as a plain function over a connection, a sender and a
// clock (no CAF), so tests run it synchronously: claim one "send_email" job, load the e-mail,
// skip suppressed recipients, send, and record the outcome together with the fenced job update
// in one transaction. The worker actor (notification_supervisor.cpp) calls it in a loop.
// Blocking: call only from a detached actor or a test thread.
#include <chrono>
#include <functional>
#include <string>

#include "actors/domain/result.hpp"
#include "actors/domain/retry_policy.hpp"
#include "actors/notify/email_sender.hpp"
#include "storage/job_queue.hpp"

namespace pqxx {
class connection_base;
}

namespace hw::actors {

struct email_step_options {
  std::string worker_id = "notify-0";            // attempted_by of the claimed jobs
  std::string from = "hirewire <no-reply@localhost>";
  std::chrono::milliseconds lease{60'000};
  domain::retry_policy retry{};                  // delay before a transient failure is retried
};

enum class email_step {
  idle,             // no due job
  sent,             // delivered and recorded
  retry_scheduled,  // transient failure; the job runs again later
  failed,           // permanent failure (address suppressed) or attempts exhausted
  suppressed,       // the recipient is suppressed; not sent
  skipped,          // nothing to send (already sent, missing e-mail, malformed job); job finished
  lease_lost,       // another worker owns the job now; result dropped
};
const char* to_string(email_step s) noexcept;

using clock_fn = std::function<storage::time_point()>;

/// Processes at most one job. `jitter` is the retry-policy draw in [0, 1]. Database failures are
/// returned (errc::unavailable: reconnect); SMTP failures are outcomes, never errors.
result<email_step> process_one_email(pqxx::connection_base& c, email_sender& sender,
                                     const email_step_options& opt, const clock_fn& now,
                                     double jitter);

}  // namespace hw::actors
