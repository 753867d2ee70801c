#pragma once
// Deletes what people-and-access leaves behind once it can no longer matter: sessions ended or
// expired more than `keep` ago, used or expired password-reset links, stale login-throttle rows,
// expired SSO login states. One db_task every `interval`; the timer is only a wake-up (the
// decisions use the database rows and the clock), so a restart loses nothing.
#include <chrono>
#include <functional>

#include <caf/fwd.hpp>

namespace hw::actors {

struct auth_janitor_options {
  std::chrono::milliseconds interval{10 * 60'000};
  std::chrono::seconds keep_sessions{7 * 24 * 3600};  // ended sessions stay visible this long
  std::chrono::seconds keep_resets{24 * 3600};
  std::chrono::seconds keep_sso_states{3600};
  std::function<std::chrono::system_clock::time_point()> clock = [] { return std::chrono::system_clock::now(); };
};

caf::behavior auth_janitor(caf::event_based_actor* self, caf::actor db, auth_janitor_options opt);

}  // namespace hw::actors
