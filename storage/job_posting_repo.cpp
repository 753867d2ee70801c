#include "storage/job_posting_repo.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <array>
#include <charconv>
#include <utility>

#include "actors/domain/base64url.hpp"
#include "actors/domain/job_posting_fsm.hpp"
#include "actors/domain/password_policy.hpp"  // utf8_code_points
#include "storage/audit_repo.hpp"
#include "storage/pg.hpp"
#include "storage/repo_util.hpp"

namespace hw::storage {

namespace {

#define HW_JP_TS(n) "(timestamptz 'epoch' + ($" #n "::bigint) * interval '1 microsecond')"
#define HW_JP_US(col) "(extract(epoch FROM " col ") * 1000000)::bigint"
#define HW_JP_RFC3339(col) \
  "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
#define HW_JP_EFFECTIVE(field) "COALESCE(j.overrides->'" field "'->>'value', j.ats_" field ")"
#define HW_JP_APPLICATION_COUNT                                        \
  "(SELECT count(*) FROM ats_applications p WHERE p.org_id = j.org_id" \
  " AND p.connection_id = j.connection_id AND p.job_external_id = j.external_id)"
#define HW_JP_FROM                              \
  " FROM job_postings j JOIN ats_connections a" \
  " ON a.org_id = j.org_id AND a.connection_id = j.connection_id"

// The fields a recruiter may override, in the order they are reported.
constexpr std::array<const char*, 5> override_fields = {"title", "department", "location",
                                                        "description_html", "requirements"};
constexpr std::size_t f_title = 0, f_department = 1, f_location = 2, f_description = 3,
                      f_requirements = 4;

constexpr std::size_t short_field_max = 300;     // code points: title, department, location
constexpr std::size_t long_field_max = 1048576;  // bytes: description_html, requirements
constexpr std::size_t stage_id_max = 200;
constexpr std::size_t q_max = 300;

hw::error job_not_found() { return {errc::not_found, "job posting not found"}; }
hw::error stale() { return {errc::version_conflict, "the job posting was changed concurrently"}; }
hw::error bad(std::string detail) { return {errc::invalid_argument, std::move(detail)}; }




// --- input checks --------------------------------------------------------------------------------

std::string trim_spaces(const std::string& s) {
  const auto b = s.find_first_not_of(' ');
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(' ');
  return s.substr(b, e - b + 1);
}

bool has_control(std::string_view s) {
  for (unsigned char ch : s) {
    if (ch < 0x20 || ch == 0x7f) return true;
  }
  return false;
}

// A one-line field: trimmed, valid UTF-8, min..short_field_max code points, no control characters.
result<std::string> short_text(const char* name, const std::string& raw, std::size_t min) {
  auto v = trim_spaces(raw);
  const auto n = domain::utf8_code_points(v);
  if (!n) return bad(std::string{name} + ": not valid UTF-8");
  if (*n < min || *n > short_field_max) {
    return bad(std::string{name} +
               (min > 0 ? ": 1 to 300 characters" : ": at most 300 characters"));
  }
  if (has_control(v)) return bad(std::string{name} + ": must not contain control characters");
  return v;
}

result<std::string> long_text(const char* name, const std::string& raw) {
  if (raw.size() > long_field_max) return bad(std::string{name} + ": at most 1 MiB");
  if (!domain::utf8_code_points(raw)) return bad(std::string{name} + ": not valid UTF-8");
  if (raw.find('\0') != std::string::npos) return bad(std::string{name} + ": must not contain NUL");
  return raw;
}

std::optional<std::size_t> field_index(std::string_view name) {
  for (std::size_t i = 0; i < override_fields.size(); ++i) {
    if (name == override_fields[i]) return i;
  }
  return std::nullopt;
}

// The edit with every present text field validated and normalized (index = override_fields).
struct normalized_edit {
  std::array<std::optional<std::string>, 5> set;
  std::array<bool, 5> revert{};
  std::optional<std::string> shortlist_stage_id;
};

result<normalized_edit> normalize(const job_edit& e) {
  normalized_edit n;
  const std::array<const std::optional<std::string>*, 5> in = {
      &e.title, &e.department, &e.location, &e.description_html, &e.requirements};
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (!*in[i]) continue;
    auto v = i == f_description || i == f_requirements
                 ? long_text(override_fields[i], **in[i])
                 : short_text(override_fields[i], **in[i], i == f_title ? 1 : 0);
    if (!v) return v.error();
    n.set[i] = std::move(*v);
  }
  for (const auto& name : e.revert) {
    const auto i = field_index(name);
    if (!i) {
      return bad("revert: expected title, department, location, description_html or requirements");
    }
    if (n.set[*i]) return bad(std::string{"revert: "} + override_fields[*i] + " is also set");
    n.revert[*i] = true;
  }
  if (e.shortlist_stage_id) {
    if (e.shortlist_stage_id->size() > stage_id_max) {
      return bad("shortlist_stage_id: not a stage of this job");
    }
    n.shortlist_stage_id = *e.shortlist_stage_id;
  }
  return n;
}

// --- rows ----------------------------------------------------------------------------------------

// job_posting_get: 0 job_id, 1 connection_id, 2 vendor, 3 external_id, 4 ats_title, 5 ats_status,
// 6 posting_state, 7 ats_department, 8 ats_location, 9 ats_description_html, 10 ats_requirements,
// 11 opened_at, 12 closed_at, 13 overrides, 14 shortlist_stage_id, 15 updated_at, 16 version,
// 17 application count, 18 approved_template_version_id, 19 approved_template_version.
constexpr std::array<int, 5> ats_column = {4, 7, 8, 9, 10};

nlohmann::json parse_overrides(const pqxx::field& f) {
  auto ov = nlohmann::json::parse(f.as<std::string>(), nullptr, false);
  if (ov.is_discarded() || !ov.is_object()) return nlohmann::json::object();
  return ov;
}

// The override value of field `name`, when there is a well-formed one.
std::optional<std::string> override_value(const nlohmann::json& ov, const char* name) {
  const auto it = ov.find(name);
  if (it == ov.end() || !it->is_object()) return std::nullopt;
  const auto v = it->find("value");
  if (v == it->end() || !v->is_string()) return std::nullopt;
  return v->get<std::string>();
}

bool in_conflict(const nlohmann::json& ov, const char* name, const std::string& ats_now) {
  const auto& entry = ov.at(name);
  const auto v = entry.find("ats_value");
  return v == entry.end() || !v->is_string() || v->get<std::string>() != ats_now;
}

job_detail row_to_detail(const pqxx::row& r, std::vector<ats_stage_view> stages) {
  job_detail d;
  auto& s = d.summary;
  s.id = r[0].as<std::string>();
  s.connection_id = r[1].as<std::string>();
  s.vendor = r[2].as<std::string>();
  s.external_id = r[3].as<std::string>();
  s.ats_status = r[5].as<std::string>();
  s.posting_state = r[6].as<std::string>();
  s.applications = r[17].as<std::int64_t>();
  s.updated_at = r[15].as<std::string>();
  const auto ov = parse_overrides(r[13]);
  s.has_local_edits = !ov.empty();
  std::array<std::string, 5> value;
  for (std::size_t i = 0; i < override_fields.size(); ++i) {
    const auto ats_now = r[ats_column[i]].as<std::string>();
    if (auto mine = override_value(ov, override_fields[i])) {
      value[i] = std::move(*mine);
      d.overridden_fields.emplace_back(override_fields[i]);
      if (in_conflict(ov, override_fields[i], ats_now))
        d.conflicts.emplace_back(override_fields[i]);
    } else {
      value[i] = ats_now;
    }
  }
  s.title = std::move(value[f_title]);
  s.department = std::move(value[f_department]);
  s.location = std::move(value[f_location]);
  d.description_html = std::move(value[f_description]);
  d.requirements = std::move(value[f_requirements]);
  d.opened_at = opt_text(r[11]);
  d.closed_at = opt_text(r[12]);
  d.stages = std::move(stages);
  d.shortlist_stage_id = opt_text(r[14]);
  d.version = r[16].as<std::int64_t>();
  d.approved_template_version_id = opt_text(r[18]);
  if (!r[19].is_null()) d.approved_template_version = r[19].as<std::int32_t>();
  return d;
}

std::vector<ats_stage_view> load_stages(pqxx::transaction_base& tx, const org_id& o,
                                        const std::string& connection_id,
                                        const std::string& job_external_id) {
  std::vector<ats_stage_view> out;
  for (const auto& r :
       tx.exec_prepared("job_posting_stages", o.value, connection_id, job_external_id)) {
    ats_stage_view v;
    v.id = r[0].as<std::string>();
    bool seen = false;  // one entry per stage id
    for (const auto& prev : out) seen = seen || prev.id == v.id;
    if (seen) continue;
    v.name = r[1].as<std::string>();
    if (!r[2].is_null()) v.sort_order = r[2].as<int>();
    out.push_back(std::move(v));
  }
  return out;
}

// Reads one posting in `tx` (nothing when absent).
std::optional<job_detail> read_detail(pqxx::transaction_base& tx, const org_id& o,
                                      const std::string& jid) {
  auto r = tx.exec_prepared("job_posting_get", o.value, jid);
  if (r.empty()) return std::nullopt;
  auto stages = load_stages(tx, o, r[0][1].as<std::string>(), r[0][3].as<std::string>());
  return row_to_detail(r[0], std::move(stages));
}

job_summary row_to_summary(const pqxx::row& r) {
  job_summary s;
  s.id = r[0].as<std::string>();
  s.connection_id = r[1].as<std::string>();
  s.vendor = r[2].as<std::string>();
  s.external_id = r[3].as<std::string>();
  s.title = r[4].as<std::string>();
  s.ats_status = r[5].as<std::string>();
  s.posting_state = r[6].as<std::string>();
  s.department = r[7].as<std::string>();
  s.location = r[8].as<std::string>();
  s.applications = r[9].as<std::int64_t>();
  s.has_local_edits = r[10].as<bool>();
  s.updated_at = r[11].as<std::string>();
  return s;
}

// ILIKE pattern matching `q` literally anywhere (backslash is ILIKE's default escape).
std::string contains_pattern(const std::string& q) {
  std::string p = "%";
  for (char ch : q) {
    if (ch == '%' || ch == '_' || ch == '\\') p.push_back('\\');
    p.push_back(ch);
  }
  p.push_back('%');
  return p;
}

bool is_ats_status(const std::string& s) { return s == "draft" || s == "open" || s == "closed"; }

bool is_application_status(const std::string& s) {
  return s == "active" || s == "rejected" || s == "hired" || s == "converted";
}

}  // namespace

void prepare_job_posting_statements(pqxx::connection_base& c) {
  c.prepare("job_posting_get",
            "SELECT j.job_id::text, j.connection_id::text, a.vendor, j.external_id, j.ats_title,"
            " j.ats_status, j.posting_state, j.ats_department, j.ats_location,"
            " j.ats_description_html, j.ats_requirements, " HW_JP_RFC3339("j.ats_opened_at") ", "
            HW_JP_RFC3339("j.ats_closed_at") ", j.overrides::text, j.shortlist_stage_id, "
            HW_JP_RFC3339("j.updated_at") ", j.version, " HW_JP_APPLICATION_COUNT ","
            " j.approved_template_version_id::text, j.approved_template_version"
            HW_JP_FROM " WHERE j.org_id = $1::uuid AND j.job_id = $2::uuid");
  // The job's own active stages and the connection's account-wide ones (Lever); load_stages
  // drops a repeated id.
  c.prepare("job_posting_stages",
            "SELECT s.external_id, s.name, s.sort_order FROM ats_stages s"
            " WHERE s.org_id = $1::uuid AND s.connection_id = $2::uuid"
            " AND s.job_external_id IN ($3, '') AND s.active"
            " ORDER BY s.sort_order NULLS LAST, s.name, s.external_id, s.job_external_id DESC");
  // Keyset page over job_postings_list (org_id, updated_at DESC, job_id). The bound on updated_at
  // is always present (infinity without a cursor) so it stays an index condition in a generic plan.
  c.prepare("job_posting_list",
            "SELECT j.job_id::text, j.connection_id::text, a.vendor, j.external_id, "
            HW_JP_EFFECTIVE("title") ", j.ats_status, j.posting_state, "
            HW_JP_EFFECTIVE("department") ", " HW_JP_EFFECTIVE("location") ", "
            HW_JP_APPLICATION_COUNT ", j.overrides <> '{}'::jsonb, "
            HW_JP_RFC3339("j.updated_at") ", " HW_JP_US("j.updated_at")
            HW_JP_FROM " WHERE j.org_id = $1::uuid"
            " AND ($2::uuid IS NULL OR j.connection_id = $2::uuid)"
            " AND ($3::text IS NULL OR j.posting_state = $3)"
            " AND ($4::text IS NULL OR j.ats_status = $4)"
            " AND ($5::text IS NULL OR " HW_JP_EFFECTIVE("title") " ILIKE $5)"
            " AND j.updated_at <= COALESCE(" HW_JP_TS(6) ", 'infinity')"
            " AND ($6::bigint IS NULL OR j.updated_at < " HW_JP_TS(6) " OR j.job_id < $7::uuid)"
            " ORDER BY j.updated_at DESC, j.job_id DESC LIMIT $8::integer");
  c.prepare("job_posting_cas_edit",
            "UPDATE job_postings SET overrides = $4::jsonb, shortlist_stage_id = $5,"
            " updated_at = " HW_JP_TS(6) ", version = version + 1"
            " WHERE org_id = $1::uuid AND job_id = $2::uuid AND version = $3::bigint"
            " RETURNING version");
  c.prepare("job_posting_cas_state",
            "UPDATE job_postings SET posting_state = $5, updated_at = " HW_JP_TS(6) ","
            " version = version + 1"
            " WHERE org_id = $1::uuid AND job_id = $2::uuid AND version = $3::bigint"
            " AND posting_state = $4 RETURNING version");
  c.prepare(
      "job_posting_exists",
      "SELECT EXISTS (SELECT 1 FROM job_postings WHERE org_id = $1::uuid AND job_id = $2::uuid)");
  c.prepare("job_posting_key",
            "SELECT connection_id::text, external_id FROM job_postings"
            " WHERE org_id = $1::uuid AND job_id = $2::uuid");
  // PII columns are computed only when $9 (include_pii) and never for anonymized/merged people.
  c.prepare("job_posting_applications",
            "SELECT p.application_id::text, p.external_id, p.status, p.stage_id,"
            " COALESCE(NULLIF(p.stage_name, ''), s.name, ''), s.sort_order, "
            HW_JP_RFC3339("p.updated_at") ", " HW_JP_US("p.updated_at") ","
            " p.candidate_external_id, k.candidate_id::text, k.anonymized, k.can_email,"
            " k.merged_into IS NOT NULL,"
            " CASE WHEN $9::boolean AND NOT k.anonymized AND k.merged_into IS NULL"
            "   THEN k.first_name END,"
            " CASE WHEN $9::boolean AND NOT k.anonymized AND k.merged_into IS NULL"
            "   THEN k.last_name END,"
            " CASE WHEN $9::boolean AND NOT k.anonymized AND k.merged_into IS NULL THEN COALESCE("
            "   (SELECT e.v->>'value' FROM jsonb_array_elements(k.emails) WITH ORDINALITY AS e(v, n)"
            "    WHERE e.v->>'type' = 'personal' AND e.v->>'value' IS NOT NULL ORDER BY e.n LIMIT 1),"
            "   k.emails->0->>'value') END"
            " FROM ats_applications p"
            " LEFT JOIN ats_candidates k ON k.org_id = p.org_id AND k.connection_id = p.connection_id"
            "   AND k.external_id = p.candidate_external_id"
            " LEFT JOIN LATERAL (SELECT st.name, st.sort_order FROM ats_stages st"
            "   WHERE st.org_id = p.org_id AND st.connection_id = p.connection_id"
            "   AND st.job_external_id IN (p.job_external_id, '') AND st.external_id = p.stage_id"
            "   ORDER BY st.job_external_id DESC LIMIT 1) s ON true"
            " WHERE p.org_id = $1::uuid AND p.connection_id = $2::uuid AND p.job_external_id = $3"
            " AND ($4::text IS NULL OR p.stage_id = $4) AND ($5::text IS NULL OR p.status = $5)"
            " AND p.updated_at <= COALESCE(" HW_JP_TS(6) ", 'infinity')"
            " AND ($6::bigint IS NULL OR p.updated_at < " HW_JP_TS(6)
            "   OR p.application_id < $7::uuid)"
            " ORDER BY p.updated_at DESC, p.application_id DESC LIMIT $8::integer");
  c.prepare("job_posting_stage_events",
            "SELECT e.id, e.job_id::text, e.application_id::text, e.stage_id, e.stage_name,"
            " e.status, " HW_JP_RFC3339("e.at") " FROM ats_stage_events e"
            " WHERE e.org_id = $1::uuid AND e.job_id = $2::uuid ORDER BY e.id DESC LIMIT $3::integer");
}

result<job_page> list_job_postings(pqxx::connection_base& c, const org_id& org,
                                   const job_filter& f) {
  if (f.limit < 1 || f.limit > 200) return bad("limit: expected 1 to 200");
  std::optional<std::string> conn, state, status, pattern, cur_us, cur_id;
  if (f.connection_id) {
    if (!is_uuid(*f.connection_id)) return bad("connection_id: not a connection id");
    conn = canonical_uuid(*f.connection_id);
  }
  if (f.posting_state) {
    if (!domain::parse_job_posting_state(*f.posting_state)) {
      return bad("posting_state: expected imported, draft, ready, open, closed or archived");
    }
    state = *f.posting_state;
  }
  if (f.ats_status) {
    if (!is_ats_status(*f.ats_status)) return bad("ats_status: expected draft, open or closed");
    status = *f.ats_status;
  }
  if (f.q && !f.q->empty()) {
    const auto n = domain::utf8_code_points(*f.q);
    if (!n || *n > q_max || f.q->find('\0') != std::string::npos) {
      return bad("q: at most 300 characters of text");
    }
    pattern = contains_pattern(*f.q);
  }
  if (f.cursor) {
    auto k = decode_cursor(*f.cursor);
    if (!k) return bad("cursor: not a cursor returned by this API");
    cur_us = std::to_string(k->us);
    cur_id = k->id;
  }
  job_page page;
  if (!is_uuid(org.value)) return page;
  const org_id o{canonical_uuid(org.value)};
  try {
    pqxx::read_transaction tx{c, "list_job_postings"};
    set_tenant(tx, o);
    auto rows = tx.exec_prepared("job_posting_list", o.value, opt_param(conn), opt_param(state),
                                 opt_param(status), opt_param(pattern), opt_param(cur_us),
                                 opt_param(cur_id), f.limit + 1);
    const auto n = std::min<std::size_t>(rows.size(), static_cast<std::size_t>(f.limit));
    for (std::size_t i = 0; i < n; ++i) page.jobs.push_back(row_to_summary(rows[i]));
    if (rows.size() > n) {
      const auto& last = rows[n - 1];
      page.next_cursor = encode_cursor(last[12].as<std::int64_t>(), last[0].as<std::string>());
    }
    tx.commit();
    return page;
  } catch (...) {
    return map_exception(std::current_exception(), "job_posting_list");
  }
}

result<job_detail> get_job_posting(pqxx::connection_base& c, const org_id& org,
                                   const std::string& job_id) {
  if (!is_uuid(org.value) || !is_uuid(job_id)) return job_not_found();
  const org_id o{canonical_uuid(org.value)};
  try {
    pqxx::read_transaction tx{c, "get_job_posting"};
    set_tenant(tx, o);
    auto d = read_detail(tx, o, canonical_uuid(job_id));
    if (!d) return job_not_found();
    tx.commit();
    return std::move(*d);
  } catch (...) {
    return map_exception(std::current_exception(), "job_posting_get");
  }
}

result<job_detail> edit_job_posting(pqxx::connection_base& c, const org_id& org,
                                    const std::string& job_id, const job_edit& edit,
                                    std::optional<std::int64_t> if_match, time_point now,
                                    const actor_ref& who) {
  auto n = normalize(edit);
  if (!n) return n.error();
  if (!is_uuid(org.value) || !is_uuid(job_id)) return job_not_found();
  const org_id o{canonical_uuid(org.value)};
  const auto jid = canonical_uuid(job_id);
  try {
    pqxx::work tx{c, "edit_job_posting"};
    set_tenant(tx, o);
    auto cur = tx.exec_prepared("job_posting_get", o.value, jid);
    if (cur.empty()) return job_not_found();
    const auto& row = cur[0];
    const auto version = row[16].as<std::int64_t>();
    if (if_match && *if_match != version) {
      return hw::error{errc::precondition_failed, "the job posting's version is not If-Match"};
    }
    if (row[6].as<std::string>() == "archived") {
      return hw::error{errc::illegal_transition,
                       "job posting: an archived posting cannot be edited"};
    }
    auto ov = parse_overrides(row[13]);
    std::array<bool, 5> changed{};
    for (std::size_t i = 0; i < override_fields.size(); ++i) {
      const char* name = override_fields[i];
      if (n->set[i]) {
        nlohmann::json entry = {{"value", *n->set[i]},
                                {"ats_value", row[ats_column[i]].as<std::string>()}};
        const auto it = ov.find(name);
        if (it == ov.end() || *it != entry) {
          ov[name] = std::move(entry);
          changed[i] = true;
        }
      } else if (n->revert[i] && ov.erase(name) > 0) {
        changed[i] = true;
      }
    }
    auto shortlist = opt_text(row[14]);
    bool shortlist_changed = false;
    if (n->shortlist_stage_id) {
      std::optional<std::string> want;
      if (!n->shortlist_stage_id->empty()) {
        const auto stages = load_stages(tx, o, row[1].as<std::string>(), row[3].as<std::string>());
        bool known = false;
        for (const auto& s : stages) known = known || s.id == *n->shortlist_stage_id;
        if (!known) return bad("shortlist_stage_id: not a stage of this job");
        want = *n->shortlist_stage_id;
      }
      shortlist_changed = want != shortlist;
      shortlist = std::move(want);
    }
    auto fields = nlohmann::json::array();
    for (std::size_t i = 0; i < override_fields.size(); ++i) {
      if (changed[i]) fields.push_back(override_fields[i]);
    }
    if (shortlist_changed) fields.push_back("shortlist_stage_id");
    if (fields.empty()) {  // nothing to write: answer the current state, same version
      auto stages = load_stages(tx, o, row[1].as<std::string>(), row[3].as<std::string>());
      auto d = row_to_detail(row, std::move(stages));
      tx.commit();
      return d;
    }
    auto upd = tx.exec_prepared("job_posting_cas_edit", o.value, jid, version, ov.dump(),
                                opt_param(shortlist), to_epoch_us(now));
    if (upd.empty()) {
      if (!tx.exec_prepared1("job_posting_exists", o.value, jid)[0].as<bool>())
        return job_not_found();
      return stale();
    }
    append_audit(tx, o, who, "job.updated", jid, nlohmann::json{{"fields", fields}}.dump());
    auto d = read_detail(tx, o, jid);
    if (!d) return job_not_found();
    tx.commit();
    return std::move(*d);
  } catch (...) {
    return map_exception(std::current_exception(), "job_posting_cas_edit");
  }
}

result<job_detail> transition_job_posting(pqxx::connection_base& c, const org_id& org,
                                          const std::string& job_id, const std::string& event,
                                          std::optional<std::int64_t> if_match, time_point now,
                                          const actor_ref& who) {
  const auto ev = domain::parse_job_posting_event(event);
  if (!ev) {
    return bad("event: expected claim, mark_ready, revise, open, close, reopen or archive");
  }
  if (!is_uuid(org.value) || !is_uuid(job_id)) return job_not_found();
  const org_id o{canonical_uuid(org.value)};
  const auto jid = canonical_uuid(job_id);
  try {
    pqxx::work tx{c, "transition_job_posting"};
    set_tenant(tx, o);
    auto cur = tx.exec_prepared("job_posting_get", o.value, jid);
    if (cur.empty()) return job_not_found();
    const auto version = cur[0][16].as<std::int64_t>();
    if (if_match && *if_match != version) {
      return hw::error{errc::precondition_failed, "the job posting's version is not If-Match"};
    }
    const auto from_text = cur[0][6].as<std::string>();
    const auto from = domain::parse_job_posting_state(from_text);
    if (!from) throw pqxx::conversion_error{"job_postings.posting_state holds an unknown state"};
    // Issue 5: mark_ready needs an approved interview template (interview_template_repo sets it).
    const bool has_template = !cur[0][18].is_null();
    auto t = domain::decide_with_template(*from, *ev, domain::job_driver::recruiter, has_template);
    if (!t) return t.error();
    const std::string to{domain::to_string(t->to)};
    auto upd = tx.exec_prepared("job_posting_cas_state", o.value, jid, version, from_text, to,
                                to_epoch_us(now));
    if (upd.empty()) {
      if (!tx.exec_prepared1("job_posting_exists", o.value, jid)[0].as<bool>())
        return job_not_found();
      return stale();
    }
    append_audit(tx, o, who, "job.state_changed", jid,
                 nlohmann::json{{"from", from_text},
                                {"to", to},
                                {"event", std::string{domain::to_string(*ev)}},
                                {"driver", "recruiter"}}
                     .dump());
    auto d = read_detail(tx, o, jid);
    if (!d) return job_not_found();
    tx.commit();
    return std::move(*d);
  } catch (...) {
    return map_exception(std::current_exception(), "job_posting_cas_state");
  }
}

result<application_page> list_job_applications(pqxx::connection_base& c, const org_id& org,
                                               const std::string& job_id,
                                               const application_filter& f, bool include_pii) {
  if (f.limit < 1 || f.limit > 500) return bad("limit: expected 1 to 500");
  std::optional<std::string> stage, status, cur_us, cur_id;
  if (f.stage_id) {
    if (f.stage_id->empty() || f.stage_id->size() > stage_id_max ||
        f.stage_id->find('\0') != std::string::npos || !domain::utf8_code_points(*f.stage_id)) {
      return bad("stage_id: 1 to 200 characters");
    }
    stage = *f.stage_id;
  }
  if (f.status) {
    if (!is_application_status(*f.status)) {
      return bad("status: expected active, rejected, hired or converted");
    }
    status = *f.status;
  }
  if (f.cursor) {
    auto k = decode_cursor(*f.cursor);
    if (!k) return bad("cursor: not a cursor returned by this API");
    cur_us = std::to_string(k->us);
    cur_id = k->id;
  }
  if (!is_uuid(org.value) || !is_uuid(job_id)) return job_not_found();
  const org_id o{canonical_uuid(org.value)};
  try {
    pqxx::read_transaction tx{c, "list_job_applications"};
    set_tenant(tx, o);
    auto key = tx.exec_prepared("job_posting_key", o.value, canonical_uuid(job_id));
    if (key.empty()) return job_not_found();
    auto rows = tx.exec_prepared("job_posting_applications", o.value, key[0][0].as<std::string>(),
                                 key[0][1].as<std::string>(), opt_param(stage), opt_param(status),
                                 opt_param(cur_us), opt_param(cur_id), f.limit + 1, include_pii);
    application_page page;
    const auto n = std::min<std::size_t>(rows.size(), static_cast<std::size_t>(f.limit));
    for (std::size_t i = 0; i < n; ++i) {
      const auto& r = rows[i];
      application_view a;
      a.id = r[0].as<std::string>();
      a.external_id = r[1].as<std::string>();
      a.status = r[2].as<std::string>();
      a.stage.id = r[3].as<std::string>();
      a.stage.name = r[4].as<std::string>();
      if (!r[5].is_null()) a.stage.sort_order = r[5].as<int>();
      a.updated_at = r[6].as<std::string>();
      auto& k = a.candidate;
      k.external_id = r[8].as<std::string>();
      if (r[9].is_null()) {  // not imported yet: nothing known but the external id
        k.can_email = false;
      } else {
        k.id = r[9].as<std::string>();
        k.anonymized = r[10].as<bool>();
        k.can_email = r[11].as<bool>() && !r[12].as<bool>();  // a merged record is not mailed
        k.first_name = opt_text(r[13]);
        k.last_name = opt_text(r[14]);
        k.email = opt_text(r[15]);
      }
      page.applications.push_back(std::move(a));
    }
    if (rows.size() > n) {
      const auto& last = rows[n - 1];
      page.next_cursor = encode_cursor(last[7].as<std::int64_t>(), last[0].as<std::string>());
    }
    tx.commit();
    return page;
  } catch (...) {
    return map_exception(std::current_exception(), "job_posting_applications");
  }
}

result<std::vector<stage_event_view>> list_job_stage_events(pqxx::connection_base& c,
                                                            const org_id& org,
                                                            const std::string& job_id, int limit) {
  if (limit < 1 || limit > 500) return bad("limit: expected 1 to 500");
  if (!is_uuid(org.value) || !is_uuid(job_id)) return job_not_found();
  const org_id o{canonical_uuid(org.value)};
  const auto jid = canonical_uuid(job_id);
  try {
    pqxx::read_transaction tx{c, "list_job_stage_events"};
    set_tenant(tx, o);
    if (!tx.exec_prepared1("job_posting_exists", o.value, jid)[0].as<bool>())
      return job_not_found();
    std::vector<stage_event_view> out;
    for (const auto& r : tx.exec_prepared("job_posting_stage_events", o.value, jid, limit)) {
      stage_event_view e;
      e.id = r[0].as<std::int64_t>();
      e.job_id = r[1].as<std::string>();
      e.application_id = r[2].as<std::string>();
      e.stage_id = r[3].as<std::string>();
      e.stage_name = r[4].as<std::string>();
      e.status = r[5].as<std::string>();
      e.at = r[6].as<std::string>();
      out.push_back(std::move(e));
    }
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "job_posting_stage_events");
  }
}

}  // namespace hw::storage
