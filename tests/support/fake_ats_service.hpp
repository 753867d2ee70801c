#pragma once
// An in-memory hw::ats_service for http tests: it records every call with its arguments and
// answers with canned values (or a forced error) on its own worker thread, like the real service
// answers on an actor thread, so the server's hop back onto the connection strand is exercised.
// Thread-safe. Applications are answered as canned, names and e-mails included, whatever
// include_pii says: the tests check that the HTTP layer drops them itself.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "actors/domain/ats_service.hpp"

namespace hw::testing {

class fake_ats_service final : public ats_service {
 public:
  /// What the calls answer. The defaults (the constructor) are plausible, fully filled views.
  struct canned {
    ats_connection_view connection;
    std::optional<std::string> webhook_secret;  // create / update answer it with the connection
    ats_test_result test;
    std::vector<ats_history_entry> history;
    ats_log_page log;
    job_page jobs;
    job_detail job;
    application_page applications;
    std::vector<stage_event_view> stage_events;
    webhook_outcome webhook = webhook_outcome::accepted;
  };

  /// One call with its arguments (the fields that call has; the rest stay empty).
  struct call {
    std::string name;  // the method name, e.g. "create_connection"
    std::string org;
    std::string id;    // the connection or job id
    std::optional<std::int64_t> if_match;
    std::optional<principal> who_principal;
    actor_ref who;
    std::optional<ats_connection_create> create;
    std::optional<ats_connection_patch> patch;
    std::optional<job_filter> job_query;
    std::optional<job_edit> edit;
    std::string event;
    std::optional<application_filter> application_query;
    bool include_pii = false;
    int limit = 0;
    std::optional<std::int64_t> before;
    std::optional<webhook_delivery> delivery;
  };

  fake_ats_service();
  ~fake_ats_service() override;

  // ---- setup ----
  /// Changes the canned answers (under the lock).
  void modify(const std::function<void(canned&)>& f);
  canned answers() const;
  /// The next call named `name` fails with `e` (once).
  void fail_next(const std::string& name, hw::error e);

  // ---- observation ----
  std::vector<call> calls() const;
  std::size_t call_count() const;
  std::size_t call_count(const std::string& name) const;
  /// The last call (named `name`, when given); nothing when there was none.
  std::optional<call> last(const std::string& name = {}) const;

  // ---- ats_service ----
  void list_connections(org_id org, ats_callback<std::vector<ats_connection_view>> cb) override;
  void get_connection(org_id org, std::string id, ats_callback<ats_connection_view> cb) override;
  void create_connection(org_id org, ats_connection_create req, principal p, actor_ref who,
                         ats_callback<ats_connection_created> cb) override;
  void update_connection(org_id org, std::string id, ats_connection_patch patch, std::optional<std::int64_t> if_match,
                         principal p, actor_ref who, ats_callback<ats_connection_created> cb) override;
  void disconnect_connection(org_id org, std::string id, principal p, actor_ref who,
                             ats_callback<ats_connection_view> cb) override;
  void delete_connection(org_id org, std::string id, principal p, actor_ref who, ats_callback<unit> cb) override;
  void test_connection(org_id org, std::string id, principal p, actor_ref who, ats_callback<ats_test_result> cb) override;
  void sync_now(org_id org, std::string id, principal p, actor_ref who, ats_callback<ats_connection_view> cb) override;
  void connection_history(org_id org, std::string id, ats_callback<std::vector<ats_history_entry>> cb) override;
  void integration_log(org_id org, std::string id, int limit, std::optional<std::int64_t> before_id,
                       ats_callback<ats_log_page> cb) override;
  void list_jobs(org_id org, job_filter f, ats_callback<job_page> cb) override;
  void get_job(org_id org, std::string job_id, ats_callback<job_detail> cb) override;
  void update_job(org_id org, std::string job_id, job_edit edit, std::optional<std::int64_t> if_match, principal p,
                  actor_ref who, ats_callback<job_detail> cb) override;
  void transition_job(org_id org, std::string job_id, std::string event, std::optional<std::int64_t> if_match,
                      principal p, actor_ref who, ats_callback<job_detail> cb) override;
  void list_applications(org_id org, std::string job_id, application_filter f, bool include_pii,
                         ats_callback<application_page> cb) override;
  void list_stage_events(org_id org, std::string job_id, ats_callback<std::vector<stage_event_view>> cb) override;
  void receive_webhook(webhook_delivery d, ats_callback<webhook_ack> cb) override;

 private:
  /// Records `c`, then answers on the worker: the forced error, or `value(canned)`.
  template <class T>
  void answer(call c, ats_callback<T> cb, std::function<T(const canned&)> value);
  void run_worker();

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<call> calls_;
  std::map<std::string, hw::error> fail_next_;
  canned canned_;

  std::thread worker_;  // last: started after everything it uses exists
};

}  // namespace hw::testing
