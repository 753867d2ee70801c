#pragma once
// PURE: the job posting lifecycle as an explicit transition table. No CAF, Boost, pqxx or I/O.
//
//   imported --claim--> draft --mark_ready--> ready --open--> open --close--> closed --archive--> archived
//                         ^------revise--------+                 closed --reopen--> draft
//
// Each row says who may drive it: a recruiter (through the API) and/or the ATS sync (a job that
// changed status or was deleted in the ATS). The sync may close, reopen and archive, but never
// approves content: it cannot claim, mark ready, revise or open a job for invitations.
// A reopened job goes back to draft so a recruiter re-approves it before invitations go out.
// `archived` is a sink. Everything not in the table is refused.
#include <cstdint>
#include <optional>
#include <string_view>

#include "actors/domain/result.hpp"

namespace hw::domain {

enum class job_posting_state : std::uint8_t { imported, draft, ready, open, closed, archived };
enum class job_posting_event : std::uint8_t { claim, mark_ready, revise, open, close, reopen, archive };

/// Who asks for a transition (a bit mask in the table).
enum class job_driver : std::uint8_t { recruiter = 1, ats_sync = 2 };

inline constexpr std::uint8_t by_recruiter = static_cast<std::uint8_t>(job_driver::recruiter);
inline constexpr std::uint8_t by_ats = static_cast<std::uint8_t>(job_driver::ats_sync);
inline constexpr std::uint8_t by_either = by_recruiter | by_ats;

inline constexpr job_posting_state all_job_posting_states[] = {
  job_posting_state::imported, job_posting_state::draft, job_posting_state::ready,
  job_posting_state::open, job_posting_state::closed, job_posting_state::archived};
inline constexpr job_posting_event all_job_posting_events[] = {
  job_posting_event::claim, job_posting_event::mark_ready, job_posting_event::revise,
  job_posting_event::open, job_posting_event::close, job_posting_event::reopen,
  job_posting_event::archive};

struct job_posting_transition {
  job_posting_state from;
  job_posting_event on;
  job_posting_state to;
  std::uint8_t drivers;  // by_recruiter | by_ats
};

// One row per legal edge; everything else is rejected.
inline constexpr job_posting_transition job_posting_table[] = {
  {job_posting_state::imported, job_posting_event::claim, job_posting_state::draft, by_recruiter},
  {job_posting_state::draft, job_posting_event::mark_ready, job_posting_state::ready, by_recruiter},
  {job_posting_state::ready, job_posting_event::revise, job_posting_state::draft, by_recruiter},
  {job_posting_state::ready, job_posting_event::open, job_posting_state::open, by_recruiter},
  // Closing: a recruiter closes what is open; the ATS closes whatever it closed upstream.
  {job_posting_state::open, job_posting_event::close, job_posting_state::closed, by_either},
  {job_posting_state::imported, job_posting_event::close, job_posting_state::closed, by_ats},
  {job_posting_state::draft, job_posting_event::close, job_posting_state::closed, by_ats},
  {job_posting_state::ready, job_posting_event::close, job_posting_state::closed, by_ats},
  {job_posting_state::closed, job_posting_event::reopen, job_posting_state::draft, by_either},
  // Archiving: a recruiter discards an untouched import or archives a closed job; the ATS
  // archives a job deleted upstream from any live state.
  {job_posting_state::imported, job_posting_event::archive, job_posting_state::archived, by_either},
  {job_posting_state::closed, job_posting_event::archive, job_posting_state::archived, by_either},
  {job_posting_state::draft, job_posting_event::archive, job_posting_state::archived, by_ats},
  {job_posting_state::ready, job_posting_event::archive, job_posting_state::archived, by_ats},
  {job_posting_state::open, job_posting_event::archive, job_posting_state::archived, by_ats},
};

constexpr std::optional<job_posting_transition> find_transition(job_posting_state s,
                                                                job_posting_event e) noexcept {
  for (const auto& t : job_posting_table) {
    if (t.from == s && t.on == e) return t;
  }
  return std::nullopt;
}

namespace detail {
constexpr bool job_table_well_formed() noexcept {
  for (std::size_t i = 0; i < std::size(job_posting_table); ++i) {
    const auto& a = job_posting_table[i];
    if (a.from == job_posting_state::archived) return false;       // sink
    if (a.drivers == 0 || (a.drivers & ~by_either) != 0) return false;
    for (std::size_t j = i + 1; j < std::size(job_posting_table); ++j) {
      const auto& b = job_posting_table[j];
      if (a.from == b.from && a.on == b.on) return false;          // deterministic
    }
  }
  return true;
}
constexpr bool ats_never_approves() noexcept {
  for (const auto& t : job_posting_table) {
    const bool approval = t.on == job_posting_event::claim || t.on == job_posting_event::mark_ready ||
                          t.on == job_posting_event::revise || t.on == job_posting_event::open;
    if (approval && (t.drivers & by_ats) != 0) return false;
  }
  return true;
}
}  // namespace detail

static_assert(detail::job_table_well_formed(), "archived is a sink; one row per pair; drivers set");
static_assert(detail::ats_never_approves(), "the ATS sync never claims, approves or opens a job");
static_assert(!find_transition(job_posting_state::draft, job_posting_event::open),
              "open needs ready");

/// True when `driver` may take edge `t`.
constexpr bool allowed(const job_posting_transition& t, job_driver driver) noexcept {
  return (t.drivers & static_cast<std::uint8_t>(driver)) != 0;
}

/// Decides `e` in `s` for `driver`: errc::illegal_transition when there is no edge, or when the
/// edge exists but this driver may not take it (the detail says which).
result<job_posting_transition> decide(job_posting_state s, job_posting_event e, job_driver driver);

/// Issue 5: "ready to invite" requires an approved interview template. The guard on mark_ready
/// (after decide() accepted the edge): illegal_transition "the job has no approved interview
/// template" when `has_approved_template` is false; every other event passes.
result<hw::unit> check_template_guard(job_posting_event e, bool has_approved_template);

/// decide() followed by check_template_guard(): what the job posting entity asks for a recruiter.
result<job_posting_transition> decide_with_template(job_posting_state s, job_posting_event e,
                                                    job_driver driver, bool has_approved_template);

/// True when invitations may be sent for a job in this state.
constexpr bool accepts_invitations(job_posting_state s) noexcept {
  return s == job_posting_state::open;
}

std::string_view to_string(job_posting_state s) noexcept;
std::string_view to_string(job_posting_event e) noexcept;
std::string_view to_string(job_driver d) noexcept;
std::optional<job_posting_state> parse_job_posting_state(std::string_view s) noexcept;
std::optional<job_posting_event> parse_job_posting_event(std::string_view s) noexcept;

}  // namespace hw::domain
