#pragma once
// entity_gateway implemented over CAF: the only place where HTTP work enters the actor system.
// Each call is a fire-and-forget anon_send of a small job to one of a few long-lived bridge
// actors (round robin); the bridge makes a request with a timeout to the right router and runs
// the callback with the reply. The io thread never blocks (stack.md: a blocking scoped_actor per
// request costs 4-5x).
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "actors/db/db_worker.hpp"
#include "actors/domain/entity_gateway.hpp"
#include "actors/health.hpp"
#include "actors/registry/entity_router.hpp"

namespace hw::actors {

struct gateway_parts {
  caf::actor org_router;
  caf::actor db;
  caf::actor dev_mailbox;  // the dev mailbox reader; null when SMTP is the transport
  std::shared_ptr<router_stats> org_stats;
  std::shared_ptr<db_pool_stats> db_stats;
  std::shared_ptr<health_board> health;
  std::chrono::milliseconds request_timeout{5000};
  int bridges = 1;
  /// Adds samples of other components (hash pool, session cache) to stats(). Optional.
  std::function<void(runtime_stats&)> extra_stats;
};

class caf_gateway final : public entity_gateway {
 public:
  caf_gateway(caf::actor_system& sys, gateway_parts parts);
  ~caf_gateway() override;

  void create_organization(domain::org_create req, actor_ref who, callback<domain::organization> cb) override;
  void get_organization(org_id id, callback<domain::organization> cb) override;
  void update_organization(org_id id, domain::org_patch patch, std::optional<std::int64_t> if_match, actor_ref who,
                           callback<domain::organization> cb) override;
  void apply_organization_event(org_id id, domain::org_event ev, actor_ref who,
                                callback<domain::organization> cb) override;
  void dev_mailbox(org_id org, int limit, std::optional<std::int64_t> before_id,
                   callback<std::vector<dev_mail_view>> cb) override;
  void list_audit(org_id org, audit_query q, callback<audit_page> cb) override;
  void record_audit(audit_entry e) override;
  void readiness(callback<readiness_report> cb) override;
  void stats(callback<runtime_stats> cb) override;

  /// Ends the bridge actors (part of shutdown, after the HTTP server stopped).
  void stop();

 private:
  const caf::actor& next_bridge();
  void route_org(const std::string& key, caf::message cmd, callback<domain::organization> cb);

  gateway_parts parts_;
  std::vector<caf::actor> bridges_;
  std::atomic<std::size_t> next_{0};
  std::atomic<bool> stopped_{false};
};

}  // namespace hw::actors
