// hw_bench_webhook_store: the storage half of webhook ingest (issue 4), without HTTP.
//
// T threads, each with its own connection (the server's role: row-level security applies), call
// storage::ingest_webhook_batch with batches of B distinct deliveries (a ~350-byte Greenhouse
// body, its own event id and content key) for S seconds. Prints deliveries per second and the CPU
// that PostgreSQL's backends (read from /proc: the database must run on this machine) and this
// process spent per delivery, which is what the batch statements cost, free of HTTP and of the
// rest of the machine's load.
//
// Usage: hw_bench_webhook_store --dsn DSN --connection ID [--batch B] [--threads T] [--seconds S] [--session M]
//   M: shared (default: every setting local to the batch transaction) or dedicated (the connection
//   is a webhook writer's own: storage::ingest_session::dedicated, as the server runs it).
//   DSN: the server's login (e.g. user=hirewire_server); ID: a connected Greenhouse connection.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/pqxx>
#include <sys/resource.h>
#include <unistd.h>

#include "storage/ats_connection_repo.hpp"
#include "storage/pg.hpp"

namespace st = hw::storage;
using clk = std::chrono::steady_clock;

namespace {

/// utime + stime of process `pid` in seconds (/proc/PID/stat fields 14 and 15).
double proc_cpu_seconds(int pid) {
  std::ifstream f{"/proc/" + std::to_string(pid) + "/stat"};
  std::string s{std::istreambuf_iterator<char>{f}, {}};
  auto p = s.rfind(')');
  if (p == std::string::npos) return 0;
  std::istringstream in{s.substr(p + 2)};
  std::string tok;
  unsigned long long ut = 0, stt = 0;
  for (int field = 3; in >> tok; ++field) {
    if (field == 14) ut = std::stoull(tok);
    if (field == 15) {
      stt = std::stoull(tok);
      break;
    }
  }
  return static_cast<double>(ut + stt) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double self_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

std::string hex64(std::mt19937_64& rng) {
  static const char* d = "0123456789abcdef";
  std::string s(64, '0');
  for (int i = 0; i < 64; i += 16) {
    auto v = rng();
    for (int j = 0; j < 16; ++j) s[static_cast<std::size_t>(i + j)] = d[(v >> (4 * j)) & 15];
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dsn, conn_id;
  int batch = 16, threads = 2;
  double seconds = 10;
  auto mode = st::ingest_session::shared;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--dsn") dsn = argv[i + 1];
    else if (a == "--connection") conn_id = argv[i + 1];
    else if (a == "--batch") batch = std::atoi(argv[i + 1]);
    else if (a == "--threads") threads = std::atoi(argv[i + 1]);
    else if (a == "--seconds") seconds = std::atof(argv[i + 1]);
    else if (a == "--session" && std::string{argv[i + 1]} == "dedicated") mode = st::ingest_session::dedicated;
    else if (a == "--session" && std::string{argv[i + 1]} == "shared") mode = st::ingest_session::shared;
    else {
      std::fprintf(stderr, "unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  if (dsn.empty() || conn_id.empty() || batch < 1 || threads < 1) {
    std::fprintf(stderr, "usage: hw_bench_webhook_store --dsn DSN --connection ID [--batch B] [--threads T] [--seconds S] [--session shared|dedicated]\n");
    return 2;
  }
  pqxx::connection setup{dsn};
  st::prepare_all(setup);
  auto target = st::find_connection_for_webhook(setup, conn_id);
  if (!target || !target->webhook_secret_enc) {
    std::fprintf(stderr, "connection %s not found or without a webhook secret\n", conn_id.c_str());
    return 1;
  }
  std::atomic<bool> stop{false};
  std::atomic<long long> stored{0}, failed{0};
  std::vector<int> pids(static_cast<std::size_t>(threads));
  std::vector<double> pg0(pids.size()), pg1(pids.size());
  std::atomic<int> ready{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      pqxx::connection c{dsn};
      st::prepare_all(c);
      {
        pqxx::nontransaction n{c};
        pids[static_cast<std::size_t>(t)] = n.exec1("SELECT pg_backend_pid()")[0].as<int>();
      }
      std::mt19937_64 rng{std::random_device{}()};
      ++ready;
      while (ready.load() < threads) std::this_thread::yield();
      std::vector<st::ats_webhook_batch_item> items(static_cast<std::size_t>(batch));
      while (!stop.load(std::memory_order_relaxed)) {
        for (auto& it : items) {
          it.org = target->org;
          it.connection_id = target->connection_id;
          const auto key = hex64(rng);
          it.vendor_event_id = key.substr(0, 36);
          it.content_key_hex = key;
          it.webhook_secret_enc = *target->webhook_secret_enc;
          it.payload_json =
            R"({"action":"candidate_stage_change","payload":{"application":{"id":)" + std::to_string(rng() % 1000000000) +
            R"(,"status":"active","last_activity_at":"2026-11-26T12:00:00Z","current_stage":{"id":4001,"name":"Take \u003cHome\u003e \u0026 Test"},"candidate":{"id":8000001},"jobs":[{"id":101,"name":"Engineer"}]}}})";
        }
        auto r = st::ingest_webhook_batch(c, items, std::chrono::system_clock::now(), mode);
        if (r) stored += batch; else ++failed;
      }
    });
  }
  while (ready.load() < threads) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const auto t0 = clk::now();
  const auto self0 = self_cpu_seconds();
  const auto n0 = stored.load();
  for (std::size_t i = 0; i < pids.size(); ++i) pg0[i] = proc_cpu_seconds(pids[i]);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  const auto n1 = stored.load();
  for (std::size_t i = 0; i < pids.size(); ++i) pg1[i] = proc_cpu_seconds(pids[i]);
  const auto self1 = self_cpu_seconds();
  const auto t1 = clk::now();
  stop = true;
  for (auto& t : ts) t.join();
  double pg = 0;
  for (std::size_t i = 0; i < pids.size(); ++i) pg += pg1[i] - pg0[i];
  const double el = std::chrono::duration<double>(t1 - t0).count();
  const double n = static_cast<double>(n1 - n0);
  std::printf("%s, batch %d, threads %d: %.0f deliveries/s; PostgreSQL CPU %.1f us/delivery, client CPU %.1f us/delivery%s\n",
              mode == st::ingest_session::dedicated ? "dedicated" : "shared", batch, threads, n / el, n > 0 ? pg / n * 1e6 : 0.0, n > 0 ? (self1 - self0) / n * 1e6 : 0.0,
              failed.load() ? " (some batches FAILED)" : "");
  return failed.load() ? 1 : 0;
}
