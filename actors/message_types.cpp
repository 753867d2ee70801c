#include "actors/message_types.hpp"

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <caf/message.hpp>
#include <caf/sec.hpp>

namespace hw::actors {

namespace {
constexpr caf::atom_value hw_category = caf::atom("hw");
}

caf::error to_caf_error(errc code, std::string detail) {
  return caf::error{static_cast<std::uint8_t>(code), hw_category, caf::make_message(std::move(detail))};
}

caf::error to_caf_error(hw::error e) {
  if (e.retry_after_s == 0) return to_caf_error(e.code, std::move(e.detail));
  return caf::error{static_cast<std::uint8_t>(e.code), hw_category,
                    caf::make_message(std::move(e.detail), e.retry_after_s)};
}

hw::error to_hw_error(const caf::error& e) {
  if (!e) return hw::error{errc::internal, "empty error"};
  if (e.category() == hw_category) {
    std::string detail;
    std::int32_t retry_after = 0;
    if (e.context().match_elements<std::string>()) detail = e.context().get_as<std::string>(0);
    if (e.context().match_elements<std::string, std::int32_t>()) {
      detail = e.context().get_as<std::string>(0);
      retry_after = e.context().get_as<std::int32_t>(1);
    }
    return hw::error{static_cast<errc>(e.code()), std::move(detail), retry_after};
  }
  if (e.category() == caf::atom("system")) {
    switch (static_cast<caf::sec>(e.code())) {
      case caf::sec::request_timeout:
        return hw::error{errc::timeout, "the service did not answer in time"};
      case caf::sec::request_receiver_down:
        return hw::error{errc::unavailable, "the service is restarting; try again"};
      default:
        break;
    }
  }
  return hw::error{errc::internal, "internal error"};
}

}  // namespace hw::actors
