// The review workflow of one item version (content.hpp) and its names.
#include "actors/domain/content.hpp"

#include <string>

namespace hw::domain {

namespace {

// One row per legal edge; everything else is illegal_transition.
struct review_edge {
  review_state from;
  review_event on;
  review_state to;
};

constexpr review_edge review_table[] = {
  {review_state::draft, review_event::submit, review_state::in_review},
  {review_state::changes_requested, review_event::submit, review_state::in_review},
  {review_state::in_review, review_event::approve, review_state::approved},
  {review_state::in_review, review_event::request_changes, review_state::changes_requested},
  {review_state::draft, review_event::archive, review_state::archived},
  {review_state::in_review, review_event::archive, review_state::archived},
  {review_state::changes_requested, review_event::archive, review_state::archived},
  {review_state::approved, review_event::archive, review_state::archived},
};

std::string verb(review_event e) {
  switch (e) {
    case review_event::submit: return "submit";
    case review_event::approve: return "approve";
    case review_event::request_changes: return "request changes on";
    case review_event::archive: return "archive";
  }
  return "change";
}

}  // namespace

std::string_view to_string(review_state s) noexcept {
  switch (s) {
    case review_state::draft: return "draft";
    case review_state::in_review: return "in_review";
    case review_state::changes_requested: return "changes_requested";
    case review_state::approved: return "approved";
    case review_state::archived: return "archived";
  }
  return "unknown";
}

std::string_view to_string(review_event e) noexcept {
  switch (e) {
    case review_event::submit: return "submit";
    case review_event::approve: return "approve";
    case review_event::request_changes: return "request_changes";
    case review_event::archive: return "archive";
  }
  return "unknown";
}

std::optional<review_state> parse_review_state(std::string_view s) noexcept {
  for (auto v : all_review_states) {
    if (to_string(v) == s) return v;
  }
  return std::nullopt;
}

std::optional<review_event> parse_review_event(std::string_view s) noexcept {
  for (auto v : all_review_events) {
    if (to_string(v) == s) return v;
  }
  return std::nullopt;
}

result<review_state> decide_review(review_state from, review_event e, const review_actor& who,
                                   std::string_view author_user_id) {
  const review_edge* edge = nullptr;
  for (const auto& row : review_table) {
    if (row.from == from && row.on == e) edge = &row;
  }
  if (!edge) {
    return hw::error{errc::illegal_transition,
                     "cannot " + verb(e) + " an item in state " + std::string{to_string(from)}};
  }
  // An empty id is nobody: never the author, and never a reviewer (the own-item rule needs an id).
  const bool is_author =
    !who.user_id.empty() && !author_user_id.empty() && who.user_id == author_user_id;
  switch (e) {
    case review_event::submit:
      if (!who.may_create) {
        return hw::error{errc::forbidden,
                         "submitting for review needs the content.create permission"};
      }
      break;
    case review_event::approve:
    case review_event::request_changes:
      if (!who.may_approve) {
        return hw::error{errc::forbidden, "reviewing an item needs the content.approve permission"};
      }
      if (who.user_id.empty()) return hw::error{errc::forbidden, "a review needs a known reviewer"};
      if (is_author) return hw::error{errc::forbidden, "you cannot review your own item"};
      break;
    case review_event::archive:
      if (!who.may_approve && !is_author) {
        return hw::error{errc::forbidden,
                         "only the author or a holder of content.approve may archive an item"};
      }
      break;
  }
  return edge->to;
}

bool editable_in_place(review_state s) noexcept {
  return s == review_state::draft || s == review_state::changes_requested ||
         s == review_state::in_review;
}

}  // namespace hw::domain
