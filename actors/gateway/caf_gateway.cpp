#include "actors/gateway/caf_gateway.hpp"

#include <functional>

#include <caf/all.hpp>

#include "actors/message_types.hpp"

namespace hw::actors {

namespace {

/// A unit of work run inside a bridge actor's context.
struct bridge_job {
  std::function<void(caf::event_based_actor*)> run;
};

}  // namespace
}  // namespace hw::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hw::actors::bridge_job)

namespace hw::actors {

namespace {

caf::behavior bridge_actor(caf::event_based_actor* self) {
  // An error reply must never kill the bridge (0.17's default error handler quits the actor).
  self->set_error_handler([](caf::error&) {});
  return {
    [self](bridge_job& job) { job.run(self); },
  };
}

}  // namespace

caf_gateway::caf_gateway(caf::actor_system& sys, gateway_parts parts) : parts_(std::move(parts)) {
  for (int i = 0; i < std::max(1, parts_.bridges); ++i) bridges_.push_back(sys.spawn(bridge_actor));
}

caf_gateway::~caf_gateway() { stop(); }

void caf_gateway::stop() {
  // The handles stay: a call that races with stop() sends to a terminated bridge, where CAF
  // drops the job (and its callback) instead of touching a cleared vector.
  if (stopped_.exchange(true)) return;
  for (auto& b : bridges_) caf::anon_send_exit(b, caf::exit_reason::user_shutdown);
}

const caf::actor& caf_gateway::next_bridge() {
  return bridges_[next_.fetch_add(1, std::memory_order_relaxed) % bridges_.size()];
}

void caf_gateway::route_org(const std::string& key, caf::message cmd, callback<domain::organization> cb) {
  // No CAF timeout on this hop: every entity request is answered (the entity's own database
  // requests carry actors.db-timeout, and a dead actor's pending requests are bounced by CAF),
  // and http.request-timeout bounds the client's wait. A CAF request timeout would cost two
  // round trips through CAF's clock thread per HTTP request.
  caf::anon_send(next_bridge(), bridge_job{[router = parts_.org_router, key, cmd = std::move(cmd),
                                            cb = std::move(cb)](caf::event_based_actor* self) {
                   self->request(router, caf::infinite, route_atom::value, key, cmd)
                     .then([cb](domain::organization& o) { cb(std::move(o)); },
                           [cb](caf::error& e) { cb(to_hw_error(e)); });
                 }});
}

void caf_gateway::create_organization(domain::org_create req, actor_ref who, callback<domain::organization> cb) {
  if (auto err = domain::validate(req)) return cb(std::move(*err));
  caf::anon_send(next_bridge(), bridge_job{[db = parts_.db, timeout = parts_.request_timeout, req = std::move(req),
                                            who = std::move(who), cb = std::move(cb)](caf::event_based_actor* self) {
                   self->request(db, timeout, create_atom::value, req, who)
                     .then([cb](domain::organization& o) { cb(std::move(o)); },
                           [cb](caf::error& e) { cb(to_hw_error(e)); });
                 }});
}

void caf_gateway::get_organization(org_id id, callback<domain::organization> cb) {
  auto key = std::move(id.value);
  route_org(key, caf::make_message(caf::get_atom::value), std::move(cb));
}

void caf_gateway::update_organization(org_id id, domain::org_patch patch, std::optional<std::int64_t> if_match,
                                      actor_ref who, callback<domain::organization> cb) {
  if (patch.empty()) return cb(hw::error{errc::invalid_argument, "the update changes no field"});
  auto key = std::move(id.value);
  route_org(key,
            caf::make_message(update_atom::value, std::move(patch), if_match.value_or(no_precondition),
                              std::move(who)),
            std::move(cb));
}

void caf_gateway::apply_organization_event(org_id id, domain::org_event ev, actor_ref who,
                                           callback<domain::organization> cb) {
  auto key = std::move(id.value);
  route_org(key, caf::make_message(apply_atom::value, ev, std::move(who)), std::move(cb));
}

void caf_gateway::dev_mailbox(org_id org, int limit, std::optional<std::int64_t> before_id,
                              callback<std::vector<dev_mail_view>> cb) {
  if (!parts_.dev_mailbox) return cb(hw::error{errc::unavailable, "the dev mailbox is not the e-mail transport"});
  caf::anon_send(next_bridge(), bridge_job{[reader = parts_.dev_mailbox, timeout = parts_.request_timeout,
                                            org = std::move(org), limit, before = before_id.value_or(0),
                                            cb = std::move(cb)](caf::event_based_actor* self) {
                   self->request(reader, timeout, mailbox_atom::value, org, limit, before)
                     .then([cb](std::vector<dev_mail_view>& v) { cb(std::move(v)); },
                           [cb](caf::error& e) { cb(to_hw_error(e)); });
                 }});
}

void caf_gateway::list_audit(org_id org, audit_query q, callback<audit_page> cb) {
  if (auto err = validate(q)) return cb(std::move(*err));
  caf::anon_send(next_bridge(), bridge_job{[db = parts_.db, timeout = parts_.request_timeout, org = std::move(org),
                                            q = std::move(q), cb = std::move(cb)](caf::event_based_actor* self) {
                   self->request(db, timeout, audit_atom::value, org, q)
                     .then([cb](audit_page& p) { cb(std::move(p)); },
                           [cb](caf::error& e) { cb(to_hw_error(e)); });
                 }});
}

void caf_gateway::record_audit(audit_entry e) {
  // Fire-and-forget straight to the pool: no bridge, no reply, nothing for the caller to wait on.
  if (stopped_.load(std::memory_order_relaxed) || !parts_.db) return;
  caf::anon_send(parts_.db, audit_atom::value, std::move(e));
}

void caf_gateway::readiness(callback<readiness_report> cb) {
  caf::anon_send(next_bridge(), bridge_job{[db = parts_.db, timeout = parts_.request_timeout, health = parts_.health,
                                            cb = std::move(cb)](caf::event_based_actor* self) {
                   auto supervisors = health->problems();
                   auto notes = health->notes();
                   self->request(db, timeout, ready_atom::value)
                     .then(
                       [cb, supervisors, notes](db_readiness& r) {
                         readiness_report out;
                         out.database = r.database;
                         out.migrations_current = r.migrations_current;
                         out.supervisors_ok = supervisors.empty();
                         out.problems = std::move(r.problems);
                         out.problems.insert(out.problems.end(), supervisors.begin(), supervisors.end());
                         out.notes = notes;
                         cb(std::move(out));
                       },
                       [cb, supervisors, notes](caf::error& e) {
                         readiness_report out;
                         out.supervisors_ok = supervisors.empty();
                         out.problems.push_back("database: " + to_hw_error(e).detail);
                         out.problems.insert(out.problems.end(), supervisors.begin(), supervisors.end());
                         out.notes = notes;
                         cb(std::move(out));
                       });
                 }});
}

void caf_gateway::stats(callback<runtime_stats> cb) {
  runtime_stats s;
  s.active_actors["organization"] = parts_.org_stats->active.load();
  s.db_pool_size = parts_.db_stats->size.load();
  s.db_pool_in_use = parts_.db_stats->in_use.load();
  s.db_pool_connected = parts_.db_stats->connected.load();
  if (parts_.extra_stats) parts_.extra_stats(s);
  caf::anon_send(next_bridge(), bridge_job{[db = parts_.db, timeout = parts_.request_timeout, s = std::move(s),
                                            cb = std::move(cb)](caf::event_based_actor* self) {
                   self->request(db, timeout, depth_atom::value)
                     .then(
                       [cb, s](std::vector<storage::queue_depth_row>& rows) mutable {
                         for (auto& r : rows) s.queue_depth.push_back({{r.kind, r.state}, r.count});
                         cb(std::move(s));
                       },
                       [cb, s](caf::error&) mutable { cb(std::move(s)); });
                 }});
}

}  // namespace hw::actors
