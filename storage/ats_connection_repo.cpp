#include "storage/ats_connection_repo.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <algorithm>
#include <map>
#include <unordered_map>
#include <random>
#include <set>
#include <stdexcept>
#include <tuple>

#include "actors/domain/password_policy.hpp"
#include "storage/audit_repo.hpp"
#include "storage/pg.hpp"
#include "storage/repo_util.hpp"
#include "storage/session_repo.hpp"

namespace hw::storage {

namespace {

#define HW_ATS_TS(n) "(timestamptz 'epoch' + ($" #n "::bigint) * interval '1 microsecond')"
#define HW_ATS_RFC3339(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

// Columns 0..19; the sealed bytes travel as hex (decoded here), so no bytea escaping is involved.
#define HW_ATS_COLUMNS(secrets)                                                                  \
  "a.org_id::text, a.connection_id::text, a.vendor, a.name, a.state, a.consecutive_failures,"  \
  " a.state_reason, " secrets ", a.settings::text, " HW_ATS_RFC3339("a.last_sync_at") ", "     \
  HW_ATS_RFC3339("a.last_success_at") ", " HW_ATS_RFC3339("a.last_error_at") ", a.last_error, " \
  HW_ATS_RFC3339("a.next_sync_at") ", " HW_ATS_RFC3339("a.created_at") ", "                     \
  HW_ATS_RFC3339("a.updated_at") ", a.version"
#define HW_ATS_WITH_SECRETS \
  "encode(a.credentials_enc, 'hex'), encode(a.webhook_secret_enc, 'hex'), a.credentials_key_id"
#define HW_ATS_NO_SECRETS "NULL::text, NULL::text, NULL::text"
#define HW_ATS_FULL HW_ATS_COLUMNS(HW_ATS_WITH_SECRETS)

#define HW_ATS_LOG_COLUMNS                                                              \
  "l.id, l.connection_id::text, " HW_ATS_RFC3339("l.at") ", l.direction, l.endpoint," \
  " l.status, l.duration_ms, l.error"


std::optional<std::string> opt_hex_bytes(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return hex_to_bytes(f.as<std::string>());
}

domain::ats_connection_state parse_state(const pqxx::field& f) {
  auto s = domain::parse_ats_connection_state(f.as<std::string>());
  if (!s) throw pqxx::conversion_error{"ats_connections.state holds an unknown state"};
  return *s;
}

ats_connection_record row_to_connection(const pqxx::row& r) {
  ats_connection_record a;
  a.org = org_id{r[0].as<std::string>()};
  a.id = r[1].as<std::string>();
  a.vendor = r[2].as<std::string>();
  a.name = r[3].as<std::string>();
  a.state = parse_state(r[4]);
  a.consecutive_failures = r[5].as<std::uint32_t>();
  a.state_reason = r[6].as<std::string>();
  a.credentials_enc = opt_hex_bytes(r[7]);
  a.webhook_secret_enc = opt_hex_bytes(r[8]);
  a.credentials_key_id = opt_text(r[9]);
  a.settings = r[10].as<std::string>();
  a.last_sync_at = opt_text(r[11]);
  a.last_success_at = opt_text(r[12]);
  a.last_error_at = opt_text(r[13]);
  a.last_error = opt_text(r[14]);
  a.next_sync_at = opt_text(r[15]);
  a.created_at = r[16].as<std::string>();
  a.updated_at = r[17].as<std::string>();
  a.version = r[18].as<std::int64_t>();
  return a;
}

ats_integration_log_entry row_to_log(const pqxx::row& r) {
  ats_integration_log_entry e;
  e.id = r[0].as<std::int64_t>();
  e.connection_id = r[1].as<std::string>();
  e.at = r[2].as<std::string>();
  e.direction = r[3].as<std::string>();
  e.endpoint = r[4].as<std::string>();
  if (!r[5].is_null()) e.status = r[5].as<int>();
  e.duration_ms = r[6].as<int>();
  e.error = opt_text(r[7]);
  return e;
}

hw::error conn_not_found() { return {errc::not_found, "ATS connection not found"}; }
hw::error stale() { return {errc::version_conflict, "the ATS connection was changed concurrently"}; }
hw::error terminal() { return {errc::illegal_transition, "disconnected is terminal"}; }

void audit(pqxx::transaction_base& tx, const org_id& org, const actor_ref& who,
           const std::string& action, const std::string& target, const nlohmann::json& detail) {
  append_audit(tx, org, who, action, target, detail.dump());
}

std::string trim_spaces(const std::string& s) {
  const auto b = s.find_first_not_of(' ');
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(' ');
  return s.substr(b, e - b + 1);
}

std::optional<hw::error> check_name(const std::string& name) {
  auto points = domain::utf8_code_points(name);
  if (name.empty() || !points || *points > 100)
    return hw::error{errc::invalid_argument, "name: 1 to 100 characters"};
  for (unsigned char ch : name) {
    if (ch < 0x20 || ch == 0x7f)
      return hw::error{errc::invalid_argument, "name: must not contain control characters"};
  }
  return std::nullopt;
}

bool valid_key_id(const std::string& id) {
  if (id.empty() || id.size() > 16) return false;
  for (unsigned char ch : id) {
    if (!std::isalnum(ch) && ch != '_' && ch != '-') return false;
  }
  return true;
}



void append_event(pqxx::transaction_base& tx, const org_id& org, const std::string& id,
                  std::optional<std::string_view> from, std::string_view to, std::string_view event,
                  std::uint32_t failures, const std::string& reason, time_point now) {
  std::optional<std::string> f;
  if (from) f = std::string{*from};
  tx.exec_prepared0("ats_event_insert", org.value, id, opt_param(f), std::string{to},
                    std::string{event}, static_cast<std::int64_t>(failures), cut_utf8_bytes(reason, 500),
                    to_epoch_us(now));
}

}  // namespace

void prepare_ats_connection_statements(pqxx::connection_base& c) {
  c.prepare("ats_org_exists", "SELECT EXISTS (SELECT 1 FROM organizations WHERE org_id = $1::uuid)");
  c.prepare("ats_insert",
            "INSERT INTO ats_connections AS a (org_id, connection_id, vendor, name, credentials_enc,"
            " credentials_key_id, webhook_secret_enc, settings, created_at, updated_at)"
            " VALUES ($1::uuid, $2::uuid, $3, $4, decode($5, 'hex'), $6, decode($7, 'hex'),"
            " $8::jsonb, " HW_ATS_TS(9) ", " HW_ATS_TS(9) ")"
            " RETURNING " HW_ATS_FULL);
  c.prepare("ats_load",
            "SELECT " HW_ATS_FULL " FROM ats_connections a"
            " WHERE a.org_id = $1::uuid AND a.connection_id = $2::uuid");
  c.prepare("ats_lock",
            "SELECT " HW_ATS_FULL " FROM ats_connections a"
            " WHERE a.org_id = $1::uuid AND a.connection_id = $2::uuid FOR UPDATE");
  c.prepare("ats_list",
            "SELECT " HW_ATS_COLUMNS(HW_ATS_NO_SECRETS) " FROM ats_connections a"
            " WHERE a.org_id = $1::uuid ORDER BY a.created_at DESC, a.connection_id");
  // $3 expected version; NULL parameters keep the column.
  c.prepare("ats_update_credentials",
            "UPDATE ats_connections a SET"
            " credentials_enc = CASE WHEN $4::text IS NULL THEN a.credentials_enc ELSE decode($4, 'hex') END,"
            " credentials_key_id = COALESCE($5, a.credentials_key_id),"
            " webhook_secret_enc = CASE WHEN $6::text IS NULL THEN a.webhook_secret_enc"
            "   ELSE decode($6, 'hex') END,"
            " settings = COALESCE($8::jsonb, a.settings),"
            " updated_at = " HW_ATS_TS(7) ", version = a.version + 1"
            " WHERE a.org_id = $1::uuid AND a.connection_id = $2::uuid AND a.version = $3::bigint"
            " AND a.state <> 'disconnected' RETURNING a.version");
  c.prepare("ats_update_meta",
            "UPDATE ats_connections a SET name = COALESCE($4, a.name),"
            " settings = COALESCE($5::jsonb, a.settings), updated_at = " HW_ATS_TS(6) ","
            " version = a.version + 1"
            " WHERE a.org_id = $1::uuid AND a.connection_id = $2::uuid AND a.version = $3::bigint"
            " AND a.state <> 'disconnected' RETURNING a.version");
  // Webhook group commit: the inbox rows and nothing else (migration 0019: no processing job, no
  // counts per batch). $1 org, $2 now; one array element per delivery: $3 connection, $4 event id
  // (NULL: none), $5 content key (hex), $6 sealed secret (hex), $7 duration (ms), $8 raw body. The
  // caller has dropped repeats within the batch.
  // - `a`: the connection rows named, KEY SHARE-locked once (a concurrent delete waits for this
  //   commit, then deletes what it wrote; migration 0015).
  // - `ok`: the deliveries whose connection is live and still holds the sealed secret they were
  //   verified with.
  // - `fresh`: in ats_webhook_batch_store, those whose event id and content key are both new for
  //   their connection: one probe of each unique index per delivery (LATERAL .. LIMIT 1: always a
  //   nested loop, never a hashed scan of the whole inbox; the writer sets enable_seqscan off, see
  //   below), not ON CONFLICT: speculative insertion probed three unique indexes (the primary key
  //   too) per row. ats_webhook_batch_store_new has no probes: every `ok` delivery is inserted and
  //   a stored one fails the statement with unique_violation (the unique indexes check anyway);
  //   the caller then runs the batch again with the probes (ingest_webhook_batch). So does a
  //   delivery committed meanwhile by another writer.
  // - `ins`: their inbox rows; each is also the delivery's log line (duration `d`, migration 0016)
  //   and, while `received`, its connection's work for the processing job (ensure_webhook_jobs).
  // Rows: (0, ordinal) per ok delivery; (1, inbox id) per inserted row; (2, 0, connection, state)
  // per connection named; with the probes (3, ordinal) per fresh delivery (without them every ok
  // one is fresh). The rows are inserted in ordinal order, so their ids (one sequence, nextval per
  // row as inserted) ascend with the fresh ordinals: the caller pairs them in that order.
  // The writer's settings (ingest_org: for the transaction, or a dedicated writer's session): the
  // tenant (as set_tenant does) and no sequential scans, so the dedup probes stay index probes even
  // while a new database's inbox has no statistics yet (a plan chosen for an empty table, kept as
  // it grows, made the ingest quadratic until autovacuum's first ANALYZE).
  const std::string u_to_ok =
            "WITH u AS (SELECT * FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::integer[],"
            "   $8::text[]) WITH ORDINALITY AS x(c, e, k, s, d, p, i)),"
            " a AS (SELECT a.connection_id, a.state, a.webhook_secret_enc FROM ats_connections a"
            "   WHERE a.org_id = $1::uuid AND a.connection_id = ANY ($3::uuid[]) FOR KEY SHARE),"
            " ok AS (SELECT u.i, u.c, u.e, decode(u.k, 'hex') AS k, u.d, u.p FROM u"
            "   JOIN a ON a.connection_id = u.c"
            "    AND a.state <> 'disconnected' AND a.webhook_secret_enc = decode(u.s, 'hex')),";
  const std::string probe =
            " fresh AS (SELECT ok.* FROM ok"
            "   LEFT JOIN LATERAL (SELECT 1 AS hit FROM ats_webhook_inbox x WHERE x.org_id = $1::uuid"
            "    AND x.connection_id = ok.c AND x.content_key = ok.k LIMIT 1) hk ON true"
            "   LEFT JOIN LATERAL (SELECT 1 AS hit FROM ats_webhook_inbox x WHERE x.org_id = $1::uuid"
            "    AND x.connection_id = ok.c AND x.vendor_event_id = ok.e LIMIT 1) he ON true"
            "   WHERE hk.hit IS NULL AND he.hit IS NULL),";
  const std::string rest =
            " ins AS (INSERT INTO ats_webhook_inbox (org_id, connection_id, vendor_event_id, content_key,"
            "   received_at, duration_ms, payload)"
            "   SELECT $1::uuid, f.c, f.e, f.k, " HW_ATS_TS(2) ", f.d, f.p FROM fresh f ORDER BY f.i"
            "   RETURNING id, connection_id, content_key)"
            " SELECT 0, ok.i, NULL::text, NULL::text FROM ok"
            " UNION ALL SELECT 1, ins.id, NULL::text, NULL::text FROM ins"
            " UNION ALL SELECT 2, 0, a.connection_id::text, a.state FROM a";
  // With the probes, which of the ok deliveries were fresh (inserted): (3, ordinal).
  c.prepare("ats_webhook_batch_store", u_to_ok + probe + rest + " UNION ALL SELECT 3, fresh.i, NULL::text, NULL::text FROM fresh");
  c.prepare("ats_webhook_batch_store_new", u_to_ok + " fresh AS (SELECT ok.* FROM ok)," + rest);
  // The processing job of each named connection (system scope: $1 organizations, $2 connections)
  // that is live and has rows still received, unless one is live already (migration 0019). Its
  // RETURNING is the wake-up (pg_notify, delivered at commit).
  c.prepare("ats_webhook_jobs_ensure",
            "INSERT INTO jobs (org_id, kind, args, state, max_attempts, scheduled_at, unique_key, created_at)"
            " SELECT t.o, $3, jsonb_build_object('connection_id', t.c::text), 'available', 12, " HW_ATS_TS(4) ","
            "  'ats_inbox:' || t.c::text, " HW_ATS_TS(4)
            " FROM (SELECT DISTINCT o, c FROM unnest($1::uuid[], $2::uuid[]) AS x(o, c)) t"
            " JOIN ats_connections a ON a.org_id = t.o AND a.connection_id = t.c AND a.state <> 'disconnected'"
            " WHERE EXISTS (SELECT 1 FROM ats_webhook_inbox i WHERE i.org_id = t.o AND i.connection_id = t.c"
            "  AND i.status = 'received')"
            " ORDER BY t.o, t.c"
            " ON CONFLICT (org_id, unique_key) WHERE unique_key IS NOT NULL"
            "  AND state NOT IN ('completed', 'discarded', 'cancelled') DO NOTHING"
            " RETURNING pg_notify('job_ready', kind)");
  // A connection's rows still received, oldest first (the 0019 partial index).
  c.prepare("ats_webhook_pending",
            "SELECT i.id FROM ats_webhook_inbox i WHERE i.org_id = $1::uuid AND i.connection_id = $2::uuid"
            " AND i.status = 'received' ORDER BY i.id LIMIT $3::integer");
  // Inbound log lines for connections that still exist ($2: JSON array of {i, c, st, d, n}; the
  // connection rows KEY SHARE-locked as above: no foreign key since 0015).
  c.prepare("ats_webhook_batch_log",
            "WITH a AS (SELECT a.connection_id, a.vendor FROM ats_connections a"
            "   WHERE a.org_id = $1::uuid AND a.connection_id IN"
            "    (SELECT (e->>'c')::uuid FROM jsonb_array_elements($2::jsonb) e) FOR KEY SHARE)"
            " INSERT INTO ats_integration_log (org_id, connection_id, at, direction, endpoint, status,"
            " duration_ms, error)"
            " SELECT $1::uuid, x.c, " HW_ATS_TS(3) ", 'inbound', '/webhooks/' || a.vendor, x.st, x.d, x.n"
            " FROM jsonb_to_recordset($2::jsonb) AS x(i integer, c uuid, st integer, d integer, n text)"
            " JOIN a ON a.connection_id = x.c ORDER BY x.i");
  // A batch's counts go to one of 16 slot rows ($3, random): concurrent batches rarely meet
  // (migration 0015); readers add the slots to ats_connections' own columns.
  c.prepare("ats_webhook_batch_count",
            "INSERT INTO ats_webhook_counters AS w (org_id, connection_id, slot, received, duplicate,"
            " rejected) VALUES ($1::uuid, $2::uuid, $3::smallint, $4::bigint, $5::bigint, $6::bigint)"
            " ON CONFLICT (org_id, connection_id, slot) DO UPDATE SET"
            " received = w.received + EXCLUDED.received, duplicate = w.duplicate + EXCLUDED.duplicate,"
            " rejected = w.rejected + EXCLUDED.rejected");
  c.prepare("ats_cas_state",
            "UPDATE ats_connections a SET state = $5, consecutive_failures = $6::integer,"
            " state_reason = $7, updated_at = " HW_ATS_TS(8) ", version = a.version + 1"
            " WHERE a.org_id = $1::uuid AND a.connection_id = $2::uuid AND a.version = $3::bigint"
            " AND a.state = $4 RETURNING " HW_ATS_FULL);
  c.prepare("ats_disconnect",
            "UPDATE ats_connections a SET state = 'disconnected', consecutive_failures = 0,"
            " state_reason = $3, credentials_enc = NULL, credentials_key_id = NULL,"
            " webhook_secret_enc = NULL, next_sync_at = NULL, updated_at = " HW_ATS_TS(4) ","
            " version = a.version + 1"
            " WHERE a.org_id = $1::uuid AND a.connection_id = $2::uuid RETURNING " HW_ATS_FULL);
  c.prepare("ats_sync_outcome",
            "UPDATE ats_connections a SET last_sync_at = " HW_ATS_TS(3) ","
            " last_success_at = CASE WHEN $4::boolean THEN " HW_ATS_TS(3) " ELSE a.last_success_at END,"
            " last_error_at = CASE WHEN $4::boolean THEN a.last_error_at ELSE " HW_ATS_TS(3) " END,"
            " last_error = CASE WHEN $4::boolean THEN a.last_error ELSE $5 END,"
            " next_sync_at = CASE WHEN $6::bigint IS NULL THEN NULL ELSE " HW_ATS_TS(6) " END,"
            " updated_at = " HW_ATS_TS(3)
            " WHERE a.org_id = $1::uuid AND a.connection_id = $2::uuid");
  c.prepare("ats_delete",
            "DELETE FROM ats_connections WHERE org_id = $1::uuid AND connection_id = $2::uuid");
  // After ats_delete (which waited for every writer's KEY SHARE lock): the rows without a foreign
  // key (migration 0015).
  c.prepare("ats_delete_inbox",
            "DELETE FROM ats_webhook_inbox WHERE org_id = $1::uuid AND connection_id = $2::uuid");
  c.prepare("ats_delete_log",
            "DELETE FROM ats_integration_log WHERE org_id = $1::uuid AND connection_id = $2::uuid");
  c.prepare("ats_event_insert",
            "INSERT INTO ats_connection_events (org_id, connection_id, from_state, to_state, event,"
            " consecutive_failures, reason, at)"
            " VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6::integer, $7, " HW_ATS_TS(8) ")");
  c.prepare("ats_event_list",
            "SELECT e.id, e.from_state, e.to_state, e.event, e.consecutive_failures, e.reason, "
            HW_ATS_RFC3339("e.at") " FROM ats_connection_events e"
            " WHERE e.org_id = $1::uuid AND e.connection_id = $2::uuid ORDER BY e.id");
  c.prepare("ats_exists",
            "SELECT EXISTS (SELECT 1 FROM ats_connections"
            " WHERE org_id = $1::uuid AND connection_id = $2::uuid)");
  // Cross-tenant by connection id (system scope around it).
  c.prepare("ats_find_for_webhook",
            "SELECT a.org_id::text, a.connection_id::text, a.vendor, a.state,"
            " encode(a.webhook_secret_enc, 'hex') FROM ats_connections a"
            " WHERE a.connection_id = $1::uuid");
  // Only for a connection that exists (locked FOR KEY SHARE; no foreign key since 0015): no row
  // answers not found.
  c.prepare("ats_log_insert",
            "WITH a AS (SELECT a.connection_id FROM ats_connections a"
            "   WHERE a.org_id = $1::uuid AND a.connection_id = $2::uuid FOR KEY SHARE)"
            " INSERT INTO ats_integration_log (org_id, connection_id, at, direction, endpoint, status,"
            " duration_ms, error) SELECT $1::uuid, a.connection_id, " HW_ATS_TS(3) ", $4, $5,"
            " $6::integer, $7::integer, $8 FROM a RETURNING id");
  // A connection's log page: its log rows and its stored deliveries (an inbox row is the log line
  // of a stored delivery: answered 200, no error; migration 0016), newest id first (one id
  // sequence for both tables; a pre-0016 id shared by both sorts the log row first).
  c.prepare("ats_log_list",
            "SELECT x.id, x.connection_id::text, " HW_ATS_RFC3339("x.at") ", x.direction, x.endpoint,"
            " x.status, x.duration_ms, x.error FROM ("
            " (SELECT l.id, 0 AS src, l.connection_id, l.at, l.direction, l.endpoint, l.status, l.duration_ms,"
            "   l.error FROM ats_integration_log l"
            "  WHERE l.org_id = $1::uuid AND l.connection_id = $2::uuid"
            "   AND ($4::bigint IS NULL OR l.id < $4::bigint) ORDER BY l.id DESC LIMIT $3::integer)"
            " UNION ALL"
            " (SELECT i.id, 1, i.connection_id, i.received_at, 'inbound', '/webhooks/' || a.vendor, 200,"
            "   i.duration_ms, NULL FROM ats_webhook_inbox i"
            "  JOIN ats_connections a ON a.org_id = i.org_id AND a.connection_id = i.connection_id"
            "  WHERE i.org_id = $1::uuid AND i.connection_id = $2::uuid"
            "   AND ($4::bigint IS NULL OR i.id < $4::bigint) ORDER BY i.id DESC LIMIT $3::integer)"
            ") x ORDER BY x.id DESC, x.src LIMIT $3::integer");
  c.prepare("ats_log_purge",
            "DELETE FROM ats_integration_log WHERE at < " HW_ATS_TS(1));
  // Only for a connection that exists (locked FOR KEY SHARE, as the batch does).
  c.prepare("ats_inbox_insert",
            "WITH a AS (SELECT a.connection_id FROM ats_connections a"
            "   WHERE a.org_id = $1::uuid AND a.connection_id = $2::uuid FOR KEY SHARE)"
            " INSERT INTO ats_webhook_inbox (org_id, connection_id, vendor_event_id, content_key,"
            " received_at, payload)"
            " SELECT $1::uuid, a.connection_id, $3, decode($4, 'hex'), " HW_ATS_TS(5) ", $6 FROM a"
            " ON CONFLICT DO NOTHING RETURNING id");
  // The row turns processed once, and only then counts as received (migration 0019), in slot $4.
  c.prepare("ats_inbox_mark_processed",
            "WITH m AS (UPDATE ats_webhook_inbox SET status = 'processed', processed_at = " HW_ATS_TS(3)
            "   WHERE org_id = $1::uuid AND id = $2::bigint AND status = 'received' RETURNING connection_id),"
            " n AS (INSERT INTO ats_webhook_counters AS w (org_id, connection_id, slot, received)"
            "   SELECT $1::uuid, m.connection_id, $4::smallint, 1 FROM m"
            "   ON CONFLICT (org_id, connection_id, slot) DO UPDATE SET received = w.received + 1)"
            " SELECT 1 FROM m");
  c.prepare("ats_inbox_exists",
            "SELECT EXISTS (SELECT 1 FROM ats_webhook_inbox WHERE org_id = $1::uuid AND id = $2::bigint)");
}

result<ats_connection_record> create_ats_connection(pqxx::connection_base& c, const org_id& org,
                                                    const ats_connection_create_row& req,
                                                    time_point now, const actor_ref& who) {
  if (!is_uuid(req.id)) return hw::error{errc::invalid_argument, "id: a UUID"};
  if (req.vendor != "greenhouse" && req.vendor != "lever")
    return hw::error{errc::invalid_argument, "vendor: greenhouse or lever"};
  const auto name = trim_spaces(req.name);
  auto points = domain::utf8_code_points(name);
  if (name.empty() || !points || *points > 100)
    return hw::error{errc::invalid_argument, "name: 1 to 100 characters"};
  for (unsigned char ch : name) {
    if (ch < 0x20 || ch == 0x7f)
      return hw::error{errc::invalid_argument, "name: must not contain control characters"};
  }
  if (req.credentials_enc.has_value() != req.credentials_key_id.has_value())
    return hw::error{errc::invalid_argument, "credentials: sealed bytes and key id together"};
  if (req.credentials_key_id && !valid_key_id(*req.credentials_key_id))
    return hw::error{errc::invalid_argument, "credentials_key_id: 1 to 16 of [A-Za-z0-9_-]"};
  const auto settings = nlohmann::json::parse(req.settings_json, nullptr, false);
  if (settings.is_discarded() || !settings.is_object())
    return hw::error{errc::invalid_argument, "settings: a JSON object"};
  if (!is_uuid(org.value)) return hw::error{errc::not_found, "organization not found"};
  const org_id o{canonical_uuid(org.value)};
  const auto cid = canonical_uuid(req.id);
  std::optional<std::string> cred_hex, hook_hex;
  if (req.credentials_enc) cred_hex = bytes_to_hex(*req.credentials_enc);
  if (req.webhook_secret_enc) hook_hex = bytes_to_hex(*req.webhook_secret_enc);
  try {
    pqxx::work tx{c, "create_ats_connection"};
    set_tenant(tx, o);
    if (!tx.exec_prepared1("ats_org_exists", o.value)[0].as<bool>())
      return hw::error{errc::not_found, "organization not found"};
    auto r = tx.exec_prepared1("ats_insert", o.value, cid, req.vendor, name, opt_param(cred_hex),
                               opt_param(req.credentials_key_id), opt_param(hook_hex),
                               settings.dump(), to_epoch_us(now));
    auto a = row_to_connection(r);
    append_event(tx, o, cid, std::nullopt, "pending", "created", 0, "connection created", now);
    auto fields = nlohmann::json::array();
    if (req.credentials_enc) fields.push_back("credentials");
    if (req.webhook_secret_enc) fields.push_back("webhook_secret");
    audit(tx, o, who, "ats.connection_created", cid, {{"vendor", req.vendor}, {"fields", fields}});
    tx.commit();
    return a;
  } catch (...) {
    return map_exception(std::current_exception(), "ats_insert");
  }
}

result<ats_connection_record> load_ats_connection(pqxx::connection_base& c, const org_id& org,
                                                  const std::string& id) {
  if (!is_uuid(org.value) || !is_uuid(id)) return conn_not_found();
  const org_id o{canonical_uuid(org.value)};
  try {
    pqxx::read_transaction tx{c, "load_ats_connection"};
    set_tenant(tx, o);
    auto r = tx.exec_prepared("ats_load", o.value, canonical_uuid(id));
    if (r.empty()) return conn_not_found();
    auto a = row_to_connection(r[0]);
    tx.commit();
    return a;
  } catch (...) {
    return map_exception(std::current_exception(), "ats_load");
  }
}

result<std::vector<ats_connection_record>> list_ats_connections(pqxx::connection_base& c,
                                                                const org_id& org) {
  if (!is_uuid(org.value)) return std::vector<ats_connection_record>{};
  const org_id o{canonical_uuid(org.value)};
  try {
    pqxx::read_transaction tx{c, "list_ats_connections"};
    set_tenant(tx, o);
    std::vector<ats_connection_record> out;
    for (const auto& row : tx.exec_prepared("ats_list", o.value)) out.push_back(row_to_connection(row));
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "ats_list");
  }
}

result<std::int64_t> update_ats_credentials(pqxx::connection_base& c, const org_id& org,
                                            const std::string& id, std::int64_t expected_version,
                                            const ats_credentials_update& upd, time_point now,
                                            const actor_ref& who) {
  if (!upd.credentials_enc && !upd.webhook_secret_enc && !upd.credentials_key_id)
    return hw::error{errc::invalid_argument, "nothing to update"};
  std::optional<std::string> settings;
  if (upd.settings_json) {
    const auto j = nlohmann::json::parse(*upd.settings_json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return hw::error{errc::invalid_argument, "settings: a JSON object"};
    settings = j.dump();
  }
  if (upd.credentials_enc.has_value() != upd.credentials_key_id.has_value())
    return hw::error{errc::invalid_argument, "credentials: sealed bytes and key id together"};
  if (upd.credentials_key_id && !valid_key_id(*upd.credentials_key_id))
    return hw::error{errc::invalid_argument, "credentials_key_id: 1 to 16 of [A-Za-z0-9_-]"};
  if (!is_uuid(org.value) || !is_uuid(id)) return conn_not_found();
  const org_id o{canonical_uuid(org.value)};
  const auto cid = canonical_uuid(id);
  std::optional<std::string> cred_hex, hook_hex;
  if (upd.credentials_enc) cred_hex = bytes_to_hex(*upd.credentials_enc);
  if (upd.webhook_secret_enc) hook_hex = bytes_to_hex(*upd.webhook_secret_enc);
  try {
    pqxx::work tx{c, "update_ats_credentials"};
    set_tenant(tx, o);
    auto r = tx.exec_prepared("ats_update_credentials", o.value, cid, expected_version,
                              opt_param(cred_hex), opt_param(upd.credentials_key_id),
                              opt_param(hook_hex), to_epoch_us(now), opt_param(settings));
    if (r.empty()) {
      auto cur = tx.exec_prepared("ats_load", o.value, cid);
      if (cur.empty()) return conn_not_found();
      if (parse_state(cur[0][4]) == domain::ats_connection_state::disconnected) return terminal();
      return stale();
    }
    const auto v = r[0][0].as<std::int64_t>();
    auto fields = nlohmann::json::array();
    if (upd.credentials_enc) fields.push_back("credentials");
    if (upd.webhook_secret_enc) fields.push_back("webhook_secret");
    audit(tx, o, who, "ats.credentials_updated", cid, {{"fields", fields}});
    tx.commit();
    return v;
  } catch (...) {
    return map_exception(std::current_exception(), "ats_update_credentials");
  }
}

result<std::int64_t> update_ats_connection_meta(pqxx::connection_base& c, const org_id& org,
                                                const std::string& id, std::int64_t expected_version,
                                                const ats_connection_meta_update& upd, time_point now,
                                                const actor_ref& who) {
  std::optional<std::string> name, settings;
  if (upd.name) {
    name = trim_spaces(*upd.name);
    if (auto e = check_name(*name)) return *e;
  }
  nlohmann::json settings_value;
  if (upd.settings_json) {
    settings_value = nlohmann::json::parse(*upd.settings_json, nullptr, false);
    if (settings_value.is_discarded() || !settings_value.is_object())
      return hw::error{errc::invalid_argument, "settings: a JSON object"};
  }
  if (!is_uuid(org.value) || !is_uuid(id)) return conn_not_found();
  const org_id o{canonical_uuid(org.value)};
  const auto cid = canonical_uuid(id);
  try {
    pqxx::work tx{c, "update_ats_connection_meta"};
    set_tenant(tx, o);
    auto cur = tx.exec_prepared("ats_lock", o.value, cid);
    if (cur.empty()) return conn_not_found();
    const auto rec = row_to_connection(cur[0]);
    if (rec.state == domain::ats_connection_state::disconnected) return terminal();
    if (rec.version != expected_version) return stale();
    auto fields = nlohmann::json::array();
    if (name && *name != rec.name) fields.push_back("name");
    else name.reset();
    if (upd.settings_json && settings_value != nlohmann::json::parse(rec.settings, nullptr, false)) {
      fields.push_back("settings");
      settings = settings_value.dump();
    }
    if (fields.empty()) return rec.version;  // nothing differs: nothing written
    auto r = tx.exec_prepared("ats_update_meta", o.value, cid, expected_version, opt_param(name),
                              opt_param(settings), to_epoch_us(now));
    if (r.empty()) return stale();
    const auto v = r[0][0].as<std::int64_t>();
    audit(tx, o, who, "ats.connection_updated", cid, {{"fields", fields}});
    tx.commit();
    return v;
  } catch (...) {
    return map_exception(std::current_exception(), "ats_update_meta");
  }
}

result<ats_connection_record> apply_ats_transition(pqxx::connection_base& c, const org_id& org,
                                                   const std::string& id,
                                                   std::int64_t expected_version,
                                                   const domain::ats_connection_step& step,
                                                   time_point now, const actor_ref& who) {
  if (step.on == domain::ats_connection_event::disconnect ||
      step.to.state == domain::ats_connection_state::disconnected)
    return hw::error{errc::invalid_argument, "use disconnect_ats_connection"};
  if (!is_uuid(org.value) || !is_uuid(id)) return conn_not_found();
  const org_id o{canonical_uuid(org.value)};
  const auto cid = canonical_uuid(id);
  const auto from = std::string{domain::to_string(step.from)};
  const auto to = std::string{domain::to_string(step.to.state)};
  const auto reason = cut_utf8_bytes(step.reason, 500);
  try {
    pqxx::work tx{c, "apply_ats_transition"};
    set_tenant(tx, o);
    auto r = tx.exec_prepared("ats_cas_state", o.value, cid, expected_version, from, to,
                              static_cast<std::int64_t>(step.to.consecutive_failures), reason,
                              to_epoch_us(now));
    if (r.empty()) {
      if (!tx.exec_prepared1("ats_exists", o.value, cid)[0].as<bool>()) return conn_not_found();
      return stale();
    }
    auto a = row_to_connection(r[0]);
    append_event(tx, o, cid, from, to, domain::to_string(step.on), step.to.consecutive_failures,
                 reason, now);
    if (step.from != step.to.state) {
      audit(tx, o, who, "ats.connection_state_changed", cid,
            {{"from", from}, {"to", to}, {"event", std::string{domain::to_string(step.on)}}});
    }
    tx.commit();
    return a;
  } catch (...) {
    return map_exception(std::current_exception(), "ats_cas_state");
  }
}

result<hw::unit> record_ats_sync_outcome(pqxx::connection_base& c, const org_id& org,
                                         const std::string& id, const ats_sync_outcome& o,
                                         time_point now) {
  if (!is_uuid(org.value) || !is_uuid(id)) return conn_not_found();
  const org_id og{canonical_uuid(org.value)};
  std::optional<std::string> err;
  if (!o.success) err = cut_utf8_bytes(o.error.value_or(""), 500);
  std::optional<std::string> next;
  if (o.next_sync_at) next = std::to_string(to_epoch_us(*o.next_sync_at));
  try {
    pqxx::work tx{c, "record_ats_sync_outcome"};
    set_tenant(tx, og);
    auto r = tx.exec_prepared0("ats_sync_outcome", og.value, canonical_uuid(id), to_epoch_us(now),
                               o.success, opt_param(err), opt_param(next));
    if (r.affected_rows() == 0) return conn_not_found();
    tx.commit();
    return hw::unit{};
  } catch (...) {
    return map_exception(std::current_exception(), "ats_sync_outcome");
  }
}

result<ats_connection_record> disconnect_ats_connection(
    pqxx::connection_base& c, const org_id& org, const std::string& id,
    std::optional<std::int64_t> expected_version, time_point now, const actor_ref& who) {
  if (!is_uuid(org.value) || !is_uuid(id)) return conn_not_found();
  const org_id o{canonical_uuid(org.value)};
  const auto cid = canonical_uuid(id);
  try {
    pqxx::work tx{c, "disconnect_ats_connection"};
    set_tenant(tx, o);
    auto cur = tx.exec_prepared("ats_lock", o.value, cid);
    if (cur.empty()) return conn_not_found();
    const auto before = row_to_connection(cur[0]);
    if (before.state == domain::ats_connection_state::disconnected) return terminal();
    if (expected_version && *expected_version != before.version) return stale();
    const auto t = domain::find_transition(before.state, domain::ats_connection_event::disconnect);
    const std::string reason{t ? t->reason : "disconnected"};
    auto a = row_to_connection(
        tx.exec_prepared1("ats_disconnect", o.value, cid, reason, to_epoch_us(now)));
    const auto from = std::string{domain::to_string(before.state)};
    append_event(tx, o, cid, from, "disconnected", "disconnect", 0, reason, now);
    audit(tx, o, who, "ats.connection_disconnected", cid, {{"from", from}});
    tx.commit();
    return a;
  } catch (...) {
    return map_exception(std::current_exception(), "ats_disconnect");
  }
}

result<hw::unit> delete_ats_connection(pqxx::connection_base& c, const org_id& org,
                                       const std::string& id, time_point now, const actor_ref& who) {
  (void)now;
  if (!is_uuid(org.value) || !is_uuid(id)) return conn_not_found();
  const org_id o{canonical_uuid(org.value)};
  const auto cid = canonical_uuid(id);
  try {
    pqxx::work tx{c, "delete_ats_connection"};
    set_tenant(tx, o);
    auto cur = tx.exec_prepared("ats_lock", o.value, cid);
    if (cur.empty()) return conn_not_found();
    const auto a = row_to_connection(cur[0]);
    if (a.state != domain::ats_connection_state::disconnected)
      return hw::error{errc::illegal_transition, "disconnect the connection before deleting it"};
    tx.exec_prepared0("ats_delete", o.value, cid);
    tx.exec_prepared0("ats_delete_inbox", o.value, cid);
    tx.exec_prepared0("ats_delete_log", o.value, cid);
    audit(tx, o, who, "ats.connection_deleted", cid, {{"vendor", a.vendor}});
    tx.commit();
    return hw::unit{};
  } catch (...) {
    return map_exception(std::current_exception(), "ats_delete");
  }
}

result<std::vector<ats_connection_event_record>> list_ats_connection_events(
    pqxx::connection_base& c, const org_id& org, const std::string& id) {
  if (!is_uuid(org.value) || !is_uuid(id)) return conn_not_found();
  const org_id o{canonical_uuid(org.value)};
  const auto cid = canonical_uuid(id);
  try {
    pqxx::read_transaction tx{c, "list_ats_connection_events"};
    set_tenant(tx, o);
    if (!tx.exec_prepared1("ats_exists", o.value, cid)[0].as<bool>()) return conn_not_found();
    std::vector<ats_connection_event_record> out;
    for (const auto& r : tx.exec_prepared("ats_event_list", o.value, cid)) {
      ats_connection_event_record e;
      e.id = r[0].as<std::int64_t>();
      if (!r[1].is_null()) e.from = parse_state(r[1]);
      e.to = parse_state(r[2]);
      e.event = r[3].as<std::string>();
      e.consecutive_failures = r[4].as<std::uint32_t>();
      e.reason = r[5].as<std::string>();
      e.at = r[6].as<std::string>();
      out.push_back(std::move(e));
    }
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "ats_event_list");
  }
}

result<ats_webhook_target> find_connection_for_webhook(pqxx::connection_base& c,
                                                       const std::string& connection_id) {
  if (!is_uuid(connection_id)) return conn_not_found();
  try {
    pqxx::read_transaction tx{c, "find_connection_for_webhook"};
    // The one cross-tenant read: the id in the webhook URL is the caller's only handle on the
    // organization.
    set_system_scope(tx);
    auto r = tx.exec_prepared("ats_find_for_webhook", canonical_uuid(connection_id));
    clear_system_scope(tx);
    if (r.empty()) return conn_not_found();
    ats_webhook_target t;
    t.org = org_id{r[0][0].as<std::string>()};
    t.connection_id = r[0][1].as<std::string>();
    t.vendor = r[0][2].as<std::string>();
    t.state = parse_state(r[0][3]);
    t.webhook_secret_enc = opt_hex_bytes(r[0][4]);
    tx.commit();
    return t;
  } catch (...) {
    return map_exception(std::current_exception(), "ats_find_for_webhook");
  }
}

result<std::int64_t> append_integration_log(pqxx::connection_base& c, const org_id& org,
                                            const ats_integration_log_row& row, time_point now) {
  if (row.direction != "outbound" && row.direction != "inbound")
    return hw::error{errc::invalid_argument, "direction: outbound or inbound"};
  if (row.endpoint.empty() || row.endpoint[0] != '/' || row.endpoint.size() > 200)
    return hw::error{errc::invalid_argument, "endpoint: a '/'-rooted path template"};
  for (unsigned char ch : row.endpoint) {
    if (ch <= 0x20 || ch >= 0x7f || ch == '?' || ch == '#')
      return hw::error{errc::invalid_argument, "endpoint: a path template without query"};
  }
  if (row.status && (*row.status < 100 || *row.status > 599))
    return hw::error{errc::invalid_argument, "status: an HTTP status"};
  if (row.duration_ms < 0) return hw::error{errc::invalid_argument, "duration_ms: >= 0"};
  if (!is_uuid(org.value) || !is_uuid(row.connection_id)) return conn_not_found();
  const org_id o{canonical_uuid(org.value)};
  std::optional<std::string> err;
  if (row.error) err = cut_utf8_bytes(*row.error, 500);
  std::optional<std::string> status;
  if (row.status) status = std::to_string(*row.status);
  try {
    pqxx::work tx{c, "append_integration_log"};
    set_tenant(tx, o);
    auto r = tx.exec_prepared("ats_log_insert", o.value, canonical_uuid(row.connection_id),
                              to_epoch_us(now), row.direction, row.endpoint, opt_param(status),
                              row.duration_ms, opt_param(err));
    if (r.empty()) return conn_not_found();
    tx.commit();
    return r[0][0].as<std::int64_t>();
  } catch (...) {
    return map_exception(std::current_exception(), "ats_log_insert");
  }
}

result<std::vector<ats_integration_log_entry>> list_integration_log(
    pqxx::connection_base& c, const org_id& org, const std::string& connection_id, int limit,
    std::optional<std::int64_t> before_id) {
  if (limit < 1 || limit > 200) return hw::error{errc::invalid_argument, "limit: 1 to 200"};
  if (!is_uuid(org.value) || !is_uuid(connection_id)) return conn_not_found();
  const org_id o{canonical_uuid(org.value)};
  std::optional<std::string> before;
  if (before_id) before = std::to_string(*before_id);
  try {
    pqxx::read_transaction tx{c, "list_integration_log"};
    set_tenant(tx, o);
    std::vector<ats_integration_log_entry> out;
    for (const auto& r : tx.exec_prepared("ats_log_list", o.value, canonical_uuid(connection_id),
                                          limit, opt_param(before)))
      out.push_back(row_to_log(r));
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "ats_log_list");
  }
}

result<std::int64_t> purge_integration_log(pqxx::connection_base& c, time_point now,
                                           std::chrono::seconds keep) {
  try {
    pqxx::work tx{c, "purge_integration_log"};
    // Retention spans organizations: system scope for this one DELETE.
    set_system_scope(tx);
    auto r = tx.exec_prepared0("ats_log_purge", to_epoch_us(now - keep));
    clear_system_scope(tx);
    tx.commit();
    return static_cast<std::int64_t>(r.affected_rows());
  } catch (...) {
    return map_exception(std::current_exception(), "ats_log_purge");
  }
}

namespace {
/// inbox_insert (caller's transaction): the connection does not exist.
struct connection_missing : std::runtime_error {
  connection_missing() : std::runtime_error{"ATS connection not found"} {}
};

std::optional<hw::error> check_inbox_row(const org_id& org, const ats_inbox_row& row) {
  if (!is_uuid(org.value) || !is_uuid(row.connection_id)) return conn_not_found();
  if (!is_token_digest(row.content_key_hex))
    return hw::error{errc::invalid_argument, "content_key: 64 hex digits of SHA-256"};
  if (row.vendor_event_id) {
    auto n = domain::utf8_code_points(*row.vendor_event_id);
    if (!n || *n < 1 || *n > 200)
      return hw::error{errc::invalid_argument, "vendor_event_id: 1 to 200 characters"};
  }
  if (nlohmann::json::parse(row.payload_json, nullptr, false).is_discarded())
    return hw::error{errc::invalid_argument, "payload: not JSON"};
  return std::nullopt;
}
}  // namespace

ats_inbox_result inbox_insert(pqxx::transaction_base& tx, const org_id& org,
                              const ats_inbox_row& row, time_point now) {
  if (auto e = check_inbox_row(org, row)) throw std::invalid_argument{e->detail};
  const org_id o{canonical_uuid(org.value)};
  const auto cid = canonical_uuid(row.connection_id);
  set_tenant(tx, o);
  auto r = tx.exec_prepared("ats_inbox_insert", o.value, cid, opt_param(row.vendor_event_id),
                            row.content_key_hex, to_epoch_us(now), row.payload_json);
  ats_inbox_result out;
  if (r.empty()) {
    // A duplicate by event id or content key (nothing written), or no such connection.
    if (!tx.exec_prepared1("ats_exists", o.value, cid)[0].as<bool>()) throw connection_missing{};
    return out;
  }
  out.outcome = inbox_outcome::inserted;
  out.inbox_id = r[0][0].as<std::int64_t>();
  enqueue_options opt;
  opt.unique_key = "ats_webhook:" + std::to_string(out.inbox_id);
  const nlohmann::json args{{"inbox_id", out.inbox_id}, {"connection_id", cid}};
  auto job = enqueue(tx, o, ats_webhook_job_kind, args.dump(), now, opt);
  out.job_id = job.value_or(0);
  return out;
}

result<ats_inbox_result> inbox_insert(pqxx::connection_base& c, const org_id& org,
                                      const ats_inbox_row& row, time_point now) {
  if (auto e = check_inbox_row(org, row)) return *e;
  try {
    pqxx::work tx{c, "ats_inbox_insert"};
    auto r = inbox_insert(tx, org, row, now);
    tx.commit();
    return r;
  } catch (const connection_missing&) {
    return conn_not_found();
  } catch (...) {
    return map_exception(std::current_exception(), "ats_inbox_insert");
  }
}

namespace {

/// JSON string literal of `s` (nlohmann escaping).
std::string json_string(const std::string& s) { return nlohmann::json(s).dump(); }



/// First and last non-blank characters are braces.
bool looks_like_json_object(const std::string& s) {
  const auto blank = [](char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; };
  std::size_t b = 0, e = s.size();
  while (b < e && blank(s[b])) ++b;
  while (e > b && blank(s[e - 1])) --e;
  return e - b >= 2 && s[b] == '{' && s[e - 1] == '}';
}

std::optional<hw::error> check_batch_item(const ats_webhook_batch_item& it) {
  if (!is_uuid(it.org.value) || !is_uuid(it.connection_id)) return conn_not_found();
  if (it.what == ats_webhook_batch_item::kind::log) {
    if (it.status < 100 || it.status > 599) return hw::error{errc::invalid_argument, "status: an HTTP status"};
    return std::nullopt;
  }
  if (!is_token_digest(it.content_key_hex))
    return hw::error{errc::invalid_argument, "content_key: 64 hex digits of SHA-256"};
  if (it.vendor_event_id) {
    auto n = domain::utf8_code_points(*it.vendor_event_id);
    if (!n || *n < 1 || *n > 200) return hw::error{errc::invalid_argument, "vendor_event_id: 1 to 200 characters"};
  }
  if (it.webhook_secret_enc.empty()) return hw::error{errc::invalid_argument, "webhook_secret_enc: missing"};
  // The receiver parsed the verified body already, and PostgreSQL's jsonb input refuses anything
  // that is not JSON (the whole batch fails; the writer then stores one by one): a cheap shape
  // check here instead of a third parse of every body.
  if (!looks_like_json_object(it.payload_json)) return hw::error{errc::invalid_argument, "payload: not a JSON object"};
  return std::nullopt;
}

/// One of the 16 counter slots of migration 0015, at random per batch.
int counter_slot() {
  thread_local std::minstd_rand rng{std::random_device{}()};
  return static_cast<int>(rng() % 16);
}

/// ASCII lower case (hex digests: no locale lookups, hot for every delivery).
std::string lower(std::string s) {
  for (auto& ch : s) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return s;
}

}  // namespace

namespace {

/// Appends `v` to a PostgreSQL array literal as one double-quoted element.
void array_element(std::string& out, std::string_view v) {
  if (out.size() > 1) out += ',';
  out += '"';
  // Runs without a quote or backslash in one append (bodies are mostly such runs).
  for (std::size_t at = 0; at < v.size();) {
    const auto esc = v.find_first_of("\"\\", at);
    const auto end = esc == std::string_view::npos ? v.size() : esc;
    out.append(v.data() + at, end - at);
    if (esc == std::string_view::npos) break;
    out += '\\';
    out += v[esc];
    at = esc + 1;
  }
  out += '"';
}

/// The store items of one organization, as the array parameters of ats_webhook_batch_store.
struct store_arrays {
  std::string conn{"{"}, event{"{"}, key{"{"}, secret{"{"}, duration{"{"}, body{"{"};
  std::vector<std::size_t> sent;  // item index per array element (ordinal - 1)
  std::string last_secret, last_secret_hex;

  void add(std::size_t i, const ats_webhook_batch_item& it, const std::string& cid, const std::string& key_hex) {
    sent.push_back(i);
    array_element(conn, cid);
    if (it.vendor_event_id) {
      array_element(event, *it.vendor_event_id);
    } else {
      event += event.size() > 1 ? ",NULL" : "NULL";
    }
    array_element(key, key_hex);
    // The deliveries of a batch mostly share their connection's sealed secret: hex it once.
    if (it.webhook_secret_enc != last_secret) {
      last_secret = it.webhook_secret_enc;
      last_secret_hex = bytes_to_hex(last_secret);
    }
    array_element(secret, last_secret_hex);
    array_element(duration, std::to_string(std::max(0, it.duration_ms)));
    array_element(body, it.payload_json);
  }
  void close() {
    for (auto* a : {&conn, &event, &key, &secret, &duration, &body}) *a += '}';
  }
};

/// Extra counts the statement does not write itself: repeats within the batch, refusals.
struct side_counts {
  std::int64_t duplicate = 0, rejected = 0;
};

/// What a dedicated writer connection (ingest_session::dedicated) has set for its session: the
/// tenant and enable_seqscan off stay set between batches, so a batch of one organization is ONE
/// round trip. Keyed by connection and backend: a reconnect starts a new session.
struct writer_session {
  const void* conn = nullptr;
  int backend = 0;
  std::string org;
};
thread_local writer_session t_writer;

/// Calls (batches) of this writer thread still to run with the dedup probes (ats_webhook_batch_store)
/// rather than without (ats_webhook_batch_store_new, the unique indexes refuse a repeat): set after
/// a batch met a stored delivery. Without probes a batch of new deliveries costs PostgreSQL a few
/// percent less (bench/webhook_store_bench: ~3 %, the probes' index pages are hot); with them a run
/// of repeats (a vendor resending after an outage) costs one statement per batch instead of a
/// failed one and a second.
constexpr int probe_after_duplicate = 64;
thread_local int t_probe_batches = 0;

/// The writer's settings (see ats_webhook_batch_store): the tenant and no sequential scans, for the
/// transaction (`local`) or the session. `org` is canonical (by_org's key): safe to spell into SQL.
std::string writer_settings(const std::string& org, bool local) {
  const std::string l = local ? "true" : "false";
  return "SELECT set_config('hw.org_id', '" + org + "', " + l + "), set_config('enable_seqscan', 'off', " + l + ")";
}

void use_session_tenant(pqxx::connection_base& c, const std::string& org) {
  if (t_writer.conn == &c && t_writer.backend == c.backendpid() && t_writer.org == org) return;
  t_writer = {};
  pqxx::nontransaction tx{c, "webhook_writer_session"};
  // Session settings (is_local false): committed on their own, so a failing batch cannot undo them.
  tx.exec(writer_settings(org, false));
  t_writer = {&c, c.backendpid(), org};
}

/// One attempt at the items of one organization. Throws on database errors; a throw from the store
/// leaves nothing of this organization written.
///   shared: BEGIN with transaction-local settings, the store statement, the log lines and counts,
///     COMMIT: one transaction, safe on any pooled connection.
///   dedicated: the store statement alone in autocommit (ONE round trip), on a connection whose
///     session keeps the tenant (use_session_tenant); log lines and counts (duplicates,
///     refusals), when any, in a second transaction after it. The answers wait for both, so a crash in
///     between leaves the deliveries unanswered and the vendor sends them again (then counted and
///     logged as duplicates). Per batch this saves PostgreSQL two statements and two wake-ups
///     (~120 us, bench/webhook_store_bench) and this thread as much again.
void ingest_org(pqxx::connection_base& c, const std::vector<ats_webhook_batch_item>& items, const std::string& org,
                const std::vector<std::size_t>& idx, std::int64_t us, ingest_session mode, bool probe,
                std::vector<ats_webhook_batch_result>& out) {
  const bool dedicated = mode == ingest_session::dedicated;
  // shared: the transaction spelled out on a nontransaction (BEGIN .. COMMIT), so every error path
  // must roll it back (`rollback_on_error`).
  std::optional<pqxx::nontransaction> shared_tx;
  struct rollback_on_error {
    std::optional<pqxx::nontransaction>& tx;
    bool open = false;
    ~rollback_on_error() {
      if (!open) return;
      try {
        tx->exec0("ROLLBACK");
      } catch (...) {  // the connection is gone: nothing to roll back
      }
    }
  } guard{shared_tx};
  if (dedicated) {
    use_session_tenant(c, org);
  } else {
    shared_tx.emplace(c, "ingest_webhook_batch");
    guard.open = true;  // before BEGIN: its settings may fail after the BEGIN took effect
    shared_tx->exec("BEGIN; " + writer_settings(org, true));
  }
  using kind = ats_webhook_batch_item::kind;
  using outcome = ats_webhook_batch_outcome;
  const org_id o{org};
  std::map<std::string, side_counts> extra;  // connection -> counts (std::map: connection order)
  // A delivery repeated within the batch (same connection and content key or event id) is not
  // sent: it shares the outcome of its first occurrence (stored: a duplicate).
  std::unordered_map<std::string, std::size_t> first_key, first_event;
  std::vector<std::pair<std::size_t, std::size_t>> repeats;  // (item, its first occurrence)
  store_arrays arr;
  std::vector<std::string> cids(items.size()), keys(items.size());
  for (auto i : idx) {
    const auto& it = items[i];
    if (it.what != kind::store) continue;
    cids[i] = canonical_uuid(it.connection_id);
    keys[i] = lower(it.content_key_hex);
    auto k = first_key.emplace(cids[i] + '|' + keys[i], i);
    std::optional<std::size_t> first;
    if (!k.second) first = k.first->second;
    if (it.vendor_event_id) {
      auto e = first_event.emplace(cids[i] + '|' + *it.vendor_event_id, i);
      if (!e.second && !first) first = e.first->second;
    }
    if (first) {
      repeats.emplace_back(i, *first);
      continue;
    }
    arr.add(i, it, cids[i], keys[i]);
  }
  arr.close();
  if (!arr.sent.empty()) {
    std::vector<bool> matched(arr.sent.size(), false);
    std::vector<std::int64_t> fresh, ids;  // fresh ordinals and the inbox ids, paired in order
    std::map<std::string, std::string> state_of;   // connection -> state, for those named
    std::optional<pqxx::nontransaction> own;
    if (dedicated) own.emplace(c, "ingest_webhook_batch");
    pqxx::transaction_base& tx = dedicated ? static_cast<pqxx::transaction_base&>(*own) : *shared_tx;
    const auto rows = tx.exec_prepared(probe ? "ats_webhook_batch_store" : "ats_webhook_batch_store_new", o.value, us,
                                       arr.conn, arr.event, arr.key, arr.secret, arr.duration, arr.body);
    own.reset();
    for (const auto& r : rows) {
      const auto k = r[0].as<int>();
      if (k == 0 || k == 3) {
        const auto ord = r[1].as<std::int64_t>();
        if (ord < 1 || static_cast<std::size_t>(ord) > matched.size()) throw std::logic_error{"ordinal out of range"};
        if (k == 0) {
          matched[static_cast<std::size_t>(ord - 1)] = true;
          if (!probe) fresh.push_back(ord);
        } else {
          fresh.push_back(ord);
        }
      } else if (k == 1) {
        ids.push_back(r[1].as<std::int64_t>());
      } else {
        state_of[r[2].as<std::string>()] = r[3].as<std::string>();
      }
    }
    if (fresh.size() != ids.size()) throw std::logic_error{"inserted rows do not match the fresh deliveries"};
    std::sort(fresh.begin(), fresh.end());
    std::sort(ids.begin(), ids.end());
    std::vector<std::int64_t> id_of(arr.sent.size(), 0);  // by ordinal - 1; 0: not inserted
    for (std::size_t f = 0; f < fresh.size(); ++f) id_of[static_cast<std::size_t>(fresh[f] - 1)] = ids[f];
    for (std::size_t n = 0; n < arr.sent.size(); ++n) {
      const auto i = arr.sent[n];
      if (matched[n]) {
        // Received is counted when the row is processed (migration 0019), a duplicate here.
        if (id_of[n] != 0) {
          out[i] = {outcome::accepted, id_of[n]};
        } else {
          out[i] = {outcome::duplicate, 0};
          ++extra[cids[i]].duplicate;
        }
      } else {
        auto st = state_of.find(cids[i]);
        if (st == state_of.end() || st->second == "disconnected") {
          out[i] = {outcome::gone, 0};
        } else {
          out[i] = {outcome::secret_changed, 0};
          ++extra[cids[i]].rejected;
        }
      }
    }
  }
  for (const auto& [i, first] : repeats) {
    const auto o1 = out[first].outcome;
    if (o1 == outcome::accepted || o1 == outcome::duplicate) {
      out[i] = {outcome::duplicate, 0};
      ++extra[cids[i]].duplicate;
    } else {
      out[i] = {o1, 0};
      if (o1 == outcome::secret_changed) ++extra[cids[i]].rejected;
    }
  }
  // Log lines: duplicates (200), secret changed meanwhile (401), the log items. A stored
  // delivery's inbox row is its log line (migration 0016).
  std::string logs = "[";
  for (auto i : idx) {
    const auto& it = items[i];
    int status = it.status;
    std::optional<std::string> note = it.note;
    if (it.what == kind::store) {
      if (out[i].outcome == outcome::gone || out[i].outcome == outcome::accepted) continue;
      status = out[i].outcome == outcome::secret_changed ? 401 : 200;
      note.reset();
      if (out[i].outcome == outcome::secret_changed) note = "signature rejected: the webhook secret changed";
    } else {
      out[i] = {outcome::logged, 0};
      if (it.rejected) ++extra[canonical_uuid(it.connection_id)].rejected;
    }
    if (logs.size() > 1) logs += ',';
    logs += "{\"i\":" + std::to_string(i) + ",\"c\":\"" + canonical_uuid(it.connection_id) +
            "\",\"st\":" + std::to_string(status) + ",\"d\":" + std::to_string(std::max(0, it.duration_ms)) +
            ",\"n\":" + (note ? json_string(cut_utf8_bytes(*note, 500)) : std::string{"null"}) + "}";
  }
  logs += ']';
  auto write_logs = [&](pqxx::transaction_base& tx) {
    if (logs.size() > 2) tx.exec_prepared0("ats_webhook_batch_log", o.value, logs, us);
    for (const auto& [cid, n] : extra) {
      tx.exec_prepared0("ats_webhook_batch_count", o.value, cid, counter_slot(), std::int64_t{0}, n.duplicate,
                        n.rejected);
    }
  };
  if (!dedicated) {
    write_logs(*shared_tx);
    // A throw from here on leaves the guard's ROLLBACK to end an aborted block (after a failed
    // COMMIT there is no transaction left and ROLLBACK only warns).
    shared_tx->exec("COMMIT");
    guard.open = false;
    return;
  }
  if (logs.size() <= 2 && extra.empty()) return;
  pqxx::work tx{c, "ingest_webhook_batch_log"};
  set_tenant(tx, o);
  write_logs(tx);
  tx.commit();
}

}  // namespace

result<std::vector<ats_webhook_batch_result>> ingest_webhook_batch(
    pqxx::connection_base& c, const std::vector<ats_webhook_batch_item>& items, time_point now, ingest_session mode) {
  for (const auto& it : items) {
    if (auto e = check_batch_item(it)) return *e;
  }
  if (items.empty()) return std::vector<ats_webhook_batch_result>{};
  // Organizations in a fixed order, so concurrent batches lock counter rows in the same order.
  std::map<std::string, std::vector<std::size_t>> by_org;
  for (std::size_t i = 0; i < items.size(); ++i) by_org[canonical_uuid(items[i].org.value)].push_back(i);
  const auto us = to_epoch_us(now);
  std::vector<ats_webhook_batch_result> out(items.size());
  const bool probe_call = t_probe_batches > 0;
  if (probe_call) --t_probe_batches;
  for (const auto& og : by_org) {
    // First without the dedup probes (t_probe_batches): a stored delivery sent again fails the
    // INSERT with unique_violation, and so does one that another writer committed after this one's
    // probes ran (the vendor sent it twice at once). The next attempt probes and finds it stored.
    bool probe = probe_call;
    for (int attempt = 1;; ++attempt) {
      try {
        ingest_org(c, items, og.first, og.second, us, mode, probe, out);
        break;
      } catch (const pqxx::unique_violation&) {
        t_writer = {};  // a failed statement may have cost the session its settings: set them again
        // Duplicates come in runs (a vendor resending after an outage): probe for a while.
        t_probe_batches = probe_after_duplicate;
        probe = true;
        if (attempt < 3) continue;
        return map_exception(std::current_exception(), "ingest_webhook_batch");
      } catch (...) {
        t_writer = {};
        return map_exception(std::current_exception(), "ingest_webhook_batch");
      }
    }
  }
  return out;
}

result<bool> inbox_mark_processed(pqxx::connection_base& c, const org_id& org,
                                  std::int64_t inbox_id, time_point now) {
  if (!is_uuid(org.value)) return hw::error{errc::not_found, "inbox row not found"};
  const org_id o{canonical_uuid(org.value)};
  try {
    pqxx::work tx{c, "inbox_mark_processed"};
    set_tenant(tx, o);
    auto r = tx.exec_prepared("ats_inbox_mark_processed", o.value, inbox_id, to_epoch_us(now), counter_slot());
    if (r.empty()) {
      if (!tx.exec_prepared1("ats_inbox_exists", o.value, inbox_id)[0].as<bool>())
        return hw::error{errc::not_found, "inbox row not found"};
      return false;
    }
    tx.commit();
    return true;
  } catch (...) {
    return map_exception(std::current_exception(), "ats_inbox_mark_processed");
  }
}

}  // namespace hw::storage

namespace hw::storage {

result<int> ensure_webhook_jobs(pqxx::connection_base& c, const std::vector<webhook_job_target>& targets,
                                time_point now) {
  std::vector<std::string> orgs, conns;
  for (const auto& t : targets) {
    if (!is_uuid(t.org.value) || !is_uuid(t.connection_id)) continue;
    orgs.push_back(canonical_uuid(t.org.value));
    conns.push_back(canonical_uuid(t.connection_id));
  }
  if (orgs.empty()) return 0;
  try {
    pqxx::work tx{c, "ensure_webhook_jobs"};
    set_system_scope(tx);
    auto r = tx.exec_prepared("ats_webhook_jobs_ensure", text_array_literal(orgs), text_array_literal(conns),
                              ats_webhook_job_kind, to_epoch_us(now));
    tx.commit();
    return static_cast<int>(r.size());
  } catch (...) {
    return map_exception(std::current_exception(), "ats_webhook_jobs_ensure");
  }
}

result<std::vector<std::int64_t>> list_pending_webhooks(pqxx::connection_base& c, const org_id& org,
                                                        const std::string& connection_id, int limit) {
  std::vector<std::int64_t> out;
  if (!is_uuid(org.value) || !is_uuid(connection_id) || limit <= 0) return out;
  const org_id o{canonical_uuid(org.value)};
  try {
    pqxx::read_transaction tx{c, "list_pending_webhooks"};
    set_tenant(tx, o);
    for (const auto& r : tx.exec_prepared("ats_webhook_pending", o.value, canonical_uuid(connection_id), limit))
      out.push_back(r[0].as<std::int64_t>());
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "ats_webhook_pending");
  }
}

}  // namespace hw::storage
