#pragma once
// result<T>: a value or an hw::error. A small std::expected stand-in for C++17.
#include <utility>
#include <variant>

#include "actors/domain/errc.hpp"

namespace hw {

template <class T>
class result {
 public:
  result(T value) : v_(std::move(value)) {}                    // NOLINT: implicit by design
  result(hw::error e) : v_(std::move(e)) {}                        // NOLINT
  result(errc code, std::string detail = {}) : v_(hw::error{code, std::move(detail)}) {}

  explicit operator bool() const noexcept { return v_.index() == 0; }
  bool has_value() const noexcept { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const hw::error& error() const& { return std::get<1>(v_); }
  hw::error&& error() && { return std::get<1>(std::move(v_)); }
  errc code() const noexcept { return has_value() ? errc::ok : std::get<1>(v_).code; }

 private:
  std::variant<T, hw::error> v_;
};

/// For operations with no value.
struct unit {};

}  // namespace hw
