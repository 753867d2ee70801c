#include "actors/domain/greenhouse_mapping.hpp"

#include <nlohmann/json.hpp>

#include "actors/domain/ats_json_read.hpp"

namespace hw::domain {

namespace {

using json = nlohmann::json;
namespace rd = ats_json;

constexpr std::string_view job_rec = "greenhouse job";
constexpr std::string_view post_rec = "greenhouse job post";
constexpr std::string_view cand_rec = "greenhouse candidate";
constexpr std::string_view app_rec = "greenhouse application";
constexpr std::string_view stage_rec = "greenhouse job interview stage";

using rd::member;

result<ats_job_status> job_status(const json& job) {
  HW_ATS_TRY(s, rd::str(job, "status", job_rec));
  if (s == "draft") return ats_job_status::draft;
  if (s == "open") return ats_job_status::open;
  if (s == "closed") return ats_job_status::closed;
  return rd::invalid(job_rec, "status", "is not draft, open or closed");
}

std::string name_or_id(const std::map<std::string, std::string>* names, const std::string& id) {
  if (names) {
    const auto it = names->find(id);
    if (it != names->end()) return it->second;
  }
  return id;
}

// [{value, type}] -> contacts; absent/null -> empty. `field` names the array in errors.
result<std::vector<ats_contact>> contacts(const json& obj, const char* field) {
  std::vector<ats_contact> out;
  const json* arr = member(obj, field);
  if (!arr) return out;
  if (!arr->is_array()) return rd::invalid(cand_rec, field, "must be an array");
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const std::string name = std::string{field} + "[" + std::to_string(i) + "]";
    const json& e = (*arr)[i];
    if (!e.is_object()) return rd::invalid(cand_rec, name, "must be an object");
    HW_ATS_TRY(value, rd::str(e, "value", std::string{cand_rec} + " " + name));
    HW_ATS_TRY(type, rd::opt_str(e, "type", std::string{cand_rec} + " " + name));
    out.push_back({std::move(value), std::move(type)});
  }
  return out;
}

result<ats_application_status> app_status(const json& app) {
  HW_ATS_TRY(s, rd::str(app, "status", app_rec));
  // v3 answers in_process; the v1-shaped webhooks say active (ats.md §1.4, §1.6).
  if (s == "in_process" || s == "active") return ats_application_status::active;
  if (s == "rejected") return ats_application_status::rejected;
  if (s == "hired") return ats_application_status::hired;
  if (s == "converted") return ats_application_status::converted;
  return rd::invalid(app_rec, "status", "is not in_process, active, rejected, hired or converted");
}

result<std::string> webhook_action(const json& webhook, std::string_view want,
                                   std::string_view record) {
  HW_ATS_TRY(ok, rd::require_object(webhook, record));
  (void)ok;
  HW_ATS_TRY(action, rd::str(webhook, "action", record));
  if (action != want) return rd::invalid(record, "action", "is not the expected event");
  return action;
}

}  // namespace

bool is_greenhouse_template_job(const json& job) {
  const json* t = member(job, "is_template");
  return t && t->is_boolean() && t->get<bool>();
}

const json* pick_greenhouse_job_post(const json& posts, const std::string& job_id) {
  if (!posts.is_array()) return nullptr;
  const json* live = nullptr;
  const json* active = nullptr;
  const json* any = nullptr;
  auto flag = [](const json& p, const char* f, bool fallback) {
    const auto r = rd::opt_bool(p, f, post_rec, fallback);
    return r ? *r : fallback;
  };
  for (const auto& p : posts) {
    const auto pid = rd::opt_id(p, "job_id", post_rec);
    if (!pid || *pid != job_id) continue;
    if (!any) any = &p;
    const bool external = !flag(p, "internal", false);
    if (external && flag(p, "active", true)) {
      if (!active) active = &p;
      if (!live && flag(p, "live", false)) live = &p;
    }
  }
  return live ? live : active ? active : any;
}

result<ats_job> map_greenhouse_job(const json& job, const json* job_post,
                                   const greenhouse_directory* directory) {
  HW_ATS_TRY(obj, rd::require_object(job, job_rec));
  (void)obj;
  ats_job out;
  HW_ATS_TRY(id, rd::id(job, "id", job_rec));
  HW_ATS_TRY(title, rd::str(job, "name", job_rec));
  HW_ATS_TRY(status, job_status(job));
  HW_ATS_TRY(department, rd::opt_id(job, "department_id", job_rec));
  HW_ATS_TRY(opened_at, rd::opt_iso_time(job, "opened_at", job_rec));
  HW_ATS_TRY(closed_at, rd::opt_iso_time(job, "closed_at", job_rec));
  HW_ATS_TRY(updated_at, rd::opt_iso_time(job, "updated_at", job_rec));
  out.external_id = std::move(id);
  out.title = std::move(title);
  out.status = status;
  if (!department.empty()) {
    out.department = name_or_id(directory ? &directory->departments : nullptr, department);
  }
  if (const json* offices = member(job, "office_ids")) {
    if (!offices->is_array()) return rd::invalid(job_rec, "office_ids", "must be an array");
    for (std::size_t i = 0; i < offices->size(); ++i) {
      // Reuse the id reader on a one-element object so errors name the index.
      const std::string name = "office_ids[" + std::to_string(i) + "]";
      HW_ATS_TRY(office, rd::id(json{{name, (*offices)[i]}}, name, job_rec));
      if (!out.location.empty()) out.location += "; ";
      out.location += name_or_id(directory ? &directory->offices : nullptr, office);
    }
  }
  out.opened_at = opened_at;
  out.closed_at = closed_at;
  out.updated_at = updated_at;
  if (job_post) {
    HW_ATS_TRY(pobj, rd::require_object(*job_post, post_rec));
    (void)pobj;
    HW_ATS_TRY(post_job, rd::opt_id(*job_post, "job_id", post_rec));
    if (!post_job.empty() && post_job != out.external_id) {
      return rd::invalid(post_rec, "job_id", "does not match the job");
    }
    HW_ATS_TRY(content, rd::opt_str(*job_post, "content", post_rec));
    out.description_html = std::move(content);
  }
  return out;
}

result<ats_candidate> map_greenhouse_candidate(const json& c) {
  HW_ATS_TRY(obj, rd::require_object(c, cand_rec));
  (void)obj;
  ats_candidate out;
  HW_ATS_TRY(id, rd::id(c, "id", cand_rec));
  // Names may be null (anonymized or partial records): empty, not an error.
  HW_ATS_TRY(first, rd::opt_str(c, "first_name", cand_rec));
  HW_ATS_TRY(last, rd::opt_str(c, "last_name", cand_rec));
  HW_ATS_TRY(emails, contacts(c, "email_addresses"));
  HW_ATS_TRY(phones, contacts(c, "phone_numbers"));
  HW_ATS_TRY(can_email, rd::opt_bool(c, "can_email", cand_rec, true));
  HW_ATS_TRY(updated_at, rd::opt_iso_time(c, "updated_at", cand_rec));
  out.external_id = std::move(id);
  out.first_name = std::move(first);
  out.last_name = std::move(last);
  out.emails = std::move(emails);
  out.phones = std::move(phones);
  out.can_email = can_email;
  out.updated_at = updated_at;
  return out;
}

result<ats_application> map_greenhouse_application(const json& a) {
  HW_ATS_TRY(obj, rd::require_object(a, app_rec));
  (void)obj;
  ats_application out;
  HW_ATS_TRY(id, rd::id(a, "id", app_rec));
  out.external_id = std::move(id);
  HW_ATS_TRY(status, app_status(a));
  out.status = status;

  // candidate: v3 candidate_id, or the v1 webhook's nested candidate{id}.
  if (const json* cand = member(a, "candidate"); cand && !member(a, "candidate_id")) {
    HW_ATS_TRY(cid, rd::id(*cand, "id", std::string{app_rec} + " candidate"));
    out.candidate_external_id = std::move(cid);
  } else {
    HW_ATS_TRY(cid, rd::id(a, "candidate_id", app_rec));
    out.candidate_external_id = std::move(cid);
  }

  // job: v3 job_id (null for a jobless prospect), or the v1 webhook's jobs[0].id.
  if (const json* jobs = member(a, "jobs"); jobs && !a.contains("job_id")) {
    if (!jobs->is_array()) return rd::invalid(app_rec, "jobs", "must be an array");
    if (!jobs->empty()) {
      HW_ATS_TRY(jid, rd::id((*jobs)[0], "id", std::string{app_rec} + " jobs[0]"));
      out.job_external_id = std::move(jid);
    }
  } else {
    HW_ATS_TRY(jid, rd::opt_id(a, "job_id", app_rec));
    out.job_external_id = std::move(jid);
  }

  // stage: v3 stage_id + stage_name, or the v1 current_stage{id, name}.
  if (const json* cs = member(a, "current_stage")) {
    const std::string rec = std::string{app_rec} + " current_stage";
    HW_ATS_TRY(o, rd::require_object(*cs, rec));
    (void)o;
    HW_ATS_TRY(sid, rd::id(*cs, "id", rec));
    HW_ATS_TRY(sname, rd::opt_str(*cs, "name", rec));
    out.current_stage = {std::move(sid), std::move(sname)};
  } else {
    HW_ATS_TRY(sid, rd::opt_id(a, "stage_id", app_rec));
    HW_ATS_TRY(sname, rd::opt_str(a, "stage_name", app_rec));
    out.current_stage = {std::move(sid), std::move(sname)};
  }

  HW_ATS_TRY(updated_at, rd::opt_iso_time(a, "updated_at", app_rec));
  if (!updated_at) {
    HW_ATS_TRY(last_activity, rd::opt_iso_time(a, "last_activity_at", app_rec));
    updated_at = last_activity;
  }
  out.updated_at = updated_at;
  return out;
}

result<ats_stage> map_greenhouse_stage(const json& s) {
  HW_ATS_TRY(obj, rd::require_object(s, stage_rec));
  (void)obj;
  ats_stage out;
  HW_ATS_TRY(id, rd::id(s, "id", stage_rec));
  HW_ATS_TRY(job_id, rd::id(s, "job_id", stage_rec));
  HW_ATS_TRY(name, rd::str(s, "name", stage_rec));
  HW_ATS_TRY(sort_order, rd::opt_int(s, "sort_order", stage_rec));
  HW_ATS_TRY(active, rd::opt_bool(s, "active", stage_rec, true));
  HW_ATS_TRY(updated_at, rd::opt_iso_time(s, "updated_at", stage_rec));
  out.external_id = std::move(id);
  out.job_external_id = std::move(job_id);
  out.name = std::move(name);
  if (sort_order) {
    if (*sort_order < 0 || *sort_order > 100000) {
      return rd::invalid(stage_rec, "sort_order", "is out of range");
    }
    out.sort_order = static_cast<int>(*sort_order);
  }
  out.active = active;
  out.updated_at = updated_at;
  return out;
}

result<greenhouse_anonymization> map_greenhouse_anonymized(const json& webhook) {
  constexpr std::string_view rec = "greenhouse candidate_anonymized";
  HW_ATS_TRY(action, webhook_action(webhook, "candidate_anonymized", rec));
  (void)action;
  const json* payload = member(webhook, "payload");
  if (!payload || !payload->is_object()) return rd::invalid(rec, "payload", "is missing");
  greenhouse_anonymization out;
  HW_ATS_TRY(cid, rd::id(*payload, "candidate_id", rec));
  out.candidate_external_id = std::move(cid);
  if (const json* fields = member(*payload, "anonymized_fields")) {
    if (!fields->is_array()) return rd::invalid(rec, "anonymized_fields", "must be an array");
    for (const auto& f : *fields) {
      if (!f.is_string()) return rd::invalid(rec, "anonymized_fields", "must hold strings");
      out.anonymized_fields.push_back(f.get<std::string>());
    }
  }
  return out;
}

result<greenhouse_merge> map_greenhouse_merge(const json& webhook) {
  constexpr std::string_view rec = "greenhouse merge_candidate";
  HW_ATS_TRY(action, webhook_action(webhook, "merge_candidate", rec));
  (void)action;
  const json* payload = member(webhook, "payload");
  if (!payload || !payload->is_object()) return rd::invalid(rec, "payload", "is missing");
  const json* person = member(*payload, "person");
  if (!person || !person->is_object()) return rd::invalid(rec, "person", "is missing");
  HW_ATS_TRY(loser, rd::id(*person, "id", rec));
  HW_ATS_TRY(winner, rd::id(*person, "new_candidate_id", rec));
  if (loser == winner) return rd::invalid(rec, "new_candidate_id", "equals the merged id");
  return greenhouse_merge{std::move(loser), std::move(winner)};
}

}  // namespace hw::domain
