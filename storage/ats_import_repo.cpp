#include "storage/ats_import_repo.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <utility>

#include "actors/domain/job_posting_fsm.hpp"
#include "actors/domain/password_policy.hpp"
#include "storage/audit_repo.hpp"
#include "storage/pg.hpp"

namespace hw::storage {

namespace {

using domain::epoch_ms;
using json = nlohmann::json;

#define HW_IMP_TS(n) "(timestamptz 'epoch' + ($" #n "::bigint) * interval '1 microsecond')"
#define HW_IMP_MS_TO_TS(x) "(timestamptz 'epoch' + (" x ") * interval '1 millisecond')"
#define HW_IMP_TS_TO_MS(col) "(extract(epoch FROM " col ") * 1000)::bigint"
#define HW_IMP_RFC3339(col) \
  "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

// Column limits of 0012 (octets for free text; ids are validated in characters instead).
constexpr std::size_t max_short_text = 1000;
constexpr std::size_t max_location = 2000;
constexpr std::size_t max_html = 1048576;
constexpr std::size_t max_id_chars = 200;

hw::error conn_not_found() { return {errc::not_found, "ATS connection not found"}; }
hw::error bad_connection_id() { return {errc::invalid_argument, "connection_id: a UUID"}; }

// --- text sanitizing --------------------------------------------------------------------------

void put_replacement(std::string& out) { out += "\xEF\xBF\xBD"; }

// NUL dropped (PostgreSQL text cannot hold it), every invalid UTF-8 sequence replaced by U+FFFD,
// then cut to `max` bytes at a character boundary. Deterministic, so a record compares equal to
// what an earlier import of it stored.
std::string clean(std::string_view s, std::size_t max) {
  std::string out;
  out.reserve(std::min(s.size(), max + 4));
  std::size_t i = 0;
  const auto cont = [&](std::size_t k, unsigned lo, unsigned hi) {
    if (k >= s.size()) return false;
    const auto b = static_cast<unsigned char>(s[k]);
    return b >= lo && b <= hi;
  };
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    if (b < 0x80) {
      n = 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
      if (cont(i + 1, 0x80, 0xBF)) n = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      const unsigned lo = b == 0xE0 ? 0xA0 : 0x80;
      const unsigned hi = b == 0xED ? 0x9F : 0xBF;
      if (cont(i + 1, lo, hi) && cont(i + 2, 0x80, 0xBF)) n = 3;
    } else if (b >= 0xF0 && b <= 0xF4) {
      const unsigned lo = b == 0xF0 ? 0x90 : 0x80;
      const unsigned hi = b == 0xF4 ? 0x8F : 0xBF;
      if (cont(i + 1, lo, hi) && cont(i + 2, 0x80, 0xBF) && cont(i + 3, 0x80, 0xBF)) n = 4;
    }
    if (n == 0) {
      put_replacement(out);
      ++i;
    } else {
      if (!(n == 1 && b == 0)) out.append(s.data() + i, n);
      i += n;
    }
  }
  if (out.size() > max) {
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(out[n]) & 0xC0) == 0x80) --n;
    out.resize(n);
  }
  return out;
}

std::string clean(std::string_view s) { return clean(s, std::string::npos - 8); }

std::vector<domain::ats_contact> clean(const std::vector<domain::ats_contact>& v) {
  std::vector<domain::ats_contact> out;
  out.reserve(v.size());
  for (const auto& x : v)
    out.push_back({clean(x.value, max_short_text), clean(x.type, max_short_text)});
  return out;
}

// Checks an id (already cleaned): 1..200 characters, or 0..200 when it may be empty.
std::optional<hw::error> check_id(const std::string& id, const std::string& field,
                                  bool may_be_empty) {
  const auto n = domain::utf8_code_points(id).value_or(max_id_chars + 1);
  if ((n == 0 && !may_be_empty) || n > max_id_chars) {
    return hw::error{errc::invalid_argument,
                     field + (may_be_empty ? ": at most 200 characters" : ": 1 to 200 characters")};
  }
  return std::nullopt;
}

std::string field_name(const char* list, std::size_t i, const char* field) {
  return std::string{list} + "[" + std::to_string(i) + "]." + field;
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json ms_json(const std::optional<epoch_ms>& v) { return v ? json(*v) : json(nullptr); }

std::optional<epoch_ms> opt_ms(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::int64_t>();
}

std::optional<epoch_ms> newest(const std::optional<epoch_ms>& a, const std::optional<epoch_ms>& b) {
  if (!a) return b;
  if (!b) return a;
  return std::max(*a, *b);
}

// The common prologue of every write: a valid org, the connection is this org's, and imports of
// one connection are serialized (transaction-level advisory lock taken only when the row exists).
bool lock_connection(pqxx::transaction_base& tx, const org_id& o, const std::string& cid) {
  set_tenant(tx, o);
  return !tx.exec_prepared("ats_import_lock", o.value, cid).empty();
}

struct ids {
  org_id org;
  std::string cid;
};

// Validates the org and connection id.
result<ids> check_ids(const org_id& org, const std::string& connection_id) {
  if (!is_uuid(connection_id)) return bad_connection_id();
  if (!is_uuid(org.value)) return conn_not_found();
  return ids{org_id{canonical_uuid(org.value)}, canonical_uuid(connection_id)};
}

// Runs `body(tx)` in one transaction that holds the connection's import lock, and commits.
// With `fk_gone`, a foreign-key violation means the connection was deleted meanwhile.
template <class T, class F>
result<T> locked_write(pqxx::connection_base& c, const ids& k, const char* tx_name,
                       std::string_view what, bool fk_gone, F&& body) {
  try {
    pqxx::work tx{c, tx_name};
    if (!lock_connection(tx, k.org, k.cid)) return conn_not_found();
    T out = body(tx);
    tx.commit();
    return out;
  } catch (const pqxx::foreign_key_violation&) {
    if (fk_gone) return conn_not_found();
    return map_exception(std::current_exception(), what);
  } catch (...) {
    return map_exception(std::current_exception(), what);
  }
}

// A write to one record named by a required external id (`field` in the error):
// `body(tx, ids, ext)` under the lock.
template <class F>
result<hw::unit> write_one(pqxx::connection_base& c, const org_id& org,
                           const std::string& connection_id, const std::string& external_id,
                           const char* field, const char* tx_name, std::string_view what,
                           F&& body) {
  const auto k = check_ids(org, connection_id);
  if (!k) return k.error();
  const auto ext = clean(external_id);
  if (auto e = check_id(ext, field, false)) return *e;
  return locked_write<hw::unit>(c, *k, tx_name, what, false, [&](pqxx::work& tx) {
    body(tx, *k, ext);
    return hw::unit{};
  });
}

// Copies, cleans and checks every record of a page (`prep(rec, i)` returns an error or nullopt);
// their external ids go to `keys`.
template <class T, class F>
std::optional<hw::error> prepare_page(const std::vector<T>& page, std::vector<T>& in,
                                      std::vector<std::string>& keys, F&& prep) {
  in.reserve(page.size());
  for (std::size_t i = 0; i < page.size(); ++i) {
    auto x = page[i];
    if (auto e = prep(x, i)) return e;
    keys.push_back(x.external_id);
    in.push_back(std::move(x));
  }
  return std::nullopt;
}

// Calls `f(row)` for every stored row of `keys` (`stmt` takes org, connection, text[]).
template <class F>
void load_rows(pqxx::transaction_base& tx, const char* stmt, const ids& k,
               const std::vector<std::string>& keys, F&& f) {
  if (keys.empty()) return;
  for (const auto& r : tx.exec_prepared(stmt, k.org.value, k.cid, text_array_literal(keys))) f(r);
}

// Counts a record of the page against the stored one. True when it replaces it; its updated_at
// is then the newer of both. `check_stale` false accepts an out-of-order record.
template <class T>
bool supersedes(const T& cur, T& in, ats_upsert_counts& out, bool check_stale = true) {
  if (check_stale && domain::is_stale(cur.updated_at, in.updated_at)) {
    ++out.stale;
    return false;
  }
  if (!domain::differs(cur, in)) {
    ++out.unchanged;
    return false;
  }
  in.updated_at = newest(cur.updated_at, in.updated_at);
  ++out.updated;
  return true;
}

// The page's dirty rows as json (`to_json(row)`), split into {new, stored}.
template <class Rows, class F>
std::pair<json, json> dirty_rows(const Rows& rows, F&& to_json) {
  std::pair<json, json> out{json::array(), json::array()};
  for (const auto& kv : rows) {
    const auto& r = kv.second;
    if (r.dirty) (r.exists ? out.second : out.first).push_back(to_json(r));
  }
  return out;
}

// Writes dirty rows: `<stmt>_insert` for new ones, `<stmt>_update` for stored ones.
void write_rows(pqxx::transaction_base& tx, const ids& k, const std::string& stmt,
                const std::pair<json, json>& rows, std::int64_t t) {
  if (!rows.first.empty())
    tx.exec_prepared0(stmt + "_insert", k.org.value, k.cid, dump(rows.first), t);
  if (!rows.second.empty())
    tx.exec_prepared0(stmt + "_update", k.org.value, k.cid, dump(rows.second), t);
}

std::optional<domain::ats_job_status> parse_job_status(const std::string& s) {
  if (s == "draft") return domain::ats_job_status::draft;
  if (s == "open") return domain::ats_job_status::open;
  if (s == "closed") return domain::ats_job_status::closed;
  return std::nullopt;
}

std::optional<domain::ats_application_status> parse_app_status(const std::string& s) {
  if (s == "active") return domain::ats_application_status::active;
  if (s == "rejected") return domain::ats_application_status::rejected;
  if (s == "hired") return domain::ats_application_status::hired;
  if (s == "converted") return domain::ats_application_status::converted;
  return std::nullopt;
}

std::vector<domain::ats_contact> parse_contacts(const std::string& text) {
  std::vector<domain::ats_contact> out;
  const auto j = json::parse(text, nullptr, false);
  if (!j.is_array()) throw pqxx::conversion_error{"ats_candidates contacts: not an array"};
  for (const auto& e : j) {
    domain::ats_contact c;
    if (e.is_object()) {
      const auto v = e.find("value");
      const auto t = e.find("type");
      if (v != e.end() && v->is_string()) c.value = v->get<std::string>();
      if (t != e.end() && t->is_string()) c.type = t->get<std::string>();
    }
    out.push_back(std::move(c));
  }
  return out;
}

json contacts_json(const std::vector<domain::ats_contact>& v) {
  auto a = json::array();
  for (const auto& c : v) a.push_back({{"value", c.value}, {"type", c.type}});
  return a;
}

void audit_state_change(pqxx::transaction_base& tx, const org_id& o, const std::string& job_id,
                        domain::job_posting_state from, domain::job_posting_state to,
                        domain::job_posting_event ev, const std::string& cid) {
  const json detail{{"from", std::string{domain::to_string(from)}},
                    {"to", std::string{domain::to_string(to)}},
                    {"event", std::string{domain::to_string(ev)}},
                    {"driver", "ats_sync"},
                    {"connection_id", cid}};
  append_audit(tx, o, actor_ref{"system", ats_sync_actor_id}, "job.state_changed", job_id,
               detail.dump());
}

}  // namespace

void prepare_ats_import_statements(pqxx::connection_base& c) {
  // clang-format off
  // Exists-check and per-connection serialization in one: the lock is taken only for a row of
  // this org (two-key form, apart from the single-key locks of migrations). Custom plans for the
  // rest of the transaction: a generic plan for `external_id = ANY($3)` cached while the tables
  // were small stays a sequential scan as they grow (measured: 20,000 applications went from
  // ~0.4 s to ~15 s of page loads).
  c.prepare("ats_import_lock",
            "SELECT pg_advisory_xact_lock(hashtext('ats_import'), hashtext(a.connection_id::text)),"
            " set_config('plan_cache_mode', 'force_custom_plan', true)"
            " FROM ats_connections a WHERE a.org_id = $1::uuid AND a.connection_id = $2::uuid");
  c.prepare("ats_import_exists",
            "SELECT 1 FROM ats_connections a"
            " WHERE a.org_id = $1::uuid AND a.connection_id = $2::uuid");

  // ---- jobs (FOR UPDATE: a recruiter may change posting_state concurrently; candidates,
  // applications and stages are written only here, under the advisory lock)
  c.prepare("ats_import_jobs_load",
            "SELECT j.job_id::text, j.external_id, j.ats_title, j.ats_status, j.ats_department,"
            " j.ats_location, j.ats_description_html, j.ats_requirements, "
            HW_IMP_TS_TO_MS("j.ats_opened_at") ", " HW_IMP_TS_TO_MS("j.ats_closed_at") ", "
            HW_IMP_TS_TO_MS("j.ats_updated_at") ", j.overrides::text, j.posting_state"
            " FROM job_postings j WHERE j.org_id = $1::uuid AND j.connection_id = $2::uuid"
            " AND j.external_id = ANY ($3::text[]) FOR UPDATE");
#define HW_IMP_JOB_COLS                                                                       \
  "title text, status text, department text, location text, description_html text,"          \
  " requirements text, opened_at bigint, closed_at bigint, updated_at bigint, posting_state text"
  c.prepare("ats_import_jobs_insert",
            "INSERT INTO job_postings (org_id, job_id, connection_id, external_id, ats_title,"
            " ats_status, ats_department, ats_location, ats_description_html, ats_requirements,"
            " ats_opened_at, ats_closed_at, ats_updated_at, posting_state, created_at, updated_at)"
            " SELECT $1::uuid, gen_random_uuid(), $2::uuid, x.external_id, x.title, x.status,"
            " x.department, x.location, x.description_html, x.requirements, "
            HW_IMP_MS_TO_TS("x.opened_at") ", " HW_IMP_MS_TO_TS("x.closed_at") ", "
            HW_IMP_MS_TO_TS("x.updated_at") ", x.posting_state, " HW_IMP_TS(4) ", " HW_IMP_TS(4)
            " FROM jsonb_to_recordset($3::jsonb) AS x(external_id text, " HW_IMP_JOB_COLS ")");
  c.prepare("ats_import_jobs_update",
            "UPDATE job_postings j SET ats_title = x.title, ats_status = x.status,"
            " ats_department = x.department, ats_location = x.location,"
            " ats_description_html = x.description_html, ats_requirements = x.requirements,"
            " ats_opened_at = " HW_IMP_MS_TO_TS("x.opened_at") ","
            " ats_closed_at = " HW_IMP_MS_TO_TS("x.closed_at") ","
            " ats_updated_at = " HW_IMP_MS_TO_TS("x.updated_at") ","
            " posting_state = x.posting_state, version = j.version + 1, updated_at = " HW_IMP_TS(4)
            " FROM jsonb_to_recordset($3::jsonb) AS x(job_id uuid, " HW_IMP_JOB_COLS ")"
            " WHERE j.org_id = $1::uuid AND j.connection_id = $2::uuid AND j.job_id = x.job_id");
#undef HW_IMP_JOB_COLS
  c.prepare("ats_import_job_lock_one",
            "SELECT j.job_id::text, j.posting_state, j.ats_deleted_at IS NOT NULL"
            " FROM job_postings j"
            " WHERE j.org_id = $1::uuid AND j.connection_id = $2::uuid AND j.external_id = $3"
            " FOR UPDATE");
  c.prepare("ats_import_job_archive",
            "UPDATE job_postings j"
            " SET ats_deleted_at = COALESCE(j.ats_deleted_at, " HW_IMP_TS(4) "),"
            " posting_state = $5, version = j.version + 1, updated_at = " HW_IMP_TS(4)
            " WHERE j.org_id = $1::uuid AND j.connection_id = $2::uuid AND j.job_id = $3::uuid");

  // ---- stages
  c.prepare("ats_import_stages_load",
            "SELECT s.job_external_id, s.external_id, s.name, s.sort_order, s.active, "
            HW_IMP_TS_TO_MS("s.ats_updated_at") " FROM ats_stages s"
            " WHERE s.org_id = $1::uuid AND s.connection_id = $2::uuid"
            " AND s.external_id = ANY ($3::text[])");
  c.prepare("ats_import_stages_insert",
            "INSERT INTO ats_stages (org_id, connection_id, job_external_id, external_id, name,"
            " sort_order, active, ats_updated_at, updated_at)"
            " SELECT $1::uuid, $2::uuid, x.job_external_id, x.external_id, x.name, x.sort_order,"
            " x.active, " HW_IMP_MS_TO_TS("x.updated_at") ", " HW_IMP_TS(4)
            " FROM jsonb_to_recordset($3::jsonb) AS x(job_external_id text, external_id text,"
            " name text, sort_order integer, active boolean, updated_at bigint)");
  c.prepare("ats_import_stages_update",
            "UPDATE ats_stages s SET name = x.name, sort_order = x.sort_order, active = x.active,"
            " ats_updated_at = " HW_IMP_MS_TO_TS("x.updated_at") ", updated_at = " HW_IMP_TS(4)
            " FROM jsonb_to_recordset($3::jsonb) AS x(job_external_id text, external_id text,"
            " name text, sort_order integer, active boolean, updated_at bigint)"
            " WHERE s.org_id = $1::uuid AND s.connection_id = $2::uuid"
            " AND s.job_external_id = x.job_external_id AND s.external_id = x.external_id");

  // ---- candidates
  c.prepare("ats_import_candidates_load",
            "SELECT c.external_id, c.first_name, c.last_name, c.emails::text, c.phones::text,"
            " c.can_email, c.anonymized, c.merged_into, " HW_IMP_TS_TO_MS("c.ats_updated_at")
            " FROM ats_candidates c WHERE c.org_id = $1::uuid AND c.connection_id = $2::uuid"
            " AND c.external_id = ANY ($3::text[])");
#define HW_IMP_CAND_COLS                                                                       \
  "external_id text, first_name text, last_name text, emails jsonb, phones jsonb,"            \
  " can_email boolean, anonymized boolean, merged_into text, updated_at bigint"
  c.prepare("ats_import_candidates_insert",
            "INSERT INTO ats_candidates (org_id, candidate_id, connection_id, external_id,"
            " first_name, last_name, emails, phones, can_email, anonymized, merged_into,"
            " ats_updated_at, created_at, updated_at)"
            " SELECT $1::uuid, gen_random_uuid(), $2::uuid, x.external_id, x.first_name,"
            " x.last_name, x.emails, x.phones, x.can_email, x.anonymized, x.merged_into, "
            HW_IMP_MS_TO_TS("x.updated_at") ", " HW_IMP_TS(4) ", " HW_IMP_TS(4)
            " FROM jsonb_to_recordset($3::jsonb) AS x(" HW_IMP_CAND_COLS ")");
  c.prepare("ats_import_candidates_update",
            "UPDATE ats_candidates c SET first_name = x.first_name, last_name = x.last_name,"
            " emails = x.emails, phones = x.phones, can_email = x.can_email,"
            " anonymized = x.anonymized, merged_into = x.merged_into,"
            " ats_updated_at = " HW_IMP_MS_TO_TS("x.updated_at") ", updated_at = " HW_IMP_TS(4)
            " FROM jsonb_to_recordset($3::jsonb) AS x(" HW_IMP_CAND_COLS ")"
            " WHERE c.org_id = $1::uuid AND c.connection_id = $2::uuid"
            " AND c.external_id = x.external_id");
#undef HW_IMP_CAND_COLS
  // Re-points applications of merged candidates: [{"loser":..,"winner":..}].
  c.prepare("ats_import_applications_repoint",
            "UPDATE ats_applications a SET candidate_external_id = x.winner,"
            " updated_at = " HW_IMP_TS(4)
            " FROM jsonb_to_recordset($3::jsonb) AS x(loser text, winner text)"
            " WHERE a.org_id = $1::uuid AND a.connection_id = $2::uuid"
            " AND a.candidate_external_id = x.loser");
  // Merge of one loser: PII purged, merged_into set; a no-op when already so.
  c.prepare("ats_import_candidate_merge",
            "UPDATE ats_candidates c SET first_name = '', last_name = '', emails = '[]',"
            " phones = '[]', can_email = false, merged_into = $4, updated_at = " HW_IMP_TS(5)
            " WHERE c.org_id = $1::uuid AND c.connection_id = $2::uuid AND c.external_id = $3"
            " AND (c.merged_into IS DISTINCT FROM $4 OR c.first_name <> '' OR c.last_name <> ''"
            "      OR c.emails <> '[]' OR c.phones <> '[]' OR c.can_email)");
  c.prepare("ats_import_candidate_anonymize",
            "UPDATE ats_candidates c SET first_name = '', last_name = '', emails = '[]',"
            " phones = '[]', can_email = false, anonymized = true, updated_at = " HW_IMP_TS(4)
            " WHERE c.org_id = $1::uuid AND c.connection_id = $2::uuid AND c.external_id = $3"
            " AND (NOT c.anonymized OR c.can_email)");
  c.prepare("ats_import_candidate_delete",
            "DELETE FROM ats_candidates c WHERE c.org_id = $1::uuid AND c.connection_id = $2::uuid"
            " AND c.external_id = $3");
  c.prepare("ats_import_applications_delete_for_candidate",
            "DELETE FROM ats_applications a"
            " WHERE a.org_id = $1::uuid AND a.connection_id = $2::uuid"
            " AND (a.candidate_external_id = $3 OR a.external_id = ANY ($4::text[]))");

  // ---- applications
  c.prepare("ats_import_applications_load",
            "SELECT a.application_id::text, a.external_id, a.candidate_external_id,"
            " a.job_external_id, a.stage_id, a.stage_name, a.status, "
            HW_IMP_TS_TO_MS("a.ats_updated_at") " FROM ats_applications a"
            " WHERE a.org_id = $1::uuid AND a.connection_id = $2::uuid"
            " AND a.external_id = ANY ($3::text[])");
  c.prepare("ats_import_shortlists_load",
            "SELECT j.external_id, j.job_id::text, j.shortlist_stage_id FROM job_postings j"
            " WHERE j.org_id = $1::uuid AND j.connection_id = $2::uuid"
            " AND j.external_id = ANY ($3::text[]) AND j.shortlist_stage_id IS NOT NULL");
#define HW_IMP_APP_COLS                                                                        \
  "external_id text, candidate_external_id text, job_external_id text, stage_id text,"        \
  " stage_name text, status text, updated_at bigint"
  c.prepare("ats_import_applications_insert",
            "INSERT INTO ats_applications (org_id, application_id, connection_id, external_id,"
            " candidate_external_id, job_external_id, stage_id, stage_name, status,"
            " ats_updated_at, created_at, updated_at)"
            " SELECT $1::uuid, gen_random_uuid(), $2::uuid, x.external_id,"
            " x.candidate_external_id, x.job_external_id, x.stage_id, x.stage_name, x.status, "
            HW_IMP_MS_TO_TS("x.updated_at") ", " HW_IMP_TS(4) ", " HW_IMP_TS(4)
            " FROM jsonb_to_recordset($3::jsonb) AS x(" HW_IMP_APP_COLS ")"
            " RETURNING external_id, application_id::text");
  c.prepare("ats_import_applications_update",
            "UPDATE ats_applications a SET candidate_external_id = x.candidate_external_id,"
            " job_external_id = x.job_external_id, stage_id = x.stage_id,"
            " stage_name = x.stage_name, status = x.status,"
            " ats_updated_at = " HW_IMP_MS_TO_TS("x.updated_at") ", updated_at = " HW_IMP_TS(4)
            " FROM jsonb_to_recordset($3::jsonb) AS x(" HW_IMP_APP_COLS ")"
            " WHERE a.org_id = $1::uuid AND a.connection_id = $2::uuid"
            " AND a.external_id = x.external_id");
#undef HW_IMP_APP_COLS
  c.prepare("ats_import_stage_events_insert",
            "INSERT INTO ats_stage_events (org_id, connection_id, job_id, application_id, stage_id,"
            " stage_name, at)"
            " SELECT $1::uuid, $2::uuid, (x.e->>'job_id')::uuid, (x.e->>'application_id')::uuid,"
            " x.e->>'stage_id', x.e->>'stage_name', " HW_IMP_TS(4)
            " FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS x(e, n) ORDER BY x.n");
  c.prepare("ats_import_application_delete",
            "DELETE FROM ats_applications a"
            " WHERE a.org_id = $1::uuid AND a.connection_id = $2::uuid"
            " AND a.external_id = $3");

  // ---- watermarks, counters, inbox
  c.prepare("ats_import_watermark_load",
            "SELECT " HW_IMP_TS_TO_MS("w.watermark") " FROM ats_sync_watermarks w"
            " WHERE w.org_id = $1::uuid AND w.connection_id = $2::uuid AND w.resource = $3");
  c.prepare("ats_import_watermark_save",
            "INSERT INTO ats_sync_watermarks AS w (org_id, connection_id, resource, watermark,"
            " updated_at) VALUES ($1::uuid, $2::uuid, $3, " HW_IMP_MS_TO_TS("$4::bigint") ", "
            HW_IMP_TS(5) ")"
            " ON CONFLICT (org_id, connection_id, resource) DO UPDATE"
            " SET watermark = EXCLUDED.watermark, updated_at = EXCLUDED.updated_at"
            " WHERE w.watermark < EXCLUDED.watermark");
  c.prepare("ats_import_counter_received",
            "UPDATE ats_connections SET webhooks_received = webhooks_received + 1"
            " WHERE org_id = $1::uuid AND connection_id = $2::uuid");
  c.prepare("ats_import_counter_duplicate",
            "UPDATE ats_connections SET webhooks_duplicate = webhooks_duplicate + 1"
            " WHERE org_id = $1::uuid AND connection_id = $2::uuid");
  c.prepare("ats_import_counter_rejected",
            "UPDATE ats_connections SET webhooks_rejected = webhooks_rejected + 1"
            " WHERE org_id = $1::uuid AND connection_id = $2::uuid");
  c.prepare("ats_import_counts",
            "SELECT a.connection_id::text,"
            " (SELECT count(*) FROM job_postings j"
            "   WHERE j.org_id = a.org_id AND j.connection_id = a.connection_id),"
            " (SELECT count(*) FROM ats_candidates c"
            "   WHERE c.org_id = a.org_id AND c.connection_id = a.connection_id),"
            " (SELECT count(*) FROM ats_applications p"
            "   WHERE p.org_id = a.org_id AND p.connection_id = a.connection_id),"
            // Received: counted when processed (migration 0019), plus the rows still pending.
            " (a.webhooks_received + COALESCE(w.received, 0) + (SELECT count(*) FROM ats_webhook_inbox i"
            "   WHERE i.org_id = a.org_id AND i.connection_id = a.connection_id AND i.status = 'received'))::bigint,"
            " (a.webhooks_duplicate + COALESCE(w.duplicate, 0))::bigint,"
            " (a.webhooks_rejected + COALESCE(w.rejected, 0))::bigint"
            " FROM ats_connections a LEFT JOIN LATERAL (SELECT sum(w.received) AS received,"
            "   sum(w.duplicate) AS duplicate, sum(w.rejected) AS rejected FROM ats_webhook_counters w"
            "   WHERE w.org_id = a.org_id AND w.connection_id = a.connection_id) w ON true"
            " WHERE a.org_id = $1::uuid");
  c.prepare("ats_import_inbox_load",
            "SELECT i.id, i.connection_id::text, i.vendor_event_id, i.payload::text, i.status, "
            HW_IMP_RFC3339("i.received_at") " FROM ats_webhook_inbox i"
            " WHERE i.org_id = $1::uuid AND i.id = $2::bigint");
  // A stored delivery's inbox row is its integration log line (migration 0016): the rows deleted
  // here move into the log under their own ids (a pre-0016 id a log row of the organization
  // already holds: a fresh one), so the line stays for the log's retention. Answers the count.
  c.prepare("ats_import_inbox_purge",
            "WITH d AS (DELETE FROM ats_webhook_inbox"
            "   WHERE status = 'processed' AND received_at < " HW_IMP_TS(1)
            "   RETURNING org_id, id, connection_id, received_at, duration_ms),"
            " m AS (INSERT INTO ats_integration_log (org_id, id, connection_id, at, direction, endpoint, status,"
            "   duration_ms)"
            "   SELECT d.org_id, CASE WHEN EXISTS (SELECT 1 FROM ats_integration_log l"
            "     WHERE l.org_id = d.org_id AND l.id = d.id) THEN nextval('ats_integration_log_id_seq') ELSE d.id END,"
            "    d.connection_id, d.received_at, 'inbound', '/webhooks/' || a.vendor, 200, d.duration_ms"
            "   FROM d JOIN ats_connections a ON a.org_id = d.org_id AND a.connection_id = d.connection_id"
            "   RETURNING 1)"
            " SELECT count(*) FROM d");
  // clang-format on
}

// ---- stages ----------------------------------------------------------------------------------

result<ats_upsert_counts> upsert_ats_stages(pqxx::connection_base& c, const org_id& org,
                                            const std::string& connection_id,
                                            const std::vector<domain::ats_stage>& stages,
                                            time_point now) {
  const auto k = check_ids(org, connection_id);
  if (!k) return k.error();
  std::vector<domain::ats_stage> in;
  std::vector<std::string> keys;
  if (auto e = prepare_page(stages, in, keys, [](domain::ats_stage& s, std::size_t i) {
        s.external_id = clean(s.external_id);
        s.job_external_id = clean(s.job_external_id);
        s.name = clean(s.name, max_short_text);
        if (auto e = check_id(s.external_id, field_name("stages", i, "external_id"), false))
          return e;
        return check_id(s.job_external_id, field_name("stages", i, "job_external_id"), true);
      }))
    return *e;
  return locked_write<ats_upsert_counts>(c, *k, "upsert_ats_stages", "ats_import_stages", true,
                                         [&](pqxx::work& tx) {
    ats_upsert_counts out;
    struct row {
      domain::ats_stage s;
      bool exists = false;
      bool dirty = false;
    };
    std::map<std::pair<std::string, std::string>, row> rows;
    load_rows(tx, "ats_import_stages_load", *k, keys, [&](const pqxx::row& r) {
      domain::ats_stage s;
      s.job_external_id = r[0].as<std::string>();
      s.external_id = r[1].as<std::string>();
      s.name = r[2].as<std::string>();
      if (!r[3].is_null()) s.sort_order = r[3].as<int>();
      s.active = r[4].as<bool>();
      s.updated_at = opt_ms(r[5]);
      auto key = std::make_pair(s.job_external_id, s.external_id);
      rows.emplace(std::move(key), row{std::move(s), true, false});
    });
    for (auto& s : in) {
      auto it = rows.find({s.job_external_id, s.external_id});
      if (it == rows.end()) {
        rows.emplace(std::make_pair(s.job_external_id, s.external_id), row{s, false, true});
        ++out.inserted;
      } else if (supersedes(it->second.s, s, out)) {
        it->second.s = s;
        it->second.dirty = true;
      }
    }
    write_rows(tx, *k, "ats_import_stages", dirty_rows(rows, [](const row& r) {
                 return json{{"job_external_id", r.s.job_external_id},
                             {"external_id", r.s.external_id},
                             {"name", r.s.name},
                             {"sort_order", r.s.sort_order ? json(*r.s.sort_order) : json(nullptr)},
                             {"active", r.s.active},
                             {"updated_at", ms_json(r.s.updated_at)}};
               }),
               to_epoch_us(now));
    return out;
  });
}

// ---- jobs ------------------------------------------------------------------------------------

namespace {

struct job_row {
  std::string job_id;  // empty for a row inserted by this page
  domain::ats_job ats;
  std::set<std::string> overridden;
  domain::job_posting_state state = domain::job_posting_state::imported;
  bool exists = false;
  bool dirty = false;
};

struct job_transition {
  std::string job_id;
  domain::job_posting_state from;
  domain::job_posting_state to;
  domain::job_posting_event on;
};

std::set<std::string> override_keys(const std::string& text) {
  std::set<std::string> out;
  const auto j = json::parse(text, nullptr, false);
  if (!j.is_object()) return out;
  for (auto it = j.begin(); it != j.end(); ++it) out.insert(it.key());
  return out;
}

void add_conflicts(const job_row& r, const domain::ats_job& in, std::vector<std::string>& out) {
  const auto check = [&](const char* field, const std::string& cur, const std::string& next) {
    if (cur != next && r.overridden.count(field) > 0)
      out.push_back("job " + r.job_id + ": " + field);
  };
  check("title", r.ats.title, in.title);
  check("department", r.ats.department, in.department);
  check("location", r.ats.location, in.location);
  check("description_html", r.ats.description_html, in.description_html);
  check("requirements", r.ats.requirements, in.requirements);
}

domain::job_posting_state initial_state(const domain::ats_job& j) {
  return j.status == domain::ats_job_status::closed ? domain::job_posting_state::closed
                                                    : domain::job_posting_state::imported;
}

}  // namespace

result<ats_upsert_counts> upsert_ats_jobs(pqxx::connection_base& c, const org_id& org,
                                          const std::string& connection_id,
                                          const std::vector<domain::ats_job>& jobs,
                                          time_point now) {
  const auto k = check_ids(org, connection_id);
  if (!k) return k.error();
  std::vector<domain::ats_job> in;
  std::vector<std::string> keys;
  if (auto e = prepare_page(jobs, in, keys, [](domain::ats_job& j, std::size_t i) {
        j.external_id = clean(j.external_id);
        if (auto e = check_id(j.external_id, field_name("jobs", i, "external_id"), false)) return e;
        j.title = clean(j.title, max_short_text);
        j.department = clean(j.department, max_short_text);
        j.location = clean(j.location, max_location);
        j.description_html = clean(j.description_html, max_html);
        j.requirements = clean(j.requirements, max_html);
        return std::optional<hw::error>{};
      }))
    return *e;
  return locked_write<ats_upsert_counts>(c, *k, "upsert_ats_jobs", "ats_import_jobs", true,
                                         [&](pqxx::work& tx) {
    ats_upsert_counts out;
    std::map<std::string, job_row> rows;
    load_rows(tx, "ats_import_jobs_load", *k, keys, [&](const pqxx::row& r) {
      job_row jr;
      jr.job_id = r[0].as<std::string>();
      jr.ats.external_id = r[1].as<std::string>();
      jr.ats.title = r[2].as<std::string>();
      const auto st = parse_job_status(r[3].as<std::string>());
      if (!st) throw pqxx::conversion_error{"job_postings.ats_status holds an unknown status"};
      jr.ats.status = *st;
      jr.ats.department = r[4].as<std::string>();
      jr.ats.location = r[5].as<std::string>();
      jr.ats.description_html = r[6].as<std::string>();
      jr.ats.requirements = r[7].as<std::string>();
      jr.ats.opened_at = opt_ms(r[8]);
      jr.ats.closed_at = opt_ms(r[9]);
      jr.ats.updated_at = opt_ms(r[10]);
      jr.overridden = override_keys(r[11].as<std::string>());
      const auto ps = domain::parse_job_posting_state(r[12].as<std::string>());
      if (!ps) throw pqxx::conversion_error{"job_postings.posting_state holds an unknown state"};
      jr.state = *ps;
      jr.exists = true;
      auto key = jr.ats.external_id;
      rows.emplace(std::move(key), std::move(jr));
    });
    std::vector<job_transition> transitions;
    for (auto& j : in) {
      auto it = rows.find(j.external_id);
      if (it == rows.end()) {
        job_row jr;
        jr.ats = j;
        jr.dirty = true;
        rows.emplace(j.external_id, std::move(jr));
        ++out.inserted;
        continue;
      }
      auto& cur = it->second;
      if (!supersedes(cur.ats, j, out)) continue;
      if (cur.exists) {
        add_conflicts(cur, j, out.conflicts);
        std::optional<domain::job_posting_event> ev;
        const bool was_closed = cur.ats.status == domain::ats_job_status::closed;
        const bool is_closed = j.status == domain::ats_job_status::closed;
        if (is_closed && !was_closed) ev = domain::job_posting_event::close;
        if (!is_closed && was_closed) ev = domain::job_posting_event::reopen;
        if (ev) {
          // An FSM refusal (e.g. an archived posting) is not an error: the ATS copy is stored
          // and the posting keeps its state.
          const auto d = domain::decide(cur.state, *ev, domain::job_driver::ats_sync);
          if (d && d->to != cur.state) {
            transitions.push_back({cur.job_id, cur.state, d->to, *ev});
            cur.state = d->to;
          }
        }
      }
      cur.ats = j;
      cur.dirty = true;
    }
    write_rows(tx, *k, "ats_import_jobs", dirty_rows(rows, [](const job_row& r) {
                 const auto state = r.exists ? r.state : initial_state(r.ats);
                 json j{{"title", r.ats.title},
                        {"status", std::string{domain::to_string(r.ats.status)}},
                        {"department", r.ats.department},
                        {"location", r.ats.location},
                        {"description_html", r.ats.description_html},
                        {"requirements", r.ats.requirements},
                        {"opened_at", ms_json(r.ats.opened_at)},
                        {"closed_at", ms_json(r.ats.closed_at)},
                        {"updated_at", ms_json(r.ats.updated_at)},
                        {"posting_state", std::string{domain::to_string(state)}}};
                 if (r.exists)
                   j["job_id"] = r.job_id;
                 else
                   j["external_id"] = r.ats.external_id;
                 return j;
               }),
               to_epoch_us(now));
    for (const auto& tr : transitions)
      audit_state_change(tx, k->org, tr.job_id, tr.from, tr.to, tr.on, k->cid);
    return out;
  });
}

result<hw::unit> archive_ats_job_upstream(pqxx::connection_base& c, const org_id& org,
                                          const std::string& connection_id,
                                          const std::string& job_external_id, time_point now) {
  return write_one(
      c, org, connection_id, job_external_id, "job_external_id", "archive_ats_job_upstream",
      "ats_import_job_archive", [&](pqxx::work& tx, const ids& k, const std::string& ext) {
        auto r = tx.exec_prepared("ats_import_job_lock_one", k.org.value, k.cid, ext);
        if (r.empty()) return;
        const auto job_id = r[0][0].as<std::string>();
        const auto from = domain::parse_job_posting_state(r[0][1].as<std::string>());
        if (!from) throw pqxx::conversion_error{"job_postings.posting_state holds an unknown state"};
        const bool deleted = r[0][2].as<bool>();
        auto to = *from;
        const auto d =
            domain::decide(*from, domain::job_posting_event::archive, domain::job_driver::ats_sync);
        if (d) to = d->to;
        if (deleted && to == *from) return;
        tx.exec_prepared0("ats_import_job_archive", k.org.value, k.cid, job_id, to_epoch_us(now),
                          std::string{domain::to_string(to)});
        if (to != *from)
          audit_state_change(tx, k.org, job_id, *from, to, domain::job_posting_event::archive,
                             k.cid);
      });
}

// ---- candidates ------------------------------------------------------------------------------

namespace {

// A merged record keeps no PII either (it is not anonymized: the person lives on as the winner).
void purge_pii(domain::ats_candidate& c) {
  c.first_name.clear();
  c.last_name.clear();
  c.emails.clear();
  c.phones.clear();
  c.can_email = false;
}

// What a candidate record may store given what we hold: anonymized and merged_into are sticky,
// and neither kind of row keeps PII.
void apply_sticky(const domain::ats_candidate* cur, domain::ats_candidate& in) {
  if (cur && cur->anonymized) in.anonymized = true;
  if (cur && !cur->merged_into.empty() && in.merged_into.empty()) in.merged_into = cur->merged_into;
  if (in.anonymized) domain::anonymize(in);
  if (!in.merged_into.empty()) purge_pii(in);
}

}  // namespace

result<ats_upsert_counts> upsert_ats_candidates(pqxx::connection_base& c, const org_id& org,
                                                const std::string& connection_id,
                                                const std::vector<domain::ats_candidate>& cands,
                                                time_point now) {
  const auto k = check_ids(org, connection_id);
  if (!k) return k.error();
  std::vector<domain::ats_candidate> in;
  std::vector<std::string> keys;
  if (auto e = prepare_page(cands, in, keys, [](domain::ats_candidate& p, std::size_t i) {
        p.external_id = clean(p.external_id);
        if (auto e = check_id(p.external_id, field_name("candidates", i, "external_id"), false))
          return e;
        p.merged_into = clean(p.merged_into);
        if (auto e = check_id(p.merged_into, field_name("candidates", i, "merged_into"), true))
          return e;
        if (p.merged_into == p.external_id) p.merged_into.clear();
        p.first_name = clean(p.first_name, max_short_text);
        p.last_name = clean(p.last_name, max_short_text);
        p.emails = clean(p.emails);
        p.phones = clean(p.phones);
        return std::optional<hw::error>{};
      }))
    return *e;
  return locked_write<ats_upsert_counts>(c, *k, "upsert_ats_candidates", "ats_import_candidates",
                                         true, [&](pqxx::work& tx) {
    ats_upsert_counts out;
    struct row {
      domain::ats_candidate c;
      bool exists = false;
      bool dirty = false;
    };
    std::map<std::string, row> rows;
    load_rows(tx, "ats_import_candidates_load", *k, keys, [&](const pqxx::row& r) {
      domain::ats_candidate p;
      p.external_id = r[0].as<std::string>();
      p.first_name = r[1].as<std::string>();
      p.last_name = r[2].as<std::string>();
      p.emails = parse_contacts(r[3].as<std::string>());
      p.phones = parse_contacts(r[4].as<std::string>());
      p.can_email = r[5].as<bool>();
      p.anonymized = r[6].as<bool>();
      if (!r[7].is_null()) p.merged_into = r[7].as<std::string>();
      p.updated_at = opt_ms(r[8]);
      auto key = p.external_id;
      rows.emplace(std::move(key), row{std::move(p), true, false});
    });
    std::vector<std::pair<std::string, std::string>> repoint;  // loser, winner
    for (auto& p : in) {
      auto it = rows.find(p.external_id);
      const domain::ats_candidate* cur = it == rows.end() ? nullptr : &it->second.c;
      apply_sticky(cur, p);
      if (!cur) {
        if (!p.merged_into.empty()) repoint.emplace_back(p.external_id, p.merged_into);
        rows.emplace(p.external_id, row{p, false, true});
        ++out.inserted;
        continue;
      }
      // A purge (anonymized or merged upstream) is applied even from an out-of-order record.
      const bool merged = !p.merged_into.empty() && p.merged_into != cur->merged_into;
      const bool purge = (p.anonymized && !cur->anonymized) || merged;
      if (!supersedes(*cur, p, out, !purge)) continue;
      if (merged) repoint.emplace_back(p.external_id, p.merged_into);
      it->second.c = p;
      it->second.dirty = true;
    }
    const auto t = to_epoch_us(now);
    write_rows(tx, *k, "ats_import_candidates", dirty_rows(rows, [](const row& r) {
                 return json{
                     {"external_id", r.c.external_id},
                     {"first_name", r.c.first_name},
                     {"last_name", r.c.last_name},
                     {"emails", contacts_json(r.c.emails)},
                     {"phones", contacts_json(r.c.phones)},
                     {"can_email", r.c.can_email},
                     {"anonymized", r.c.anonymized},
                     {"merged_into", r.c.merged_into.empty() ? json(nullptr) : json(r.c.merged_into)},
                     {"updated_at", ms_json(r.c.updated_at)}};
               }),
               t);
    if (!repoint.empty()) {
      auto rp = json::array();
      for (const auto& [loser, winner] : repoint)
        rp.push_back({{"loser", loser}, {"winner", winner}});
      tx.exec_prepared0("ats_import_applications_repoint", k->org.value, k->cid, dump(rp), t);
    }
    return out;
  });
}

result<hw::unit> delete_ats_candidate(pqxx::connection_base& c, const org_id& org,
                                      const std::string& connection_id,
                                      const std::string& external_id,
                                      const std::vector<std::string>& deleted_application_ids,
                                      time_point now) {
  (void)now;
  const auto k = check_ids(org, connection_id);
  if (!k) return k.error();
  const auto ext = clean(external_id);
  if (auto e = check_id(ext, "external_id", false)) return *e;
  std::vector<std::string> apps;
  for (std::size_t i = 0; i < deleted_application_ids.size(); ++i) {
    apps.push_back(clean(deleted_application_ids[i]));
    if (auto e = check_id(apps.back(), "deleted_application_ids[" + std::to_string(i) + "]", false))
      return *e;
  }
  return locked_write<hw::unit>(c, *k, "delete_ats_candidate", "ats_import_candidate_delete", false,
                                [&](pqxx::work& tx) {
                                  tx.exec_prepared0("ats_import_applications_delete_for_candidate",
                                                    k->org.value, k->cid, ext,
                                                    text_array_literal(apps));
                                  tx.exec_prepared0("ats_import_candidate_delete", k->org.value,
                                                    k->cid, ext);
                                  return hw::unit{};
                                });
}

result<hw::unit> merge_ats_candidate(pqxx::connection_base& c, const org_id& org,
                                     const std::string& connection_id,
                                     const std::string& loser_external_id,
                                     const std::string& winner_external_id, time_point now) {
  const auto k = check_ids(org, connection_id);
  if (!k) return k.error();
  const auto loser = clean(loser_external_id);
  const auto winner = clean(winner_external_id);
  if (auto e = check_id(loser, "loser_external_id", false)) return *e;
  if (auto e = check_id(winner, "winner_external_id", false)) return *e;
  if (loser == winner)
    return hw::error{errc::invalid_argument, "winner_external_id: must differ from the loser"};
  return locked_write<hw::unit>(c, *k, "merge_ats_candidate", "ats_import_candidate_merge", false,
                                [&](pqxx::work& tx) {
    const auto t = to_epoch_us(now);
    const json rp = json::array({{{"loser", loser}, {"winner", winner}}});
    tx.exec_prepared0("ats_import_applications_repoint", k->org.value, k->cid, dump(rp), t);
    tx.exec_prepared0("ats_import_candidate_merge", k->org.value, k->cid, loser, winner, t);
    return hw::unit{};
  });
}

result<hw::unit> anonymize_ats_candidate(pqxx::connection_base& c, const org_id& org,
                                         const std::string& connection_id,
                                         const std::string& external_id, time_point now) {
  return write_one(c, org, connection_id, external_id, "external_id", "anonymize_ats_candidate",
                   "ats_import_candidate_anonymize",
                   [&](pqxx::work& tx, const ids& k, const std::string& ext) {
                     tx.exec_prepared0("ats_import_candidate_anonymize", k.org.value, k.cid, ext,
                                       to_epoch_us(now));
                   });
}

// ---- applications ----------------------------------------------------------------------------

result<ats_upsert_counts> upsert_ats_applications(pqxx::connection_base& c, const org_id& org,
                                                  const std::string& connection_id,
                                                  const std::vector<domain::ats_application>& apps,
                                                  time_point now) {
  const auto k = check_ids(org, connection_id);
  if (!k) return k.error();
  std::vector<domain::ats_application> in;
  std::vector<std::string> keys;
  std::set<std::string> job_keys;
  if (auto e = prepare_page(apps, in, keys, [&](domain::ats_application& a, std::size_t i) {
        a.external_id = clean(a.external_id);
        a.candidate_external_id = clean(a.candidate_external_id);
        a.job_external_id = clean(a.job_external_id);
        a.current_stage.id = clean(a.current_stage.id);
        a.current_stage.name = clean(a.current_stage.name, max_short_text);
        if (auto e = check_id(a.external_id, field_name("applications", i, "external_id"), false))
          return e;
        if (auto e = check_id(a.candidate_external_id,
                              field_name("applications", i, "candidate_external_id"), true))
          return e;
        if (auto e = check_id(a.job_external_id, field_name("applications", i, "job_external_id"),
                              true))
          return e;
        if (auto e = check_id(a.current_stage.id, field_name("applications", i, "stage_id"), true))
          return e;
        if (!a.job_external_id.empty()) job_keys.insert(a.job_external_id);
        return std::optional<hw::error>{};
      }))
    return *e;
  return locked_write<ats_upsert_counts>(c, *k, "upsert_ats_applications",
                                         "ats_import_applications", true, [&](pqxx::work& tx) {
    ats_upsert_counts out;
    struct row {
      std::string application_id;  // empty until inserted
      domain::ats_application a;
      bool exists = false;
      bool dirty = false;
    };
    std::map<std::string, row> rows;
    load_rows(tx, "ats_import_applications_load", *k, keys, [&](const pqxx::row& r) {
      row x;
      x.application_id = r[0].as<std::string>();
      x.a.external_id = r[1].as<std::string>();
      x.a.candidate_external_id = r[2].as<std::string>();
      x.a.job_external_id = r[3].as<std::string>();
      x.a.current_stage.id = r[4].as<std::string>();
      x.a.current_stage.name = r[5].as<std::string>();
      const auto st = parse_app_status(r[6].as<std::string>());
      if (!st) throw pqxx::conversion_error{"ats_applications.status holds an unknown status"};
      x.a.status = *st;
      x.a.updated_at = opt_ms(r[7]);
      x.exists = true;
      auto key = x.a.external_id;
      rows.emplace(std::move(key), std::move(x));
    });
    // job external id -> (job id, shortlist stage id)
    std::map<std::string, std::pair<std::string, std::string>> shortlists;
    load_rows(tx, "ats_import_shortlists_load", *k,
              std::vector<std::string>(job_keys.begin(), job_keys.end()), [&](const pqxx::row& r) {
                shortlists[r[0].as<std::string>()] = {r[1].as<std::string>(),
                                                      r[2].as<std::string>()};
              });
    struct pending_event {
      std::string job_id;
      std::string app_external_id;
      domain::ats_stage_ref stage;
    };
    std::vector<pending_event> events;
    const auto maybe_event = [&](const domain::ats_application& a) {
      if (a.current_stage.id.empty()) return;
      const auto s = shortlists.find(a.job_external_id);
      if (s == shortlists.end() || s->second.second != a.current_stage.id) return;
      events.push_back({s->second.first, a.external_id, a.current_stage});
    };
    for (auto& a : in) {
      auto it = rows.find(a.external_id);
      if (it == rows.end()) {
        maybe_event(a);
        row x;
        x.a = a;
        x.dirty = true;
        rows.emplace(a.external_id, std::move(x));
        ++out.inserted;
      } else if (supersedes(it->second.a, a, out)) {
        if (a.current_stage.id != it->second.a.current_stage.id) maybe_event(a);
        it->second.a = a;
        it->second.dirty = true;
      }
    }
    const auto dirty = dirty_rows(rows, [](const row& r) {
      return json{{"external_id", r.a.external_id},
                  {"candidate_external_id", r.a.candidate_external_id},
                  {"job_external_id", r.a.job_external_id},
                  {"stage_id", r.a.current_stage.id},
                  {"stage_name", r.a.current_stage.name},
                  {"status", std::string{domain::to_string(r.a.status)}},
                  {"updated_at", ms_json(r.a.updated_at)}};
    });
    const auto t = to_epoch_us(now);
    if (!dirty.first.empty()) {  // returns the new rows' ids, needed by their stage events
      for (const auto& r : tx.exec_prepared("ats_import_applications_insert", k->org.value, k->cid,
                                            dump(dirty.first), t))
        rows[r[0].as<std::string>()].application_id = r[1].as<std::string>();
    }
    write_rows(tx, *k, "ats_import_applications", {json::array(), dirty.second}, t);
    if (!events.empty()) {
      auto ev = json::array();
      for (const auto& e : events) {
        ev.push_back({{"job_id", e.job_id},
                      {"application_id", rows[e.app_external_id].application_id},
                      {"stage_id", e.stage.id},
                      {"stage_name", e.stage.name}});
      }
      tx.exec_prepared0("ats_import_stage_events_insert", k->org.value, k->cid, dump(ev), t);
      out.stage_events = static_cast<std::int64_t>(events.size());
    }
    return out;
  });
}

result<hw::unit> delete_ats_application(pqxx::connection_base& c, const org_id& org,
                                        const std::string& connection_id,
                                        const std::string& external_id, time_point now) {
  (void)now;
  return write_one(c, org, connection_id, external_id, "external_id", "delete_ats_application",
                   "ats_import_application_delete",
                   [&](pqxx::work& tx, const ids& k, const std::string& ext) {
                     tx.exec_prepared0("ats_import_application_delete", k.org.value, k.cid, ext);
                   });
}

// ---- watermarks, counters, inbox -------------------------------------------------------------

namespace {
std::optional<hw::error> check_resource(const std::string& r) {
  bool ok = !r.empty() && r.size() <= 40;
  for (char ch : r) ok = ok && ((ch >= 'a' && ch <= 'z') || ch == '_');
  if (!ok) return hw::error{errc::invalid_argument, "resource: 1 to 40 of [a-z_]"};
  return std::nullopt;
}
}  // namespace

result<std::optional<domain::epoch_ms>> load_ats_watermark(pqxx::connection_base& c,
                                                           const org_id& org,
                                                           const std::string& connection_id,
                                                           const std::string& resource) {
  const auto k = check_ids(org, connection_id);
  if (!k) return k.error();
  if (auto e = check_resource(resource)) return *e;
  try {
    pqxx::read_transaction tx{c, "load_ats_watermark"};
    set_tenant(tx, k->org);
    if (tx.exec_prepared("ats_import_exists", k->org.value, k->cid).empty())
      return conn_not_found();
    auto r = tx.exec_prepared("ats_import_watermark_load", k->org.value, k->cid, resource);
    tx.commit();
    if (r.empty()) return std::optional<domain::epoch_ms>{};
    return opt_ms(r[0][0]);
  } catch (...) {
    return map_exception(std::current_exception(), "ats_import_watermark_load");
  }
}

result<hw::unit> save_ats_watermark(pqxx::connection_base& c, const org_id& org,
                                    const std::string& connection_id, const std::string& resource,
                                    domain::epoch_ms watermark, time_point now) {
  const auto k = check_ids(org, connection_id);
  if (!k) return k.error();
  if (auto e = check_resource(resource)) return *e;
  return locked_write<hw::unit>(c, *k, "save_ats_watermark", "ats_import_watermark_save", true,
                                [&](pqxx::work& tx) {
                                  tx.exec_prepared0("ats_import_watermark_save", k->org.value,
                                                    k->cid, resource,
                                                    static_cast<std::int64_t>(watermark),
                                                    to_epoch_us(now));
                                  return hw::unit{};
                                });
}

result<hw::unit> bump_ats_webhook_counter(pqxx::connection_base& c, const org_id& org,
                                          const std::string& connection_id, webhook_counter which) {
  const auto k = check_ids(org, connection_id);
  if (!k) return k.error();
  const char* stmt = which == webhook_counter::received    ? "ats_import_counter_received"
                     : which == webhook_counter::duplicate ? "ats_import_counter_duplicate"
                                                           : "ats_import_counter_rejected";
  try {
    pqxx::work tx{c, "bump_ats_webhook_counter"};
    set_tenant(tx, k->org);
    auto r = tx.exec_prepared0(stmt, k->org.value, k->cid);
    if (r.affected_rows() == 0) return conn_not_found();
    tx.commit();
    return hw::unit{};
  } catch (...) {
    return map_exception(std::current_exception(), "ats_import_counter");
  }
}

result<std::map<std::string, ats_import_counts>> ats_import_counts_by_connection(
    pqxx::connection_base& c, const org_id& org) {
  std::map<std::string, ats_import_counts> out;
  if (!is_uuid(org.value)) return out;
  const org_id o{canonical_uuid(org.value)};
  try {
    pqxx::read_transaction tx{c, "ats_import_counts_by_connection"};
    set_tenant(tx, o);
    for (const auto& r : tx.exec_prepared("ats_import_counts", o.value)) {
      ats_import_counts n;
      n.jobs = r[1].as<std::int64_t>();
      n.candidates = r[2].as<std::int64_t>();
      n.applications = r[3].as<std::int64_t>();
      n.webhooks_received = r[4].as<std::int64_t>();
      n.webhooks_duplicate = r[5].as<std::int64_t>();
      n.webhooks_rejected = r[6].as<std::int64_t>();
      out.emplace(r[0].as<std::string>(), n);
    }
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "ats_import_counts");
  }
}

result<ats_inbox_entry> load_ats_inbox_entry(pqxx::connection_base& c, const org_id& org,
                                             std::int64_t inbox_id) {
  const hw::error missing{errc::not_found, "inbox row not found"};
  if (!is_uuid(org.value)) return missing;
  const org_id o{canonical_uuid(org.value)};
  try {
    pqxx::read_transaction tx{c, "load_ats_inbox_entry"};
    set_tenant(tx, o);
    auto r = tx.exec_prepared("ats_import_inbox_load", o.value, inbox_id);
    if (r.empty()) return missing;
    ats_inbox_entry e;
    e.id = r[0][0].as<std::int64_t>();
    e.connection_id = r[0][1].as<std::string>();
    if (!r[0][2].is_null()) e.vendor_event_id = r[0][2].as<std::string>();
    e.payload_json = r[0][3].as<std::string>();
    e.status = r[0][4].as<std::string>();
    e.received_at = r[0][5].as<std::string>();
    tx.commit();
    return e;
  } catch (...) {
    return map_exception(std::current_exception(), "ats_import_inbox_load");
  }
}

result<std::int64_t> purge_ats_webhook_inbox(pqxx::connection_base& c, time_point now,
                                             std::chrono::seconds keep) {
  try {
    pqxx::work tx{c, "purge_ats_webhook_inbox"};
    // Retention spans organizations: system scope for this one DELETE.
    set_system_scope(tx);
    auto n = tx.exec_prepared1("ats_import_inbox_purge", to_epoch_us(now - keep))[0].as<std::int64_t>();
    clear_system_scope(tx);
    tx.commit();
    return n;
  } catch (...) {
    return map_exception(std::current_exception(), "ats_import_inbox_purge");
  }
}

}  // namespace hw::storage
