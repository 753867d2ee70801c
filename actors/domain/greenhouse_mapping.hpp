#pragma once
// PURE: Greenhouse -> our ATS records (ats_records.hpp), field by field. Input is the parsed JSON
// of one Harvest v3 resource (reference/ats.md §1.4) or one webhook body (§1.6); nothing here
// does I/O. Unknown fields are ignored, absent and null optional fields become empty values,
// and a missing/ill-typed required field is errc::invalid_argument naming the record and field.
//
// Field map (ats.md §1.4, §3.1):
//   job          id->external_id  name->title  status(draft|open|closed)->status
//                department_id->department (name via greenhouse_directory, else the id)
//                office_ids[]->location (names via the directory, else ids; "; "-joined)
//                opened_at, closed_at, updated_at (ISO-8601 -> epoch ms)
//                job post content (HTML) -> description_html; requirements: none in Greenhouse
//   candidate    id, first_name, last_name, email_addresses[{value,type}], phone_numbers[...],
//                can_email, updated_at. Anonymization and merges arrive as webhooks (§1.6).
//   application  id, candidate_id, job_id (null for prospects), stage_id + stage_name,
//                status (in_process|rejected|hired|converted), updated_at.
//                The v1 webhook shape (current_stage{id,name}, candidate{id}, jobs[{id}],
//                status active|rejected|hired, last_activity_at) is accepted too.
//   stage        job interview stage: id, job_id, name, sort_order, active, updated_at.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "actors/domain/ats_records.hpp"
#include "actors/domain/result.hpp"

namespace hw::domain {

/// Names of departments and offices by Greenhouse id (from /v3/departments and /v3/offices),
/// because v3 jobs carry ids only.
struct greenhouse_directory {
  std::map<std::string, std::string> departments;
  std::map<std::string, std::string> offices;
};

/// A v3 job, with its job post (may be null: description stays empty) and an optional directory.
/// The post's job_id, when present, must equal the job's id.
result<ats_job> map_greenhouse_job(const nlohmann::json& job, const nlohmann::json* job_post = nullptr,
                                   const greenhouse_directory* directory = nullptr);

/// True for template jobs, which are never imported (ats.md §1.4).
bool is_greenhouse_template_job(const nlohmann::json& job);

/// Picks the job post that describes `job_id` from a v3 job_posts array: the live external post,
/// else any active external post, else any post of that job; nullptr when there is none.
const nlohmann::json* pick_greenhouse_job_post(const nlohmann::json& job_posts,
                                               const std::string& job_id);

result<ats_candidate> map_greenhouse_candidate(const nlohmann::json& candidate);
result<ats_application> map_greenhouse_application(const nlohmann::json& application);
result<ats_stage> map_greenhouse_stage(const nlohmann::json& job_interview_stage);

/// `candidate_anonymized` webhook: {"action":"candidate_anonymized","payload":{"candidate_id",
/// "anonymized_fields":[...]}} (ats.md §1.6).
struct greenhouse_anonymization {
  std::string candidate_external_id;
  std::vector<std::string> anonymized_fields;
};
result<greenhouse_anonymization> map_greenhouse_anonymized(const nlohmann::json& webhook);

/// `merge_candidate` webhook: payload.person.id was merged into payload.person.new_candidate_id.
struct greenhouse_merge {
  std::string merged_external_id;  // the loser
  std::string into_external_id;    // the winner
};
result<greenhouse_merge> map_greenhouse_merge(const nlohmann::json& webhook);

}  // namespace hw::domain
