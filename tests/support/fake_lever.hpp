#pragma once
// A fake Lever (reference/ats.md §2) for hermetic tests of the Lever connector: a real HTTP server
// on 127.0.0.1 (port 0 by default), Boost.Beast on a few threads (one request per connection):
//   GET /v1/{postings,opportunities,stages,archive_reasons}
//                         HTTP Basic (api key as username, empty password; else 401);
//                         {"data":[...],"hasNext":bool,"next":"<opaque>"} (next only when hasNext);
//                         limit 1..100 (default 100, else 400 BadRequestError); offset = a token
//                         this server issued (else 400); order: createdAt, then id.
//                         opportunities: updated_at_start (ms, inclusive), posting_id, stage_id,
//                         archived=true|false, contact_id, email (exact; 400 without '@'), tag,
//                         origin, expand=stage ({"id","text"}), expand=applications; several
//                         values: repeat the parameter or comma-separate; unknown ones ignored.
//                         postings: state, updated_at_start.
//   GET /v1/opportunities/{id}, /v1/postings/{id}   {"data":{...}} or 404
//   rate limiting         token bucket (rate_per_second, burst) on the injected clock (or the wall
//                         clock) -> 429 {"code":"TooManyRequests"} + Retry-After: 1
//   chaos                 next N answers 5xx, a delay, next N list bodies truncated, a pagination
//                         loop (next repeats the current offset token)
//   webhooks              {"triggeredAt","event","signature","token","data":{...}} POSTed as JSON to
//                         registered endpoints, signed per lever_signature_hex; queued until
//                         flush_webhooks(), which can reverse the order or send each one twice.
//   control (opt-in)      POST /_control/move_opportunity {"opportunity_id","stage_id"},
//                         /_control/archive_opportunity {"opportunity_id","reason_id"},
//                         /_control/add_webhook_endpoint {"url","signature_token"},
//                         /_control/flush_webhooks {} -> {"deliveries":[{url,event,status}]};
//                         GET /_control/state -> {"now_ms","counts":{...},"pending_webhooks",...}
//
// Time: `now_ms` (epoch ms) is set by the test unless wall_clock is on.
// Thread safety: every public member may be called while the server threads answer (one mutex);
// flush_webhooks() blocks the caller while it POSTs.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace hw::testing {

struct fake_lever_options {
  std::string api_key = "lever-api-key";
  std::int64_t now_ms = 1'700'000'000'000;
  double rate_per_second = 10;
  int burst = 20;
  bool wall_clock = false;  // now follows the real clock (standalone process, benchmarks)
  bool control_api = false; // serve /_control/* (see below)
  std::uint16_t port = 0;   // 0: any free port
};

/// Sizes of the seeded data set. Ids are deterministic for a given seed.
struct fake_lever_seed {
  std::uint64_t seed = 7;
  int postings = 3;
  int stages = 5;
  int opportunities = 12;  // one application each, round-robin over the postings
};

struct lever_webhook_delivery {
  std::string url;
  std::string event;
  std::string body;  // exactly the bytes POSTed
  long status = 0;   // 0: transport error
};

struct lever_flush_options {
  bool reverse_order = false;
  bool duplicate = false;  // each delivery sent twice (same bytes)
};

/// hex(HMAC-SHA256(key = signature_token, msg = token + std::to_string(triggered_at_ms))) — ats.md §2.
std::string lever_signature_hex(std::string_view signature_token, std::string_view token,
                                std::int64_t triggered_at_ms);

class fake_lever {
 public:
  explicit fake_lever(fake_lever_options opt = {});
  ~fake_lever();  // stops the server and joins its threads
  fake_lever(const fake_lever&) = delete;
  fake_lever& operator=(const fake_lever&) = delete;

  std::uint16_t port() const noexcept;
  /// "http://127.0.0.1:<port>"; the API is under /v1.
  std::string base_url() const;
  const fake_lever_options& options() const noexcept;

  // ---- clock ----
  void set_now_ms(std::int64_t ms);
  void advance_ms(std::int64_t ms);
  std::int64_t now_ms() const;

  // ---- data set (resources: "postings", "opportunities", "stages", "archive_reasons") ----
  /// Replaces the data set with a deterministic one. Archive reasons always include one with
  /// status "hired" (id "ar-hired") and one "non-hired" (id "ar-withdrew").
  void seed(const fake_lever_seed& s = {});
  /// Every row of `resource` in list order, as stored: an opportunity's `stage` is an id and its
  /// `applications` are expanded objects ({id, type, posting, ...}); the wire shape without
  /// expand=applications lists application ids only.
  nlohmann::json rows(const std::string& resource) const;
  nlohmann::json row(const std::string& resource, const std::string& id) const;  // null when absent
  /// Inserts or replaces a row (needs "id"); sets createdAt if missing and updatedAt = now.
  void upsert(const std::string& resource, const nlohmann::json& row);
  /// Sets the opportunity's stage, bumps updatedAt; queues candidateStageChange. False if unknown.
  bool move_opportunity(const std::string& id, const std::string& stage_id);
  /// Sets archived {reason, archivedAt}, bumps updatedAt; queues candidateArchiveChange, plus
  /// candidateHired when the reason's status is "hired". False if either is unknown.
  bool archive_opportunity(const std::string& id, const std::string& reason_id);
  /// Removes the opportunity; queues candidateDeleted. False if unknown.
  bool delete_opportunity(const std::string& id);

  // ---- rate limit ----
  void set_rate_limit(double per_second, int burst);

  // ---- chaos ----
  /// The next `n` /v1 answers are `status` with {"code":"InternalServerError",...}.
  void fail_next(int n, unsigned status = 500);
  /// The next `n` successful /v1 list bodies are cut in half (invalid JSON).
  void truncate_next(int n);
  /// While on, a page fetched with an offset answers that same offset as `next` (endless loop).
  void set_pagination_loop(bool on);
  /// Every answer waits this long first (on a timer: the server keeps serving).
  void set_delay(std::chrono::milliseconds d);

  /// Requests received per path ("/v1/opportunities", "/v1/opportunities/{id}" counts under its
  /// own path).
  int requests(const std::string& path) const;

  // ---- webhooks ----
  void add_webhook_endpoint(std::string url, std::string signature_token);
  /// Queues an event; triggeredAt (now) and a fresh random token are fixed here, the signature
  /// is computed per endpoint at flush time.
  void queue_webhook(const std::string& event, const nlohmann::json& data);
  std::size_t pending_webhooks() const;
  /// POSTs the queued deliveries (blocking) and clears the queue.
  std::vector<lever_webhook_delivery> flush_webhooks(const lever_flush_options& o = {});

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace hw::testing
