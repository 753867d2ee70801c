// The ATS sync engine against a fake connector and a fake store (hermetic, no CAF, no network):
// incremental pulls with a watermark and look-back, idempotent re-runs, failed pulls, and webhook
// hints re-fetched from the vendor (404 -> delete / archive) or applied on ids.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "actors/ats/sync_engine.hpp"

namespace ha = hw::ats;
namespace hd = hw::domain;
using hw::result;
using hw::unit;

namespace {

// -- fake vendor --------------------------------------------------------------------------------

struct fake_connector final : ha::connector {
  std::map<std::string, hd::ats_stage> stages;
  std::map<std::string, hd::ats_job> jobs;
  std::map<std::string, hd::ats_candidate> candidates;
  std::map<std::string, hd::ats_application> applications;
  std::vector<std::optional<hd::epoch_ms>> pulls;  // `since` of each pull
  int fail_after_pages = -1;                       // >= 0: the pull fails after this many pages
  std::optional<hw::error> fetch_error;
  int fetches = 0;

  std::string_view vendor() const noexcept override { return "fake"; }
  result<std::string> test() override { return std::string{"ok"}; }

  template <class T>
  static bool wanted(const T& r, const ha::pull_request& req) {
    return !req.since || (r.updated_at && *r.updated_at >= *req.since);
  }

  template <class T, class Offer>
  result<unit> offer(const std::map<std::string, T>& all, const ha::pull_request& req, ha::pull_report& rep,
                     const char* name, Offer&& give) {
    std::vector<T> page;
    auto flush = [&]() -> result<unit> {
      if (page.empty()) return unit{};
      if (fail_after_pages >= 0 && rep.pages >= fail_after_pages)
        return hw::error{hw::errc::unavailable, "vendor down"};
      ++rep.pages;
      rep.fetched[name] += static_cast<std::int64_t>(page.size());
      auto r = give(std::move(page));
      page.clear();
      return r;
    };
    for (const auto& [_, r] : all) {
      if (!wanted(r, req)) continue;
      if (r.updated_at) rep.max_updated_at = std::max(rep.max_updated_at.value_or(0), *r.updated_at);
      page.push_back(r);
      if (static_cast<int>(page.size()) == req.page_size) {
        auto f = flush();
        if (!f) return f;
      }
    }
    return flush();
  }

  result<ha::pull_report> pull(const ha::pull_request& req, ha::pull_sink& sink) override {
    pulls.push_back(req.since);
    ha::pull_report rep;
    auto r = offer(stages, req, rep, "stages", [&](auto p) { return sink.stages(std::move(p)); });
    if (r) r = offer(jobs, req, rep, "jobs", [&](auto p) { return sink.jobs(std::move(p)); });
    if (r) r = offer(candidates, req, rep, "candidates", [&](auto p) { return sink.candidates(std::move(p)); });
    if (r) r = offer(applications, req, rep, "applications", [&](auto p) { return sink.applications(std::move(p)); });
    if (!r) return std::move(r).error();
    return rep;
  }

  template <class T>
  result<std::optional<T>> fetch(const std::map<std::string, T>& all, const std::string& id) {
    ++fetches;
    if (fetch_error) return *fetch_error;
    auto it = all.find(id);
    if (it == all.end()) return std::optional<T>{};
    return std::optional<T>{it->second};
  }
  result<std::optional<hd::ats_job>> fetch_job(const std::string& id) override { return fetch(jobs, id); }
  result<std::optional<hd::ats_candidate>> fetch_candidate(const std::string& id) override {
    return fetch(candidates, id);
  }
  result<std::optional<ha::fetched_application>> fetch_application(const std::string& id) override {
    auto a = fetch(applications, id);
    if (!a) return std::move(a).error();
    if (!*a) return std::optional<ha::fetched_application>{};
    return std::optional<ha::fetched_application>{ha::fetched_application{**a, std::nullopt}};
  }
};

// -- fake store ---------------------------------------------------------------------------------

struct fake_store final : ha::sync_store {
  std::map<std::string, hd::ats_stage> stages;
  std::map<std::string, hd::ats_job> jobs;
  std::map<std::string, hd::ats_candidate> candidates;
  std::map<std::string, hd::ats_application> applications;
  std::vector<std::string> archived;
  std::vector<std::pair<std::string, std::string>> merged;
  std::optional<hd::epoch_ms> watermark;
  int writes = 0;  // pages / calls that changed something

  template <class T>
  result<hw::storage::ats_upsert_counts> upsert(std::map<std::string, T>& into, const std::vector<T>& v) {
    hw::storage::ats_upsert_counts c;
    bool wrote = false;
    for (const auto& r : v) {
      auto it = into.find(r.external_id);
      if (it == into.end()) {
        into.emplace(r.external_id, r);
        ++c.inserted;
        wrote = true;
      } else if (hd::is_stale(it->second.updated_at, r.updated_at)) {
        ++c.stale;
      } else if (hd::differs(it->second, r)) {
        it->second = r;
        ++c.updated;
        wrote = true;
      } else {
        ++c.unchanged;
      }
    }
    writes += wrote ? 1 : 0;
    return c;
  }
  result<hw::storage::ats_upsert_counts> upsert_stages(const std::vector<hd::ats_stage>& v) override {
    return upsert(stages, v);
  }
  result<hw::storage::ats_upsert_counts> upsert_jobs(const std::vector<hd::ats_job>& v) override {
    return upsert(jobs, v);
  }
  result<hw::storage::ats_upsert_counts> upsert_candidates(const std::vector<hd::ats_candidate>& v) override {
    return upsert(candidates, v);
  }
  result<hw::storage::ats_upsert_counts> upsert_applications(const std::vector<hd::ats_application>& v) override {
    return upsert(applications, v);
  }
  result<unit> archive_job(const std::string& id) override {
    archived.push_back(id);
    return unit{};
  }
  result<unit> delete_application(const std::string& id) override {
    applications.erase(id);
    return unit{};
  }
  result<unit> delete_candidate(const std::string& id, const std::vector<std::string>& apps) override {
    candidates.erase(id);
    for (const auto& a : apps) applications.erase(a);
    for (auto it = applications.begin(); it != applications.end();) {
      it = it->second.candidate_external_id == id ? applications.erase(it) : std::next(it);
    }
    return unit{};
  }
  result<unit> merge_candidate(const std::string& loser, const std::string& winner) override {
    merged.emplace_back(loser, winner);
    for (auto& [_, a] : applications) {
      if (a.candidate_external_id == loser) a.candidate_external_id = winner;
    }
    return unit{};
  }
  result<unit> anonymize_candidate(const std::string& id) override {
    auto it = candidates.find(id);
    if (it != candidates.end()) hd::anonymize(it->second);
    return unit{};
  }
  result<std::optional<hd::epoch_ms>> load_watermark() override { return watermark; }
  result<unit> save_watermark(hd::epoch_ms w) override {
    if (!watermark || w > *watermark) watermark = w;
    return unit{};
  }
};

constexpr hd::epoch_ms t0 = 1'700'000'000'000;
constexpr hd::epoch_ms minute = 60'000;

hd::ats_job job(const std::string& id, hd::epoch_ms at, std::string title = "Engineer") {
  hd::ats_job j;
  j.external_id = id;
  j.title = std::move(title);
  j.status = hd::ats_job_status::open;
  j.updated_at = at;
  return j;
}
hd::ats_candidate cand(const std::string& id, hd::epoch_ms at, std::string first = "Ada") {
  hd::ats_candidate c;
  c.external_id = id;
  c.first_name = std::move(first);
  c.last_name = "L";
  c.emails = {{"x" + id + "@example.com", "personal"}};
  c.updated_at = at;
  return c;
}
hd::ats_application app(const std::string& id, const std::string& c, const std::string& j, const std::string& stage,
                        hd::epoch_ms at) {
  hd::ats_application a;
  a.external_id = id;
  a.candidate_external_id = c;
  a.job_external_id = j;
  a.current_stage = {stage, "Stage " + stage};
  a.updated_at = at;
  return a;
}

struct engine_env {
  fake_connector vendor;
  fake_store store;
  ha::pull_options opt;
  engine_env() {
    opt.look_back = std::chrono::minutes{60};
    opt.page_size = 2;
    for (int i = 1; i <= 3; ++i) vendor.jobs["j" + std::to_string(i)] = job("j" + std::to_string(i), t0 + i * minute);
    for (int i = 1; i <= 5; ++i) {
      const auto id = std::to_string(i);
      vendor.candidates["c" + id] = cand("c" + id, t0 + (10 + i) * minute);
      vendor.applications["a" + id] = app("a" + id, "c" + id, "j" + std::to_string(1 + i % 3), "s1", t0 + (20 + i) * minute);
    }
  }
  ha::pull_outcome pull() {
    auto r = ha::run_pull(vendor, store, opt);
    INFO((r ? std::string{} : r.error().detail));
    REQUIRE(r);
    return std::move(*r);
  }
};

}  // namespace

TEST_CASE("sync_engine: the first pull imports everything and sets the watermark", "[actor][ats][sync]") {
  engine_env env;
  auto o = env.pull();
  CHECK_FALSE(env.vendor.pulls.front().has_value());  // no watermark yet: everything
  CHECK(env.store.jobs.size() == 3);
  CHECK(env.store.candidates.size() == 5);
  CHECK(env.store.applications.size() == 5);
  CHECK(o.totals["applications"].inserted == 5);
  CHECK(o.changed() == 13);
  CHECK(o.report.pages == 2 + 3 + 3);  // page size 2
  REQUIRE(env.store.watermark);
  CHECK(*env.store.watermark == t0 + 25 * minute);
  CHECK(o.watermark == env.store.watermark);
}

TEST_CASE("sync_engine: a second pull changes nothing and asks from the watermark minus the look-back",
          "[actor][ats][sync]") {
  engine_env env;
  env.pull();
  const int writes = env.store.writes;
  auto o = env.pull();
  REQUIRE(env.vendor.pulls.size() == 2);
  REQUIRE(env.vendor.pulls[1]);
  CHECK(*env.vendor.pulls[1] == t0 + 25 * minute - 60 * minute);
  CHECK(o.changed() == 0);
  CHECK(env.store.writes == writes);
  CHECK(o.totals["applications"].unchanged == 5);
  CHECK(*env.store.watermark == t0 + 25 * minute);

  SECTION("a record updated inside the look-back window is picked up") {
    // Committed late at the vendor: its updated_at is older than our watermark.
    env.vendor.candidates["c2"] = cand("c2", t0 + 24 * minute, "Grace");
    auto o3 = env.pull();
    CHECK(o3.totals["candidates"].updated == 1);
    CHECK(env.store.candidates["c2"].first_name == "Grace");
    CHECK(*env.store.watermark == t0 + 25 * minute);  // never backwards
  }
  SECTION("a record older than the look-back is not asked for again") {
    env.vendor.jobs["j1"] = job("j1", t0 - 2 * 60 * minute, "Old edit");
    auto o3 = env.pull();
    CHECK(o3.changed() == 0);
    CHECK(env.store.jobs["j1"].title == "Engineer");
  }
  SECTION("newer records move the watermark forward") {
    env.vendor.applications["a9"] = app("a9", "c1", "j1", "s2", t0 + 90 * minute);
    auto o3 = env.pull();
    CHECK(o3.totals["applications"].inserted == 1);
    CHECK(*env.store.watermark == t0 + 90 * minute);
    CHECK(*env.vendor.pulls.back() == t0 + 25 * minute - 60 * minute);
  }
}

TEST_CASE("sync_engine: a failed pull keeps its pages and the old watermark, the next run converges",
          "[actor][ats][sync]") {
  engine_env env;
  env.vendor.fail_after_pages = 3;
  auto r = ha::run_pull(env.vendor, env.store, env.opt);
  REQUIRE_FALSE(r);
  CHECK(r.code() == hw::errc::unavailable);
  CHECK_FALSE(env.store.watermark);  // nothing claimed as done
  CHECK(env.store.jobs.size() == 3);  // the pages before the failure were written
  CHECK(env.store.applications.empty());
  env.vendor.fail_after_pages = -1;
  auto o = env.pull();
  CHECK(env.store.applications.size() == 5);
  CHECK(o.totals["jobs"].unchanged == 3);
  CHECK(*env.store.watermark == t0 + 25 * minute);
}

TEST_CASE("sync_engine: hints re-fetch the record and store the vendor's current state", "[actor][ats][sync]") {
  engine_env env;
  env.pull();
  hd::webhook_hint h;

  SECTION("application_changed stores the application and its candidate as the vendor has them now") {
    env.vendor.applications["a1"].current_stage = {"s3", "Shortlist"};
    env.vendor.applications["a1"].updated_at = t0 + 100 * minute;
    env.vendor.candidates["c1"].first_name = "Ada2";
    env.vendor.candidates["c1"].updated_at = t0 + 100 * minute;
    h.kind = hd::webhook_hint_kind::application_changed;
    h.application_id = "a1";
    auto r = ha::process_hint(env.vendor, env.store, h);
    REQUIRE(r);
    CHECK(env.store.applications["a1"].current_stage.id == "s3");
    CHECK(env.store.candidates["c1"].first_name == "Ada2");
    // A duplicate (or an older, out-of-order delivery of the same hint) converges to the same state.
    REQUIRE(ha::process_hint(env.vendor, env.store, h));
    CHECK(env.store.applications["a1"].current_stage.id == "s3");
  }
  SECTION("an application the vendor answers 404 for is deleted") {
    env.vendor.applications.erase("a2");
    h.kind = hd::webhook_hint_kind::application_changed;
    h.application_id = "a2";
    REQUIRE(ha::process_hint(env.vendor, env.store, h));
    CHECK(env.store.applications.count("a2") == 0);
  }
  SECTION("job_changed stores the job, or archives it on 404") {
    env.vendor.jobs["j2"] = job("j2", t0 + 100 * minute, "Staff Engineer");
    h.kind = hd::webhook_hint_kind::job_changed;
    h.job_id = "j2";
    REQUIRE(ha::process_hint(env.vendor, env.store, h));
    CHECK(env.store.jobs["j2"].title == "Staff Engineer");
    env.vendor.jobs.erase("j3");
    h.job_id = "j3";
    auto r = ha::process_hint(env.vendor, env.store, h);
    REQUIRE(r);
    CHECK(env.store.archived == std::vector<std::string>{"j3"});
    CHECK(r->what.find("404") != std::string::npos);
  }
  SECTION("job_deleted archives without asking the vendor") {
    h.kind = hd::webhook_hint_kind::job_deleted;
    h.job_id = "j1";
    const int before = env.vendor.fetches;
    REQUIRE(ha::process_hint(env.vendor, env.store, h));
    CHECK(env.store.archived == std::vector<std::string>{"j1"});
    CHECK(env.vendor.fetches == before);
  }
  SECTION("candidate_deleted removes the candidate and the named applications") {
    h.kind = hd::webhook_hint_kind::candidate_deleted;
    h.candidate_id = "c3";
    h.deleted_application_ids = {"a4"};
    REQUIRE(ha::process_hint(env.vendor, env.store, h));
    CHECK(env.store.candidates.count("c3") == 0);
    CHECK(env.store.applications.count("a3") == 0);
    CHECK(env.store.applications.count("a4") == 0);
    CHECK(env.store.applications.count("a5") == 1);
  }
  SECTION("candidate_merged re-points applications and refreshes the winner") {
    env.vendor.candidates["c2"].first_name = "Merged";
    env.vendor.candidates["c2"].updated_at = t0 + 100 * minute;
    h.kind = hd::webhook_hint_kind::candidate_merged;
    h.candidate_id = "c1";
    h.merged_into = "c2";
    REQUIRE(ha::process_hint(env.vendor, env.store, h));
    CHECK(env.store.merged.size() == 1);
    CHECK(env.store.applications["a1"].candidate_external_id == "c2");
    CHECK(env.store.candidates["c2"].first_name == "Merged");
  }
  SECTION("candidate_anonymized purges our copy") {
    h.kind = hd::webhook_hint_kind::candidate_anonymized;
    h.candidate_id = "c4";
    REQUIRE(ha::process_hint(env.vendor, env.store, h));
    CHECK(env.store.candidates["c4"].anonymized);
    CHECK(env.store.candidates["c4"].emails.empty());
  }
  SECTION("a vendor failure is returned, so the job is retried") {
    env.vendor.fetch_error = hw::error{hw::errc::unavailable, "HTTP 503 from /v3/applications"};
    h.kind = hd::webhook_hint_kind::application_changed;
    h.application_id = "a1";
    auto r = ha::process_hint(env.vendor, env.store, h);
    REQUIRE_FALSE(r);
    CHECK(r.code() == hw::errc::unavailable);
  }
  SECTION("a hint without its id is invalid; ping and ignored do nothing") {
    h.kind = hd::webhook_hint_kind::application_changed;
    auto r = ha::process_hint(env.vendor, env.store, h);
    REQUIRE_FALSE(r);
    CHECK(r.code() == hw::errc::invalid_argument);
    h.kind = hd::webhook_hint_kind::ping;
    const int before = env.vendor.fetches;
    CHECK(ha::process_hint(env.vendor, env.store, h));
    h.kind = hd::webhook_hint_kind::ignored;
    CHECK(ha::process_hint(env.vendor, env.store, h));
    CHECK(env.vendor.fetches == before);
  }
}
