#pragma once
// Login throttling state (issue 3, migration 0008): `login_throttles` is GLOBAL, one row per key.
// Keys: "email:<normalized e-mail>" (normalize_email) and "ip:<address>" — login_throttle_key_*
// build them. The policy (how long which failure locks) is the pure domain::after_failure; this
// file only applies it under a row lock (SELECT ... FOR UPDATE), so concurrent failures on one key
// are all counted. Times come from the caller's `now`.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/domain/login_throttle.hpp"
#include "actors/domain/result.hpp"
#include "storage/job_queue.hpp"  // time_point

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace hw::storage {

void prepare_login_throttle_statements(pqxx::connection_base& c);

/// "email:" + the normalized e-mail; for an e-mail that does not normalize, "email:" + the trimmed
/// ASCII-lower-cased input (so garbage is throttled too). At most 300 bytes.
std::string login_throttle_key_email(std::string_view email);
/// "ip:" + the peer address; an IPv6 address counts by its /64 ("ip:2001:db8:1:2::/64"), an
/// IPv4-mapped one as the IPv4 address.
std::string login_throttle_key_ip(std::string_view ip);

/// Counts one failed login on `key` at `now` and returns the new state (see
/// domain::after_failure). invalid_argument for a key that is not "email:..." / "ip:..." or longer
/// than 300 bytes.
result<domain::login_throttle_state> record_login_failure(
    pqxx::connection_base& c, const std::string& key, time_point now,
    const domain::login_throttle_policy& policy = {});

/// A successful login: forgets `key` (deletes its row).
result<hw::unit> record_login_success(pqxx::connection_base& c, const std::string& key);

/// The longest remaining lock among `keys` at `now`, in whole seconds (rounded up); zero when
/// none is locked (unknown keys are not locked). The caller answers errc::rate_limited with this
/// as retry_after_s.
result<std::chrono::seconds> check_login_throttle(pqxx::connection_base& c,
                                                  const std::vector<std::string>& keys,
                                                  time_point now);

/// Deletes rows whose window and lock are over at `now` (domain::is_stale). Maintenance; count.
result<int> purge_login_throttles(pqxx::connection_base& c, time_point now,
                                  const domain::login_throttle_policy& policy = {});

}  // namespace hw::storage
