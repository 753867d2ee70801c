#include "storage/interview_template_repo.hpp"

#include <charconv>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <utility>

#include "storage/audit_repo.hpp"
#include "storage/pg.hpp"
#include "storage/repo_util.hpp"

namespace hw::storage {

namespace {

#define HW_TP_TS(n) "(timestamptz 'epoch' + ($" #n "::bigint) * interval '1 microsecond')"
#define HW_TP_RFC3339(col) \
  "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

hw::error template_not_found() { return {errc::not_found, "interview template not found"}; }
hw::error job_not_found() { return {errc::not_found, "job posting not found"}; }
hw::error stale() {
  return {errc::version_conflict, "the interview template was changed concurrently"};
}



std::vector<std::pair<std::int32_t, std::string>> parse_version_list(const pqxx::field& f) {
  std::vector<std::pair<std::int32_t, std::string>> out;
  if (f.is_null()) return out;
  const auto s = f.as<std::string>();
  std::size_t start = 0;
  while (start <= s.size()) {
    auto comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    const auto part = s.substr(start, comma - start);
    const auto colon = part.find(':');
    if (colon != std::string::npos) {
      std::int32_t n = 0;
      std::from_chars(part.data(), part.data() + colon, n);
      out.emplace_back(n, part.substr(colon + 1));
    }
    start = comma + 1;
  }
  return out;
}

domain::template_state state_of(const std::string& s) {
  auto st = domain::parse_template_state(s);
  if (!st) throw pqxx::conversion_error{"interview_template_versions.state holds an unknown state"};
  return *st;
}

// template_get columns: 0 template_id, 1 job_id, 2 approved_version, 3 approved_version_id,
// 4 version, 5 number, 6 version_id, 7 state, 8 body, 9 total_minutes, 10 saved_by,
// 11 submitted_by, 12 approved_by, 13 approved_at, 14 created_at, 15 updated_at, 16 versions.
template_record row_to_template(const pqxx::row& r) {
  template_record t;
  t.id = r[0].as<std::string>();
  t.job_id = r[1].as<std::string>();
  if (!r[2].is_null()) t.approved_version = r[2].as<std::int32_t>();
  t.approved_version_id = opt_text(r[3]);
  t.version = r[4].as<std::int64_t>();
  auto& l = t.latest;
  l.number = r[5].as<std::int32_t>();
  l.version_id = r[6].as<std::string>();
  l.state = state_of(r[7].as<std::string>());
  l.body = nlohmann::json::parse(r[8].as<std::string>(), nullptr, false);
  if (l.body.is_discarded()) throw pqxx::conversion_error{"a stored template body is not JSON"};
  l.total_minutes = r[9].as<int>();
  l.saved_by = r[10].as<std::string>();
  l.submitted_by = opt_text(r[11]);
  l.approved_by = opt_text(r[12]);
  l.approved_at = opt_text(r[13]);
  l.created_at = r[14].as<std::string>();
  l.updated_at = r[15].as<std::string>();
  t.versions = parse_version_list(r[16]);
  return t;
}

std::optional<template_record> read_template(pqxx::transaction_base& tx, const org_id& o,
                                             const std::string& job_id,
                                             std::optional<std::int32_t> number) {
  std::optional<std::string> n;
  if (number) n = std::to_string(*number);
  auto r = tx.exec_prepared("template_get", o.value, job_id, opt_param(n));
  if (r.empty()) return std::nullopt;
  return row_to_template(r[0]);
}

struct locked_template {
  std::string id;
  std::int64_t version = 1;
  std::int32_t latest = 1;
  std::string state;
  std::string body;  // the latest version's body (json text)
};

std::optional<locked_template> lock_template(pqxx::transaction_base& tx, const org_id& o,
                                             const std::string& job_id) {
  auto r = tx.exec_prepared("template_lock", o.value, job_id);
  if (r.empty()) return std::nullopt;
  return locked_template{r[0][0].as<std::string>(), r[0][1].as<std::int64_t>(),
                         r[0][2].as<std::int32_t>(), r[0][3].as<std::string>(),
                         r[0][4].as<std::string>()};
}

// The entries of a body as the blocking query binds them, and the ones that cannot exist.
struct entry_refs {
  nlohmann::json rows = nlohmann::json::array();  // {ord, item_id, number}: well-formed ids
  std::vector<blocking_entry> malformed;
};

entry_refs refs_of(const domain::template_body& body) {
  entry_refs out;
  int ord = 0;
  for (const auto& s : body.sections) {
    for (const auto& e : s.items) {
      if (is_uuid(e.item_id) && e.item_version >= 1) {
        out.rows.push_back(
            {{"ord", ord}, {"item_id", canonical_uuid(e.item_id)}, {"number", e.item_version}});
      } else {
        out.malformed.push_back({e.item_id, e.item_version, "missing"});
      }
      ++ord;
    }
  }
  return out;
}

std::vector<blocking_entry> blocking_in(pqxx::transaction_base& tx, const org_id& o,
                                        const domain::template_body& body) {
  auto refs = refs_of(body);
  std::vector<blocking_entry> out = std::move(refs.malformed);
  if (refs.rows.empty()) return out;
  for (const auto& r : tx.exec_prepared("template_blocking", o.value, refs.rows.dump())) {
    out.push_back({r[0].as<std::string>(), r[1].as<std::int32_t>(), r[2].as<std::string>()});
  }
  return out;
}

std::string describe_all(const std::vector<blocking_entry>& b) {
  std::string out;
  for (const auto& e : b) {
    if (!out.empty()) out += "; ";
    out += e.describe();
  }
  return out;
}

// The save part of save_template / apply_template_proposal inside `tx`: returns the number saved
// and whether it is a new version, or the error.
struct saved {
  std::int32_t number = 1;
  bool new_version = false;
};

result<saved> save_in(pqxx::transaction_base& tx, const org_id& o, const std::string& jid,
                      const domain::template_body& body,
                      std::optional<std::int64_t> expected_version, const std::string& saved_by,
                      time_point now) {
  const auto text = domain::to_json(body).dump();
  const int minutes = domain::total_minutes(body);
  const auto us = to_epoch_us(now);
  auto cur = lock_template(tx, o, jid);
  if (!cur) {
    if (expected_version) {
      return hw::error{errc::precondition_failed, "the job has no interview template yet"};
    }
    if (!tx.exec_prepared1("template_job_exists", o.value, jid)[0].as<bool>()) {
      return job_not_found();
    }
    auto created = tx.exec_prepared("template_insert", o.value, jid, us);
    if (!created.empty()) {
      tx.exec_prepared0("template_version_insert", o.value, created[0][0].as<std::string>(), 1,
                        text, minutes, saved_by, us);
      return saved{1, true};
    }
    // A concurrent first save won the insert (ON CONFLICT waited for it): save onto it.
    cur = lock_template(tx, o, jid);
    if (!cur) return stale();
  }
  if (expected_version && *expected_version != cur->version) return stale();
  saved out{cur->latest, false};
  switch (state_of(cur->state)) {
    case domain::template_state::draft:
    case domain::template_state::pending_approval:
      tx.exec_prepared0("template_version_set_body", o.value, cur->id, cur->latest, text, minutes,
                        saved_by, us);
      break;
    case domain::template_state::approved:
    case domain::template_state::superseded:
      out.number = cur->latest + 1;
      out.new_version = true;
      tx.exec_prepared0("template_version_insert", o.value, cur->id, out.number, text, minutes,
                        saved_by, us);
      break;
  }
  if (tx.exec_prepared("template_bump", o.value, cur->id, cur->version, out.number, us).empty()) {
    return stale();
  }
  return out;
}

}  // namespace

std::string blocking_entry::describe() const {
  const auto head = "item " + item_id + " v" + std::to_string(item_version);
  if (reason == "missing") return head + " does not exist";
  return head + " is " + reason;
}

void prepare_interview_template_statements(pqxx::connection_base& c) {
  c.prepare("template_get",
            "SELECT t.template_id::text, t.job_id::text, t.approved_version,"
            " t.approved_version_id::text, t.version, v.number, v.version_id::text, v.state,"
            " v.body::text, v.total_minutes, v.saved_by, v.submitted_by, v.approved_by, "
            HW_TP_RFC3339("v.approved_at") ", " HW_TP_RFC3339("v.created_at") ", "
            HW_TP_RFC3339("v.updated_at") ","
            " (SELECT string_agg(x.number || ':' || x.state, ',' ORDER BY x.number DESC)"
            "  FROM interview_template_versions x"
            "  WHERE x.org_id = t.org_id AND x.template_id = t.template_id)"
            " FROM interview_templates t JOIN interview_template_versions v"
            " ON v.org_id = t.org_id AND v.template_id = t.template_id"
            " AND v.number = COALESCE($3::integer, t.latest_version)"
            " WHERE t.org_id = $1::uuid AND t.job_id = $2::uuid");
  c.prepare(
      "template_lock",
      "SELECT t.template_id::text, t.version, t.latest_version, v.state, v.body::text"
      " FROM interview_templates t JOIN interview_template_versions v"
      " ON v.org_id = t.org_id AND v.template_id = t.template_id AND v.number = t.latest_version"
      " WHERE t.org_id = $1::uuid AND t.job_id = $2::uuid FOR UPDATE OF t");
  c.prepare(
      "template_job_exists",
      "SELECT EXISTS (SELECT 1 FROM job_postings WHERE org_id = $1::uuid AND job_id = $2::uuid)");
  c.prepare("template_insert",
            "INSERT INTO interview_templates (org_id, template_id, job_id, latest_version,"
            " created_at, updated_at, version) VALUES ($1::uuid, gen_random_uuid(), $2::uuid, 1, "
            HW_TP_TS(3) ", " HW_TP_TS(3) ", 1) ON CONFLICT (org_id, job_id) DO NOTHING"
            " RETURNING template_id::text");
  c.prepare(
      "template_version_insert",
      "INSERT INTO interview_template_versions (org_id, template_id, number, version_id,"
      " state, body, total_minutes, saved_by, created_at, updated_at) VALUES ($1::uuid,"
      " $2::uuid, $3::integer, gen_random_uuid(), 'draft', $4::jsonb, $5::integer, $6, " HW_TP_TS(
          7) ", " HW_TP_TS(7) ")");
  c.prepare("template_version_set_body",
            "UPDATE interview_template_versions SET body = $4::jsonb, total_minutes = $5::integer,"
            " saved_by = $6, state = 'draft', submitted_by = NULL, updated_at = " HW_TP_TS(
                7) " WHERE org_id = $1::uuid AND template_id = $2::uuid AND number = $3::integer");
  c.prepare("template_bump",
            "UPDATE interview_templates SET latest_version = $4::integer, updated_at = " HW_TP_TS(5)
            ", version = version + 1"
            " WHERE org_id = $1::uuid AND template_id = $2::uuid AND version = $3::bigint"
            " RETURNING version");
  c.prepare("template_version_step",
            "UPDATE interview_template_versions SET state = $5,"
            " submitted_by = CASE WHEN $5 = 'pending_approval' THEN $6"
            "   WHEN $5 = 'draft' THEN NULL ELSE submitted_by END,"
            " approved_by = CASE WHEN $5 = 'approved' THEN $6 ELSE approved_by END,"
            " approved_at = CASE WHEN $5 = 'approved' THEN " HW_TP_TS(7) " ELSE approved_at END,"
            " updated_at = " HW_TP_TS(7)
            " WHERE org_id = $1::uuid AND template_id = $2::uuid AND number = $3::integer"
            " AND state = $4 RETURNING version_id::text");
  c.prepare("template_supersede",
            "UPDATE interview_template_versions SET state = 'superseded', updated_at = " HW_TP_TS(3)
            " WHERE org_id = $1::uuid AND template_id = $2::uuid AND state = 'approved'"
            " RETURNING number");
  c.prepare("template_set_approved",
            "UPDATE interview_templates SET approved_version = $4::integer,"
            " approved_version_id = $5::uuid, updated_at = " HW_TP_TS(6) ", version = version + 1"
            " WHERE org_id = $1::uuid AND template_id = $2::uuid AND version = $3::bigint"
            " RETURNING version");
  c.prepare("template_job_approved",
            "UPDATE job_postings SET approved_template_version_id = $3::uuid,"
            " approved_template_version = $4::integer, updated_at = " HW_TP_TS(5) ","
            " version = version + 1 WHERE org_id = $1::uuid AND job_id = $2::uuid");
  // Entries that are not an approved (or approved, then archived) version of this org's items,
  // in body order: "missing" or the version's state.
  c.prepare("template_blocking",
            "SELECT r.item_id::text, r.number, COALESCE(v.state, 'missing')"
            " FROM jsonb_to_recordset($2::jsonb) AS r(ord integer, item_id uuid, number integer)"
            " LEFT JOIN content_item_versions v ON v.org_id = $1::uuid AND v.item_id = r.item_id"
            " AND v.number = r.number"
            " WHERE v.approved_at IS NULL ORDER BY r.ord");
}

result<template_record> get_template(pqxx::connection_base& c, const org_id& org,
                                     const std::string& job_id,
                                     std::optional<std::int32_t> version) {
  if (!is_uuid(org.value) || !is_uuid(job_id)) return template_not_found();
  if (version && *version < 1) return template_not_found();
  const org_id o{canonical_uuid(org.value)};
  try {
    prepare_interview_template_statements(c);
    pqxx::read_transaction tx{c, "get_template"};
    set_tenant(tx, o);
    auto t = read_template(tx, o, canonical_uuid(job_id), version);
    if (!t) return template_not_found();
    tx.commit();
    return std::move(*t);
  } catch (...) {
    return map_exception(std::current_exception(), "template_get");
  }
}

result<template_record> save_template(pqxx::connection_base& c, const org_id& org,
                                      const std::string& job_id, const domain::template_body& body,
                                      std::optional<std::int64_t> expected_version,
                                      const std::string& saved_by, time_point now,
                                      const actor_ref& who) {
  if (!is_uuid(org.value) || !is_uuid(job_id)) return job_not_found();
  const org_id o{canonical_uuid(org.value)};
  const auto jid = canonical_uuid(job_id);
  try {
    prepare_interview_template_statements(c);
    pqxx::work tx{c, "save_template"};
    set_tenant(tx, o);
    auto s = save_in(tx, o, jid, body, expected_version, saved_by, now);
    if (!s) return s.error();
    append_audit(tx, o, who, "template.saved", jid,
                 nlohmann::json{{"version", s->number}, {"new_version", s->new_version}}.dump());
    auto t = read_template(tx, o, jid, std::nullopt);
    if (!t) return template_not_found();
    tx.commit();
    return std::move(*t);
  } catch (...) {
    return map_exception(std::current_exception(), "template_save");
  }
}

result<template_record> apply_template_step(pqxx::connection_base& c, const org_id& org,
                                            const std::string& job_id, const template_step& step,
                                            time_point now, const actor_ref& who) {
  if (step.event == domain::template_event::supersede) {
    return hw::error{errc::illegal_transition, "template: supersede is internal"};
  }
  if (!is_uuid(org.value) || !is_uuid(job_id)) return template_not_found();
  const org_id o{canonical_uuid(org.value)};
  const auto jid = canonical_uuid(job_id);
  const std::string from{domain::to_string(step.from)};
  const std::string to{domain::to_string(step.to)};
  const auto us = to_epoch_us(now);
  try {
    prepare_interview_template_statements(c);
    pqxx::work tx{c, "apply_template_step"};
    set_tenant(tx, o);
    auto cur = lock_template(tx, o, jid);
    if (!cur) return template_not_found();
    if (cur->version != step.expected_version || cur->latest != step.expected_number ||
        cur->state != from) {
      return stale();
    }
    if (step.event == domain::template_event::submit ||
        step.event == domain::template_event::approve) {
      auto j = nlohmann::json::parse(cur->body, nullptr, false);
      domain::template_body body;
      if (j.is_discarded() || !domain::parse_template_body(j, body).empty()) {
        return hw::error{errc::illegal_transition, "template: the stored version is not valid"};
      }
      const auto blocking = blocking_in(tx, o, body);
      if (!blocking.empty()) {
        return hw::error{errc::illegal_transition,
                         "template entries are not approved: " + describe_all(blocking)};
      }
    }
    nlohmann::json detail = {{"version", cur->latest}, {"from", from}, {"to", to}};
    std::optional<std::int32_t> superseded;
    if (step.to == domain::template_state::approved) {
      for (const auto& r : tx.exec_prepared("template_supersede", o.value, cur->id, us)) {
        superseded = r[0].as<std::int32_t>();
      }
    }
    auto vid = tx.exec_prepared("template_version_step", o.value, cur->id, cur->latest, from, to,
                                step.actor_id, us);
    if (vid.empty()) return stale();
    if (step.to == domain::template_state::approved) {
      const auto version_id = vid[0][0].as<std::string>();
      if (tx.exec_prepared("template_set_approved", o.value, cur->id, cur->version, cur->latest,
                           version_id, us)
              .empty()) {
        return stale();
      }
      tx.exec_prepared0("template_job_approved", o.value, jid, version_id, cur->latest, us);
      if (superseded) detail["superseded"] = *superseded;
    } else if (tx.exec_prepared("template_bump", o.value, cur->id, cur->version, cur->latest, us)
                   .empty()) {
      return stale();
    }
    const char* action = step.event == domain::template_event::submit ? "template.submitted"
                         : step.event == domain::template_event::approve
                             ? "template.approved"
                             : "template.changes_requested";
    append_audit(tx, o, who, action, jid, detail.dump());
    auto t = read_template(tx, o, jid, std::nullopt);
    if (!t) return template_not_found();
    tx.commit();
    return std::move(*t);
  } catch (...) {
    return map_exception(std::current_exception(), "template_step");
  }
}

result<std::vector<blocking_entry>> template_blocking_entries(pqxx::connection_base& c,
                                                              const org_id& org,
                                                              const domain::template_body& body) {
  if (!is_uuid(org.value)) {
    std::vector<blocking_entry> all;
    for (const auto& s : body.sections) {
      for (const auto& e : s.items) all.push_back({e.item_id, e.item_version, "missing"});
    }
    return all;
  }
  const org_id o{canonical_uuid(org.value)};
  try {
    prepare_interview_template_statements(c);
    pqxx::read_transaction tx{c, "template_blocking_entries"};
    set_tenant(tx, o);
    auto out = blocking_in(tx, o, body);
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "template_blocking");
  }
}

result<template_record> apply_template_proposal(pqxx::connection_base& c, const org_id& org,
                                                const std::string& job_id,
                                                const std::vector<new_item>& items,
                                                const domain::template_body& body,
                                                std::optional<std::int64_t> expected_version,
                                                const std::string& saved_by, time_point now,
                                                const actor_ref& who) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].item_id) {
      return hw::error{errc::invalid_argument,
                       "/items/" + std::to_string(i) + ": a generated item needs its id"};
    }
  }
  if (!is_uuid(org.value) || !is_uuid(job_id)) return job_not_found();
  const org_id o{canonical_uuid(org.value)};
  const auto jid = canonical_uuid(job_id);
  try {
    prepare_interview_template_statements(c);
    pqxx::work tx{c, "apply_template_proposal"};
    set_tenant(tx, o);
    for (const auto& it : items) {
      auto id = insert_item(tx, o, it, now, who);
      if (!id) return id.error();
    }
    auto s = save_in(tx, o, jid, body, expected_version, saved_by, now);
    if (!s) return s.error();
    append_audit(tx, o, who, "template.proposal_applied", jid,
                 nlohmann::json{{"version", s->number}, {"created_items", items.size()}}.dump());
    auto t = read_template(tx, o, jid, std::nullopt);
    if (!t) return template_not_found();
    tx.commit();
    return std::move(*t);
  } catch (...) {
    return map_exception(std::current_exception(), "template_proposal_apply");
  }
}

}  // namespace hw::storage
