#include "actors/accounts/session_cache.hpp"

namespace hw::actors {

std::optional<session_cache::hit> session_cache::find(const std::string& hash, time_point now) {
  std::lock_guard<std::mutex> g{mu_};
  auto it = map_.find(hash);
  if (it == map_.end()) {
    ++misses_;
    return std::nullopt;
  }
  auto& e = it->second;
  if (now >= e.absolute_expires) {
    map_.erase(it);
    ++misses_;
    return std::nullopt;
  }
  if (now >= e.idle_expires) {  // maybe extended elsewhere: let the database decide
    map_.erase(it);
    ++misses_;
    return std::nullopt;
  }
  ++hits_;
  hit h{e.who, false};
  if (now - e.last_touch >= touch_interval_) {
    // Claim the touch here so that concurrent requests do not all write it.
    e.last_touch = now;
    e.idle_expires = std::min(now + idle_, e.absolute_expires);
    h.touch_due = true;
  }
  return h;
}

bool session_cache::put(const std::string& hash, entry e, std::uint64_t generation_at_load) {
  std::lock_guard<std::mutex> g{mu_};
  if (!enabled_ || generation_at_load != generation_) return false;
  if (map_.size() >= max_entries_ && map_.find(hash) == map_.end()) map_.clear();
  map_[hash] = std::move(e);
  return true;
}

void session_cache::evict_session(const std::string& hash) {
  std::lock_guard<std::mutex> g{mu_};
  ++generation_;
  map_.erase(hash);
}

void session_cache::evict_user(const std::string& user_id) {
  std::lock_guard<std::mutex> g{mu_};
  ++generation_;
  for (auto it = map_.begin(); it != map_.end();) {
    if (it->second.who.user_id == user_id) {
      it = map_.erase(it);
    } else {
      ++it;
    }
  }
}

void session_cache::set_enabled(bool on) {
  std::lock_guard<std::mutex> g{mu_};
  ++generation_;
  enabled_ = on;
  if (!on) map_.clear();
}

bool session_cache::enabled() const {
  std::lock_guard<std::mutex> g{mu_};
  return enabled_;
}

void session_cache::clear() {
  std::lock_guard<std::mutex> g{mu_};
  ++generation_;
  map_.clear();
}

std::uint64_t session_cache::generation() const {
  std::lock_guard<std::mutex> g{mu_};
  return generation_;
}

std::size_t session_cache::size() const {
  std::lock_guard<std::mutex> g{mu_};
  return map_.size();
}

std::uint64_t session_cache::hits() const {
  std::lock_guard<std::mutex> g{mu_};
  return hits_;
}

std::uint64_t session_cache::misses() const {
  std::lock_guard<std::mutex> g{mu_};
  return misses_;
}

}  // namespace hw::actors
