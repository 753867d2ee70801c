#pragma once
// eventually(pred, limit): polls `pred` until it holds or `limit` passes. A deadline, not a sleep
// deciding the outcome: the caller REQUIREs the result, so an effect that never happens fails the
// test, and one that happens ends the wait at once.
#include <chrono>
#include <thread>

namespace hw::testing {

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds{10}) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  }
  return pred();
}

}  // namespace hw::testing
