#pragma once
// PURE: our own, vendor-neutral copies of ATS records (reference/ats.md §3.1). The vendor mappers
// (greenhouse_mapping, lever_mapping) fill them field by field; storage persists them; the sync
// compares them with differs() so a re-import of unchanged data writes nothing.
//
// Conventions (ats.md §3.1 "Normalize"): ids are strings (Greenhouse integers are printed in
// decimal); times are UTC milliseconds since the epoch; an absent or null vendor value is an
// empty string / empty optional / empty vector, never an error unless the field is required.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hw::domain {

using epoch_ms = std::int64_t;

enum class ats_job_status : std::uint8_t { draft, open, closed };
/// `converted`: a Greenhouse prospect application converted into a candidate application; it is
/// no longer the live one (ats.md §1.4 response enum).
enum class ats_application_status : std::uint8_t { active, rejected, hired, converted };

std::string_view to_string(ats_job_status s) noexcept;
std::string_view to_string(ats_application_status s) noexcept;

/// An e-mail address or phone number with the vendor's type ("personal", "work", "mobile", ...;
/// empty when the vendor gives none).
struct ats_contact {
  std::string value;
  std::string type;
  bool operator==(const ats_contact& o) const { return value == o.value && type == o.type; }
  bool operator!=(const ats_contact& o) const { return !(*this == o); }
};

struct ats_job {
  std::string external_id;
  std::string title;
  ats_job_status status = ats_job_status::draft;
  std::string department;        // name when known, else the vendor id (Greenhouse v3 is flat)
  std::string location;          // office / location names, "; "-separated
  std::string description_html;  // vendor HTML, untrusted: sanitize before rendering
  std::string requirements;      // vendor HTML (Lever lists); empty for Greenhouse
  std::optional<epoch_ms> opened_at;
  std::optional<epoch_ms> closed_at;
  std::optional<epoch_ms> updated_at;
};

struct ats_candidate {
  std::string external_id;
  std::string first_name;
  std::string last_name;
  std::vector<ats_contact> emails;
  std::vector<ats_contact> phones;
  bool can_email = true;     // Greenhouse `can_email`; Lever has none (true)
  bool anonymized = false;   // the ATS anonymized this person (GDPR): we purge our copies
  std::string merged_into;   // non-empty: this record was merged into that candidate id
  std::optional<epoch_ms> updated_at;
};

struct ats_stage_ref {
  std::string id;
  std::string name;
  bool operator==(const ats_stage_ref& o) const { return id == o.id && name == o.name; }
  bool operator!=(const ats_stage_ref& o) const { return !(*this == o); }
};

struct ats_application {
  std::string external_id;
  std::string candidate_external_id;
  std::string job_external_id;  // empty for a jobless prospect
  ats_stage_ref current_stage;  // empty id when the vendor gives none
  ats_application_status status = ats_application_status::active;
  std::optional<epoch_ms> updated_at;
};

/// A stage of a job's interview plan (Greenhouse job interview stage, Lever pipeline stage).
struct ats_stage {
  std::string external_id;
  std::string name;
  std::string job_external_id;    // empty for Lever (stages are account-wide)
  std::optional<int> sort_order;  // Greenhouse: 0 = Application Review, Offer last
  bool active = true;
  std::optional<epoch_ms> updated_at;
};

/// True when `incoming` would change our copy `current`. Compares every mapped field EXCEPT
/// `updated_at`: a vendor bumping its timestamp without a content change is not a change for us,
/// so re-importing the same record is a no-op.
bool differs(const ats_job& current, const ats_job& incoming);
bool differs(const ats_candidate& current, const ats_candidate& incoming);
bool differs(const ats_application& current, const ats_application& incoming);
bool differs(const ats_stage& current, const ats_stage& incoming);

/// True when `incoming` is older than what we hold (both timestamps known): an out-of-order
/// delivery or a stale page that must not overwrite newer data.
bool is_stale(const std::optional<epoch_ms>& current, const std::optional<epoch_ms>& incoming);

/// The job fields a recruiter edited locally. An overridden field keeps the local value on
/// re-import. Status, ids and times always follow the ATS.
struct job_overrides {
  bool title = false;
  bool department = false;
  bool location = false;
  bool description_html = false;
  bool requirements = false;
};

struct job_merge {
  ats_job merged;                       // what to store
  std::vector<std::string> overridden;  // fields where the ATS value differs but ours was kept
  bool changed = false;                 // differs(current, merged)
};

/// Applies an incoming ATS job onto our copy, keeping the overridden fields.
job_merge merge_incoming(const ats_job& current, const ats_job& incoming, const job_overrides& ov);

/// Clears the personal data of an anonymized candidate and sets `anonymized` (ids stay).
void anonymize(ats_candidate& c);

}  // namespace hw::domain
