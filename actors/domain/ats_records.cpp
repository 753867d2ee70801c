#include "actors/domain/ats_records.hpp"

#include <tuple>

namespace hw::domain {

namespace {

auto content(const ats_job& j) {
  return std::tie(j.external_id, j.title, j.status, j.department, j.location, j.description_html,
                  j.requirements, j.opened_at, j.closed_at);
}
auto content(const ats_candidate& c) {
  return std::tie(c.external_id, c.first_name, c.last_name, c.emails, c.phones, c.can_email,
                  c.anonymized, c.merged_into);
}
auto content(const ats_application& a) {
  return std::tie(a.external_id, a.candidate_external_id, a.job_external_id, a.current_stage,
                  a.status);
}
auto content(const ats_stage& s) {
  return std::tie(s.external_id, s.name, s.job_external_id, s.sort_order, s.active);
}

// Keeps our value of one overridable field and reports it when the ATS value differs.
void keep_local(bool is_overridden, const char* name, const std::string& local,
                std::string& merged, std::vector<std::string>& overridden) {
  if (!is_overridden) return;
  if (merged != local) overridden.emplace_back(name);
  merged = local;
}

}  // namespace

std::string_view to_string(ats_job_status s) noexcept {
  switch (s) {
    case ats_job_status::draft: return "draft";
    case ats_job_status::open: return "open";
    case ats_job_status::closed: return "closed";
  }
  return "draft";
}

std::string_view to_string(ats_application_status s) noexcept {
  switch (s) {
    case ats_application_status::active: return "active";
    case ats_application_status::rejected: return "rejected";
    case ats_application_status::hired: return "hired";
    case ats_application_status::converted: return "converted";
  }
  return "active";
}

bool differs(const ats_job& a, const ats_job& b) { return content(a) != content(b); }
bool differs(const ats_candidate& a, const ats_candidate& b) { return content(a) != content(b); }
bool differs(const ats_application& a, const ats_application& b) {
  return content(a) != content(b);
}
bool differs(const ats_stage& a, const ats_stage& b) { return content(a) != content(b); }

bool is_stale(const std::optional<epoch_ms>& current, const std::optional<epoch_ms>& incoming) {
  return current && incoming && *incoming < *current;
}

job_merge merge_incoming(const ats_job& current, const ats_job& incoming, const job_overrides& ov) {
  job_merge m{incoming, {}, false};
  keep_local(ov.title, "title", current.title, m.merged.title, m.overridden);
  keep_local(ov.department, "department", current.department, m.merged.department, m.overridden);
  keep_local(ov.location, "location", current.location, m.merged.location, m.overridden);
  keep_local(ov.description_html, "description_html", current.description_html,
             m.merged.description_html, m.overridden);
  keep_local(ov.requirements, "requirements", current.requirements, m.merged.requirements,
             m.overridden);
  m.changed = differs(current, m.merged);
  return m;
}

void anonymize(ats_candidate& c) {
  c.first_name.clear();
  c.last_name.clear();
  c.emails.clear();
  c.phones.clear();
  c.can_email = false;
  c.anonymized = true;
}

}  // namespace hw::domain
