#pragma once
// A fake Greenhouse for hermetic tests of the ATS connector (ats.md §1.9): a real HTTP server on
// 127.0.0.1 (port 0 by default), Boost.Beast on a few threads (fake_vendor_server; one request per
// connection, answered and closed). It implements:
//   POST /token           Basic client_id:client_secret, grant_type in the form body or the query
//                         string: client_credentials (optional sub), authorization_code (code,
//                         redirect_uri), refresh_token (rotates: the old one -> 400 invalid_grant);
//                         answers {"token_type":"Bearer","access_token":<JWT-shaped, carries sub>,
//                         "expires_at":"<ISO-8601>"} (+ "refresh_token" for the last two); other
//                         grants -> 400 unsupported_grant_type
//   GET  /authorize       client_id, redirect_uri, response_type=code, state, and (fake only) sub,
//                         the consenting user (default "1001") -> 302 redirect_uri?code=..&state=..
//   GET  /v3/{jobs,job_posts,job_interview_stages,candidates,applications,notes,departments,
//             offices}
//                         bearer check (missing/unknown/expired -> 401); a non-admin sub -> 403
//                         {"message":"missing OAuth scope or authorizing user is not a Site Admin"};
//                         bare JSON array, id DESC;
//                         per_page 1..500 (default 100, else 422); ids (<= 50), <parent>_ids
//                         (job_ids, candidate_ids...), status (applications: active -> in_process),
//                         created_at/updated_at pipe filters (gte|t[|lte|t2], gt, lt), fields;
//                         Link: <.../v3/<r>?cursor=...>; rel="next" only while rows remain;
//                         422 when cursor is combined with any other parameter or unknown.
//   rate limiting         fixed window (default 30 s, 75 requests) on /v3: X-RateLimit-Limit,
//                         -Remaining, -Reset (epoch) on every /v3 answer; over -> 429 + Retry-After
//   chaos                 next N answers 5xx, a delay before answering, next N bodies truncated,
//                         a pagination loop (Link repeats the current cursor), one list answering
//                         a fixed status (403: no scope for it, 404: this server lacks it)
//   webhooks              signed deliveries (actors/ats/greenhouse_signature) POSTed to registered
//                         endpoints, bodies with Rails escapes (\u003c \u003e \u0026 \u2028 \u2029);
//                         deliveries queue until flush_webhooks(), which can reverse the order or
//                         send each one twice. With ping_on_register, add_webhook_endpoint first
//                         POSTs a signed {"action":"ping",...}; an answer other than 200 leaves the
//                         endpoint disabled (no deliveries). Off by default: tests may register an
//                         endpoint before its receiver is up.
//   writes (bearer)       POST /v3/notes (candidate_id, body, visibility admin_only|private|public,
//                         optional application_id, user_id, subject, note_type NOTE|ACTIVITY) -> 201,
//                         visibility answered as *_visible; bumps the candidate's updated_at.
//                         POST /v3/applications/{id}/move {from_stage_id, to_stage_id?} -> 200;
//                         422 unless status in_process and from_stage_id equals the current
//                         stage_id (the job_interview_stage id here) and to_stage_id is a stage of
//                         its job; no to_stage_id = the next stage by sort_order; queues
//                         candidate_stage_change. PATCH /v3/applications/{id} (recruiter_id,
//                         coordinator_id, source_id, referrer_id, custom_fields) -> 200; queues
//                         application_updated. Unknown fields -> 422.
//   control (opt-in)      control_api: POST /_control/move_application {"application_id","stage_id"},
//                         /_control/add_webhook_endpoint {"url","secret"} -> {"ok","enabled"},
//                         /_control/flush_webhooks {"reverse_order"?,"duplicate"?} ->
//                         {"deliveries":[{url,action,event_id,status}]}, /_control/advance
//                         {"seconds"}; GET /_control/state -> {"now","counts":{...},
//                         "pending_webhooks","endpoints":[{url,enabled}],"token_requests"}.
// Not here yet (ats.md §1.9): application_stages/custom_fields/users/attachments lists, webhook
// retry schedule, POST /v3/attachments.
//
// Time: `now` (unix seconds, default 1'700'000'000) is set by the test; token expiry, the rate
// window and updated_at all derive from it. With wall_clock, now follows the system clock
// (set_now/advance shift it).
//
// Thread safety: every public member may be called from the test thread while the server threads
// answer requests (one mutex). flush_webhooks() blocks the caller while it POSTs. Lists seek to
// the cursor position (std::map), so a page costs O(page) without filters; `ids` looks rows up.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "tests/support/fake_vendor_server.hpp"

namespace hw::testing {

/// ISO-8601 UTC with milliseconds, as Harvest v3 writes it: "2023-11-14T22:13:20.000Z".
std::string gh_iso8601(std::int64_t unix_seconds);

/// The JSON text with Rails' (ActiveSupport) HTML-safe escapes applied: '<' '>' '&' become
/// \u003c \u003e \u0026, U+2028/U+2029 become \u2028/\u2029. Only valid on serialized JSON (those
/// characters can only occur inside strings there).
std::string rails_json_escape(std::string_view json_text);

struct fake_greenhouse_options {
  std::string client_id = "gh-client-id";
  std::string client_secret = "gh-client-secret";
  std::int64_t now = 1'700'000'000;
  std::int64_t token_ttl_seconds = 3600;
  int rate_limit = 75;
  std::int64_t rate_window_seconds = 30;
  std::int64_t refresh_ttl_seconds = 24 * 3600;
  std::int64_t code_ttl_seconds = 60;
  bool wall_clock = false;        // now follows the system clock (standalone process, benchmarks)
  bool control_api = false;       // serve /_control/* (browser tests driven from another process)
  bool ping_on_register = false;  // add_webhook_endpoint pings; not 200 -> endpoint disabled
  std::uint16_t port = 0;         // 0: any free port
};

/// Sizes of the seeded data set. Ids are deterministic for a given seed; values vary with it.
struct fake_greenhouse_seed {
  std::uint64_t seed = 42;
  int jobs = 3;
  int stages_per_job = 4;  // job_interview_stages, sort_order 0..n-1
  int candidates = 12;     // one application each, round-robin over the jobs
  // departments 7001 "Engineering" (child 7002 "Platform & Infra") and offices 8001 "Berlin"
  // (location "Berlin, Germany"), 8002 "Remote": every seeded job has department_id 7001 and
  // office_ids [8001]. false: both lists are empty (jobs then show the ids).
  bool directory = true;
};

/// One HTTP answer as a test sees it (lower-case header names).
using gh_http_result = vendor_http_result;

/// A blocking libcurl call with a 10 s bound (status 0 on a transport error).
inline gh_http_result gh_http(const std::string& method, const std::string& url,
                              const std::vector<std::pair<std::string, std::string>>& headers = {},
                              const std::string& body = {}) {
  return vendor_http(method, url, headers, body);
}

/// What the emitter sent and got back, one entry per POST.
struct gh_webhook_delivery {
  std::string url;
  std::string event_id;  // Greenhouse-Event-ID
  std::string action;
  std::string body;      // exactly the signed bytes
  std::string signature; // the Signature header value
  long status = 0;       // 0: transport error
};

struct gh_flush_options {
  bool reverse_order = false;        // out-of-order delivery
  bool duplicate = false;            // each delivery sent twice
  bool duplicate_same_event_id = true;  // ...with the same Greenhouse-Event-ID (else a new one)
};

class fake_greenhouse {
 public:
  explicit fake_greenhouse(fake_greenhouse_options opt = {});
  ~fake_greenhouse();  // stops the server and joins its thread
  fake_greenhouse(const fake_greenhouse&) = delete;
  fake_greenhouse& operator=(const fake_greenhouse&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  /// "http://127.0.0.1:<port>": the token URL is base_url() + "/token", Harvest is + "/v3".
  std::string base_url() const;
  const fake_greenhouse_options& options() const noexcept { return opt_; }

  // ---- clock ----
  void set_now(std::int64_t unix_seconds);
  void advance(std::int64_t seconds);
  std::int64_t now() const;

  // ---- data set (resources: "jobs", "job_posts", "job_interview_stages", "candidates",
  //      "applications", "notes", "departments", "offices"; rows are v3-shaped JSON objects keyed by "id") ----
  /// Replaces the data set with a deterministic one; created_at/updated_at = now() - k minutes.
  void seed(const fake_greenhouse_seed& s = {});
  /// Every row of `resource`, id DESC (what an unfiltered full scan must return).
  nlohmann::json rows(const std::string& resource) const;
  nlohmann::json row(const std::string& resource, std::int64_t id) const;  // null when absent
  /// Inserts or replaces a row (needs "id"); sets created_at if missing and updated_at = now().
  void upsert(const std::string& resource, const nlohmann::json& row);
  /// Moves an application to another job_interview_stage: stage_id/stage_name, updated_at and
  /// last_activity_at = now(); queues a candidate_stage_change webhook. False if either is unknown.
  bool move_application(std::int64_t application_id, std::int64_t stage_id);
  /// Blanks the candidate's names, e-mails and phones, bumps updated_at; queues
  /// candidate_anonymized. False if unknown.
  bool anonymize_candidate(std::int64_t candidate_id);

  // ---- tokens ----
  int token_requests() const;
  /// Every access token issued so far expires now (the next Harvest call gets 401).
  void expire_tokens();
  void set_token_ttl(std::int64_t seconds);
  /// The sub of a live token, or nothing.
  std::optional<std::string> token_sub(const std::string& access_token) const;
  /// An authorization code for `sub`, as GET /authorize would issue it (TTL code_ttl_seconds).
  /// redirect_uri, when not empty, must be repeated in the token exchange.
  std::string issue_authorization_code(const std::string& sub = "1001", const std::string& redirect_uri = {});
  /// Site Admin status of tokens whose sub is `sub` ("*": every token). Default: admin.
  /// A non-admin token gets 403 on list endpoints.
  void set_site_admin(const std::string& sub, bool admin);

  // ---- rate limit ----
  void set_rate_limit(int limit, std::int64_t window_seconds = 30);

  // ---- chaos ----
  /// The next `n` /v3 answers are `status` with {"message":"Server timeout in API"}.
  void fail_next(int n, unsigned status = 500);
  /// Every answer (token and /v3) waits this long first (on a timer: the server keeps serving).
  void set_delay(std::chrono::milliseconds d);
  /// The next `n` successful /v3 list bodies are cut in half (invalid JSON).
  void truncate_next(int n);
  /// GET /v3/<resource> answers `status` after the bearer and rate checks (401 Unauthorized,
  /// 403 the Site Admin message, 404 "Resource not found", other 4xx a validation error, 5xx
  /// the server-timeout body) until set back with 0.
  void set_list_status(const std::string& resource, unsigned status);
  /// While on, a page fetched with a cursor links back to that same cursor (an endless loop).
  void set_pagination_loop(bool on);

  /// Requests received per path ("/token", "/v3/jobs", ...).
  int requests(const std::string& path) const;

  // ---- webhooks ----
  /// Adds an endpoint that receives every queued event. With ping_on_register it is pinged first
  /// (blocking) and stays disabled unless the ping is answered 200. Returns whether it is enabled.
  bool add_webhook_endpoint(std::string url, std::string secret);
  /// Queues {"action":action,"payload":payload} for every endpoint.
  void queue_webhook(const std::string& action, const nlohmann::json& payload);
  std::size_t pending_webhooks() const;
  /// POSTs the queued deliveries (blocking, in order unless told otherwise) and clears the queue.
  std::vector<gh_webhook_delivery> flush_webhooks(const gh_flush_options& o = {});

 private:
  struct impl;
  struct response {
    unsigned status = 200;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
  };
  struct token {
    std::string sub;
    std::int64_t expires_at = 0;
  };
  struct auth_code {
    std::string sub;
    std::string redirect_uri;
    std::int64_t expires_at = 0;
  };
  struct endpoint {
    std::string url;
    std::string secret;
    bool enabled = true;
  };
  struct cursor_state {
    std::string resource;
    std::map<std::string, std::string> query;  // the first request's parameters
    std::int64_t after_id = 0;                 // next page: ids < after_id
  };
  struct queued_event {
    std::string action;
    std::string body;  // serialized once, Rails-escaped: duplicates send the same bytes
  };
  using rate_headers_t = std::vector<std::pair<std::string, std::string>>;
  response handle(const vendor_request& req);
  /// Bearer, Site Admin (lists), rate window and fail_next for /v3; nothing = go on (rate
  /// headers in out_headers).
  std::optional<response> gate_locked(const std::string& authorization, bool list, rate_headers_t& out_headers);
  response on_token(const std::string& query, const std::string& authorization, const std::string& body);
  response on_authorize(const std::string& query);
  response on_list(const std::string& resource, const std::string& query, const std::string& authorization);
  response on_write(const std::string& method, const std::string& path, const std::string& authorization,
                    const std::string& body);
  response on_control(const std::string& method, const std::string& path, const std::string& body);
  void queue_locked(const std::string& action, const nlohmann::json& payload);
  void touch_locked(nlohmann::json& row);
  std::int64_t now_locked() const;
  bool move_locked(std::int64_t application_id, std::int64_t stage_id);
  nlohmann::json application_hook_locked(std::int64_t application_id);
  std::string new_auth_code_locked(const std::string& sub, const std::string& redirect_uri);

  fake_greenhouse_options opt_;
  std::uint16_t port_ = 0;
  mutable std::mutex mu_;
  std::map<std::string, int> requests_;
  std::map<std::string, std::map<std::int64_t, std::shared_ptr<nlohmann::json>>> data_;
  std::map<std::string, token> tokens_;
  std::map<std::string, token> refresh_tokens_;
  std::map<std::string, auth_code> codes_;
  std::map<std::string, bool> site_admin_;  // sub ("*" = all) -> admin
  std::int64_t clock_offset_ = 0;           // wall_clock: now = system clock + offset
  int token_requests_ = 0;
  std::uint64_t serial_ = 0;
  std::map<std::string, cursor_state> cursors_;
  std::int64_t window_start_ = 0;
  int window_used_ = 0;
  int fail_next_ = 0;
  unsigned fail_status_ = 500;
  int truncate_next_ = 0;
  bool pagination_loop_ = false;
  std::map<std::string, unsigned> list_status_;  // set_list_status
  std::chrono::milliseconds delay_{0};
  std::vector<endpoint> endpoints_;
  std::vector<queued_event> queue_;
  std::unique_ptr<impl> impl_;
};

/// A tiny webhook receiver for tests: a Beast server on 127.0.0.1:0 (own thread) that records
/// each request's raw body and headers and answers `status` (default 200).
class webhook_sink {
 public:
  struct received {
    std::string target;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names
  };
  webhook_sink();
  ~webhook_sink();
  webhook_sink(const webhook_sink&) = delete;
  webhook_sink& operator=(const webhook_sink&) = delete;

  std::string url() const;  // "http://127.0.0.1:<port>/webhooks"
  void set_status(unsigned status);
  std::vector<received> deliveries() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace hw::testing
