#include "tests/support/fake_ats_service.hpp"

#include <utility>

namespace hw::testing {

namespace {

ats_connection_view default_connection() {
  ats_connection_view c;
  c.id = "00000000-0000-4000-8000-00000000c011";
  c.vendor = "greenhouse";
  c.name = "Greenhouse (prod)";
  c.state = "connected";
  c.state_reason = "test passed";
  c.consecutive_failures = 0;
  c.last_sync_at = "2026-01-02T03:04:05Z";
  c.last_success_at = "2026-01-02T03:04:05Z";
  c.next_sync_at = "2026-01-02T04:04:05Z";
  c.has_credentials = true;
  c.has_webhook_secret = true;
  c.credential_fields = {"client_id", "client_secret"};
  c.webhook_url = "https://hirewire.example/webhooks/greenhouse/00000000-0000-4000-8000-00000000c011";
  c.settings.sync_interval_minutes = 30;
  c.counts = {12, 40, 55, 7, 2, 1};
  c.created_at = "2026-01-01T00:00:00Z";
  c.updated_at = "2026-01-02T03:04:05Z";
  c.version = 4;
  return c;
}

job_summary default_summary() {
  job_summary s;
  s.id = "00000000-0000-4000-8000-0000000000b1";
  s.connection_id = "00000000-0000-4000-8000-00000000c011";
  s.vendor = "greenhouse";
  s.external_id = "4001";
  s.title = "Backend Engineer";
  s.ats_status = "open";
  s.posting_state = "ready";
  s.department = "Engineering";
  s.location = "Berlin";
  s.applications = 3;
  s.has_local_edits = true;
  s.updated_at = "2026-01-02T03:04:05Z";
  return s;
}

job_detail default_job() {
  job_detail d;
  d.summary = default_summary();
  d.description_html = "<p>Build things</p>";
  d.requirements = "C++";
  d.opened_at = "2026-01-01T10:00:00Z";
  d.overridden_fields = {"title"};
  d.conflicts = {"title"};
  d.stages = {{"st-1", "Application Review", 0}, {"st-2", "Shortlist", 1}, {"st-3", "Offer", std::nullopt}};
  d.shortlist_stage_id = "st-2";
  d.version = 7;
  return d;
}

application_view default_application() {
  application_view a;
  a.id = "00000000-0000-4000-8000-0000000a0001";
  a.external_id = "app-9";
  a.status = "active";
  a.stage = {"st-2", "Shortlist", 1};
  a.candidate.id = "00000000-0000-4000-8000-0000000ca001";
  a.candidate.external_id = "cand-9";
  a.candidate.first_name = "Ada";
  a.candidate.last_name = "Lovelace";
  a.candidate.email = "ada@example.com";
  a.updated_at = "2026-01-02T03:04:05Z";
  return a;
}

}  // namespace

fake_ats_service::fake_ats_service() {
  canned_.connection = default_connection();
  canned_.test.ok = true;
  canned_.test.detail = "ok: 3 jobs visible";
  canned_.test.connection = canned_.connection;
  canned_.history = {{"2026-01-01T00:00:00Z", std::nullopt, "pending", "created", 0, "created"},
                     {"2026-01-01T00:01:00Z", std::string{"pending"}, "connected", "test_passed", 0, "test passed"}};
  canned_.log.entries = {{42, "2026-01-02T03:04:05Z", "outbound", "/v3/jobs", 200, 120, std::nullopt},
                         {41, "2026-01-02T03:04:00Z", "inbound", "/webhooks/greenhouse/{connection}", std::nullopt, 3,
                          std::string{"signature invalid"}}};
  canned_.log.next_before_id = 41;
  canned_.jobs.jobs = {default_summary()};
  canned_.jobs.next_cursor = "c2";
  canned_.job = default_job();
  canned_.applications.applications = {default_application()};
  canned_.stage_events = {{5, default_summary().id, default_application().id, "st-2", "Shortlist", "pending",
                           "2026-01-02T03:04:05Z"}};
  worker_ = std::thread([this] { run_worker(); });
}

fake_ats_service::~fake_ats_service() {
  {
    std::lock_guard<std::mutex> lock{mutex_};
    stopping_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void fake_ats_service::run_worker() {
  std::unique_lock<std::mutex> lock{mutex_};
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;
    auto work = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    work();
    lock.lock();
  }
}

template <class T>
void fake_ats_service::answer(call c, ats_callback<T> cb, std::function<T(const canned&)> value) {
  std::lock_guard<std::mutex> lock{mutex_};
  std::optional<hw::error> forced;
  if (auto it = fail_next_.find(c.name); it != fail_next_.end()) {
    forced = it->second;
    fail_next_.erase(it);
  }
  // The value is computed now (under the lock); the callback runs on the worker.
  std::optional<result<T>> r;
  if (forced) {
    r.emplace(*forced);
  } else {
    r.emplace(value(canned_));
  }
  calls_.push_back(std::move(c));
  queue_.push_back([cb = std::move(cb), r = std::move(*r)]() mutable { cb(std::move(r)); });
  cv_.notify_all();
}

void fake_ats_service::modify(const std::function<void(canned&)>& f) {
  std::lock_guard<std::mutex> lock{mutex_};
  f(canned_);
}

fake_ats_service::canned fake_ats_service::answers() const {
  std::lock_guard<std::mutex> lock{mutex_};
  return canned_;
}

void fake_ats_service::fail_next(const std::string& name, hw::error e) {
  std::lock_guard<std::mutex> lock{mutex_};
  fail_next_[name] = std::move(e);
}

std::vector<fake_ats_service::call> fake_ats_service::calls() const {
  std::lock_guard<std::mutex> lock{mutex_};
  return calls_;
}

std::size_t fake_ats_service::call_count() const {
  std::lock_guard<std::mutex> lock{mutex_};
  return calls_.size();
}

std::size_t fake_ats_service::call_count(const std::string& name) const {
  std::lock_guard<std::mutex> lock{mutex_};
  std::size_t n = 0;
  for (const auto& c : calls_) n += c.name == name;
  return n;
}

std::optional<fake_ats_service::call> fake_ats_service::last(const std::string& name) const {
  std::lock_guard<std::mutex> lock{mutex_};
  for (auto it = calls_.rbegin(); it != calls_.rend(); ++it) {
    if (name.empty() || it->name == name) return *it;
  }
  return std::nullopt;
}

namespace {

fake_ats_service::call make_call(std::string name, const org_id& org, std::string id = {}) {
  fake_ats_service::call c;
  c.name = std::move(name);
  c.org = org.value;
  c.id = std::move(id);
  return c;
}

}  // namespace

void fake_ats_service::list_connections(org_id org, ats_callback<std::vector<ats_connection_view>> cb) {
  answer<std::vector<ats_connection_view>>(make_call("list_connections", org), std::move(cb),
                                           [](const canned& k) { return std::vector<ats_connection_view>{k.connection}; });
}

void fake_ats_service::get_connection(org_id org, std::string id, ats_callback<ats_connection_view> cb) {
  answer<ats_connection_view>(make_call("get_connection", org, std::move(id)), std::move(cb),
                              [](const canned& k) { return k.connection; });
}

void fake_ats_service::create_connection(org_id org, ats_connection_create req, principal p, actor_ref who,
                                         ats_callback<ats_connection_created> cb) {
  auto c = make_call("create_connection", org);
  c.create = std::move(req);
  c.who_principal = std::move(p);
  c.who = std::move(who);
  answer<ats_connection_created>(std::move(c), std::move(cb), [](const canned& k) {
    return ats_connection_created{k.connection, k.webhook_secret};
  });
}

void fake_ats_service::update_connection(org_id org, std::string id, ats_connection_patch patch,
                                         std::optional<std::int64_t> if_match, principal p, actor_ref who,
                                         ats_callback<ats_connection_created> cb) {
  auto c = make_call("update_connection", org, std::move(id));
  c.patch = std::move(patch);
  c.if_match = if_match;
  c.who_principal = std::move(p);
  c.who = std::move(who);
  answer<ats_connection_created>(std::move(c), std::move(cb), [](const canned& k) {
    return ats_connection_created{k.connection, k.webhook_secret};
  });
}

void fake_ats_service::disconnect_connection(org_id org, std::string id, principal p, actor_ref who,
                                             ats_callback<ats_connection_view> cb) {
  auto c = make_call("disconnect_connection", org, std::move(id));
  c.who_principal = std::move(p);
  c.who = std::move(who);
  answer<ats_connection_view>(std::move(c), std::move(cb), [](const canned& k) { return k.connection; });
}

void fake_ats_service::delete_connection(org_id org, std::string id, principal p, actor_ref who,
                                         ats_callback<unit> cb) {
  auto c = make_call("delete_connection", org, std::move(id));
  c.who_principal = std::move(p);
  c.who = std::move(who);
  answer<unit>(std::move(c), std::move(cb), [](const canned&) { return unit{}; });
}

void fake_ats_service::test_connection(org_id org, std::string id, principal p, actor_ref who,
                                       ats_callback<ats_test_result> cb) {
  auto c = make_call("test_connection", org, std::move(id));
  c.who_principal = std::move(p);
  c.who = std::move(who);
  answer<ats_test_result>(std::move(c), std::move(cb), [](const canned& k) { return k.test; });
}

void fake_ats_service::sync_now(org_id org, std::string id, principal p, actor_ref who,
                                ats_callback<ats_connection_view> cb) {
  auto c = make_call("sync_now", org, std::move(id));
  c.who_principal = std::move(p);
  c.who = std::move(who);
  answer<ats_connection_view>(std::move(c), std::move(cb), [](const canned& k) {
    auto v = k.connection;
    v.syncing = true;
    return v;
  });
}

void fake_ats_service::connection_history(org_id org, std::string id, ats_callback<std::vector<ats_history_entry>> cb) {
  answer<std::vector<ats_history_entry>>(make_call("connection_history", org, std::move(id)), std::move(cb),
                                         [](const canned& k) { return k.history; });
}

void fake_ats_service::integration_log(org_id org, std::string id, int limit, std::optional<std::int64_t> before_id,
                                       ats_callback<ats_log_page> cb) {
  auto c = make_call("integration_log", org, std::move(id));
  c.limit = limit;
  c.before = before_id;
  answer<ats_log_page>(std::move(c), std::move(cb), [](const canned& k) { return k.log; });
}

void fake_ats_service::list_jobs(org_id org, job_filter f, ats_callback<job_page> cb) {
  auto c = make_call("list_jobs", org);
  c.job_query = std::move(f);
  answer<job_page>(std::move(c), std::move(cb), [](const canned& k) { return k.jobs; });
}

void fake_ats_service::get_job(org_id org, std::string job_id, ats_callback<job_detail> cb) {
  answer<job_detail>(make_call("get_job", org, std::move(job_id)), std::move(cb), [](const canned& k) { return k.job; });
}

void fake_ats_service::update_job(org_id org, std::string job_id, job_edit edit, std::optional<std::int64_t> if_match,
                                  principal p, actor_ref who, ats_callback<job_detail> cb) {
  auto c = make_call("update_job", org, std::move(job_id));
  c.edit = std::move(edit);
  c.if_match = if_match;
  c.who_principal = std::move(p);
  c.who = std::move(who);
  answer<job_detail>(std::move(c), std::move(cb), [](const canned& k) { return k.job; });
}

void fake_ats_service::transition_job(org_id org, std::string job_id, std::string event,
                                      std::optional<std::int64_t> if_match, principal p, actor_ref who,
                                      ats_callback<job_detail> cb) {
  auto c = make_call("transition_job", org, std::move(job_id));
  c.event = std::move(event);
  c.if_match = if_match;
  c.who_principal = std::move(p);
  c.who = std::move(who);
  answer<job_detail>(std::move(c), std::move(cb), [](const canned& k) { return k.job; });
}

void fake_ats_service::list_applications(org_id org, std::string job_id, application_filter f, bool include_pii,
                                         ats_callback<application_page> cb) {
  auto c = make_call("list_applications", org, std::move(job_id));
  c.application_query = std::move(f);
  c.include_pii = include_pii;
  answer<application_page>(std::move(c), std::move(cb), [](const canned& k) { return k.applications; });
}

void fake_ats_service::list_stage_events(org_id org, std::string job_id,
                                         ats_callback<std::vector<stage_event_view>> cb) {
  answer<std::vector<stage_event_view>>(make_call("list_stage_events", org, std::move(job_id)), std::move(cb),
                                        [](const canned& k) { return k.stage_events; });
}

void fake_ats_service::receive_webhook(webhook_delivery d, ats_callback<webhook_ack> cb) {
  call c;
  c.name = "receive_webhook";
  c.id = d.connection_id;
  c.who = d.who;
  c.delivery = std::move(d);
  answer<webhook_ack>(std::move(c), std::move(cb), [](const canned& k) { return webhook_ack{k.webhook}; });
}

}  // namespace hw::testing
