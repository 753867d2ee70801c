#include "storage/content_repo.hpp"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <utility>

#include "actors/domain/base64url.hpp"
#include "actors/domain/password_policy.hpp"  // utf8_code_points
#include "storage/audit_repo.hpp"
#include "storage/pg.hpp"
#include "storage/repo_util.hpp"

namespace hw::storage {

namespace {

#define HW_CT_TS(n) "(timestamptz 'epoch' + ($" #n "::bigint) * interval '1 microsecond')"
#define HW_CT_US(col) "(extract(epoch FROM " col ") * 1000000)::bigint"
#define HW_CT_RFC3339(col) \
  "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
// The search columns of content_items, derived from a body jsonb expression `b` (content.hpp
// shape): kind, title, difficulty, expected_minutes, skills, seniorities, categories, search.
// clang-format off
#define HW_CT_ARR(b, key) "ARRAY(SELECT jsonb_array_elements_text(" b "->'" key "'))"
#define HW_CT_TSV(b)                                                                           \
  "(setweight(to_tsvector('english'::regconfig, coalesce(" b "->>'title', '')), 'A')"        \
  " || setweight(to_tsvector('english'::regconfig, coalesce(" b "->>'prompt', '')), 'B')"    \
  " || setweight(to_tsvector('english'::regconfig, concat_ws(' ', " b "->'rubric'->>'strong', " \
  b "->'rubric'->>'acceptable', " b "->'rubric'->>'weak')), 'C'))"
#define HW_CT_DENORM_VALUES(b)                                                               \
  b "->>'kind', " b "->>'title', " b "->>'difficulty', (" b "->>'expected_minutes')::integer, " \
  HW_CT_ARR(b, "skills") ", " HW_CT_ARR(b, "seniorities") ", " HW_CT_ARR(b, "categories") ", " \
  HW_CT_TSV(b)
// clang-format on
#define HW_CT_DENORM_COLUMNS \
  "kind, title, difficulty, expected_minutes, skills, seniorities, categories, search"
// The content_item_terms of an items row `x` (migration 0014): lexemes, skills, seniorities,
// categories, each once.
// clang-format off
#define HW_CT_TERMS(x)                                                           \
  " LATERAL (SELECT 'w:' || l FROM unnest(tsvector_to_array(" x ".search)) l"   \
  " UNION SELECT 's:' || s FROM unnest(" x ".skills) s"                           \
  " UNION SELECT 'n:' || s FROM unnest(" x ".seniorities) s"                      \
  " UNION SELECT 'c:' || s FROM unnest(" x ".categories) s) AS t(term)"
// clang-format on

constexpr std::size_t max_batch = 5000;
constexpr std::size_t comment_max = 5000;
constexpr std::size_t q_max = 300;

hw::error item_not_found() { return {errc::not_found, "content item not found"}; }
hw::error stale() { return {errc::version_conflict, "the content item was changed concurrently"}; }
hw::error bad(std::string detail) { return {errc::invalid_argument, std::move(detail)}; }



// At most `max` code points of valid UTF-8 (a longer display name is cut, never refused).
std::string cut_utf8(const std::string& s, std::size_t max) {
  std::size_t cps = 0, i = 0;
  while (i < s.size()) {
    const auto ch = static_cast<unsigned char>(s[i]);
    const std::size_t len = ch < 0x80 ? 1 : (ch >> 5) == 0x6 ? 2 : (ch >> 4) == 0xe ? 3 : 4;
    if (cps == max) return s.substr(0, i);
    i += len;
    ++cps;
  }
  return s;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  std::size_t start = 0;
  while (true) {
    const auto comma = s.find(',', start);
    out.push_back(s.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// "3:approved,2:draft" (newest first) -> (number, state) pairs.
std::vector<std::pair<std::int32_t, std::string>> parse_version_list(const pqxx::field& f) {
  std::vector<std::pair<std::int32_t, std::string>> out;
  if (f.is_null()) return out;
  for (const auto& part : split_list(f.as<std::string>())) {
    const auto colon = part.find(':');
    if (colon == std::string::npos) continue;
    std::int32_t n = 0;
    std::from_chars(part.data(), part.data() + colon, n);
    out.emplace_back(n, part.substr(colon + 1));
  }
  return out;
}

nlohmann::json parse_json(const pqxx::field& f) {
  auto j = nlohmann::json::parse(f.as<std::string>(), nullptr, false);
  if (j.is_discarded()) throw pqxx::conversion_error{"a stored body is not JSON"};
  return j;
}


bool is_review_state(const std::string& s) { return domain::parse_review_state(s).has_value(); }

// The body as stored.
std::string body_text(const domain::content_item_body& b) { return domain::to_json(b).dump(); }

// --- rows ----------------------------------------------------------------------------------------

// content_item_get columns: 0 item_id, 1 job_id, 2 variant_of_item, 3 variant_of_version,
// 4 approved_version, 5 version, 6 number, 7 state, 8 body, 9 author_id, 10 author_name,
// 11 reviewed_by, 12 reviewed_at, 13 origin, 14 created_at, 15 updated_at, 16 version list.
item_view row_to_item(const pqxx::row& r) {
  item_view v;
  v.id = r[0].as<std::string>();
  v.job_id = opt_text(r[1]);
  if (!r[2].is_null()) {
    v.variant_of = r[2].as<std::string>() + "@v" + std::to_string(r[3].as<std::int32_t>());
  }
  if (!r[4].is_null()) v.approved_version = r[4].as<std::int32_t>();
  v.version = r[5].as<std::int64_t>();
  auto& l = v.latest;
  l.number = r[6].as<std::int32_t>();
  l.state = r[7].as<std::string>();
  l.body = parse_json(r[8]);
  l.author_id = r[9].as<std::string>();
  l.author_name = r[10].as<std::string>();
  l.reviewed_by = opt_text(r[11]);
  l.reviewed_at = opt_text(r[12]);
  l.origin = r[13].as<std::string>();
  l.created_at = r[14].as<std::string>();
  l.updated_at = r[15].as<std::string>();
  v.versions = parse_version_list(r[16]);
  return v;
}

std::optional<item_view> read_item(pqxx::transaction_base& tx, const org_id& o,
                                   const std::string& id, std::optional<std::int32_t> number) {
  std::optional<std::string> n;
  if (number) n = std::to_string(*number);
  auto r = tx.exec_prepared("content_item_get", o.value, id, opt_param(n));
  if (r.empty()) return std::nullopt;
  return row_to_item(r[0]);
}

// The locked row an edit or a step decides on.
struct locked_item {
  std::int64_t version = 1;
  std::int32_t latest = 1;
  std::string state;
};

std::optional<locked_item> lock_item(pqxx::transaction_base& tx, const org_id& o,
                                     const std::string& id) {
  auto r = tx.exec_prepared("content_item_lock", o.value, id);
  if (r.empty()) return std::nullopt;
  return locked_item{r[0][0].as<std::int64_t>(), r[0][1].as<std::int32_t>(),
                     r[0][2].as<std::string>()};
}

// Copies version `number` into the item's search columns, bumps the item's version (CAS on
// `expected`) and sets approved_version when given, and rewrites its content_item_terms (they
// carry updated_at). False when the CAS lost.
bool sync_item(pqxx::transaction_base& tx, const org_id& o, const std::string& id,
               std::int64_t expected, std::int32_t number, time_point now,
               std::optional<std::int32_t> approved) {
  std::optional<std::string> a;
  if (approved) a = std::to_string(*approved);
  if (tx.exec_prepared("content_item_sync", o.value, id, expected, number, to_epoch_us(now),
                       opt_param(a))
          .empty()) {
    return false;
  }
  tx.exec_prepared0("content_terms_delete", o.value, id);
  tx.exec_prepared0("content_terms_insert", o.value, id);
  return true;
}

// The lexemes of a querytree() text ('a' & 'b' <-> 'c'; quotes inside doubled).
std::vector<std::string> querytree_lexemes(const std::string& t) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] != '\'') continue;
    std::string lex;
    for (++i; i < t.size(); ++i) {
      if (t[i] == '\'') {
        if (i + 1 < t.size() && t[i + 1] == '\'') {
          lex.push_back('\'');
          ++i;
          continue;
        }
        break;
      }
      lex.push_back(t[i]);
    }
    if (std::find(out.begin(), out.end(), lex) == out.end()) out.push_back(std::move(lex));
  }
  return out;
}

std::string past_tense(domain::review_event e) {
  switch (e) {
    case domain::review_event::submit:
      return "content.item_submitted";
    case domain::review_event::approve:
      return "content.item_approved";
    case domain::review_event::request_changes:
      return "content.item_changes_requested";
    case domain::review_event::archive:
      return "content.item_archived";
  }
  return "content.item_updated";
}

result<std::string> check_comment(const std::string& text) {
  const auto n = domain::utf8_code_points(text);
  if (!n || *n < 1 || *n > comment_max || text.find('\0') != std::string::npos) {
    return bad("text: 1 to 5000 characters of text");
  }
  return text;
}

// The json array create_items / the single insert bind: one object per item.
nlohmann::json item_row(const new_item& it) {
  nlohmann::json j = {
      {"item_id", it.item_id ? nlohmann::json(canonical_uuid(*it.item_id)) : nlohmann::json()},
      {"job_id", it.job_id ? nlohmann::json(canonical_uuid(*it.job_id)) : nlohmann::json()},
      {"variant_of_item",
       it.variant_of_item ? nlohmann::json(canonical_uuid(*it.variant_of_item)) : nlohmann::json()},
      {"variant_of_version",
       it.variant_of_version ? nlohmann::json(*it.variant_of_version) : nlohmann::json()},
      {"starter_key", it.starter_key ? nlohmann::json(*it.starter_key) : nlohmann::json()},
      {"state", std::string{domain::to_string(it.state)}},
      {"body", domain::to_json(it.first.body)},
      {"author_id", it.first.author_id},
      {"author_name", cut_utf8(it.first.author_name, 200)},
      {"origin", cut_utf8(it.first.origin, 300)}};
  return j;
}

// Shape checks shared by insert_item and create_items (no database).
std::optional<hw::error> check_new_item(const new_item& it) {
  if (it.state != domain::review_state::draft && it.state != domain::review_state::in_review) {
    return bad("state: a new item starts as draft or in_review");
  }
  if (it.item_id && !is_uuid(*it.item_id)) return bad("item_id: not an item id");
  if (it.job_id && !is_uuid(*it.job_id)) return item_not_found();
  if (it.variant_of_item.has_value() != it.variant_of_version.has_value()) {
    return bad("variant_of: item and version go together");
  }
  if (it.variant_of_item && !is_uuid(*it.variant_of_item)) return item_not_found();
  if (it.starter_key && (it.starter_key->empty() || it.starter_key->size() > 200)) {
    return bad("starter_key: 1 to 200 characters");
  }
  if (it.first.origin.empty()) return bad("origin: required");
  return std::nullopt;
}

}  // namespace

void prepare_content_statements(pqxx::connection_base& c) {
  c.prepare("content_item_get",
            "SELECT i.item_id::text, i.job_id::text, i.variant_of_item::text, i.variant_of_version,"
            " i.approved_version, i.version, v.number, v.state, v.body::text, v.author_id,"
            " v.author_name, v.reviewed_by, " HW_CT_RFC3339("v.reviewed_at") ", v.origin, "
            HW_CT_RFC3339("v.created_at") ", " HW_CT_RFC3339("v.updated_at") ","
            " (SELECT string_agg(x.number || ':' || x.state, ',' ORDER BY x.number DESC)"
            "  FROM content_item_versions x WHERE x.org_id = i.org_id AND x.item_id = i.item_id)"
            " FROM content_items i JOIN content_item_versions v ON v.org_id = i.org_id"
            " AND v.item_id = i.item_id AND v.number = COALESCE($3::integer, i.latest_version)"
            " WHERE i.org_id = $1::uuid AND i.item_id = $2::uuid");
  c.prepare("content_item_lock",
            "SELECT i.version, i.latest_version, v.state FROM content_items i"
            " JOIN content_item_versions v ON v.org_id = i.org_id AND v.item_id = i.item_id"
            " AND v.number = i.latest_version"
            " WHERE i.org_id = $1::uuid AND i.item_id = $2::uuid FOR UPDATE OF i");
  c.prepare("content_item_sync",
            "UPDATE content_items i SET latest_version = v.number, (" HW_CT_DENORM_COLUMNS
            ") = (SELECT " HW_CT_DENORM_VALUES("v.body") "),"
            " state = v.state, archived = (v.state = 'archived'), author_id = v.author_id,"
            " author_name = v.author_name, origin = v.origin,"
            " approved_version = COALESCE($6::integer, i.approved_version),"
            " updated_at = " HW_CT_TS(5) ", version = i.version + 1"
            " FROM content_item_versions v"
            " WHERE i.org_id = $1::uuid AND i.item_id = $2::uuid AND i.version = $3::bigint"
            " AND v.org_id = i.org_id AND v.item_id = i.item_id AND v.number = $4::integer"
            " RETURNING i.version");
  c.prepare("content_version_set_body",
            "UPDATE content_item_versions SET body = $4::jsonb, state = $5, updated_at = " HW_CT_TS(
                6) " WHERE org_id = $1::uuid AND item_id = $2::uuid AND number = $3::integer");
  c.prepare("content_version_insert",
            "INSERT INTO content_item_versions (org_id, item_id, number, state, body, author_id,"
            " author_name, origin, created_at, updated_at) VALUES ($1::uuid, $2::uuid, $3::integer,"
            " 'draft', $4::jsonb, $5, $6, $7, " HW_CT_TS(8) ", " HW_CT_TS(8) ")");
  c.prepare("content_version_step",
            "UPDATE content_item_versions SET state = $5,"
            " reviewed_by = CASE WHEN $6::boolean THEN $7 ELSE reviewed_by END,"
            " reviewed_at = CASE WHEN $6::boolean THEN " HW_CT_TS(8) " ELSE reviewed_at END,"
            " approved_at = CASE WHEN $5 = 'approved' THEN " HW_CT_TS(8) " ELSE approved_at END,"
            " updated_at = " HW_CT_TS(8)
            " WHERE org_id = $1::uuid AND item_id = $2::uuid AND number = $3::integer AND state = $4");
  // Items from a json array (one object per item, see item_row): one multi-row insert into each
  // table; an existing starter_key is skipped. Returns the created ids in input order.
  c.prepare("content_items_insert",
            "WITH input AS MATERIALIZED ("
            "  SELECT COALESCE((e->>'item_id')::uuid, gen_random_uuid()) AS item_id,"
            "  (e->>'job_id')::uuid AS job_id, (e->>'variant_of_item')::uuid AS variant_of_item,"
            "  (e->>'variant_of_version')::integer AS variant_of_version,"
            "  e->>'starter_key' AS starter_key, e->>'state' AS state, e->'body' AS body,"
            "  e->>'author_id' AS author_id, e->>'author_name' AS author_name,"
            "  e->>'origin' AS origin, x.ord"
            "  FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS x(e, ord)),"
            " ins AS (INSERT INTO content_items (org_id, item_id, job_id, variant_of_item,"
            "  variant_of_version, starter_key, latest_version, " HW_CT_DENORM_COLUMNS ", state,"
            "  archived, author_id, author_name, origin, created_at, updated_at, version)"
            "  SELECT $1::uuid, n.item_id, n.job_id, n.variant_of_item, n.variant_of_version,"
            "  n.starter_key, 1, " HW_CT_DENORM_VALUES("n.body") ", n.state, false, n.author_id,"
            "  n.author_name, n.origin, " HW_CT_TS(3) ", " HW_CT_TS(3) ", 1"
            "  FROM input n ORDER BY n.ord"
            "  ON CONFLICT (org_id, starter_key) DO NOTHING"
            "  RETURNING item_id, search, skills, seniorities, categories, updated_at),"
            " terms AS (INSERT INTO content_item_terms (org_id, item_id, term, updated_at)"
            "  SELECT $1::uuid, x.item_id, t.term, x.updated_at FROM ins x," HW_CT_TERMS("x") "),"
            " ver AS (INSERT INTO content_item_versions (org_id, item_id, number, state, body,"
            "  author_id, author_name, origin, created_at, updated_at)"
            "  SELECT $1::uuid, n.item_id, 1, n.state, n.body, n.author_id, n.author_name, n.origin, "
            HW_CT_TS(3) ", " HW_CT_TS(3) " FROM input n JOIN ins USING (item_id))"
            " SELECT n.item_id::text FROM input n JOIN ins USING (item_id) ORDER BY n.ord");
  c.prepare("content_terms_delete",
            "DELETE FROM content_item_terms WHERE org_id = $1::uuid AND item_id = $2::uuid");
  c.prepare("content_terms_insert",
            "INSERT INTO content_item_terms (org_id, item_id, term, updated_at)"
            " SELECT x.org_id, x.item_id, t.term, x.updated_at FROM content_items x," HW_CT_TERMS(
                "x") " WHERE x.org_id = $1::uuid AND x.item_id = $2::uuid");
  c.prepare("content_querytree",
            "SELECT querytree(websearch_to_tsquery('english'::regconfig, $1))::text");
  c.prepare(
      "content_job_exists",
      "SELECT EXISTS (SELECT 1 FROM job_postings WHERE org_id = $1::uuid AND job_id = $2::uuid)");
  c.prepare("content_version_exists",
            "SELECT EXISTS (SELECT 1 FROM content_item_versions WHERE org_id = $1::uuid"
            " AND item_id = $2::uuid AND number = $3::integer)");
  c.prepare(
      "content_item_latest",
      "SELECT latest_version FROM content_items WHERE org_id = $1::uuid AND item_id = $2::uuid");
  c.prepare("content_comment_insert",
            "INSERT INTO content_comments (org_id, item_id, item_version, author_id, author_name,"
            " text, created_at) VALUES ($1::uuid, $2::uuid, $3::integer, $4, $5, $6, " HW_CT_TS(
                7) ") RETURNING id, " HW_CT_RFC3339("created_at"));
  c.prepare("content_comment_list",
            "SELECT id, item_version, author_id, author_name, text, " HW_CT_RFC3339("created_at")
            " FROM content_comments WHERE org_id = $1::uuid AND item_id = $2::uuid ORDER BY id");
  c.prepare("content_skill_list",
            "SELECT slug, label, array_to_string(synonyms, chr(31)), category FROM content_skills"
            " WHERE org_id = $1::uuid ORDER BY slug");
  c.prepare("content_skill_insert",
            "INSERT INTO content_skills (org_id, slug, label, synonyms, category, created_at)"
            " VALUES ($1::uuid, $2, $3, $4::text[], $5, " HW_CT_TS(6) ")"
            " ON CONFLICT (org_id, slug) DO NOTHING RETURNING slug");
  c.prepare("content_export",
            "SELECT i.item_id::text, v.number, v.state, v.origin, v.body::text"
            " FROM content_items i JOIN content_item_versions v ON v.org_id = i.org_id"
            " AND v.item_id = i.item_id AND v.number = i.approved_version"
            " WHERE i.org_id = $1::uuid AND i.job_id IS NULL AND NOT i.archived"
            " AND i.approved_version IS NOT NULL ORDER BY i.created_at, i.item_id");
  c.prepare("content_library_candidates",
            "SELECT i.item_id::text, v.number, v.body::text"
            " FROM content_items i JOIN content_item_versions v ON v.org_id = i.org_id"
            " AND v.item_id = i.item_id AND v.number = i.approved_version"
            " WHERE i.org_id = $1::uuid AND i.job_id IS NULL AND NOT i.archived"
            " AND i.approved_version IS NOT NULL"
            " AND (cardinality($2::text[]) = 0 OR v.body->'skills' ?| $2::text[])"
            " ORDER BY i.updated_at DESC, i.item_id DESC LIMIT $3::integer");
  c.prepare("content_resolve_versions",
            "SELECT v.item_id::text, v.number, v.state, v.approved_at IS NOT NULL, i.archived,"
            " v.body::text FROM jsonb_to_recordset($2::jsonb) AS r(item_id uuid, number integer)"
            " JOIN content_item_versions v ON v.org_id = $1::uuid AND v.item_id = r.item_id"
            " AND v.number = r.number"
            " JOIN content_items i ON i.org_id = v.org_id AND i.item_id = v.item_id");
  c.prepare(
      "content_llm_get",
      "SELECT enabled, base_url, model, encode(api_key_enc, 'hex'), timeout_seconds, "
      "version, " HW_CT_RFC3339("updated_at") " FROM org_llm_settings WHERE org_id = $1::uuid");
  c.prepare("content_llm_insert",
            "INSERT INTO org_llm_settings (org_id, enabled, base_url, model, api_key_enc,"
            " timeout_seconds, created_at, updated_at, version) VALUES ($1::uuid, $2::boolean, $3,"
            " $4, decode($5, 'hex'), $6::integer, " HW_CT_TS(7) ", " HW_CT_TS(7) ", 1)"
            " ON CONFLICT (org_id) DO NOTHING RETURNING version");
  c.prepare("content_llm_update",
            "UPDATE org_llm_settings SET enabled = $2::boolean, base_url = $3, model = $4,"
            " api_key_enc = decode($5, 'hex'), timeout_seconds = $6::integer,"
            " updated_at = " HW_CT_TS(7) ", version = version + 1"
            " WHERE org_id = $1::uuid AND version = $8::bigint RETURNING version");
}

// ---- items
// ----------------------------------------------------------------------------------------

result<std::string> insert_item(pqxx::transaction_base& tx, const org_id& org, const new_item& item,
                                time_point now, const actor_ref& who) {
  if (auto e = check_new_item(item)) return *e;
  if (!is_uuid(org.value)) return item_not_found();
  prepare_content_statements(tx.conn());
  const org_id o{canonical_uuid(org.value)};
  set_tenant(tx, o);
  if (item.job_id &&
      !tx.exec_prepared1("content_job_exists", o.value, canonical_uuid(*item.job_id))[0]
           .as<bool>()) {
    return hw::error{errc::not_found, "job posting not found"};
  }
  if (item.variant_of_item &&
      !tx.exec_prepared1("content_version_exists", o.value, canonical_uuid(*item.variant_of_item),
                         *item.variant_of_version)[0]
           .as<bool>()) {
    return item_not_found();
  }
  const auto rows = nlohmann::json::array({item_row(item)});
  auto r = tx.exec_prepared("content_items_insert", o.value, rows.dump(), to_epoch_us(now));
  if (r.empty()) return hw::error{errc::conflict, "starter_key: already loaded"};
  const auto id = r[0][0].as<std::string>();
  nlohmann::json detail = {{"version", 1},
                           {"origin", cut_utf8(item.first.origin, 100)},
                           {"state", std::string{domain::to_string(item.state)}}};
  if (item.job_id) detail["job_id"] = canonical_uuid(*item.job_id);
  if (item.variant_of_item) {
    detail["variant_of"] =
        canonical_uuid(*item.variant_of_item) + "@v" + std::to_string(*item.variant_of_version);
  }
  append_audit(tx, o, who, "content.item_created", id, detail.dump());
  if (item.state == domain::review_state::in_review) {
    // Created and submitted at once (apply_proposal with submit_generated): both steps audited.
    const nlohmann::json sub = {{"version", 1}, {"from", "draft"}, {"to", "in_review"}};
    append_audit(tx, o, who, "content.item_submitted", id, sub.dump());
  }
  return id;
}

result<item_view> create_item(pqxx::connection_base& c, const org_id& org, const new_item& item,
                              time_point now, const actor_ref& who) {
  if (auto e = check_new_item(item)) return *e;
  if (!is_uuid(org.value)) return item_not_found();
  const org_id o{canonical_uuid(org.value)};
  try {
    prepare_content_statements(c);
    pqxx::work tx{c, "create_item"};
    auto id = insert_item(tx, o, item, now, who);
    if (!id) return id.error();
    auto v = read_item(tx, o, *id, std::nullopt);
    if (!v) return item_not_found();
    tx.commit();
    return std::move(*v);
  } catch (...) {
    return map_exception(std::current_exception(), "content_item_insert");
  }
}

result<library_import_result> create_items(pqxx::connection_base& c, const org_id& org,
                                           const std::vector<new_item>& items,
                                           const std::string& audit_origin, time_point now,
                                           const actor_ref& who) {
  if (items.size() > max_batch) return bad("items: at most 5000 per import");
  auto rows = nlohmann::json::array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (auto e = check_new_item(items[i])) {
      e->detail = "/items/" + std::to_string(i) + ": " + e->detail;
      return *e;
    }
    if (items[i].job_id || items[i].variant_of_item) {
      return bad("/items/" + std::to_string(i) + ": imports create library items only");
    }
    rows.push_back(item_row(items[i]));
  }
  if (!is_uuid(org.value)) return item_not_found();
  const org_id o{canonical_uuid(org.value)};
  try {
    prepare_content_statements(c);
    pqxx::work tx{c, "create_items"};
    set_tenant(tx, o);
    library_import_result out;
    if (!items.empty()) {
      for (const auto& r :
           tx.exec_prepared("content_items_insert", o.value, rows.dump(), to_epoch_us(now))) {
        out.item_ids.push_back(r[0].as<std::string>());
      }
    }
    out.created = static_cast<int>(out.item_ids.size());
    out.skipped = static_cast<int>(items.size()) - out.created;
    append_audit(tx, o, who, "content.library_imported", "",
                 nlohmann::json{{"created", out.created},
                                {"skipped", out.skipped},
                                {"origin", cut_utf8(audit_origin, 100)}}
                     .dump());
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "content_items_insert");
  }
}

result<item_view> get_item(pqxx::connection_base& c, const org_id& org, const std::string& item_id,
                           std::optional<std::int32_t> version) {
  if (!is_uuid(org.value) || !is_uuid(item_id)) return item_not_found();
  if (version && *version < 1) return item_not_found();
  const org_id o{canonical_uuid(org.value)};
  try {
    prepare_content_statements(c);
    pqxx::read_transaction tx{c, "get_item"};
    set_tenant(tx, o);
    auto v = read_item(tx, o, canonical_uuid(item_id), version);
    if (!v) return item_not_found();
    tx.commit();
    return std::move(*v);
  } catch (...) {
    return map_exception(std::current_exception(), "content_item_get");
  }
}

result<item_page> list_items(pqxx::connection_base& c, const org_id& org, const item_filter& f) {
  if (f.limit < 1 || f.limit > 200) return bad("limit: expected 1 to 200");
  // The statement is assembled from the filters present, each bound as a parameter, so PostgreSQL
  // plans the actual combination. Skill, seniority, category and the words of q are looked up in
  // content_item_terms (btree, leakproof: usable under row-level security, migration 0014); the
  // keyset index (org_id, updated_at DESC, item_id DESC) serves the rest.
  std::optional<std::string> q;
  if (f.q && !f.q->empty()) {
    const auto n = domain::utf8_code_points(*f.q);
    if (!n || *n > q_max || f.q->find('\0') != std::string::npos) {
      return bad("q: at most 300 characters of text");
    }
    q = *f.q;
  }
  const auto tag_ok = [](const std::string& s) {
    return !s.empty() && s.size() <= 50 && s.find('\0') == std::string::npos;
  };
  if (f.skill && !tag_ok(*f.skill)) return bad("skill: not a skill slug");
  if (f.seniority && !domain::parse_seniority(*f.seniority)) {
    return bad("seniority: expected intern, junior, mid, senior or staff_plus");
  }
  if (f.category && !domain::parse_job_category(*f.category)) {
    return bad("category: not a job category");
  }
  if (f.kind && !domain::parse_content_kind(*f.kind)) {
    return bad("kind: expected behavioral, technical, system_design or coding");
  }
  if (f.state && !is_review_state(*f.state)) {
    return bad("state: expected draft, in_review, changes_requested, approved or archived");
  }
  if (f.author && (f.author->size() > 100 || f.author->find('\0') != std::string::npos)) {
    return bad("author: not a user id");
  }
  if (f.job_id && !is_uuid(*f.job_id)) return bad("job_id: not a job id");
  std::optional<keyset> cursor;
  if (f.cursor) {
    cursor = decode_cursor(*f.cursor);
    if (!cursor) return bad("cursor: not a cursor returned by this API");
  }
  item_page page;
  if (!is_uuid(org.value)) return page;
  const org_id o{canonical_uuid(org.value)};
  try {
    prepare_content_statements(c);
    pqxx::read_transaction tx{c, "list_items"};
    set_tenant(tx, o);
    // A LIMIT query: parallel workers only add start-up time. A q of stop words only raises a
    // NOTICE that would land on stderr.
    tx.exec0(
        "SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL client_min_messages = warning");
    std::vector<std::string> params{o.value};
    auto bind = [&params](std::string v) {
      params.push_back(std::move(v));
      return "$" + std::to_string(params.size());
    };
    std::string where;
    auto term_exists = [&](const std::string& cond) {
      where += " AND EXISTS (SELECT 1 FROM content_item_terms t WHERE t.org_id = $1::uuid AND " +
               cond + " AND t.item_id = i.item_id)";
    };
    // Terms every match has. The first one drives: its content_item_terms_recent entries are
    // walked newest first (the keyset order), the others are probed per candidate.
    std::vector<std::string> required;
    if (q) {
      const auto tree = tx.exec_prepared1("content_querytree", *q)[0];
      const auto text = tree.is_null() ? std::string{} : tree.as<std::string>();
      if (text.empty()) {  // only stop words: nothing can match
        tx.commit();
        return page;
      }
      if (text != "T") {  // "T": no positive word (only negations): no term to look up
        auto lexemes = querytree_lexemes(text);
        if (text.find('|') != std::string::npos) {  // a match holds at least one of them
          std::vector<std::string> terms;
          for (const auto& l : lexemes) terms.push_back("w:" + l);
          term_exists("t.term = ANY (" + bind(text_array_literal(terms)) + "::text[])");
        } else {  // & and <-> only: a match holds each; the longest word is likely the rarest
          std::stable_sort(
              lexemes.begin(), lexemes.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
          for (const auto& l : lexemes) required.push_back("w:" + l);
        }
      }
      where += " AND i.search @@ websearch_to_tsquery('english'::regconfig, " + bind(*q) + ")";
    }
    if (f.skill) required.push_back("s:" + *f.skill);
    if (f.category) required.push_back("c:" + *f.category);
    if (f.seniority) required.push_back("n:" + *f.seniority);
    for (std::size_t k = 1; k < required.size(); ++k) term_exists("t.term = " + bind(required[k]));
    if (f.kind) where += " AND i.kind = " + bind(*f.kind);
    bool archived_wanted = f.include_archived;
    if (f.state) {
      if (*f.state == "approved") {
        where += " AND (i.state = 'approved' OR i.approved_version IS NOT NULL)";
      } else {
        where += " AND i.state = " + bind(*f.state);
      }
      if (*f.state == "archived") archived_wanted = true;
    }
    if (!archived_wanted) where += " AND NOT i.archived";
    if (f.author) where += " AND i.author_id = " + bind(*f.author);
    if (f.job_id) {
      where += " AND i.job_id = " + bind(canonical_uuid(*f.job_id)) + "::uuid";
    } else {
      where += " AND i.job_id IS NULL";
    }
    // d.updated_at equals i.updated_at: sync_item rewrites the terms with every item write.
    std::string from = " FROM content_items i WHERE i.org_id = $1::uuid";
    std::string key = "i";
    if (!required.empty()) {
      from =
          " FROM content_item_terms d JOIN content_items i ON i.org_id = d.org_id"
          " AND i.item_id = d.item_id WHERE d.org_id = $1::uuid AND d.term = " +
          bind(required.front()) + " AND i.org_id = $1::uuid";
      key = "d";
    }
    if (cursor) {
      const auto us = bind(std::to_string(cursor->us));
      const auto id = bind(cursor->id);
      where += " AND (" + key + ".updated_at, " + key + ".item_id) < ((timestamptz 'epoch' + " +
               us + "::bigint * interval '1 microsecond'), " + id + "::uuid)";
    }
    const auto limit = bind(std::to_string(f.limit + 1));
    const std::string sql =
        "SELECT i.item_id::text, i.latest_version, i.approved_version, i.state, i.kind, i.title,"
        " i.difficulty, i.expected_minutes, array_to_string(i.skills, ','),"
        " array_to_string(i.seniorities, ','), array_to_string(i.categories, ','), i.author_id,"
        " i.author_name, i.job_id::text, i.origin, " HW_CT_RFC3339("i.updated_at") ", " HW_CT_US(
            "i.updated_at") ", i.version" +
        from + where + " ORDER BY " + key + ".updated_at DESC, " + key + ".item_id DESC LIMIT " +
        limit + "::integer";
    auto rows = tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
    const auto n = std::min<std::size_t>(rows.size(), static_cast<std::size_t>(f.limit));
    for (std::size_t i = 0; i < n; ++i) {
      const auto& r = rows[i];
      item_summary s;
      s.id = r[0].as<std::string>();
      s.latest_version = r[1].as<std::int32_t>();
      if (!r[2].is_null()) s.approved_version = r[2].as<std::int32_t>();
      s.state = r[3].as<std::string>();
      s.kind = r[4].as<std::string>();
      s.title = r[5].as<std::string>();
      s.difficulty = r[6].as<std::string>();
      s.expected_minutes = r[7].as<int>();
      s.skills = split_list(r[8].as<std::string>());
      s.seniorities = split_list(r[9].as<std::string>());
      s.categories = split_list(r[10].as<std::string>());
      s.author_id = r[11].as<std::string>();
      s.author_name = r[12].as<std::string>();
      s.job_id = opt_text(r[13]);
      s.origin = r[14].as<std::string>();
      s.updated_at = r[15].as<std::string>();
      s.version = r[17].as<std::int64_t>();
      page.items.push_back(std::move(s));
    }
    if (rows.size() > n) {
      const auto& last = rows[n - 1];
      page.next_cursor = encode_cursor(last[16].as<std::int64_t>(), last[0].as<std::string>());
    }
    // Counting a large result would scan the organization's items: the exact total only when
    // the first page holds every match.
    if (!cursor && !page.next_cursor) page.total = static_cast<std::int64_t>(page.items.size());
    tx.commit();
    return page;
  } catch (...) {
    return map_exception(std::current_exception(), "content_item_list");
  }
}

result<item_view> update_item(pqxx::connection_base& c, const org_id& org,
                              const std::string& item_id, std::int64_t expected_version,
                              const item_version_write& w, time_point now, const actor_ref& who) {
  if (!is_uuid(org.value) || !is_uuid(item_id)) return item_not_found();
  const org_id o{canonical_uuid(org.value)};
  const auto id = canonical_uuid(item_id);
  try {
    prepare_content_statements(c);
    pqxx::work tx{c, "update_item"};
    set_tenant(tx, o);
    auto cur = lock_item(tx, o, id);
    if (!cur) return item_not_found();
    if (cur->version != expected_version) return stale();
    const auto from = domain::parse_review_state(cur->state);
    if (!from) throw pqxx::conversion_error{"content_item_versions.state holds an unknown state"};
    std::int32_t number = cur->latest;
    std::string to = cur->state;
    bool new_version = false;
    switch (*from) {
      case domain::review_state::archived:
        return hw::error{errc::illegal_transition,
                         "content item: an archived item cannot be edited"};
      case domain::review_state::approved:
        number = cur->latest + 1;
        to = "draft";
        new_version = true;
        tx.exec_prepared0("content_version_insert", o.value, id, number, body_text(w.body),
                          w.author_id, cut_utf8(w.author_name, 200), cut_utf8(w.origin, 300),
                          to_epoch_us(now));
        break;
      case domain::review_state::in_review:
        to = "draft";
        [[fallthrough]];
      case domain::review_state::draft:
      case domain::review_state::changes_requested:
        tx.exec_prepared0("content_version_set_body", o.value, id, number, body_text(w.body), to,
                          to_epoch_us(now));
        break;
    }
    if (!sync_item(tx, o, id, expected_version, number, now, std::nullopt)) return stale();
    append_audit(
        tx, o, who, "content.item_updated", id,
        nlohmann::json{
            {"version", number}, {"new_version", new_version}, {"from", cur->state}, {"to", to}}
            .dump());
    auto v = read_item(tx, o, id, std::nullopt);
    if (!v) return item_not_found();
    tx.commit();
    return std::move(*v);
  } catch (...) {
    return map_exception(std::current_exception(), "content_item_update");
  }
}

result<item_view> apply_item_step(pqxx::connection_base& c, const org_id& org,
                                  const std::string& item_id, const item_step& step, time_point now,
                                  const actor_ref& who) {
  std::optional<std::string> comment;
  if (step.comment) {
    auto t = check_comment(*step.comment);
    if (!t) return t.error();
    comment = std::move(*t);
  }
  if (!is_uuid(org.value) || !is_uuid(item_id)) return item_not_found();
  const org_id o{canonical_uuid(org.value)};
  const auto id = canonical_uuid(item_id);
  const std::string from{domain::to_string(step.from)};
  const std::string to{domain::to_string(step.to)};
  try {
    prepare_content_statements(c);
    pqxx::work tx{c, "apply_item_step"};
    set_tenant(tx, o);
    auto cur = lock_item(tx, o, id);
    if (!cur) return item_not_found();
    if (cur->version != step.expected_version || cur->latest != step.expected_number ||
        cur->state != from) {
      return stale();
    }
    const bool review = step.event == domain::review_event::approve ||
                        step.event == domain::review_event::request_changes;
    tx.exec_prepared0("content_version_step", o.value, id, cur->latest, from, to, review,
                      step.reviewer_id, to_epoch_us(now));
    std::optional<std::int32_t> approved;
    if (step.to == domain::review_state::approved) approved = cur->latest;
    if (!sync_item(tx, o, id, step.expected_version, cur->latest, now, approved)) {
      return stale();
    }
    nlohmann::json detail = {{"version", cur->latest}, {"from", from}, {"to", to}};
    if (comment) {
      auto r =
          tx.exec_prepared1("content_comment_insert", o.value, id, cur->latest, step.reviewer_id,
                            cut_utf8(step.reviewer_name, 200), *comment, to_epoch_us(now));
      detail["comment_id"] = r[0].as<std::int64_t>();
    }
    append_audit(tx, o, who, past_tense(step.event), id, detail.dump());
    auto v = read_item(tx, o, id, std::nullopt);
    if (!v) return item_not_found();
    tx.commit();
    return std::move(*v);
  } catch (...) {
    return map_exception(std::current_exception(), "content_item_step");
  }
}

// ---- comments
// ---------------------------------------------------------------------------------------

result<std::vector<comment_view>> list_comments(pqxx::connection_base& c, const org_id& org,
                                                const std::string& item_id) {
  if (!is_uuid(org.value) || !is_uuid(item_id)) return item_not_found();
  const org_id o{canonical_uuid(org.value)};
  const auto id = canonical_uuid(item_id);
  try {
    prepare_content_statements(c);
    pqxx::read_transaction tx{c, "list_comments"};
    set_tenant(tx, o);
    if (tx.exec_prepared("content_item_latest", o.value, id).empty()) return item_not_found();
    std::vector<comment_view> out;
    for (const auto& r : tx.exec_prepared("content_comment_list", o.value, id)) {
      comment_view v;
      v.id = r[0].as<std::int64_t>();
      v.item_version = r[1].as<std::int32_t>();
      v.author_id = r[2].as<std::string>();
      v.author_name = r[3].as<std::string>();
      v.text = r[4].as<std::string>();
      v.created_at = r[5].as<std::string>();
      out.push_back(std::move(v));
    }
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "content_comment_list");
  }
}

result<comment_view> add_comment(pqxx::connection_base& c, const org_id& org,
                                 const std::string& item_id, const std::string& author_id,
                                 const std::string& author_name, const std::string& text,
                                 time_point now, const actor_ref& who) {
  auto t = check_comment(text);
  if (!t) return t.error();
  if (!is_uuid(org.value) || !is_uuid(item_id)) return item_not_found();
  const org_id o{canonical_uuid(org.value)};
  const auto id = canonical_uuid(item_id);
  try {
    prepare_content_statements(c);
    pqxx::work tx{c, "add_comment"};
    set_tenant(tx, o);
    auto latest = tx.exec_prepared("content_item_latest", o.value, id);
    if (latest.empty()) return item_not_found();
    comment_view v;
    v.item_version = latest[0][0].as<std::int32_t>();
    v.author_id = author_id;
    v.author_name = cut_utf8(author_name, 200);
    v.text = *t;
    auto r = tx.exec_prepared1("content_comment_insert", o.value, id, v.item_version, v.author_id,
                               v.author_name, v.text, to_epoch_us(now));
    v.id = r[0].as<std::int64_t>();
    v.created_at = r[1].as<std::string>();
    append_audit(tx, o, who, "content.comment_added", id,
                 nlohmann::json{{"version", v.item_version}, {"comment_id", v.id}}.dump());
    tx.commit();
    return v;
  } catch (...) {
    return map_exception(std::current_exception(), "content_comment_insert");
  }
}

// ---- skills
// -----------------------------------------------------------------------------------------

result<std::vector<domain::skill>> list_custom_skills(pqxx::connection_base& c, const org_id& org) {
  std::vector<domain::skill> out;
  if (!is_uuid(org.value)) return out;
  const org_id o{canonical_uuid(org.value)};
  try {
    prepare_content_statements(c);
    pqxx::read_transaction tx{c, "list_custom_skills"};
    set_tenant(tx, o);
    for (const auto& r : tx.exec_prepared("content_skill_list", o.value)) {
      domain::skill s;
      s.slug = r[0].as<std::string>();
      s.label = r[1].as<std::string>();
      const auto syn = r[2].as<std::string>();
      std::size_t start = 0;
      while (!syn.empty()) {
        const auto sep = syn.find('\x1f', start);
        s.synonyms.push_back(syn.substr(start, sep - start));
        if (sep == std::string::npos) break;
        start = sep + 1;
      }
      s.category = domain::parse_job_category(r[3].as<std::string>())
                       .value_or(domain::job_category::engineering);
      s.custom = true;
      out.push_back(std::move(s));
    }
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "content_skill_list");
  }
}

result<domain::skill> add_custom_skill(pqxx::connection_base& c, const org_id& org,
                                       const domain::skill& s, time_point now,
                                       const actor_ref& who) {
  if (!is_uuid(org.value)) return item_not_found();
  for (const auto& syn : s.synonyms) {
    if (syn.find('\x1f') != std::string::npos) return bad("synonyms: control characters");
  }
  const org_id o{canonical_uuid(org.value)};
  try {
    prepare_content_statements(c);
    pqxx::work tx{c, "add_custom_skill"};
    set_tenant(tx, o);
    auto r = tx.exec_prepared("content_skill_insert", o.value, s.slug, s.label,
                              text_array_literal(s.synonyms),
                              std::string{domain::to_string(s.category)}, to_epoch_us(now));
    if (r.empty()) return hw::error{errc::conflict, "slug: already a skill of this organization"};
    append_audit(tx, o, who, "content.skill_added", s.slug,
                 nlohmann::json{{"slug", s.slug}}.dump());
    tx.commit();
    auto out = s;
    out.custom = true;
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "content_skill_insert");
  }
}

// ---- library as a whole
// -----------------------------------------------------------------------------

result<std::vector<exported_item>> export_library(pqxx::connection_base& c, const org_id& org) {
  std::vector<exported_item> out;
  if (!is_uuid(org.value)) return out;
  const org_id o{canonical_uuid(org.value)};
  try {
    prepare_content_statements(c);
    pqxx::read_transaction tx{c, "export_library"};
    set_tenant(tx, o);
    for (const auto& r : tx.exec_prepared("content_export", o.value)) {
      exported_item e;
      e.id = r[0].as<std::string>();
      e.version = r[1].as<std::int32_t>();
      e.state = r[2].as<std::string>();
      e.origin = r[3].as<std::string>();
      e.body = parse_json(r[4]);
      out.push_back(std::move(e));
    }
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "content_export");
  }
}

result<std::vector<domain::library_candidate>> list_library_candidates(
    pqxx::connection_base& c, const org_id& org, const std::vector<std::string>& skills,
    int limit) {
  if (limit < 1 || limit > 5000) return bad("limit: expected 1 to 5000");
  std::vector<domain::library_candidate> out;
  if (!is_uuid(org.value)) return out;
  const org_id o{canonical_uuid(org.value)};
  try {
    prepare_content_statements(c);
    pqxx::read_transaction tx{c, "list_library_candidates"};
    set_tenant(tx, o);
    for (const auto& r : tx.exec_prepared("content_library_candidates", o.value,
                                          text_array_literal(skills), limit)) {
      domain::library_candidate lc;
      lc.item_id = r[0].as<std::string>();
      lc.version = r[1].as<std::int32_t>();
      auto j = nlohmann::json::parse(r[2].as<std::string>(), nullptr, false);
      if (j.is_discarded() || !domain::parse_item_body(j, lc.body).empty()) continue;
      out.push_back(std::move(lc));
    }
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "content_library_candidates");
  }
}

result<std::vector<resolved_item_version>> resolve_item_versions(
    pqxx::connection_base& c, const org_id& org, const std::vector<item_version_ref>& refs) {
  std::vector<resolved_item_version> out;
  auto rows = nlohmann::json::array();
  for (const auto& r : refs) {
    if (is_uuid(r.item_id) && r.number >= 1) {
      rows.push_back({{"item_id", canonical_uuid(r.item_id)}, {"number", r.number}});
    }
  }
  if (!is_uuid(org.value) || rows.empty()) return out;
  const org_id o{canonical_uuid(org.value)};
  try {
    prepare_content_statements(c);
    pqxx::read_transaction tx{c, "resolve_item_versions"};
    set_tenant(tx, o);
    for (const auto& r : tx.exec_prepared("content_resolve_versions", o.value, rows.dump())) {
      resolved_item_version v;
      v.item_id = r[0].as<std::string>();
      v.number = r[1].as<std::int32_t>();
      v.state = r[2].as<std::string>();
      v.usable = r[3].as<bool>();
      v.item_archived = r[4].as<bool>();
      v.body = parse_json(r[5]);
      out.push_back(std::move(v));
    }
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "content_resolve_versions");
  }
}

// ---- LLM settings
// -------------------------------------------------------------------------------------

namespace {

llm_settings_record row_to_llm(const pqxx::row& r) {
  llm_settings_record s;
  s.enabled = r[0].as<bool>();
  s.base_url = r[1].as<std::string>();
  s.model = r[2].as<std::string>();
  if (!r[3].is_null()) s.api_key_sealed = hex_to_bytes(r[3].as<std::string>());
  s.timeout_seconds = r[4].as<int>();
  s.version = r[5].as<std::int64_t>();
  s.updated_at = r[6].as<std::string>();
  return s;
}

}  // namespace

result<llm_settings_record> get_llm_settings(pqxx::connection_base& c, const org_id& org) {
  if (!is_uuid(org.value)) return llm_settings_record{};
  const org_id o{canonical_uuid(org.value)};
  try {
    prepare_content_statements(c);
    pqxx::read_transaction tx{c, "get_llm_settings"};
    set_tenant(tx, o);
    auto r = tx.exec_prepared("content_llm_get", o.value);
    tx.commit();
    if (r.empty()) return llm_settings_record{};
    return row_to_llm(r[0]);
  } catch (...) {
    return map_exception(std::current_exception(), "content_llm_get");
  }
}

result<llm_settings_record> put_llm_settings(pqxx::connection_base& c, const org_id& org,
                                             const llm_settings_record& s,
                                             std::int64_t expected_version, time_point now,
                                             const actor_ref& who) {
  if (s.timeout_seconds < 1 || s.timeout_seconds > 120) {
    return bad("timeout_seconds: expected 1 to 120");
  }
  if (s.base_url.size() > 500) return bad("base_url: at most 500 characters");
  if (s.model.size() > 200) return bad("model: at most 200 characters");
  if (!is_uuid(org.value)) return hw::error{errc::not_found, "organization not found"};
  const org_id o{canonical_uuid(org.value)};
  std::optional<std::string> key_hex;
  if (s.api_key_sealed) key_hex = bytes_to_hex(*s.api_key_sealed);
  try {
    prepare_content_statements(c);
    pqxx::work tx{c, "put_llm_settings"};
    set_tenant(tx, o);
    auto cur_rows = tx.exec_prepared("content_llm_get", o.value);
    llm_settings_record cur;
    if (!cur_rows.empty()) cur = row_to_llm(cur_rows[0]);
    if (cur.version != expected_version) {
      return hw::error{errc::version_conflict, "the LLM settings were changed concurrently"};
    }
    auto fields = nlohmann::json::array();
    if (s.enabled != cur.enabled) fields.push_back("enabled");
    if (s.base_url != cur.base_url) fields.push_back("base_url");
    if (s.model != cur.model) fields.push_back("model");
    if (s.api_key_sealed != cur.api_key_sealed) fields.push_back("api_key");
    if (s.timeout_seconds != cur.timeout_seconds) fields.push_back("timeout_seconds");
    if (fields.empty() && cur.version > 0) {
      tx.commit();
      return cur;
    }
    pqxx::result w;
    if (expected_version == 0) {
      w = tx.exec_prepared("content_llm_insert", o.value, s.enabled, s.base_url, s.model,
                           opt_param(key_hex), s.timeout_seconds, to_epoch_us(now));
    } else {
      w = tx.exec_prepared("content_llm_update", o.value, s.enabled, s.base_url, s.model,
                           opt_param(key_hex), s.timeout_seconds, to_epoch_us(now),
                           expected_version);
    }
    if (w.empty()) {
      return hw::error{errc::version_conflict, "the LLM settings were changed concurrently"};
    }
    append_audit(tx, o, who, "content.llm_settings_updated", "",
                 nlohmann::json{{"fields", fields}}.dump());
    auto after = row_to_llm(tx.exec_prepared1("content_llm_get", o.value));
    tx.commit();
    return after;
  } catch (...) {
    return map_exception(std::current_exception(), "content_llm_put");
  }
}

}  // namespace hw::storage
