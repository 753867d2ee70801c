#pragma once
// Header-only pieces the vendor connectors share: the pull tally and mapping one page of rows.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/ats/connector.hpp"
#include "actors/domain/ats_json_read.hpp"

namespace hw::ats::support {

inline constexpr std::size_t max_skipped_notes = 10;

/// The record's id for a skipped-record note (ids only, never other values).
inline std::string id_of(const nlohmann::json& row) {
  const auto r = domain::ats_json::id(row, "id", "row");
  return r ? *r : std::string{"?"};
}

/// What one pull has seen so far: pages, records, the newest updated_at, skipped records.
struct pull_tally {
  pull_report report;

  void seen(const std::optional<epoch_ms>& t) {
    if (t && (!report.max_updated_at || *t > *report.max_updated_at)) report.max_updated_at = t;
  }
  void skip(std::string_view kind, const nlohmann::json& row, const hw::error& e) {
    ++report.skipped;
    if (report.skipped_notes.size() < max_skipped_notes)
      report.skipped_notes.push_back(std::string{kind} + " " + id_of(row) + ": " + e.detail);
  }
};

/// Maps one page of vendor rows with `map(row)` (a result<T>; a failure is skipped and noted as
/// `kind`), counts the records under fetched[resource] and offers a non-empty page with `offer`.
template <class T, class Map, class Offer>
result<unit> offer_page(const nlohmann::json& rows, std::string_view kind, const char* resource,
                        pull_tally& st, Map&& map, Offer&& offer) {
  std::vector<T> page;
  for (const auto& row : rows) {
    auto m = map(row);
    if (!m) {
      st.skip(kind, row, m.error());
      continue;
    }
    st.seen(m->updated_at);
    page.push_back(std::move(*m));
  }
  st.report.fetched[resource] += static_cast<std::int64_t>(page.size());
  if (page.empty()) return unit{};
  return offer(std::move(page));
}

}  // namespace hw::ats::support
