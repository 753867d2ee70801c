#include "actors/domain/retry_policy.hpp"

#include <algorithm>

namespace hw::domain {

std::chrono::milliseconds retry_policy::ceiling(std::uint32_t attempt) const noexcept {
  if (attempt == 0) attempt = 1;
  auto d = base.count();
  for (std::uint32_t i = 1; i < attempt && d < cap.count(); ++i) {
    if (d > cap.count() / 2) return cap;  // doubling would pass the cap (and could overflow)
    d *= 2;
  }
  return std::chrono::milliseconds{std::min<std::int64_t>(d, cap.count())};
}

std::chrono::milliseconds retry_policy::next_delay(std::uint32_t attempt, double unit_random) const noexcept {
  const double u = unit_random == unit_random ? std::clamp(unit_random, 0.0, 1.0) : 0.0;  // NaN -> 0
  const double factor = min_factor + (1.0 - min_factor) * u;
  return std::chrono::milliseconds{static_cast<std::int64_t>(static_cast<double>(ceiling(attempt).count()) * factor)};
}

}  // namespace hw::domain
