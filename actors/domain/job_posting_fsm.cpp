#include "actors/domain/job_posting_fsm.hpp"

#include <string>

namespace hw::domain {

result<job_posting_transition> decide(job_posting_state s, job_posting_event e, job_driver driver) {
  const auto t = find_transition(s, e);
  if (!t) {
    return {errc::illegal_transition, std::string{"job posting: cannot "} + std::string{to_string(e)} +
                                          " from " + std::string{to_string(s)}};
  }
  if (!allowed(*t, driver)) {
    return {errc::illegal_transition, std::string{"job posting: "} + std::string{to_string(e)} +
                                          " from " + std::string{to_string(s)} +
                                          " is not driven by " + std::string{to_string(driver)}};
  }
  return *t;
}

result<hw::unit> check_template_guard(job_posting_event e, bool has_approved_template) {
  if (e == job_posting_event::mark_ready && !has_approved_template)
    return {errc::illegal_transition, "the job has no approved interview template"};
  return hw::unit{};
}

result<job_posting_transition> decide_with_template(job_posting_state s, job_posting_event e,
                                                    job_driver driver, bool has_approved_template) {
  auto t = decide(s, e, driver);
  if (!t) return t;
  auto g = check_template_guard(e, has_approved_template);
  if (!g) return std::move(g).error();
  return t;
}

std::string_view to_string(job_posting_state s) noexcept {
  switch (s) {
    case job_posting_state::imported: return "imported";
    case job_posting_state::draft: return "draft";
    case job_posting_state::ready: return "ready";
    case job_posting_state::open: return "open";
    case job_posting_state::closed: return "closed";
    case job_posting_state::archived: return "archived";
  }
  return "imported";
}

std::string_view to_string(job_posting_event e) noexcept {
  switch (e) {
    case job_posting_event::claim: return "claim";
    case job_posting_event::mark_ready: return "mark_ready";
    case job_posting_event::revise: return "revise";
    case job_posting_event::open: return "open";
    case job_posting_event::close: return "close";
    case job_posting_event::reopen: return "reopen";
    case job_posting_event::archive: return "archive";
  }
  return "claim";
}

std::string_view to_string(job_driver d) noexcept {
  switch (d) {
    case job_driver::recruiter: return "recruiter";
    case job_driver::ats_sync: return "ats_sync";
  }
  return "recruiter";
}

std::optional<job_posting_state> parse_job_posting_state(std::string_view s) noexcept {
  for (auto st : all_job_posting_states) {
    if (to_string(st) == s) return st;
  }
  return std::nullopt;
}

std::optional<job_posting_event> parse_job_posting_event(std::string_view s) noexcept {
  for (auto ev : all_job_posting_events) {
    if (to_string(ev) == s) return ev;
  }
  return std::nullopt;
}

}  // namespace hw::domain
