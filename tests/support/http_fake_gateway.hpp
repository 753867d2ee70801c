#pragma once
// An in-memory entity_gateway for http tests. Like the real one, it answers on a foreign thread
// (its own worker), so the server's hop back onto the connection strand is exercised. It records
// every call, and can hold callbacks so a test decides when (or whether) they complete.
#include <chrono>
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

#include "actors/domain/entity_gateway.hpp"

namespace hw::testing {

class fake_gateway final : public entity_gateway {
 public:
  fake_gateway();
  ~fake_gateway() override;

  void create_organization(domain::org_create req, actor_ref who, callback<domain::organization> cb) override;
  void get_organization(org_id id, callback<domain::organization> cb) override;
  void update_organization(org_id id, domain::org_patch patch, std::optional<std::int64_t> if_match,
                           actor_ref who, callback<domain::organization> cb) override;
  void apply_organization_event(org_id id, domain::org_event ev, actor_ref who,
                                callback<domain::organization> cb) override;
  void dev_mailbox(org_id org, int limit, std::optional<std::int64_t> before_id,
                   callback<std::vector<dev_mail_view>> cb) override;
  void list_audit(org_id org, audit_query q, callback<audit_page> cb) override;
  /// Fire-and-forget: kept in audits(), not counted in calls() (which are the calls that answer a
  /// request).
  void record_audit(audit_entry e) override;
  void readiness(callback<readiness_report> cb) override;
  void stats(callback<runtime_stats> cb) override;

  /// While on, calls are recorded and parked instead of answered.
  void hold(bool on);
  /// Blocks until at least `n` calls are parked; false after `timeout`.
  bool wait_held(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  /// Completes every parked call on the calling thread (a foreign thread for the server).
  void release_held();

  /// Names of the calls so far, e.g. "get_organization".
  std::vector<std::string> calls() const;
  std::size_t call_count(const std::string& name) const;
  std::optional<std::int64_t> last_if_match() const;
  actor_ref last_who() const;
  domain::org_patch last_patch() const;

  /// Entries given to record_audit so far.
  std::vector<audit_entry> audits() const;
  /// The query of the last list_audit call.
  std::optional<audit_query> last_audit_query() const;
  /// What list_audit answers for an organization that exists (one created through this gateway,
  /// or added with add_org_id); others get not_found.
  void set_audit_page(audit_page p);
  void add_org_id(const std::string& id);

  void set_readiness(readiness_report r);
  void set_readiness_error(std::optional<hw::error> e);
  void set_stats(runtime_stats s);
  /// What dev_mailbox answers (filtered by before_id and cut at limit, like the real one).
  void set_dev_mailbox(std::vector<dev_mail_view> mails);
  void set_stats_error(std::optional<hw::error> e);

 private:
  void submit(std::string name, std::function<void()> work);
  void run_worker();

  mutable std::mutex mutex_;
  std::condition_variable work_cv_;
  std::condition_variable held_cv_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::function<void()>> held_;
  bool hold_ = false;
  bool stopping_ = false;
  std::vector<std::string> calls_;
  std::optional<std::int64_t> last_if_match_;
  actor_ref last_who_;
  domain::org_patch last_patch_;
  std::vector<audit_entry> audits_;
  std::optional<audit_query> last_audit_query_;

  // Data, touched only by work items (worker thread or release_held), under data_mutex_.
  std::mutex data_mutex_;
  std::map<std::string, domain::organization> orgs_;
  int next_id_ = 1;
  readiness_report readiness_;
  std::optional<hw::error> readiness_error_;
  runtime_stats stats_;
  std::vector<dev_mail_view> mailbox_;  // newest first
  std::optional<hw::error> stats_error_;
  audit_page audit_page_;

  std::thread worker_;  // last: started after everything it uses exists
};

}  // namespace hw::testing
