#include "tests/support/http_fake_gateway.hpp"

#include <cstdio>

namespace hw::testing {

fake_gateway::fake_gateway() : worker_([this] { run_worker(); }) {
  readiness_.database = readiness_.migrations_current = readiness_.supervisors_ok = true;
}

fake_gateway::~fake_gateway() {
  {
    std::lock_guard<std::mutex> lock{mutex_};
    stopping_ = true;
  }
  work_cv_.notify_all();
  worker_.join();
  // Parked callbacks are dropped, never called: that is what a vanished actor system does.
  std::lock_guard<std::mutex> lock{mutex_};
  held_.clear();
}

void fake_gateway::run_worker() {
  std::unique_lock<std::mutex> lock{mutex_};
  for (;;) {
    work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping and nothing left
    auto work = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    work();
    lock.lock();
  }
}

void fake_gateway::submit(std::string name, std::function<void()> work) {
  std::lock_guard<std::mutex> lock{mutex_};
  calls_.push_back(std::move(name));
  if (hold_) {
    held_.push_back(std::move(work));
    held_cv_.notify_all();
  } else {
    queue_.push_back(std::move(work));
    work_cv_.notify_all();
  }
}

void fake_gateway::hold(bool on) {
  std::lock_guard<std::mutex> lock{mutex_};
  hold_ = on;
}

bool fake_gateway::wait_held(std::size_t n, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock{mutex_};
  return held_cv_.wait_for(lock, timeout, [&] { return held_.size() >= n; });
}

void fake_gateway::release_held() {
  std::vector<std::function<void()>> work;
  {
    std::lock_guard<std::mutex> lock{mutex_};
    work.swap(held_);
  }
  for (auto& w : work) w();
}

std::vector<std::string> fake_gateway::calls() const {
  std::lock_guard<std::mutex> lock{mutex_};
  return calls_;
}

std::size_t fake_gateway::call_count(const std::string& name) const {
  std::lock_guard<std::mutex> lock{mutex_};
  std::size_t n = 0;
  for (const auto& c : calls_) n += c == name;
  return n;
}

std::optional<std::int64_t> fake_gateway::last_if_match() const {
  std::lock_guard<std::mutex> lock{mutex_};
  return last_if_match_;
}

actor_ref fake_gateway::last_who() const {
  std::lock_guard<std::mutex> lock{mutex_};
  return last_who_;
}

domain::org_patch fake_gateway::last_patch() const {
  std::lock_guard<std::mutex> lock{mutex_};
  return last_patch_;
}

void fake_gateway::set_readiness(readiness_report r) {
  std::lock_guard<std::mutex> lock{data_mutex_};
  readiness_ = std::move(r);
}

void fake_gateway::set_readiness_error(std::optional<hw::error> e) {
  std::lock_guard<std::mutex> lock{data_mutex_};
  readiness_error_ = std::move(e);
}

void fake_gateway::set_stats(runtime_stats s) {
  std::lock_guard<std::mutex> lock{data_mutex_};
  stats_ = std::move(s);
}

void fake_gateway::set_stats_error(std::optional<hw::error> e) {
  std::lock_guard<std::mutex> lock{data_mutex_};
  stats_error_ = std::move(e);
}

void fake_gateway::create_organization(domain::org_create req, actor_ref who, callback<domain::organization> cb) {
  {
    std::lock_guard<std::mutex> lock{mutex_};
    last_who_ = who;
  }
  submit("create_organization", [this, req = std::move(req), cb = std::move(cb)] {
    result<domain::organization> r = errc::internal;
    {
      std::lock_guard<std::mutex> lock{data_mutex_};
      if (auto e = domain::validate(req)) {
        r = *e;
      } else {
        bool taken = false;
        for (const auto& [id, o] : orgs_) taken = taken || o.slug == req.slug;
        if (taken) {
          r = hw::error{errc::conflict, "slug: is already taken"};
        } else {
          char id[40];
          std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", next_id_++);
          domain::organization o;
          o.id = org_id{id};
          o.name = req.name;
          o.slug = req.slug;
          o.time_zone = req.time_zone;
          o.brand = req.brand;
          o.version = 1;
          o.created_at = o.updated_at = "2024-01-01T00:00:00Z";
          orgs_[o.id.value] = o;
          r = o;
        }
      }
    }
    cb(std::move(r));
  });
}

void fake_gateway::get_organization(org_id id, callback<domain::organization> cb) {
  submit("get_organization", [this, id = std::move(id), cb = std::move(cb)] {
    result<domain::organization> r = hw::error{errc::not_found, "no such organization"};
    {
      std::lock_guard<std::mutex> lock{data_mutex_};
      if (auto it = orgs_.find(id.value); it != orgs_.end()) r = it->second;
    }
    cb(std::move(r));
  });
}

void fake_gateway::update_organization(org_id id, domain::org_patch patch, std::optional<std::int64_t> if_match,
                                       actor_ref who, callback<domain::organization> cb) {
  {
    std::lock_guard<std::mutex> lock{mutex_};
    last_if_match_ = if_match;
    last_who_ = who;
    last_patch_ = patch;
  }
  submit("update_organization", [this, id = std::move(id), patch = std::move(patch), if_match, cb = std::move(cb)] {
    result<domain::organization> r = hw::error{errc::not_found, "no such organization"};
    {
      std::lock_guard<std::mutex> lock{data_mutex_};
      if (auto it = orgs_.find(id.value); it != orgs_.end()) {
        if (if_match && *if_match != it->second.version) {
          r = hw::error{errc::precondition_failed, "the organization has changed; reload it"};
        } else if (auto next = domain::apply_patch(it->second, patch)) {
          next->version = it->second.version + 1;
          next->updated_at = "2024-01-02T00:00:00Z";
          it->second = *next;
          r = *next;
        } else {
          r = next.error();
        }
      }
    }
    cb(std::move(r));
  });
}

void fake_gateway::apply_organization_event(org_id id, domain::org_event ev, actor_ref who,
                                            callback<domain::organization> cb) {
  {
    std::lock_guard<std::mutex> lock{mutex_};
    last_who_ = who;
  }
  submit("apply_organization_event", [this, id = std::move(id), ev, cb = std::move(cb)] {
    result<domain::organization> r = hw::error{errc::not_found, "no such organization"};
    {
      std::lock_guard<std::mutex> lock{data_mutex_};
      if (auto it = orgs_.find(id.value); it != orgs_.end()) {
        if (auto next = domain::apply_event(it->second, ev)) {
          next->version = it->second.version + 1;
          it->second = *next;
          r = *next;
        } else {
          r = next.error();
        }
      }
    }
    cb(std::move(r));
  });
}

void fake_gateway::set_dev_mailbox(std::vector<dev_mail_view> mails) {
  std::lock_guard<std::mutex> lock{data_mutex_};
  mailbox_ = std::move(mails);
}

void fake_gateway::dev_mailbox(org_id org, int limit, std::optional<std::int64_t> before_id,
                               callback<std::vector<dev_mail_view>> cb) {
  submit("dev_mailbox", [this, org = std::move(org), limit, before_id, cb = std::move(cb)] {
    std::vector<dev_mail_view> out;
    {
      std::lock_guard<std::mutex> lock{data_mutex_};
      for (const auto& m : mailbox_) {
        if (before_id && m.id >= *before_id) continue;
        if (static_cast<int>(out.size()) >= limit) break;
        out.push_back(m);
      }
    }
    cb(std::move(out));
  });
}

std::vector<audit_entry> fake_gateway::audits() const {
  std::lock_guard<std::mutex> lock{mutex_};
  return audits_;
}

std::optional<audit_query> fake_gateway::last_audit_query() const {
  std::lock_guard<std::mutex> lock{mutex_};
  return last_audit_query_;
}

void fake_gateway::set_audit_page(audit_page p) {
  std::lock_guard<std::mutex> lock{data_mutex_};
  audit_page_ = std::move(p);
}

void fake_gateway::add_org_id(const std::string& id) {
  std::lock_guard<std::mutex> lock{data_mutex_};
  domain::organization o;
  o.id = org_id{id};
  o.name = "Org";
  o.slug = "org-" + id.substr(id.size() - 4);
  o.time_zone = "UTC";
  o.version = 1;
  orgs_[id] = o;
}

void fake_gateway::list_audit(org_id org, audit_query q, callback<audit_page> cb) {
  {
    std::lock_guard<std::mutex> lock{mutex_};
    last_audit_query_ = q;
  }
  submit("list_audit", [this, org = std::move(org), q = std::move(q), cb = std::move(cb)] {
    result<audit_page> r = hw::error{errc::not_found, "organization not found"};
    {
      std::lock_guard<std::mutex> lock{data_mutex_};
      if (auto e = validate(q)) {
        r = *e;
      } else if (orgs_.count(org.value) != 0) {
        r = audit_page_;
      }
    }
    cb(std::move(r));
  });
}

void fake_gateway::record_audit(audit_entry e) {
  std::lock_guard<std::mutex> lock{mutex_};
  audits_.push_back(std::move(e));
}

void fake_gateway::readiness(callback<readiness_report> cb) {
  submit("readiness", [this, cb = std::move(cb)] {
    result<readiness_report> r = errc::internal;
    {
      std::lock_guard<std::mutex> lock{data_mutex_};
      if (readiness_error_) {
        r = *readiness_error_;
      } else {
        r = readiness_;
      }
    }
    cb(std::move(r));
  });
}

void fake_gateway::stats(callback<runtime_stats> cb) {
  submit("stats", [this, cb = std::move(cb)] {
    result<runtime_stats> r = errc::internal;
    {
      std::lock_guard<std::mutex> lock{data_mutex_};
      if (stats_error_) {
        r = *stats_error_;
      } else {
        r = stats_;
      }
    }
    cb(std::move(r));
  });
}

}  // namespace hw::testing
