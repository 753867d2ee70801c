// hw_fake_ats: a fake ATS vendor (tests/support/fake_greenhouse or fake_lever) as a standalone
// process, for browser tests driven from another process and for benchmarks.
//
//   hw_fake_ats --vendor=greenhouse|lever [--port=0] [--seed=N] [--seed-jobs=3]
//               [--seed-candidates=12] [--seed-stages=N] [--rate-limit=N] [--wall-clock]
//               [--control] [--ping] [--client-id=..] [--client-secret=..] [--api-key=..]
//               [--ignore-stdin]
//
// Prints one JSON line when listening: {"vendor","port","base_url"} plus the credentials a
// client needs (client_id/client_secret, or api_key). Runs until SIGTERM/SIGINT, or until stdin
// reaches EOF (so a parent that dies takes it along) unless --ignore-stdin.
// --rate-limit: Greenhouse requests per 30 s window; Lever requests per second (burst 2x).
// --seed-jobs is Lever's postings, --seed-candidates its opportunities.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/support/fake_greenhouse.hpp"
#include "tests/support/fake_lever.hpp"

namespace {

int usage(const std::string& why) {
  std::cerr << "hw_fake_ats: " << why
            << "\nusage: hw_fake_ats --vendor=greenhouse|lever [--port=0] [--seed=N] [--seed-jobs=N]"
               " [--seed-candidates=N] [--seed-stages=N] [--rate-limit=N] [--wall-clock] [--control] [--ping]"
               " [--client-id=S] [--client-secret=S] [--api-key=S] [--ignore-stdin]\n";
  return 2;
}

bool to_int(const std::string& s, long long& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  out = std::strtoll(s.c_str(), &end, 10);
  return end && *end == '\0';
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0) return usage("unexpected argument " + a);
    const auto eq = a.find('=');
    args[a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2)] =
      eq == std::string::npos ? "" : a.substr(eq + 1);
  }
  static const char* known[] = {"vendor", "port", "seed", "seed-jobs", "seed-candidates", "seed-stages",
                                "rate-limit", "wall-clock", "control", "ping", "client-id", "client-secret",
                                "api-key", "ignore-stdin", "help"};
  for (const auto& [k, _] : args) {
    if (std::find(std::begin(known), std::end(known), k) == std::end(known)) return usage("unknown option --" + k);
  }
  if (args.count("help")) return usage("help");
  const auto num = [&](const std::string& k, long long def, long long& out) {
    out = def;
    return !args.count(k) || to_int(args[k], out);
  };
  long long port, seed, jobs, candidates, stages, rate;
  if (!num("port", 0, port) || port < 0 || port > 65535) return usage("bad --port");
  if (!num("seed", -1, seed) || !num("seed-jobs", 3, jobs) || !num("seed-candidates", 12, candidates) ||
      !num("seed-stages", -1, stages) || !num("rate-limit", -1, rate) || jobs < 0 || candidates < 0)
    return usage("bad number");

  // Block the stop signals in every thread (the servers' threads inherit the mask); main waits.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  const std::string vendor = args["vendor"];
  std::shared_ptr<void> fake;
  nlohmann::json hello;
  if (vendor == "greenhouse") {
    hw::testing::fake_greenhouse_options o;
    o.port = static_cast<std::uint16_t>(port);
    o.wall_clock = args.count("wall-clock") > 0;
    o.control_api = args.count("control") > 0;
    o.ping_on_register = args.count("ping") > 0;
    if (args.count("client-id")) o.client_id = args["client-id"];
    if (args.count("client-secret")) o.client_secret = args["client-secret"];
    if (rate > 0) o.rate_limit = static_cast<int>(rate);
    auto gh = std::make_shared<hw::testing::fake_greenhouse>(o);
    hw::testing::fake_greenhouse_seed s;
    if (seed >= 0) s.seed = static_cast<std::uint64_t>(seed);
    s.jobs = static_cast<int>(jobs);
    s.candidates = static_cast<int>(candidates);
    if (stages > 0) s.stages_per_job = static_cast<int>(stages);
    gh->seed(s);
    hello = {{"vendor", vendor}, {"port", gh->port()}, {"base_url", gh->base_url()},
             {"client_id", o.client_id}, {"client_secret", o.client_secret}};
    fake = gh;
  } else if (vendor == "lever") {
    hw::testing::fake_lever_options o;
    o.port = static_cast<std::uint16_t>(port);
    o.wall_clock = args.count("wall-clock") > 0;
    o.control_api = args.count("control") > 0;
    if (args.count("api-key")) o.api_key = args["api-key"];
    if (rate > 0) {
      o.rate_per_second = static_cast<double>(rate);
      o.burst = static_cast<int>(2 * rate);
    }
    auto lv = std::make_shared<hw::testing::fake_lever>(o);
    hw::testing::fake_lever_seed s;
    if (seed >= 0) s.seed = static_cast<std::uint64_t>(seed);
    s.postings = static_cast<int>(jobs);
    s.opportunities = static_cast<int>(candidates);
    if (stages > 0) s.stages = static_cast<int>(stages);
    lv->seed(s);
    hello = {{"vendor", vendor}, {"port", lv->port()}, {"base_url", lv->base_url()}, {"api_key", o.api_key}};
    fake = lv;
  } else {
    return usage("--vendor must be greenhouse or lever");
  }
  std::cout << hello.dump() << std::endl;

  if (!args.count("ignore-stdin")) {
    std::thread([] {
      char buf[256];
      while (::read(0, buf, sizeof buf) > 0) {
      }
      ::kill(::getpid(), SIGTERM);  // EOF: the parent is gone or done
    }).detach();
  }
  int sig = 0;
  sigwait(&stop, &sig);
  fake.reset();  // stops the server threads
  return 0;
}
