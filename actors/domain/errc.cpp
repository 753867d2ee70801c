#include "actors/domain/errc.hpp"

namespace hw {

std::string_view to_string(errc e) noexcept {
  switch (e) {
    case errc::ok: return "ok";
    case errc::invalid_argument: return "invalid_argument";
    case errc::not_found: return "not_found";
    case errc::conflict: return "conflict";
    case errc::version_conflict: return "version_conflict";
    case errc::precondition_failed: return "precondition_failed";
    case errc::illegal_transition: return "illegal_transition";
    case errc::unauthorized: return "unauthorized";
    case errc::forbidden: return "forbidden";
    case errc::unavailable: return "unavailable";
    case errc::timeout: return "timeout";
    case errc::internal: return "internal";
    case errc::rate_limited: return "rate_limited";
  }
  return "internal";
}

}  // namespace hw
