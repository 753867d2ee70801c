#pragma once
// Shared by the vendor connector tests (header-only): a pull_sink that records every page, and
// the fake-clock connector_env with a call recorder. Each fixture passes its fake's clock.
#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "actors/ats/connector.hpp"

namespace hw::testing {

struct recording_sink : hw::ats::pull_sink {
  std::vector<std::string> order;  // one entry per page
  std::vector<hw::domain::ats_stage> stages_seen;
  std::vector<hw::domain::ats_job> jobs_seen;
  std::vector<hw::domain::ats_candidate> candidates_seen;
  std::vector<hw::domain::ats_application> applications_seen;
  std::function<void()> after_stages;  // runs after each stage page

  result<unit> stages(std::vector<hw::domain::ats_stage> page) override {
    order.push_back("stages");
    stages_seen.insert(stages_seen.end(), page.begin(), page.end());
    if (after_stages) after_stages();
    return unit{};
  }
  result<unit> jobs(std::vector<hw::domain::ats_job> page) override {
    order.push_back("jobs");
    jobs_seen.insert(jobs_seen.end(), page.begin(), page.end());
    return unit{};
  }
  result<unit> candidates(std::vector<hw::domain::ats_candidate> page) override {
    order.push_back("candidates");
    candidates_seen.insert(candidates_seen.end(), page.begin(), page.end());
    return unit{};
  }
  result<unit> applications(std::vector<hw::domain::ats_application> page) override {
    order.push_back("applications");
    applications_seen.insert(applications_seen.end(), page.begin(), page.end());
    return unit{};
  }
};

/// A connector_env on a fake clock: `now_ms` reads it, env.sleep adds to `slept` and calls
/// `advance`; every call is kept in `calls`; jitter 0.5; timeout 5 s, backoff 200 ms .. 2 s.
struct connector_test_env {
  std::vector<hw::ats::call_record> calls;
  std::chrono::milliseconds slept{0};
  hw::ats::connector_env env;

  connector_test_env(std::function<hw::ats::epoch_ms()> now_ms,
                     std::function<void(std::chrono::milliseconds)> advance) {
    using namespace std::chrono_literals;
    env.now_ms = std::move(now_ms);
    env.sleep = [this, advance = std::move(advance)](std::chrono::milliseconds d) {
      slept += d;
      advance(d);
    };
    env.on_call = [this](const hw::ats::call_record& r) { calls.push_back(r); };
    env.jitter = [] { return 0.5; };
    env.policy.timeout = 5s;
    env.policy.backoff_base = 200ms;
    env.policy.backoff_cap = 2s;
  }
  connector_test_env(const connector_test_env&) = delete;  // the env's callbacks hold `this`
  connector_test_env& operator=(const connector_test_env&) = delete;

  int count_calls(const std::string& endpoint, std::optional<int> status = std::nullopt) const {
    return static_cast<int>(std::count_if(calls.begin(), calls.end(), [&](const hw::ats::call_record& r) {
      return r.endpoint == endpoint && (!status || r.status == status);
    }));
  }
};

}  // namespace hw::testing
