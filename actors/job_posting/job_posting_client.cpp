#include "actors/job_posting/job_posting_client.hpp"

#include <utility>

#include <caf/all.hpp>

#include "actors/job_posting/job_posting_actor.hpp"
#include "actors/message_types.hpp"

namespace hw::actors {

namespace {

template <class T>
void ask(caf::actor_system& sys, caf::actor router, std::chrono::milliseconds timeout, const org_id& org,
         const std::string& job_id, caf::message cmd, std::function<void(result<T>)> cb) {
  if (!is_uuid(org.value) || !is_uuid(job_id)) {
    cb(hw::error{errc::not_found, "no such job posting"});
    return;
  }
  auto key = job_posting_key_of(org, job_id);
  sys.spawn([=](caf::event_based_actor* self) {
    self->request(router, timeout, route_atom::value, key, cmd)
      .then([cb](T& v) { cb(std::move(v)); }, [cb](caf::error& e) { cb(to_hw_error(e)); });
  });
}

std::int64_t precondition_of(std::optional<std::int64_t> if_match) { return if_match ? *if_match : no_precondition; }

}  // namespace

job_posting_client::job_posting_client(caf::actor_system& sys, caf::actor router, std::chrono::milliseconds timeout)
    : sys_(sys), router_(std::move(router)), timeout_(timeout) {}

void job_posting_client::get(const org_id& org, const std::string& job_id, callback cb) {
  ask<job_detail>(sys_, router_, timeout_, org, job_id, caf::make_message(caf::get_atom::value), std::move(cb));
}

void job_posting_client::edit(const org_id& org, const std::string& job_id, job_edit edit,
                              std::optional<std::int64_t> if_match, actor_ref who, callback cb) {
  ask<job_detail>(sys_, router_, timeout_, org, job_id,
                  caf::make_message(job_edit_atom::value, std::move(edit), precondition_of(if_match), std::move(who)),
                  std::move(cb));
}

void job_posting_client::transition(const org_id& org, const std::string& job_id, std::string event,
                                    std::optional<std::int64_t> if_match, actor_ref who, callback cb) {
  ask<job_detail>(sys_, router_, timeout_, org, job_id,
                  caf::make_message(job_event_atom::value, std::move(event), precondition_of(if_match), std::move(who)),
                  std::move(cb));
}

void job_posting_client::accepts_invitations(const org_id& org, const std::string& job_id,
                                             std::function<void(result<bool>)> cb) {
  ask<bool>(sys_, router_, timeout_, org, job_id, caf::make_message(ready_atom::value), std::move(cb));
}

}  // namespace hw::actors
