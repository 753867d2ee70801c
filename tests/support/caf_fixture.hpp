#pragma once
// A CAF 0.17 actor system on the deterministic test scheduler: nothing runs until the test calls
// sched.run() / run_once(), and time moves only when it calls trigger_timeouts(). No wall clock.
#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>

namespace hw::testing {

struct caf_test_config : caf::actor_system_config {
  caf_test_config() {
    set("scheduler.policy", caf::atom("testing"));
    set("logger.verbosity", caf::atom("quiet"));
  }
};

struct caf_fixture {
  caf_test_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys, true};
  caf::scheduler::test_coordinator& sched = dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler());

  ~caf_fixture() {
    sched.run();
  }

  /// True when a reply is waiting in `self`'s mailbox, so a following receive cannot block.
  bool has_mail() { return !self->mailbox().empty(); }
};

}  // namespace hw::testing
