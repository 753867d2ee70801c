#pragma once
// The ATS connector interface (issue 4): what the sync worker needs from a vendor. One connector
// object per connection, owned by that connection's sync worker (a detached actor), so it is NOT
// thread-safe and needs no locking: token refresh is single-flight by construction.
//
// All calls BLOCK (libcurl). Time and waiting go through `connector_env`, so tests drive rate-limit
// waits and backoff with a fake clock instead of sleeping. Every HTTP call (success or not) is
// reported to env.on_call with the endpoint TEMPLATE ("/v3/applications", "/token"), never a query
// string, token or PII: that is the integration log.
//
// A third vendor implements `connector` + a `vendor_traits` entry (vendor_registry.hpp) and touches
// nothing else.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/domain/ats_records.hpp"
#include "actors/domain/result.hpp"

namespace hw::ats {

using domain::epoch_ms;

/// One vendor HTTP call for the integration log.
struct call_record {
  std::string endpoint;           // path template: "/v3/jobs", "/token", "/v1/opportunities/{id}"
  std::optional<int> status;      // absent: no HTTP answer (timeout, connection refused)
  int duration_ms = 0;
  std::optional<std::string> error;  // short safe note: "HTTP 429", "timeout", "truncated body"
};

/// Retry of one call: 5xx, 408, timeouts and transport errors are retried with full-jitter
/// backoff; 429 waits Retry-After (or the rate window reset); 401 refreshes the token once.
struct call_policy {
  std::chrono::milliseconds timeout{30'000};  // one HTTP exchange, connect included
  int max_attempts = 4;
  std::chrono::milliseconds backoff_base{500};
  std::chrono::milliseconds backoff_cap{30'000};
  /// Pause before the limit: when X-RateLimit-Remaining <= this, wait for the window reset.
  int rate_reserve = 1;
  /// Longest single wait honoured (Retry-After beyond this fails the call as rate_limited).
  std::chrono::milliseconds max_wait{120'000};
};

struct connector_env {
  std::function<epoch_ms()> now_ms;                        // wall clock in production
  std::function<void(std::chrono::milliseconds)> sleep;    // tests: advance a fake clock
  std::function<void(const call_record&)> on_call;         // integration log (may be empty)
  std::function<bool()> cancelled;                         // stop requested (may be empty)
  std::function<double()> jitter;                          // uniform [0,1) for backoff (may be empty)
  call_policy policy;
};

/// Where the vendor lives: from server configuration (ats.greenhouse-api-url, ...), never from a
/// tenant, so a tenant cannot point us at an internal address. Tests point them at the fakes.
struct vendor_endpoints {
  std::string api_base;   // Greenhouse: "https://harvest.greenhouse.io" (paths add /v3/...);
                          // Lever: "https://api.lever.co" (paths add /v1/...)
  std::string token_url;  // Greenhouse: "https://auth.greenhouse.io/token"; Lever: unused
};

/// An incremental pull: records updated at or after `since` (the watermark minus a look-back),
/// or everything when absent.
struct pull_request {
  std::optional<epoch_ms> since;
  int page_size = 100;
};

/// Receives a pull page by page, in dependency order: stages, jobs, candidates, applications
/// (Greenhouse) so a page never references a record that was not offered first. An error return
/// aborts the pull with that error.
class pull_sink {
 public:
  virtual ~pull_sink() = default;
  virtual result<unit> stages(std::vector<domain::ats_stage> page) = 0;
  virtual result<unit> jobs(std::vector<domain::ats_job> page) = 0;
  virtual result<unit> candidates(std::vector<domain::ats_candidate> page) = 0;
  virtual result<unit> applications(std::vector<domain::ats_application> page) = 0;
};

struct pull_report {
  std::map<std::string, std::int64_t> fetched;  // resource -> records offered to the sink
  std::int64_t skipped = 0;                     // records that failed mapping (not offered)
  std::vector<std::string> skipped_notes;       // first few: "application 123: missing stage_id"
  std::int64_t pages = 0;
  std::optional<epoch_ms> max_updated_at;       // newest updated_at seen: the next watermark
};

/// A re-fetched application with its candidate (Lever returns both in one opportunity).
struct fetched_application {
  domain::ats_application application;
  std::optional<domain::ats_candidate> candidate;
};

class connector {
 public:
  virtual ~connector() = default;
  virtual std::string_view vendor() const noexcept = 0;

  /// Authenticates and makes one cheap read. The detail on success says what was seen.
  virtual result<std::string> test() = 0;

  /// Pulls everything changed since req.since. Errors: unauthorized (credentials refused),
  /// forbidden (scope / not Site Admin), rate_limited, unavailable (vendor down after retries),
  /// invalid_argument (malformed vendor answer, pagination loop), unavailable with detail
  /// "cancelled" when env.cancelled() turned true.
  virtual result<pull_report> pull(const pull_request& req, pull_sink& sink) = 0;

  /// Re-fetch one record (webhook processing). nullopt: the vendor answers 404 (deleted upstream).
  virtual result<std::optional<domain::ats_job>> fetch_job(const std::string& external_id) = 0;
  virtual result<std::optional<domain::ats_candidate>> fetch_candidate(const std::string& external_id) = 0;
  virtual result<std::optional<fetched_application>> fetch_application(const std::string& external_id) = 0;
};

}  // namespace hw::ats
