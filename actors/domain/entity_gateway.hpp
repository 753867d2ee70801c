#pragma once
// The CAF-free interface that http/ calls. Its implementation (actors/gateway/caf_gateway) bridges
// into the actor system asynchronously. Callbacks run on an actor thread: the caller must hop back
// onto its own executor (http/ posts onto the connection's strand) and must not block.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "actors/domain/audit.hpp"
#include "actors/domain/organization.hpp"
#include "actors/domain/result.hpp"

namespace hw {

template <class T>
using callback = std::function<void(result<T>)>;

// actor_ref (who is asking, with the request's ip / user agent / request id) is in audit.hpp.

struct readiness_report {
  bool database = false;            // a worker answered SELECT 1
  bool migrations_current = false;  // every embedded migration is applied, none edited
  bool supervisors_ok = false;      // no supervisor reports degraded
  std::vector<std::string> problems;
  std::vector<std::string> notes;   // shown, but not a reason to be unready (failing tenant ATS)
  bool ready() const noexcept { return database && migrations_current && supervisors_ok; }
};

/// Counts for /metrics that live in the actor system and the database.
struct runtime_stats {
  std::map<std::string, std::int64_t> active_actors;  // entity type -> active actors
  std::int64_t db_pool_size = 0;
  std::int64_t db_pool_in_use = 0;
  std::int64_t db_pool_connected = 0;
  // (kind, state) -> jobs; empty when the database could not be asked
  std::vector<std::pair<std::pair<std::string, std::string>, std::int64_t>> queue_depth;
  /// Further plain samples (hash pool, session cache): name, HELP text, TYPE (gauge | counter).
  struct sample {
    std::string name;
    std::string help;
    std::string type;
    std::int64_t value = 0;
  };
  std::vector<sample> extra;
};

/// One e-mail in the dev mailbox (the transport used when no SMTP relay is configured).
struct dev_mail_view {
  std::int64_t id = 0;
  std::string kind;
  std::string to;
  std::string subject;
  std::string text_body;
  std::optional<std::string> html_body;
  std::string message_id;
  std::string status;
  std::string created_at;               // RFC 3339 UTC
  std::optional<std::string> sent_at;   // RFC 3339 UTC
};

class entity_gateway {
 public:
  virtual ~entity_gateway() = default;

  virtual void create_organization(domain::org_create req, actor_ref who,
                                   callback<domain::organization> cb) = 0;
  virtual void get_organization(org_id id, callback<domain::organization> cb) = 0;
  /// `if_match`: when set, the update is refused with precondition_failed unless the current
  /// version equals it.
  virtual void update_organization(org_id id, domain::org_patch patch, std::optional<std::int64_t> if_match,
                                   actor_ref who, callback<domain::organization> cb) = 0;
  virtual void apply_organization_event(org_id id, domain::org_event ev, actor_ref who,
                                        callback<domain::organization> cb) = 0;

  /// The dev mailbox of `org`, newest first: at most `limit` (1..200) e-mails, with id < before_id
  /// when given. unavailable when the server does not use the dev mailbox transport.
  virtual void dev_mailbox(org_id org, int limit, std::optional<std::int64_t> before_id,
                           callback<std::vector<dev_mail_view>> cb) = 0;

  /// One page of `org`'s audit log, newest first (see audit_query). not_found when the
  /// organization does not exist; invalid_argument for a bad query or cursor.
  virtual void list_audit(org_id org, audit_query q, callback<audit_page> cb) = 0;
  /// Fire-and-forget: appends `e` in its own transaction when e.org names an existing
  /// organization (otherwise nothing). Never blocks the caller and reports nothing back; used
  /// for refused requests (e.g. a rejected admin token), which change nothing else.
  virtual void record_audit(audit_entry e) = 0;

  virtual void readiness(callback<readiness_report> cb) = 0;
  virtual void stats(callback<runtime_stats> cb) = 0;
};

}  // namespace hw
