// hw_bench_content_search: library search over 50,000 items in a real PostgreSQL (issue 5).
//
// Creates a fresh database (migrated with the embedded migrations, like the server), one
// organization and a login role in hirewire_app (row-level security applies, as for the server),
// seeds N items through storage::create_items (multi-row inserts, 500 per transaction, one time
// each), approves about half (then VACUUM FULL + ANALYZE), then runs a mix of
// searches through storage::list_items (limit 50): text, skill, filters, text + skill, and paging
// (three pages following next_cursor). Baseline in the same run: storage::get_item of a random item
// (a primary-key lookup). Prints p50/p99 of both and the ratio. Drops the database and role at
// exit.
//
// Usage: hw_bench_content_search [--dsn DSN] [--items N] [--queries N] [--seed N] [--keep]
//   DSN: an admin DSN that may create databases and roles (default: $HW_PG_TEST_DSN).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <pqxx/pqxx>
#include <random>
#include <string>
#include <vector>

#include "actors/domain/content.hpp"
#include "actors/domain/organization.hpp"
#include "storage/content_repo.hpp"
#include "storage/migrate.hpp"
#include "storage/organization_repo.hpp"
#include "storage/pg.hpp"

namespace st = hw::storage;
namespace dm = hw::domain;
using clk = std::chrono::steady_clock;

namespace {

const char* const skill_slugs[] = {"postgresql",
                                   "mysql",
                                   "redis",
                                   "kafka",
                                   "python",
                                   "java",
                                   "go",
                                   "rust",
                                   "cpp",
                                   "javascript",
                                   "typescript",
                                   "react",
                                   "vue",
                                   "angular",
                                   "nodejs",
                                   "django",
                                   "spring",
                                   "kubernetes",
                                   "docker",
                                   "terraform",
                                   "aws",
                                   "gcp",
                                   "azure",
                                   "linux",
                                   "networking",
                                   "security",
                                   "algorithms",
                                   "data-structures",
                                   "system-design",
                                   "sql",
                                   "spark",
                                   "airflow",
                                   "dbt",
                                   "pandas",
                                   "statistics",
                                   "machine-learning",
                                   "pytorch",
                                   "tensorflow",
                                   "graphql",
                                   "rest",
                                   "grpc",
                                   "testing",
                                   "ci-cd",
                                   "observability",
                                   "product-management",
                                   "roadmapping",
                                   "user-research",
                                   "figma",
                                   "ux-writing",
                                   "negotiation",
                                   "prospecting",
                                   "crm",
                                   "customer-support",
                                   "zendesk",
                                   "seo",
                                   "content-marketing",
                                   "communication",
                                   "leadership",
                                   "hiring",
                                   "budgeting"};
constexpr std::size_t n_skills = sizeof(skill_slugs) / sizeof(skill_slugs[0]);

// Words of titles and prompts: drawn with a Zipf-like weight (a few common, most rare), as text is.
std::vector<std::string> vocabulary() {
  const char* const base[] = {
      "index",       "query",         "latency",     "throughput", "cache",    "replica",
      "partition",   "shard",         "transaction", "isolation",  "lock",     "deadlock",
      "vacuum",      "bloat",         "schema",      "migration",  "rollback", "deploy",
      "canary",      "incident",      "outage",      "postmortem", "alert",    "metric",
      "trace",       "log",           "queue",       "consumer",   "producer", "backpressure",
      "retry",       "idempotent",    "timeout",     "circuit",    "breaker",  "gateway",
      "proxy",       "balancer",      "session",     "token",      "password", "encryption",
      "certificate", "firewall",      "subnet",      "container",  "pod",      "node",
      "cluster",     "autoscaling",   "memory",      "leak",       "thread",   "mutex",
      "coroutine",   "async",         "callback",    "promise",    "closure",  "recursion",
      "graph",       "tree",          "heap",        "hash",       "array",    "string",
      "sort",        "search",        "binary",      "dynamic",    "greedy",   "interval",
      "matrix",      "window",        "pointer",     "stream",     "batch",    "pipeline",
      "warehouse",   "lakehouse",     "model",       "feature",    "training", "inference",
      "drift",       "experiment",    "hypothesis",  "regression", "variance", "dashboard",
      "stakeholder", "roadmap",       "priority",    "tradeoff",   "estimate", "deadline",
      "customer",    "churn",         "renewal",     "pipeline",   "quota",    "objection",
      "discovery",   "demo",          "contract",    "pricing",    "discount", "ticket",
      "escalation",  "refund",        "onboarding",  "persona",    "journey",  "wireframe",
      "prototype",   "accessibility", "contrast",    "typography", "campaign", "funnel",
      "conversion",  "keyword",       "backlink",    "newsletter", "budget",   "forecast",
      "vendor",      "procurement",   "compliance",  "audit",      "policy",   "mentor",
      "feedback",    "conflict",      "ownership",   "ambiguity",  "failure",  "success",
      "team",        "hire",          "interview"};
  std::vector<std::string> v(std::begin(base), std::end(base));
  // and rarer, generated terms (identifiers, product names) so most words are uncommon
  for (int i = 0; i < 600; ++i) v.push_back("term" + std::to_string(i));
  return v;
}

struct zipf {
  std::discrete_distribution<std::size_t> d;
  explicit zipf(std::size_t n) {
    std::vector<double> w(n);
    for (std::size_t i = 0; i < n; ++i) w[i] = 1.0 / std::pow(static_cast<double>(i + 1), 0.9);
    d = std::discrete_distribution<std::size_t>(w.begin(), w.end());
  }
};

std::string phrase(std::mt19937_64& rng, zipf& z, const std::vector<std::string>& words, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    if (i) s += ' ';
    s += words[z.d(rng)];
  }
  return s;
}

dm::content_item_body make_body(std::mt19937_64& rng, zipf& z,
                                const std::vector<std::string>& words, int i) {
  dm::content_item_body b;
  b.kind = static_cast<dm::content_kind>(rng() % 4);
  b.title = phrase(rng, z, words, 3 + static_cast<int>(rng() % 4)) + " " + std::to_string(i);
  b.prompt = "Describe how you would handle " +
             phrase(rng, z, words, 40 + static_cast<int>(rng() % 40)) + ".";
  b.guidance = {phrase(rng, z, words, 12), phrase(rng, z, words, 10), phrase(rng, z, words, 8)};
  b.expected_minutes = 5 + static_cast<int>(rng() % 40);
  b.level = static_cast<dm::difficulty>(rng() % 3);
  const auto ns = 1 + rng() % 4;
  for (std::size_t k = 0; k < ns; ++k) {
    std::string s = skill_slugs[rng() % n_skills];
    if (std::find(b.skills.begin(), b.skills.end(), s) == b.skills.end()) b.skills.push_back(s);
  }
  const auto sen0 = rng() % 5;
  b.seniorities.push_back(static_cast<dm::seniority>(sen0));
  if (sen0 < 4 && rng() % 2) b.seniorities.push_back(static_cast<dm::seniority>(sen0 + 1));
  b.categories.push_back(static_cast<dm::job_category>(rng() % 8));
  if (b.kind == dm::content_kind::coding) {
    dm::coding_spec cs;
    cs.languages = {"python", "go"};
    cs.test_cases = {{"visible", "1 2", "3", true, 1}, {"hidden", "2 2", "4", false, 1}};
    b.coding = cs;
  }
  return b;
}

double pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto idx = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
  if (idx > 0) --idx;
  return v[std::min(idx, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  std::string admin = std::getenv("HW_PG_TEST_DSN") ? std::getenv("HW_PG_TEST_DSN") : "";
  int items = 50000, queries = 1000;
  std::uint64_t seed = 5;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    if (std::string{argv[i]} == "--keep") {  // leave the database for EXPLAIN (prints its name)
      keep = true;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "%s needs a value\n", argv[i]);
      return 2;
    }
    const std::string a = argv[i++];
    if (a == "--dsn")
      admin = argv[i];
    else if (a == "--items")
      items = std::atoi(argv[i]);
    else if (a == "--queries")
      queries = std::atoi(argv[i]);
    else if (a == "--seed")
      seed = std::strtoull(argv[i], nullptr, 10);
    else {
      std::fprintf(stderr, "unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  if (admin.empty()) {
    std::fprintf(stderr, "hw_bench_content_search: --dsn or HW_PG_TEST_DSN is required\n");
    return 2;
  }
  std::mt19937_64 rng{seed};
  std::random_device rd;
  const auto suffix = std::to_string(rd()) + std::to_string(rd() % 1000);
  const std::string db = "hw_bench_content_" + suffix;
  const std::string role = "hw_bench_app_" + suffix;
  const std::string dsn = admin + " dbname=" + db;
  const std::string app_dsn = admin + " dbname=" + db + " user=" + role;

  pqxx::connection adminc{admin};
  {
    pqxx::nontransaction tx{adminc};
    tx.exec0("CREATE DATABASE " + tx.quote_name(db));
  }
  int rc = 0;
  try {
    auto c = st::connect(dsn, std::chrono::minutes{10});
    auto m = st::apply_migrations(*c, st::embedded_migrations());
    if (!m) throw std::runtime_error{"migrations failed: " + m.error().detail};
    const hw::actor_ref who{"system", "bench"};
    auto created = st::insert_organization(*c, dm::org_create{"Bench", "bench", "UTC", {}}, who);
    if (!created) throw std::runtime_error{"organization: " + created.error().detail};
    const hw::org_id o = created->id;
    {
      pqxx::nontransaction tx{*c};
      tx.exec0("CREATE ROLE " + tx.quote_name(role) +
               " LOGIN NOSUPERUSER NOBYPASSRLS INHERIT IN ROLE hirewire_app");
    }
    const auto words = vocabulary();
    zipf z{words.size()};

    // --- seed ---
    const auto t_seed = clk::now();
    const auto base = std::chrono::system_clock::time_point{} + std::chrono::seconds{1'900'000'000};
    std::vector<std::string> ids;
    for (int done = 0; done < items;) {
      const int n = std::min(500, items - done);  // one updated_at per batch: 100 distinct times
      std::vector<st::new_item> batch;
      batch.reserve(static_cast<std::size_t>(n));
      for (int i = 0; i < n; ++i) {
        st::new_item it;
        it.first.body = make_body(rng, z, words, done + i);
        it.first.author_id = "user-" + std::to_string(rng() % 40);
        it.first.author_name = "Author";
        it.first.origin = "import";
        it.state = rng() % 2 ? dm::review_state::in_review : dm::review_state::draft;
        batch.push_back(std::move(it));
      }
      auto r = st::create_items(*c, o, batch, "import", base + std::chrono::seconds{done}, who);
      if (!r) throw std::runtime_error{"seeding failed: " + r.error().detail};
      ids.insert(ids.end(), r->item_ids.begin(), r->item_ids.end());
      done += n;
    }
    {
      // about half approved, as reviews would leave them (updated_at untouched: the term index
      // carries it)
      pqxx::work tx{*c};
      st::set_system_scope(tx);
      tx.exec0(
          "UPDATE content_item_versions SET state = 'approved', approved_at = updated_at,"
          " reviewed_by = 'reviewer' WHERE state = 'in_review'");
      tx.exec0(
          "UPDATE content_items SET state = 'approved', approved_version = 1 WHERE state = "
          "'in_review'");
      tx.commit();
    }
    {
      // the UPDATEs above left dead row copies: compact, as autovacuum would keep a steady-state
      // table, and collect statistics
      pqxx::nontransaction tx{*c};
      tx.exec0("VACUUM FULL content_items, content_item_versions");
      tx.exec0("ANALYZE");
    }
    const double seed_s = std::chrono::duration<double>(clk::now() - t_seed).count();
    std::printf("seeded %zu items in %.1f s\n", ids.size(), seed_s);

    // --- measure as the app role (row-level security applies) ---
    auto app = st::connect(app_dsn, std::chrono::seconds{30});
    const char* const kinds[] = {"behavioral", "technical", "system_design", "coding"};
    const char* const sens[] = {"intern", "junior", "mid", "senior", "staff_plus"};
    const char* const cats[] = {"engineering", "data",    "product",   "design",
                                "sales",       "support", "marketing", "operations"};
    const char* const states[] = {"draft", "approved"};
    std::uniform_int_distribution<std::size_t> any_word{0, words.size() - 1};
    std::map<std::string, std::vector<double>> by_kind;
    std::vector<double> all;
    auto run = [&](const std::string& kind, const hw::item_filter& f) {
      const auto t = clk::now();
      auto r = st::list_items(*app, o, f);
      const double ms = std::chrono::duration<double, std::milli>(clk::now() - t).count();
      if (!r) throw std::runtime_error{"search failed: " + r.error().detail};
      by_kind[kind].push_back(ms);
      all.push_back(ms);
      return *r;
    };
    // warm-up (plans, caches), not measured
    for (int i = 0; i < 50; ++i) {
      hw::item_filter f;
      f.q = words[any_word(rng)];
      (void)st::list_items(*app, o, f);
      (void)st::get_item(*app, o, ids[rng() % ids.size()]);
    }
    int issued = 0;
    while (issued < queries) {
      hw::item_filter f;
      const auto pick = rng() % 100;
      if (pick < 30) {
        f.q = rng() % 3 ? words[any_word(rng)] : words[any_word(rng)] + " " + words[any_word(rng)];
        run("text", f);
        ++issued;
      } else if (pick < 50) {
        f.skill = skill_slugs[rng() % n_skills];
        run("skill", f);
        ++issued;
      } else if (pick < 70) {
        f.kind = kinds[rng() % 4];
        f.seniority = sens[rng() % 5];
        if (rng() % 2) f.category = cats[rng() % 8];
        if (rng() % 2) f.state = states[rng() % 2];
        run("filters", f);
        ++issued;
      } else if (pick < 85) {
        f.q = words[any_word(rng)];
        f.skill = skill_slugs[rng() % n_skills];
        run("text+skill", f);
        ++issued;
      } else {
        if (rng() % 2)
          f.skill = skill_slugs[rng() % n_skills];
        else
          f.state = "approved";
        for (int page = 0; page < 3 && issued < queries; ++page) {
          auto p = run("paging", f);
          ++issued;
          if (!p.next_cursor) break;
          f.cursor = p.next_cursor;
        }
      }
    }
    std::vector<double> base_ms;
    for (int i = 0; i < queries; ++i) {
      const auto& id = ids[rng() % ids.size()];
      const auto t = clk::now();
      auto r = st::get_item(*app, o, id);
      base_ms.push_back(std::chrono::duration<double, std::milli>(clk::now() - t).count());
      if (!r) throw std::runtime_error{"get_item failed: " + r.error().detail};
    }
    for (const auto& [k, v] : by_kind) {
      std::printf("  %-10s n=%-4zu p50 %.2f ms  p99 %.2f ms\n", k.c_str(), v.size(), pct(v, 0.5),
                  pct(v, 0.99));
    }
    const double s50 = pct(all, 0.5), s99 = pct(all, 0.99);
    const double b50 = pct(base_ms, 0.5), b99 = pct(base_ms, 0.99);
    std::printf("search   (%zu queries over %zu items): p50 %.2f ms  p99 %.2f ms\n", all.size(),
                ids.size(), s50, s99);
    std::printf("baseline (get_item by primary key):     p50 %.2f ms  p99 %.2f ms\n", b50, b99);
    std::printf("ratio search/baseline: p50 %.1f  p99 %.1f\n", s50 / b50, s99 / b99);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hw_bench_content_search: %s\n", e.what());
    rc = 1;
  }
  if (keep) {
    std::printf("kept database %s (app role %s)\n", db.c_str(), role.c_str());
    return rc;
  }
  try {
    pqxx::nontransaction tx{adminc};
    tx.exec0("DROP DATABASE IF EXISTS " + tx.quote_name(db) + " WITH (FORCE)");
    tx.exec0("DROP ROLE IF EXISTS " + tx.quote_name(role));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cleanup: %s\n", e.what());
  }
  return rc;
}
