#include "actors/domain/lever_mapping.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "actors/domain/ats_json_read.hpp"

namespace hw::domain {

namespace {

using json = nlohmann::json;
namespace rd = ats_json;

constexpr std::string_view posting_rec = "lever posting";
constexpr std::string_view opp_rec = "lever opportunity";
constexpr std::string_view stage_rec = "lever stage";

using rd::member;

// An optional nested object: absent/null -> nullptr, wrong type -> error.
result<const json*> opt_object(const json& obj, const char* field, std::string_view rec) {
  const json* v = member(obj, field);
  if (v && !v->is_object()) return rd::invalid(rec, field, "must be an object");
  return v;
}

result<ats_job_status> posting_status(const json& p) {
  HW_ATS_TRY(s, rd::str(p, "state", posting_rec));
  if (s == "published" || s == "internal") return ats_job_status::open;
  if (s == "closed" || s == "rejected") return ats_job_status::closed;
  if (s == "draft" || s == "pending") return ats_job_status::draft;
  return rd::invalid(posting_rec, "state", "is not a known posting state");
}

}  // namespace

result<ats_job> map_lever_posting(const json& p) {
  HW_ATS_TRY(obj, rd::require_object(p, posting_rec));
  (void)obj;
  ats_job out;
  HW_ATS_TRY(id, rd::id(p, "id", posting_rec));
  HW_ATS_TRY(title, rd::str(p, "text", posting_rec));
  HW_ATS_TRY(status, posting_status(p));
  HW_ATS_TRY(updated_at, rd::opt_epoch_ms(p, "updatedAt", posting_rec));
  out.external_id = std::move(id);
  out.title = std::move(title);
  out.status = status;
  out.updated_at = updated_at;

  HW_ATS_TRY(categories, opt_object(p, "categories", posting_rec));
  if (categories) {
    const std::string rec = std::string{posting_rec} + " categories";
    HW_ATS_TRY(department, rd::opt_str(*categories, "department", rec));
    HW_ATS_TRY(team, rd::opt_str(*categories, "team", rec));
    HW_ATS_TRY(location, rd::opt_str(*categories, "location", rec));
    out.department = department.empty() ? std::move(team) : std::move(department);
    out.location = std::move(location);
  }

  HW_ATS_TRY(content, opt_object(p, "content", posting_rec));
  if (content) {
    const std::string rec = std::string{posting_rec} + " content";
    HW_ATS_TRY(html, rd::opt_str(*content, "descriptionHtml", rec));
    out.description_html = std::move(html);
    if (const json* lists = member(*content, "lists")) {
      if (!lists->is_array()) return rd::invalid(rec, "lists", "must be an array");
      for (std::size_t i = 0; i < lists->size(); ++i) {
        const std::string lrec = rec + " lists[" + std::to_string(i) + "]";
        HW_ATS_TRY(lo, rd::require_object((*lists)[i], lrec));
        (void)lo;
        HW_ATS_TRY(heading, rd::opt_str((*lists)[i], "text", lrec));
        HW_ATS_TRY(items, rd::str((*lists)[i], "content", lrec));
        out.requirements += "<h3>" + heading + "</h3><ul>" + items + "</ul>";
      }
    }
  }
  return out;
}

result<ats_candidate> map_lever_candidate(const json& o) {
  HW_ATS_TRY(obj, rd::require_object(o, opp_rec));
  (void)obj;
  ats_candidate out;
  HW_ATS_TRY(contact, rd::id(o, "contact", opp_rec));
  HW_ATS_TRY(name, rd::opt_str(o, "name", opp_rec));
  HW_ATS_TRY(updated_at, rd::opt_epoch_ms(o, "updatedAt", opp_rec));
  out.external_id = std::move(contact);
  // Lever has one `name`: split at the last space ("Mary Ann Smith" -> "Mary Ann" / "Smith").
  if (const auto sp = name.find_last_of(' '); sp != std::string::npos) {
    out.first_name = name.substr(0, sp);
    out.last_name = name.substr(sp + 1);
  } else {
    out.first_name = std::move(name);
  }
  if (const json* emails = member(o, "emails")) {
    if (!emails->is_array()) return rd::invalid(opp_rec, "emails", "must be an array");
    for (std::size_t i = 0; i < emails->size(); ++i) {
      if (!(*emails)[i].is_string()) {
        return rd::invalid(opp_rec, "emails[" + std::to_string(i) + "]", "must be a string");
      }
      out.emails.push_back({(*emails)[i].get<std::string>(), ""});
    }
  }
  if (const json* phones = member(o, "phones")) {
    if (!phones->is_array()) return rd::invalid(opp_rec, "phones", "must be an array");
    for (std::size_t i = 0; i < phones->size(); ++i) {
      const std::string rec = std::string{opp_rec} + " phones[" + std::to_string(i) + "]";
      HW_ATS_TRY(po, rd::require_object((*phones)[i], rec));
      (void)po;
      HW_ATS_TRY(value, rd::str((*phones)[i], "value", rec));
      HW_ATS_TRY(type, rd::opt_str((*phones)[i], "type", rec));
      out.phones.push_back({std::move(value), std::move(type)});
    }
  }
  out.updated_at = updated_at;
  return out;
}

result<ats_application> map_lever_application(const json& o, const lever_options& options) {
  HW_ATS_TRY(obj, rd::require_object(o, opp_rec));
  (void)obj;
  ats_application out;
  HW_ATS_TRY(id, rd::id(o, "id", opp_rec));
  HW_ATS_TRY(contact, rd::id(o, "contact", opp_rec));
  HW_ATS_TRY(updated_at, rd::opt_epoch_ms(o, "updatedAt", opp_rec));
  out.external_id = std::move(id);
  out.candidate_external_id = std::move(contact);
  out.updated_at = updated_at;

  // The posting: expanded applications[0].posting, else a top-level posting id; none = no job.
  if (const json* apps = member(o, "applications")) {
    if (!apps->is_array()) return rd::invalid(opp_rec, "applications", "must be an array");
    if (!apps->empty() && (*apps)[0].is_object()) {
      HW_ATS_TRY(posting, rd::opt_id((*apps)[0], "posting", std::string{opp_rec} + " applications[0]"));
      out.job_external_id = std::move(posting);
    }
  }
  if (out.job_external_id.empty()) {
    HW_ATS_TRY(posting, rd::opt_id(o, "posting", opp_rec));
    out.job_external_id = std::move(posting);
  }

  // The stage: an id string, or the expanded {id, text}.
  if (const json* st = member(o, "stage")) {
    if (st->is_object()) {
      const std::string rec = std::string{opp_rec} + " stage";
      HW_ATS_TRY(sid, rd::id(*st, "id", rec));
      HW_ATS_TRY(text, rd::opt_str(*st, "text", rec));
      out.current_stage = {std::move(sid), std::move(text)};
    } else {
      HW_ATS_TRY(sid, rd::id(o, "stage", opp_rec));
      const auto it = options.stage_names.find(sid);
      out.current_stage = {sid, it == options.stage_names.end() ? std::string{} : it->second};
    }
  }

  // archived: null = active; {reason, archivedAt} = hired when the reason is a hired reason.
  HW_ATS_TRY(archived, opt_object(o, "archived", opp_rec));
  if (archived) {
    HW_ATS_TRY(reason, rd::opt_id(*archived, "reason", std::string{opp_rec} + " archived"));
    const auto& hired = options.hired_archive_reasons;
    out.status = !reason.empty() && std::find(hired.begin(), hired.end(), reason) != hired.end()
                     ? ats_application_status::hired
                     : ats_application_status::rejected;
  }
  return out;
}

result<ats_stage> map_lever_stage(const json& s) {
  HW_ATS_TRY(obj, rd::require_object(s, stage_rec));
  (void)obj;
  ats_stage out;
  HW_ATS_TRY(id, rd::id(s, "id", stage_rec));
  HW_ATS_TRY(text, rd::str(s, "text", stage_rec));
  out.external_id = std::move(id);
  out.name = std::move(text);
  return out;
}

}  // namespace hw::domain
