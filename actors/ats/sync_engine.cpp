#include "actors/ats/sync_engine.hpp"

#include <algorithm>
#include <utility>

namespace hw::ats {

// -- pg_sync_store ----------------------------------------------------------------------------------

pg_sync_store::pg_sync_store(pqxx::connection_base& c, org_id org, std::string connection_id,
                             std::function<storage::time_point()> now)
    : c_(c), org_(std::move(org)), conn_(std::move(connection_id)), now_(std::move(now)) {
  if (!now_) now_ = [] { return std::chrono::system_clock::now(); };
}

result<storage::ats_upsert_counts> pg_sync_store::upsert_stages(const std::vector<domain::ats_stage>& v) {
  return storage::upsert_ats_stages(c_, org_, conn_, v, now_());
}
result<storage::ats_upsert_counts> pg_sync_store::upsert_jobs(const std::vector<domain::ats_job>& v) {
  return storage::upsert_ats_jobs(c_, org_, conn_, v, now_());
}
result<storage::ats_upsert_counts> pg_sync_store::upsert_candidates(const std::vector<domain::ats_candidate>& v) {
  return storage::upsert_ats_candidates(c_, org_, conn_, v, now_());
}
result<storage::ats_upsert_counts> pg_sync_store::upsert_applications(
    const std::vector<domain::ats_application>& v) {
  return storage::upsert_ats_applications(c_, org_, conn_, v, now_());
}
result<unit> pg_sync_store::archive_job(const std::string& job_id) {
  return storage::archive_ats_job_upstream(c_, org_, conn_, job_id, now_());
}
result<unit> pg_sync_store::delete_application(const std::string& application_id) {
  return storage::delete_ats_application(c_, org_, conn_, application_id, now_());
}
result<unit> pg_sync_store::delete_candidate(const std::string& candidate_id,
                                             const std::vector<std::string>& application_ids) {
  return storage::delete_ats_candidate(c_, org_, conn_, candidate_id, application_ids, now_());
}
result<unit> pg_sync_store::merge_candidate(const std::string& loser_id, const std::string& winner_id) {
  return storage::merge_ats_candidate(c_, org_, conn_, loser_id, winner_id, now_());
}
result<unit> pg_sync_store::anonymize_candidate(const std::string& candidate_id) {
  return storage::anonymize_ats_candidate(c_, org_, conn_, candidate_id, now_());
}
result<std::optional<epoch_ms>> pg_sync_store::load_watermark() {
  return storage::load_ats_watermark(c_, org_, conn_, pull_watermark_resource);
}
result<unit> pg_sync_store::save_watermark(epoch_ms watermark) {
  return storage::save_ats_watermark(c_, org_, conn_, pull_watermark_resource, watermark, now_());
}

// -- pull -------------------------------------------------------------------------------------------

std::int64_t pull_outcome::changed() const {
  std::int64_t n = 0;
  for (const auto& [_, t] : totals) n += t.inserted + t.updated;
  return n;
}

namespace {

void add(resource_totals& t, const storage::ats_upsert_counts& c) {
  t.inserted += c.inserted;
  t.updated += c.updated;
  t.unchanged += c.unchanged;
  t.stale += c.stale;
  t.stage_events += c.stage_events;
  t.conflicts += static_cast<std::int64_t>(c.conflicts.size());
}

class store_sink final : public pull_sink {
 public:
  store_sink(sync_store& s, std::map<std::string, resource_totals>& totals) : s_(s), totals_(totals) {}

  result<unit> stages(std::vector<domain::ats_stage> page) override {
    return page.empty() ? result<unit>{unit{}} : account("stages", s_.upsert_stages(page));
  }
  result<unit> jobs(std::vector<domain::ats_job> page) override {
    return page.empty() ? result<unit>{unit{}} : account("jobs", s_.upsert_jobs(page));
  }
  result<unit> candidates(std::vector<domain::ats_candidate> page) override {
    return page.empty() ? result<unit>{unit{}} : account("candidates", s_.upsert_candidates(page));
  }
  result<unit> applications(std::vector<domain::ats_application> page) override {
    return page.empty() ? result<unit>{unit{}} : account("applications", s_.upsert_applications(page));
  }

 private:
  result<unit> account(const char* resource, result<storage::ats_upsert_counts> r) {
    if (!r) return std::move(r).error();
    add(totals_[resource], *r);
    return unit{};
  }
  sync_store& s_;
  std::map<std::string, resource_totals>& totals_;
};

}  // namespace

result<pull_outcome> run_pull(connector& conn, sync_store& store, const pull_options& opt) {
  auto wm = store.load_watermark();
  if (!wm) return std::move(wm).error();
  pull_outcome out;
  pull_request req;
  req.page_size = opt.page_size;
  if (*wm) req.since = std::max<epoch_ms>(0, **wm - opt.look_back.count());
  out.since = req.since;
  out.watermark = *wm;
  store_sink sink{store, out.totals};
  auto rep = conn.pull(req, sink);
  if (!rep) return std::move(rep).error();
  out.report = std::move(*rep);
  if (out.report.max_updated_at && (!out.watermark || *out.report.max_updated_at > *out.watermark)) {
    auto saved = store.save_watermark(*out.report.max_updated_at);
    if (!saved) return std::move(saved).error();
    out.watermark = out.report.max_updated_at;
  }
  return out;
}

// -- hints ------------------------------------------------------------------------------------------

namespace {

result<hint_outcome> done(result<unit> r, std::string what) {
  if (!r) return std::move(r).error();
  return hint_outcome{std::move(what)};
}

template <class T>
result<hint_outcome> done_counts(result<T> r, std::string what) {
  if (!r) return std::move(r).error();
  return hint_outcome{std::move(what)};
}

hw::error missing(const char* field) {
  return hw::error{errc::invalid_argument, std::string{"webhook hint without "} + field};
}

result<hint_outcome> on_application_changed(connector& conn, sync_store& store, const std::string& id) {
  auto f = conn.fetch_application(id);
  if (!f) return std::move(f).error();
  if (!*f) return done(store.delete_application(id), "application " + id + " deleted (404)");
  auto& fetched = **f;
  std::optional<domain::ats_candidate> cand = std::move(fetched.candidate);
  if (!cand && !fetched.application.candidate_external_id.empty()) {
    auto c = conn.fetch_candidate(fetched.application.candidate_external_id);
    if (!c) return std::move(c).error();
    cand = std::move(*c);
  }
  if (cand) {
    auto r = store.upsert_candidates({*cand});
    if (!r) return std::move(r).error();
  }
  return done_counts(store.upsert_applications({fetched.application}), "application " + id + " stored");
}

}  // namespace

result<hint_outcome> process_hint(connector& conn, sync_store& store, const domain::webhook_hint& h) {
  using k = domain::webhook_hint_kind;
  switch (h.kind) {
    case k::ping:
    case k::ignored:
      return hint_outcome{std::string{to_string(h.kind)}};
    case k::job_changed: {
      if (h.job_id.empty()) return missing("job id");
      auto j = conn.fetch_job(h.job_id);
      if (!j) return std::move(j).error();
      if (!*j) return done(store.archive_job(h.job_id), "job " + h.job_id + " archived (404)");
      return done_counts(store.upsert_jobs({**j}), "job " + h.job_id + " stored");
    }
    case k::job_deleted:
      if (h.job_id.empty()) return missing("job id");
      return done(store.archive_job(h.job_id), "job " + h.job_id + " archived");
    case k::application_changed:
      if (h.application_id.empty()) return missing("application id");
      return on_application_changed(conn, store, h.application_id);
    case k::application_deleted:
      if (h.application_id.empty()) return missing("application id");
      return done(store.delete_application(h.application_id), "application " + h.application_id + " deleted");
    case k::candidate_changed: {
      if (h.candidate_id.empty()) return missing("candidate id");
      auto c = conn.fetch_candidate(h.candidate_id);
      if (!c) return std::move(c).error();
      if (!*c) return done(store.delete_candidate(h.candidate_id, {}), "candidate " + h.candidate_id + " deleted (404)");
      return done_counts(store.upsert_candidates({**c}), "candidate " + h.candidate_id + " stored");
    }
    case k::candidate_deleted: {
      if (h.candidate_id.empty()) {
        // Lever names the opportunity (our application) and not always the contact.
        if (h.application_id.empty()) return missing("candidate or application id");
        return done(store.delete_application(h.application_id), "application " + h.application_id + " deleted");
      }
      auto apps = h.deleted_application_ids;
      if (!h.application_id.empty()) apps.push_back(h.application_id);
      return done(store.delete_candidate(h.candidate_id, apps), "candidate " + h.candidate_id + " deleted");
    }
    case k::candidate_merged: {
      if (h.candidate_id.empty() || h.merged_into.empty()) return missing("candidate ids");
      if (h.candidate_id == h.merged_into) return hint_outcome{"candidate merged into itself: ignored"};
      auto m = store.merge_candidate(h.candidate_id, h.merged_into);
      if (!m) return std::move(m).error();
      // The winner may have changed too (merged contact data): re-fetch it like any hint.
      auto w = conn.fetch_candidate(h.merged_into);
      if (!w) return std::move(w).error();
      if (*w) {
        auto r = store.upsert_candidates({**w});
        if (!r) return std::move(r).error();
      }
      return hint_outcome{"candidate " + h.candidate_id + " merged into " + h.merged_into};
    }
    case k::candidate_anonymized:
      if (h.candidate_id.empty()) return missing("candidate id");
      return done(store.anonymize_candidate(h.candidate_id), "candidate " + h.candidate_id + " anonymized");
  }
  return hint_outcome{"ignored"};
}

}  // namespace hw::ats
