#pragma once
// PURE: what a verified ATS webhook delivery asks us to do (issue 4). Deliveries are HINTS: the
// processor re-fetches the named record from the vendor API and stores the vendor's current state,
// so duplicates and out-of-order deliveries converge. Only deletions, merges and anonymizations
// act on the payload itself (there is nothing left to re-fetch), and they are idempotent.
//
// Greenhouse (ats.md §1.6), `action` ->
//   ping                                               -> ping
//   job_created | job_updated | job_approved           -> job_changed        (payload.job.id)
//   job_post_created | job_post_updated | job_post_deleted -> job_changed    (payload.job_post.job_id
//                                                         or payload.job_id; absent: ignored)
//   job_deleted                                        -> job_deleted        (payload.job.id)
//   new_candidate_application | new_prospect_application | application_updated |
//   candidate_stage_change | reject_candidate | unreject_candidate | hire_candidate |
//   unhire_candidate                                   -> application_changed (payload.application.id,
//                                                         plus candidate id when present)
//   delete_application                                 -> application_deleted (payload.application.id)
//   update_candidate                                   -> candidate_changed  (payload.candidate.id
//                                                         or payload.person.id)
//   delete_candidate                                   -> candidate_deleted  (payload.person.id, and
//                                                         person.deleted_application_ids[])
//   merge_candidate                                    -> candidate_merged   (person.id into
//                                                         person.new_candidate_id)
//   candidate_anonymized                               -> candidate_anonymized (payload.candidate_id)
//   anything else                                      -> ignored (stored, marked processed)
// Lever (ats.md §2) `event` ->
//   applicationCreated | candidateStageChange | candidateArchiveChange | candidateHired
//                                                      -> application_changed (data.opportunityId;
//                                                         data.contactId as candidate_id when given)
//   candidateDeleted                                   -> candidate_deleted  (data.opportunityId as
//                                                         the application, also the one entry of
//                                                         deleted_application_ids; data.contactId
//                                                         as candidate_id when given)
//   a delivery without data.opportunityId              -> ping (Lever's connection test)
//   anything else                                      -> ignored
// Ids are strings (Greenhouse integers printed in decimal). A known action whose required id is
// missing or ill-typed is errc::invalid_argument (the delivery is recorded as malformed).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "actors/domain/result.hpp"

namespace hw::domain {

enum class webhook_hint_kind : std::uint8_t {
  ping,
  ignored,
  job_changed,
  job_deleted,
  application_changed,
  application_deleted,
  candidate_changed,
  candidate_deleted,
  candidate_merged,
  candidate_anonymized,
};

std::string_view to_string(webhook_hint_kind k) noexcept;

struct webhook_hint {
  webhook_hint_kind kind = webhook_hint_kind::ignored;
  std::string action;  // the vendor's action / event name (safe to log)
  std::string job_id;
  std::string application_id;
  std::string candidate_id;
  std::string merged_into;                       // candidate_merged: the winner
  std::vector<std::string> deleted_application_ids;  // candidate_deleted (Greenhouse)
  std::vector<std::string> anonymized_fields;        // candidate_anonymized
};

result<webhook_hint> interpret_greenhouse_webhook(const nlohmann::json& body);
result<webhook_hint> interpret_lever_webhook(const nlohmann::json& body);

}  // namespace hw::domain
