#pragma once
// Outgoing e-mail: email_messages and email_suppressions (migration 0004). Every statement binds
// org_id as $1. The e-mail row and its "send_email" job are written in the caller's transaction
// (the outbox); the notify workers (actors/notify/) then load, send and record the outcome, each
// outcome in one transaction with the fenced job update. Times come from the caller's `now`.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/domain/ids.hpp"
#include "actors/domain/result.hpp"
#include "storage/job_queue.hpp"

namespace pqxx {
class connection_base;
class transaction_base;
}  // namespace pqxx

namespace hw::storage {

/// The job kind whose args are {"email_id": N}.
inline constexpr const char* send_email_job_kind = "send_email";

void prepare_email_statements(pqxx::connection_base& c);

enum class email_status { queued, sent, failed, suppressed };
std::string_view to_string(email_status s) noexcept;

enum class email_transport { smtp, dev_mailbox };
std::string_view to_string(email_transport t) noexcept;

/// What a feature asks to send. One recipient per message (security-and-reliability.md §4.1).
struct email_draft {
  std::string kind;        // e.g. "teammate_invitation": [a-z][a-z0-9_]*
  std::string to_address;  // addr-spec only ("a@b.example"), no display name
  std::string subject;     // UTF-8, no CR/LF
  std::string text_body;
  std::optional<std::string> html_body;
  /// Right-hand side of the Message-ID, <hw-{org}-{id}@{message_id_domain}>.
  std::string message_id_domain = "localhost";
};

struct email_message {
  org_id org;
  std::int64_t id = 0;
  std::string kind;
  std::string to_address;
  std::string subject;
  std::string text_body;
  std::optional<std::string> html_body;
  std::string message_id;
  email_status status = email_status::queued;
  std::optional<email_transport> transport;
  int attempts = 0;
  std::optional<std::string> last_error;
  std::string created_at;              // RFC 3339 UTC
  std::optional<std::string> sent_at;  // RFC 3339 UTC
};

struct enqueued_email {
  std::int64_t id = 0;
  email_status status = email_status::queued;  // suppressed: recorded, but no job was queued
  std::optional<std::int64_t> job_id;
};

/// True for an address the pipeline accepts: printable ASCII addr-spec with one '@', a non-empty
/// local part and domain, at most 320 bytes, and no CR, LF, '<', '>', ',', space or control
/// character (so it can never inject a header or a second recipient).
bool is_sendable_address(std::string_view a) noexcept;

/// Lower-cased address: the key of email_suppressions.
std::string normalize_address(std::string_view a);

/// Inserts the e-mail and its "send_email" job (unique_key "email:<id>") in the caller's
/// transaction. A suppressed recipient gets the row with status 'suppressed' and no job.
/// invalid_argument for a bad address/subject/kind (nothing written). SQL errors throw, like any
/// statement in the caller's transaction (pqxx::foreign_key_violation for an unknown org).
result<enqueued_email> enqueue_email(pqxx::transaction_base& tx, const org_id& org,
                                     const email_draft& draft, time_point now);

/// The e-mail id of a "send_email" job's args ({"email_id": N}); nullopt when malformed.
std::optional<std::int64_t> email_id_from_args(const std::string& args_json);

/// nullopt when there is no such e-mail in this organization.
result<std::optional<email_message>> load_email(pqxx::connection_base& c, const org_id& org,
                                                std::int64_t id);

result<bool> is_suppressed(pqxx::connection_base& c, const org_id& org, const std::string& address);

/// After a successful send, in one transaction: completes the job (fenced by `lease`) and marks
/// the e-mail sent through `transport` (attempts + 1, sent_at = now). The e-mail is marked sent
/// even when the lease was lost — it *was* delivered, and a re-claiming worker then skips it.
/// Returns false when the lease was lost.
result<bool> record_email_sent(pqxx::connection_base& c, const job_lease& lease,
                               std::int64_t email_id, email_transport transport, time_point now);

enum class email_failure { transient, permanent };

/// After a failed send, in one transaction: fails the job (fenced; a retry at now + retry_delay,
/// or dead-lettered when permanent or out of attempts), records attempts/last_error, and when the
/// job is dead-lettered marks the e-mail failed; a permanent failure also suppresses the address
/// for the organization. `detail` must carry no PII beyond what the server replied.
result<fail_outcome> record_email_failure(pqxx::connection_base& c, const job_lease& lease,
                                          std::int64_t email_id, email_failure kind,
                                          const std::string& detail,
                                          std::chrono::milliseconds retry_delay, time_point now);

/// The e-mail will not be sent because its recipient is suppressed: marks it suppressed and
/// completes the job (fenced), in one transaction. false when the lease was lost.
result<bool> record_email_suppressed(pqxx::connection_base& c, const job_lease& lease,
                                     std::int64_t email_id, time_point now);

/// Adds (or keeps) a suppression for the organization.
result<hw::unit> suppress_address(pqxx::connection_base& c, const org_id& org,
                                  const std::string& address, const std::string& reason,
                                  time_point now);

/// The dev mailbox: e-mails "delivered" through transport dev_mailbox, newest first, at most
/// `limit` (1..200), with id < before_id when given.
result<std::vector<email_message>> list_dev_mailbox(pqxx::connection_base& c, const org_id& org,
                                                    int limit,
                                                    std::optional<std::int64_t> before_id);

}  // namespace hw::storage
