// argon2id with the production parameters (m=19 MiB, t=2, p=1): what one login costs a worker
// of actors/auth/hash_pool. security-and-reliability.md §6.3 wants login p99 < 500 ms at 10
// concurrent logins; with W workers the 10th login waits ~ceil(10/W) verifications.
//   build/bench/hw_bench_password [--benchmark_repetitions=5]
#include <benchmark/benchmark.h>

#include <string>

#include "actors/auth/password_hash.hpp"

namespace {

const std::string password = "correct horse battery staple";

void bm_hash(benchmark::State& state) {
  for (auto _ : state) {
    auto stored = hw::auth::hash_password(password);
    benchmark::DoNotOptimize(stored);
  }
}
BENCHMARK(bm_hash)->Unit(benchmark::kMillisecond)->UseRealTime();

void bm_verify(benchmark::State& state) {
  const auto stored = hw::auth::hash_password(password);
  for (auto _ : state) {
    bool ok = hw::auth::verify_password(password, stored);
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(bm_verify)->Unit(benchmark::kMillisecond)->UseRealTime();

void bm_verify_dummy(benchmark::State& state) {
  hw::auth::warm_dummy();
  for (auto _ : state) {
    bool ok = hw::auth::verify_dummy(password);
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(bm_verify_dummy)->Unit(benchmark::kMillisecond)->UseRealTime();

// Two threads at once: the cost per login when the pool runs 2 workers on this 2-vCPU box.
BENCHMARK(bm_verify)->Unit(benchmark::kMillisecond)->UseRealTime()->Threads(2)->Name("bm_verify/2threads");

}  // namespace

BENCHMARK_MAIN();
