#pragma once
// A thread-safe board where supervised components report degraded state; /readyz reads it.
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace hw::actors {

class health_board {
 public:
  void set_degraded(const std::string& component, std::string why) {
    std::lock_guard<std::mutex> g{mu_};
    degraded_[component] = std::move(why);
  }
  void set_ok(const std::string& component) {
    std::lock_guard<std::mutex> g{mu_};
    degraded_.erase(component);
  }
  /// Notes shown in /readyz that do NOT make the process unready (e.g. a tenant's failing ATS
  /// connection: taking this instance out of the load balancer would not help anyone).
  void set_note(const std::string& component, std::string note) {
    std::lock_guard<std::mutex> g{mu_};
    notes_[component] = std::move(note);
  }
  void clear_note(const std::string& component) {
    std::lock_guard<std::mutex> g{mu_};
    notes_.erase(component);
  }
  std::vector<std::string> notes() const {
    std::lock_guard<std::mutex> g{mu_};
    std::vector<std::string> out;
    for (const auto& [k, v] : notes_) out.push_back(k + ": " + v);
    return out;
  }
  /// "component: why" for each degraded component.
  std::vector<std::string> problems() const {
    std::lock_guard<std::mutex> g{mu_};
    std::vector<std::string> out;
    for (const auto& [k, v] : degraded_) out.push_back(k + ": " + v);
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> degraded_;
  std::map<std::string, std::string> notes_;
};

}  // namespace hw::actors
