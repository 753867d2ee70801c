#pragma once
// A CAF-free door to the job posting entities (through their entity_router), for services such
// as ats_service_impl. Each call is a request with `timeout`; the callback runs once, on a CAF
// worker thread. Malformed org/job ids are not_found without activating anything.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "actors/domain/ats_service.hpp"
#include "actors/domain/audit.hpp"
#include "actors/domain/ids.hpp"
#include "actors/domain/result.hpp"

namespace hw::actors {

class job_posting_client {
 public:
  using callback = std::function<void(result<job_detail>)>;

  job_posting_client(caf::actor_system& sys, caf::actor router, std::chrono::milliseconds timeout);

  void get(const org_id& org, const std::string& job_id, callback cb);
  void edit(const org_id& org, const std::string& job_id, job_edit edit, std::optional<std::int64_t> if_match,
            actor_ref who, callback cb);
  void transition(const org_id& org, const std::string& job_id, std::string event,
                  std::optional<std::int64_t> if_match, actor_ref who, callback cb);
  /// True when the job accepts invitations (state open).
  void accepts_invitations(const org_id& org, const std::string& job_id, std::function<void(result<bool>)> cb);

 private:
  caf::actor_system& sys_;
  caf::actor router_;
  std::chrono::milliseconds timeout_;
};

}  // namespace hw::actors
