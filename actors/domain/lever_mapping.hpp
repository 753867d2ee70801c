#pragma once
// PURE: Lever -> our ATS records (ats_records.hpp), field by field (reference/ats.md §2, §3.1).
// Input is one element of a Lever list response's `data` array. Lever is opportunity-centric:
// one opportunity yields both the candidate (keyed by `contact`, the person across
// opportunities) and the application (keyed by the opportunity id). Times are epoch ms already.
// Unknown fields are ignored; absent/null optional fields become empty values; a missing or
// ill-typed required field is errc::invalid_argument naming the record and field.
//
// Field map:
//   posting      id->external_id  text->title  state->status (published|internal -> open,
//                closed|rejected -> closed, draft|pending -> draft)
//                categories.department (else categories.team)->department
//                categories.location->location  content.descriptionHtml->description_html
//                content.lists[{text,content}]->requirements ("<h3>text</h3><ul>content</ul>"...)
//                updatedAt->updated_at (Lever has no opened/closed times: left empty)
//   opportunity  candidate: contact->external_id, name->first/last (split at the LAST space:
//                lossy, a recruiter may correct it), emails[] (strings), phones[{value,type}]
//                application: id, contact, applications[0].posting (expanded) or posting,
//                stage (id string or expanded {id,text}), archived{reason} -> rejected / hired
//   stage        id, text
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "actors/domain/ats_records.hpp"
#include "actors/domain/result.hpp"

namespace hw::domain {

/// Per-connection knowledge the opportunity mapping needs.
struct lever_options {
  /// Archive reason ids that mean "hired" (Lever models hires as an archive reason).
  std::vector<std::string> hired_archive_reasons;
  /// Stage names by id (from /stages), for opportunities whose `stage` is not expanded.
  std::map<std::string, std::string> stage_names;
};

result<ats_job> map_lever_posting(const nlohmann::json& posting);
result<ats_candidate> map_lever_candidate(const nlohmann::json& opportunity);
result<ats_application> map_lever_application(const nlohmann::json& opportunity,
                                              const lever_options& options = {});
result<ats_stage> map_lever_stage(const nlohmann::json& stage);

}  // namespace hw::domain
