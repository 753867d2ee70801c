#include "actors/domain/ats_webhook_hint.hpp"

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

#include "actors/domain/ats_json_read.hpp"
#include "actors/domain/greenhouse_mapping.hpp"

namespace hw::domain {

namespace {

using json = nlohmann::json;
namespace rd = ats_json;

bool one_of(const std::string& s, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

// payload.<name> as an object, or an error naming it.
result<const json*> object_at(const json& parent, const char* name, std::string_view rec) {
  const json* v = rd::member(parent, name);
  if (!v || !v->is_object()) return rd::invalid(rec, name, "is missing or not an object");
  return v;
}

result<webhook_hint> greenhouse_application(const json& payload, webhook_hint h, webhook_hint_kind kind) {
  const std::string rec = "greenhouse " + h.action;
  HW_ATS_TRY(app, object_at(payload, "application", rec));
  HW_ATS_TRY(aid, rd::id(*app, "id", rec + " application"));
  h.kind = kind;
  h.application_id = std::move(aid);
  // The candidate: v1 webhook shape application.candidate.id, or a flat candidate_id.
  if (const json* cand = rd::member(*app, "candidate"); cand && cand->is_object()) {
    HW_ATS_TRY(cid, rd::opt_id(*cand, "id", rec + " application.candidate"));
    h.candidate_id = std::move(cid);
  }
  if (h.candidate_id.empty()) {
    HW_ATS_TRY(cid, rd::opt_id(*app, "candidate_id", rec + " application"));
    h.candidate_id = std::move(cid);
  }
  return h;
}

}  // namespace

std::string_view to_string(webhook_hint_kind k) noexcept {
  switch (k) {
    case webhook_hint_kind::ping: return "ping";
    case webhook_hint_kind::ignored: return "ignored";
    case webhook_hint_kind::job_changed: return "job_changed";
    case webhook_hint_kind::job_deleted: return "job_deleted";
    case webhook_hint_kind::application_changed: return "application_changed";
    case webhook_hint_kind::application_deleted: return "application_deleted";
    case webhook_hint_kind::candidate_changed: return "candidate_changed";
    case webhook_hint_kind::candidate_deleted: return "candidate_deleted";
    case webhook_hint_kind::candidate_merged: return "candidate_merged";
    case webhook_hint_kind::candidate_anonymized: return "candidate_anonymized";
  }
  return "ignored";
}

result<webhook_hint> interpret_greenhouse_webhook(const json& body) {
  constexpr std::string_view env_rec = "greenhouse webhook";
  HW_ATS_TRY(obj, rd::require_object(body, env_rec));
  (void)obj;
  HW_ATS_TRY(action, rd::str(body, "action", env_rec));
  if (action.empty() || action.size() > 100) return rd::invalid(env_rec, "action", "is empty or too long");
  webhook_hint h;
  h.action = action;
  if (action == "ping") {
    h.kind = webhook_hint_kind::ping;
    return h;
  }
  static constexpr std::array known = {
      "job_created", "job_updated", "job_approved", "job_post_created", "job_post_updated", "job_post_deleted",
      "job_deleted", "new_candidate_application", "new_prospect_application", "application_updated",
      "candidate_stage_change", "reject_candidate", "unreject_candidate", "hire_candidate", "unhire_candidate",
      "delete_application", "update_candidate", "delete_candidate", "merge_candidate", "candidate_anonymized"};
  if (std::find(known.begin(), known.end(), action) == known.end()) return h;  // ignored

  const std::string rec = "greenhouse " + action;
  const json* payload = rd::member(body, "payload");
  if (!payload || !payload->is_object()) return rd::invalid(rec, "payload", "is missing or not an object");

  if (one_of(action, {"job_created", "job_updated", "job_approved", "job_deleted"})) {
    HW_ATS_TRY(job, object_at(*payload, "job", rec));
    HW_ATS_TRY(jid, rd::id(*job, "id", rec + " job"));
    h.kind = action == "job_deleted" ? webhook_hint_kind::job_deleted : webhook_hint_kind::job_changed;
    h.job_id = std::move(jid);
    return h;
  }
  if (one_of(action, {"job_post_created", "job_post_updated", "job_post_deleted"})) {
    std::string jid;
    if (const json* post = rd::member(*payload, "job_post")) {
      if (!post->is_object()) return rd::invalid(rec, "job_post", "must be an object");
      HW_ATS_TRY(id, rd::opt_id(*post, "job_id", rec + " job_post"));
      jid = std::move(id);
    }
    if (jid.empty()) {
      HW_ATS_TRY(id, rd::opt_id(*payload, "job_id", rec));
      jid = std::move(id);
    }
    // No job: a prospect post, nothing of ours to refresh.
    if (!jid.empty()) {
      h.kind = webhook_hint_kind::job_changed;
      h.job_id = std::move(jid);
    }
    return h;
  }
  if (action == "delete_application") {
    return greenhouse_application(*payload, std::move(h), webhook_hint_kind::application_deleted);
  }
  if (one_of(action, {"new_candidate_application", "new_prospect_application", "application_updated",
                      "candidate_stage_change", "reject_candidate", "unreject_candidate", "hire_candidate",
                      "unhire_candidate"})) {
    return greenhouse_application(*payload, std::move(h), webhook_hint_kind::application_changed);
  }
  if (action == "update_candidate") {
    const json* who = rd::member(*payload, "candidate");
    if (!who) who = rd::member(*payload, "person");
    if (!who || !who->is_object()) return rd::invalid(rec, "candidate", "is missing or not an object");
    HW_ATS_TRY(cid, rd::id(*who, "id", rec + " candidate"));
    h.kind = webhook_hint_kind::candidate_changed;
    h.candidate_id = std::move(cid);
    return h;
  }
  if (action == "delete_candidate") {
    HW_ATS_TRY(person, object_at(*payload, "person", rec));
    HW_ATS_TRY(cid, rd::id(*person, "id", rec + " person"));
    h.kind = webhook_hint_kind::candidate_deleted;
    h.candidate_id = std::move(cid);
    if (const json* apps = rd::member(*person, "deleted_application_ids")) {
      if (!apps->is_array()) return rd::invalid(rec, "deleted_application_ids", "must be an array");
      for (std::size_t i = 0; i < apps->size(); ++i) {
        const json holder{{"id", (*apps)[i]}};
        HW_ATS_TRY(aid, rd::id(holder, "id", rec + " deleted_application_ids[" + std::to_string(i) + "]"));
        h.deleted_application_ids.push_back(std::move(aid));
      }
    }
    return h;
  }
  if (action == "merge_candidate") {
    HW_ATS_TRY(m, map_greenhouse_merge(body));
    h.kind = webhook_hint_kind::candidate_merged;
    h.candidate_id = std::move(m.merged_external_id);
    h.merged_into = std::move(m.into_external_id);
    return h;
  }
  // candidate_anonymized
  HW_ATS_TRY(a, map_greenhouse_anonymized(body));
  h.kind = webhook_hint_kind::candidate_anonymized;
  h.candidate_id = std::move(a.candidate_external_id);
  h.anonymized_fields = std::move(a.anonymized_fields);
  return h;
}

result<webhook_hint> interpret_lever_webhook(const json& body) {
  constexpr std::string_view rec = "lever webhook";
  HW_ATS_TRY(obj, rd::require_object(body, rec));
  (void)obj;
  HW_ATS_TRY(event, rd::str(body, "event", rec));
  if (event.empty() || event.size() > 100) return rd::invalid(rec, "event", "is empty or too long");
  webhook_hint h;
  h.action = event;
  const json* data = rd::member(body, "data");
  if (data && !data->is_object()) return rd::invalid(rec, "data", "must be an object");
  // Lever's connection test carries no opportunity: answer it like a ping.
  if (!data || !rd::member(*data, "opportunityId")) {
    h.kind = webhook_hint_kind::ping;
    return h;
  }
  const bool changed = one_of(event, {"applicationCreated", "candidateStageChange", "candidateArchiveChange",
                                      "candidateHired"});
  if (!changed && event != "candidateDeleted") return h;  // ignored
  const std::string drec = std::string{rec} + " data";
  HW_ATS_TRY(opp, rd::id(*data, "opportunityId", drec));
  HW_ATS_TRY(contact, rd::opt_id(*data, "contactId", drec));
  h.application_id = opp;
  h.candidate_id = std::move(contact);
  if (changed) {
    h.kind = webhook_hint_kind::application_changed;
  } else {
    h.kind = webhook_hint_kind::candidate_deleted;
    h.deleted_application_ids.push_back(std::move(opp));
  }
  return h;
}

}  // namespace hw::domain
