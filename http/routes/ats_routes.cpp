// ATS integration (issue 4): connections, their health and log, imported jobs with local edits,
// applications and "reached stage" events. Org-scoped: the middleware (http/auth.cpp) checked the
// credential and the route's action (ats.* / job.*) before a handler runs. Then, in order: path
// ids are UUIDs (404, no service call) -> Content-Type (415) -> If-Match (412) -> query or body
// (400 unreadable, 422 a field's value) -> hw::ats_service (actors/domain/ats_service.hpp), whose
// callback runs on an actor thread (`respond` posts back onto the connection's strand).
// Bodies and answers: http/API.md, "ATS integration".
#include <charconv>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/domain/ats_service.hpp"
#include "actors/domain/ids.hpp"
#include "actors/domain/job_posting_fsm.hpp"
#include "http/auth.hpp"
#include "http/json/body_reader.hpp"
#include "http/problem.hpp"
#include "http/routes/routes.hpp"

namespace hw::http_api {

namespace {

using json = nlohmann::json;

// ---- limits (bytes unless noted) ----------------------------------------------------------------
constexpr std::size_t max_name = 200;
constexpr std::size_t max_credentials = 16;  // entries
constexpr std::size_t max_credential_key = 64;
constexpr std::size_t max_credential_value = 4096;
constexpr int min_interval = 5;
constexpr int max_interval = 1440;
constexpr std::size_t max_title = 500;
constexpr std::size_t max_short_text = 200;  // department, location, stage ids, q
constexpr std::size_t max_description = 256 * 1024;
constexpr std::size_t max_requirements = 64 * 1024;
constexpr std::string_view vendors[] = {"greenhouse", "lever"};
constexpr std::string_view posting_states[] = {"imported", "draft", "ready", "open", "closed", "archived"};
constexpr std::string_view ats_statuses[] = {"draft", "open", "closed"};
constexpr std::string_view application_statuses[] = {"active", "rejected", "hired", "converted"};
constexpr std::string_view editable_fields[] = {"title", "department", "location", "description_html",
                                                "requirements"};

json opt(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }

template <class T>
json opt_num(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

// ---- views ----------------------------------------------------------------------------------------

json connection_json(const ats_connection_view& c) {
  return {
    {"id", c.id},
    {"vendor", c.vendor},
    {"name", c.name},
    {"state", c.state},
    {"state_reason", c.state_reason},
    {"consecutive_failures", c.consecutive_failures},
    {"last_sync_at", opt(c.last_sync_at)},
    {"last_success_at", opt(c.last_success_at)},
    {"last_error_at", opt(c.last_error_at)},
    {"last_error", opt(c.last_error)},
    {"next_sync_at", opt(c.next_sync_at)},
    {"syncing", c.syncing},
    {"has_credentials", c.has_credentials},
    {"has_webhook_secret", c.has_webhook_secret},
    {"credential_fields", c.credential_fields},
    {"webhook_url", c.webhook_url},
    {"settings", {{"sync_interval_minutes", c.settings.sync_interval_minutes}}},
    {"counts",
     {{"jobs", c.counts.jobs},
      {"candidates", c.counts.candidates},
      {"applications", c.counts.applications},
      {"webhooks_received", c.counts.webhooks_received},
      {"webhooks_duplicate", c.counts.webhooks_duplicate},
      {"webhooks_rejected", c.counts.webhooks_rejected}}},
    {"created_at", c.created_at},
    {"updated_at", c.updated_at},
    {"version", c.version},
  };
}

/// {"connection": view, "webhook_secret": "..." (only when one was generated now)}.
json created_json(const ats_connection_created& c) {
  json j = {{"connection", connection_json(c.connection)}};
  if (c.webhook_secret) j["webhook_secret"] = *c.webhook_secret;
  return j;
}

json stage_json(const ats_stage_view& s) {
  return {{"id", s.id}, {"name", s.name}, {"sort_order", opt_num(s.sort_order)}};
}

json job_summary_json(const job_summary& j) {
  return {
    {"id", j.id},
    {"connection_id", j.connection_id},
    {"vendor", j.vendor},
    {"external_id", j.external_id},
    {"title", j.title},
    {"ats_status", j.ats_status},
    {"posting_state", j.posting_state},
    {"department", j.department},
    {"location", j.location},
    {"applications", j.applications},
    {"has_local_edits", j.has_local_edits},
    {"updated_at", j.updated_at},
  };
}

/// The summary's fields, flattened, plus the detail's.
json job_detail_json(const job_detail& d) {
  auto j = job_summary_json(d.summary);
  j["description_html"] = d.description_html;
  j["requirements"] = d.requirements;
  j["opened_at"] = opt(d.opened_at);
  j["closed_at"] = opt(d.closed_at);
  j["overridden_fields"] = d.overridden_fields;
  j["conflicts"] = d.conflicts;
  json stages = json::array();
  for (const auto& s : d.stages) stages.push_back(stage_json(s));
  j["stages"] = std::move(stages);
  j["shortlist_stage_id"] = opt(d.shortlist_stage_id);
  j["version"] = d.version;
  return j;
}

/// Without `include_pii` the candidate has no name or e-mail keys at all, whatever the service
/// filled in (defense in depth: the service leaves them empty too).
json application_json(const application_view& a, bool include_pii) {
  json cand = {
    {"id", a.candidate.id},
    {"external_id", a.candidate.external_id},
    {"anonymized", a.candidate.anonymized},
    {"can_email", a.candidate.can_email},
  };
  if (include_pii) {
    cand["first_name"] = opt(a.candidate.first_name);
    cand["last_name"] = opt(a.candidate.last_name);
    cand["email"] = opt(a.candidate.email);
  }
  return {
    {"id", a.id},
    {"external_id", a.external_id},
    {"status", a.status},
    {"stage", stage_json(a.stage)},
    {"candidate", std::move(cand)},
    {"updated_at", a.updated_at},
  };
}

json history_json(const ats_history_entry& h) {
  return {{"at", h.at},   {"from", opt(h.from)}, {"to", h.to}, {"event", h.event},
          {"consecutive_failures", h.consecutive_failures}, {"reason", h.reason}};
}

json log_entry_json(const ats_log_entry& e) {
  return {{"id", e.id},
          {"at", e.at},
          {"direction", e.direction},
          {"endpoint", e.endpoint},
          {"status", opt_num(e.status)},
          {"duration_ms", e.duration_ms},
          {"error", opt(e.error)}};
}

json stage_event_json(const stage_event_view& e) {
  return {{"id", e.id},         {"job_id", e.job_id},         {"application_id", e.application_id},
          {"stage_id", e.stage_id}, {"stage_name", e.stage_name}, {"status", e.status},
          {"at", e.at}};
}

// ---- request bodies -------------------------------------------------------------------------------

/// The shared strict reader (http/json/body_reader.hpp) plus the ATS bodies' own shapes. Strings
/// must be non-empty unless a caller says otherwise.
class ats_body_reader : public body_reader {
 public:
  explicit ats_body_reader(body_reader base) : body_reader(std::move(base)) {}

  std::optional<std::string> string(const char* key, std::size_t max, bool required, std::size_t min_len = 1) {
    return body_reader::string(key, max, required, min_len);
  }

  /// {"field": "value", ...}: string values only.
  std::optional<std::map<std::string, std::string>> credentials(const char* key, bool required) {
    const json* it = present(key, required);
    if (!it) return std::nullopt;
    if (!it->is_object()) {
      fail(std::string{key} + ": must be an object of strings, not " + it->type_name());
      return std::nullopt;
    }
    if (it->size() > max_credentials) {
      fail(std::string{key} + ": at most " + std::to_string(max_credentials) + " fields");
      return std::nullopt;
    }
    std::map<std::string, std::string> out;
    for (auto f = it->begin(); f != it->end(); ++f) {
      if (f.key().empty() || f.key().size() > max_credential_key) {
        fail(std::string{key} + ": field names must be 1 to " + std::to_string(max_credential_key) + " bytes");
        return std::nullopt;
      }
      const auto name = std::string{key} + "." + f.key();
      if (!f.value().is_string()) {
        fail(name + ": must be a string, not " + f.value().type_name());
        return std::nullopt;
      }
      const auto& v = f.value().get_ref<const std::string&>();
      if (v.size() > max_credential_value) {
        fail(name + ": must be at most " + std::to_string(max_credential_value) + " bytes");
        return std::nullopt;
      }
      out.emplace(f.key(), v);
    }
    return out;
  }

  /// {"sync_interval_minutes": 5..1440}.
  std::optional<ats_connection_settings> settings(const char* key) {
    const json* it = find(key);
    if (!it) return std::nullopt;
    if (!it->is_object()) {
      fail(std::string{key} + ": must be an object, not " + it->type_name());
      return std::nullopt;
    }
    if (auto e = unknown_field(*it, {"sync_interval_minutes"}, std::string{key} + ".")) {
      fail(e->detail);
      return std::nullopt;
    }
    ats_connection_settings s;
    auto iv = it->find("sync_interval_minutes");
    if (iv != it->end() && !iv->is_null()) {
      const auto name = std::string{key} + ".sync_interval_minutes";
      if (!iv->is_number_integer()) {
        fail(name + ": must be an integer, not " + iv->type_name());
        return std::nullopt;
      }
      const bool in_range = iv->is_number_unsigned() ? iv->get<std::uint64_t>() <= std::uint64_t(max_interval) &&
                                                         iv->get<std::uint64_t>() >= std::uint64_t(min_interval)
                                                     : iv->get<std::int64_t>() >= min_interval &&
                                                         iv->get<std::int64_t>() <= max_interval;
      if (!in_range) {
        fail(name + ": must be from " + std::to_string(min_interval) + " to " + std::to_string(max_interval));
        return std::nullopt;
      }
      s.sync_interval_minutes = iv->get<int>();
    }
    return s;
  }

  /// An array of names from `allowed`, no duplicates.
  std::optional<std::vector<std::string>> field_list(const char* key) {
    const json* it = find(key);
    if (!it) return std::nullopt;
    if (!it->is_array()) {
      fail(std::string{key} + ": must be an array of field names, not " + it->type_name());
      return std::nullopt;
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto& v = (*it)[i];
      const auto name = std::string{key} + "[" + std::to_string(i) + "]";
      if (!v.is_string()) {
        fail(name + ": must be a string, not " + v.type_name());
        return std::nullopt;
      }
      const auto& s = v.get_ref<const std::string&>();
      if (!one_of(s, editable_fields)) {
        fail(name + ": must be one of " + list_of(editable_fields));
        return std::nullopt;
      }
      for (const auto& seen : out) {
        if (seen == s) {
          fail(name + ": listed twice");
          return std::nullopt;
        }
      }
      out.push_back(s);
    }
    return out;
  }

};

/// Opens the body or answers its 400/422; null when answered.
std::optional<ats_body_reader> read_body(const route_context& ctx, const responder& respond,
                                         std::initializer_list<std::string_view> known) {
  auto r = body_reader::open(ctx.req.body(), known);
  if (auto* e = std::get_if<input_error>(&r)) {
    respond_input_error(ctx, respond, *e);
    return std::nullopt;
  }
  return ats_body_reader{std::move(std::get<body_reader>(r))};
}

// ---- shared steps -----------------------------------------------------------------------------------

ats_service* ats_or_503(const route_context& ctx, const responder& respond) {
  if (ctx.svc.ats) return ctx.svc.ats;
  respond(make_problem(ctx, bhttp::status::service_unavailable, "ATS integration is not available on this server"));
  return nullptr;
}

auto connection_version = [](const ats_connection_view& c) { return c.version; };
auto created_version = [](const ats_connection_created& c) { return c.connection.version; };
auto job_version = [](const job_detail& d) { return d.version; };

constexpr std::string_view no_connection = "no such ATS connection";
constexpr std::string_view no_job = "no such job";

// ---- connections ------------------------------------------------------------------------------------

void list_connections(const route_context& ctx, responder respond) {
  auto* ats = ats_or_503(ctx, respond);
  if (!ats) return;
  ats->list_connections(path_org(ctx), reply<std::vector<ats_connection_view>>(
                                         ctx, respond, bhttp::status::ok, [](const auto& v) {
                                           json list = json::array();
                                           for (const auto& c : v) list.push_back(connection_json(c));
                                           return json{{"connections", std::move(list)}};
                                         }));
}

void create_connection(const route_context& ctx, responder respond) {
  if (!require_json(ctx, respond)) return;
  auto in = read_body(ctx, respond, {"vendor", "name", "credentials", "settings"});
  if (!in) return;
  ats_connection_create req;
  if (auto v = in->string("vendor", 32, true)) {
    if (!one_of(*v, vendors)) in->fail("vendor: must be one of " + list_of(vendors));
    req.vendor = std::move(*v);
  }
  if (auto n = in->string("name", max_name, true)) req.name = std::move(*n);
  if (auto c = in->credentials("credentials", true)) req.credentials = std::move(*c);
  if (auto s = in->settings("settings")) req.settings = *s;
  if (in->error) return respond_input_error(ctx, respond, *in->error);
  auto* ats = ats_or_503(ctx, respond);
  if (!ats) return;
  const auto org = path_org(ctx);
  ats->create_connection(
    org, std::move(req), *ctx.who, request_actor(ctx),
    [respond, path = std::string{ctx.path}, rid = std::string{ctx.request_id}, v = ctx.req.version(),
     base = std::string{ctx.path}](result<ats_connection_created> r) {
      if (!r) return respond(problem_from(r.error(), path, rid));
      auto res = json_response(bhttp::status::created, v, dump_json(created_json(*r)));
      res.set(bhttp::field::location, base + "/" + r->connection.id);
      res.set(bhttp::field::etag, etag_for_version(r->connection.version));
      respond(std::move(res));
    });
}

void get_connection(const route_context& ctx, responder respond) {
  auto id = path_id(ctx, respond, "conn", no_connection);
  if (!id) return;
  auto* ats = ats_or_503(ctx, respond);
  if (!ats) return;
  ats->get_connection(path_org(ctx), std::move(*id),
                      reply_tagged<ats_connection_view>(ctx, respond, bhttp::status::ok, connection_json,
                                                        connection_version));
}

void patch_connection(const route_context& ctx, responder respond) {
  auto id = path_id(ctx, respond, "conn", no_connection);
  if (!id || !require_json(ctx, respond)) return;
  std::optional<std::int64_t> if_match;
  if (!if_match_or_412(ctx, respond, if_match)) return;
  auto in = read_body(ctx, respond, {"name", "credentials", "settings", "rotate_webhook_secret"});
  if (!in) return;
  ats_connection_patch patch;
  patch.name = in->string("name", max_name, false);
  patch.credentials = in->credentials("credentials", false);
  patch.settings = in->settings("settings");
  patch.rotate_webhook_secret = in->boolean("rotate_webhook_secret").value_or(false);
  if (!in->error && !patch.name && !patch.credentials && !patch.settings && !patch.rotate_webhook_secret) {
    in->fail("the patch is empty: give name, credentials, settings or rotate_webhook_secret");
  }
  if (in->error) return respond_input_error(ctx, respond, *in->error);
  auto* ats = ats_or_503(ctx, respond);
  if (!ats) return;
  ats->update_connection(path_org(ctx), std::move(*id), std::move(patch), if_match, *ctx.who, request_actor(ctx),
                         reply_tagged<ats_connection_created>(ctx, respond, bhttp::status::ok, created_json,
                                                              created_version));
}

void disconnect_connection(const route_context& ctx, responder respond) {
  auto id = path_id(ctx, respond, "conn", no_connection);
  if (!id) return;
  auto* ats = ats_or_503(ctx, respond);
  if (!ats) return;
  ats->disconnect_connection(path_org(ctx), std::move(*id), *ctx.who, request_actor(ctx),
                             reply_tagged<ats_connection_view>(ctx, respond, bhttp::status::ok, connection_json,
                                                               connection_version));
}

void delete_connection(const route_context& ctx, responder respond) {
  auto id = path_id(ctx, respond, "conn", no_connection);
  if (!id) return;
  auto* ats = ats_or_503(ctx, respond);
  if (!ats) return;
  ats->delete_connection(path_org(ctx), std::move(*id), *ctx.who, request_actor(ctx), reply_no_content(ctx, respond));
}

void test_connection(const route_context& ctx, responder respond) {
  auto id = path_id(ctx, respond, "conn", no_connection);
  if (!id) return;
  auto* ats = ats_or_503(ctx, respond);
  if (!ats) return;
  ats->test_connection(path_org(ctx), std::move(*id), *ctx.who, request_actor(ctx),
                       reply<ats_test_result>(ctx, respond, bhttp::status::ok, [](const ats_test_result& t) {
                         return json{{"ok", t.ok}, {"detail", t.detail}, {"connection", connection_json(t.connection)}};
                       }));
}

void sync_connection(const route_context& ctx, responder respond) {
  auto id = path_id(ctx, respond, "conn", no_connection);
  if (!id) return;
  auto* ats = ats_or_503(ctx, respond);
  if (!ats) return;
  ats->sync_now(path_org(ctx), std::move(*id), *ctx.who, request_actor(ctx),
                reply_tagged<ats_connection_view>(ctx, respond, bhttp::status::accepted, connection_json,
                                                  connection_version));
}

void connection_history(const route_context& ctx, responder respond) {
  auto id = path_id(ctx, respond, "conn", no_connection);
  if (!id) return;
  auto* ats = ats_or_503(ctx, respond);
  if (!ats) return;
  ats->connection_history(path_org(ctx), std::move(*id),
                          reply<std::vector<ats_history_entry>>(ctx, respond, bhttp::status::ok, [](const auto& v) {
                            json list = json::array();
                            for (const auto& h : v) list.push_back(history_json(h));
                            return json{{"history", std::move(list)}};
                          }));
}

void integration_log(const route_context& ctx, responder respond) {
  auto id = path_id(ctx, respond, "conn", no_connection);
  if (!id) return;
  auto q = read_query(ctx, {"limit", "before"});
  if (auto* e = std::get_if<query_error>(&q)) return respond_query_error(ctx, respond, *e);
  const auto& qm = std::get<query_map>(q);
  std::int64_t limit = 50;
  std::int64_t before = 0;
  if (auto e = read_int(qm, "limit", 1, 200, limit)) return respond_query_error(ctx, respond, *e);
  if (auto e = read_int(qm, "before", 1, std::numeric_limits<std::int64_t>::max(), before)) return respond_query_error(ctx, respond, *e);
  auto* ats = ats_or_503(ctx, respond);
  if (!ats) return;
  ats->integration_log(path_org(ctx), std::move(*id), static_cast<int>(limit),
                       before > 0 ? std::optional<std::int64_t>{before} : std::nullopt,
                       reply<ats_log_page>(ctx, respond, bhttp::status::ok, [](const ats_log_page& p) {
                         json list = json::array();
                         for (const auto& e : p.entries) list.push_back(log_entry_json(e));
                         return json{{"entries", std::move(list)}, {"next_before", opt_num(p.next_before_id)}};
                       }));
}

// ---- jobs -------------------------------------------------------------------------------------------

void list_jobs(const route_context& ctx, responder respond) {
  auto q = read_query(ctx, {"connection", "state", "ats_status", "q", "limit", "cursor"});
  if (auto* e = std::get_if<query_error>(&q)) return respond_query_error(ctx, respond, *e);
  const auto& qm = std::get<query_map>(q);
  auto bad = [&](std::string detail) { respond(make_problem(ctx, bhttp::status::bad_request, detail)); };
  job_filter f;
  if (auto it = qm.find("connection"); it != qm.end()) {
    auto c = canonical_uuid(it->second);
    if (c.empty()) return bad("connection: expected a connection id");
    f.connection_id = std::move(c);
  }
  if (auto it = qm.find("state"); it != qm.end()) {
    if (!one_of(it->second, posting_states)) return bad("state: must be one of " + list_of(posting_states));
    f.posting_state = it->second;
  }
  if (auto it = qm.find("ats_status"); it != qm.end()) {
    if (!one_of(it->second, ats_statuses)) return bad("ats_status: must be one of " + list_of(ats_statuses));
    f.ats_status = it->second;
  }
  if (auto it = qm.find("q"); it != qm.end()) {
    if (it->second.size() > max_short_text) {
      return bad("q: must be at most " + std::to_string(max_short_text) + " bytes");
    }
    f.q = it->second;
  }
  if (auto it = qm.find("cursor"); it != qm.end()) {
    if (!is_cursor(it->second)) return bad("cursor: not a cursor returned by this API");
    f.cursor = it->second;
  }
  std::int64_t limit = f.limit;
  if (auto e = read_int(qm, "limit", 1, 200, limit)) return respond_query_error(ctx, respond, *e);
  f.limit = static_cast<int>(limit);
  auto* ats = ats_or_503(ctx, respond);
  if (!ats) return;
  ats->list_jobs(path_org(ctx), std::move(f), reply<job_page>(ctx, respond, bhttp::status::ok, [](const job_page& p) {
                   json list = json::array();
                   for (const auto& j : p.jobs) list.push_back(job_summary_json(j));
                   return json{{"jobs", std::move(list)}, {"next_cursor", opt(p.next_cursor)}};
                 }));
}

void get_job(const route_context& ctx, responder respond) {
  auto id = path_id(ctx, respond, "job", no_job);
  if (!id) return;
  auto* ats = ats_or_503(ctx, respond);
  if (!ats) return;
  ats->get_job(path_org(ctx), std::move(*id),
               reply_tagged<job_detail>(ctx, respond, bhttp::status::ok, job_detail_json, job_version));
}

void patch_job(const route_context& ctx, responder respond) {
  auto id = path_id(ctx, respond, "job", no_job);
  if (!id || !require_json(ctx, respond)) return;
  std::optional<std::int64_t> if_match;
  if (!if_match_or_412(ctx, respond, if_match)) return;
  auto in = read_body(ctx, respond,
                      {"title", "department", "location", "description_html", "requirements", "revert",
                       "shortlist_stage_id"});
  if (!in) return;
  job_edit edit;
  edit.title = in->string("title", max_title, false);
  edit.department = in->string("department", max_short_text, false, 0);
  edit.location = in->string("location", max_short_text, false, 0);
  edit.description_html = in->string("description_html", max_description, false, 0);
  edit.requirements = in->string("requirements", max_requirements, false, 0);
  if (auto r = in->field_list("revert")) edit.revert = std::move(*r);
  // null clears the shortlist stage (the service's empty string); a string sets it.
  if (in->is_null("shortlist_stage_id")) {
    edit.shortlist_stage_id = std::string{};
  } else if (auto s = in->string("shortlist_stage_id", max_short_text, false)) {
    edit.shortlist_stage_id = std::move(*s);
  }
  for (const auto& f : edit.revert) {
    const bool set = (f == "title" && edit.title) || (f == "department" && edit.department) ||
                     (f == "location" && edit.location) || (f == "description_html" && edit.description_html) ||
                     (f == "requirements" && edit.requirements);
    if (set) in->fail(f + ": cannot be set and reverted in the same request");
  }
  if (!in->error && !edit.title && !edit.department && !edit.location && !edit.description_html &&
      !edit.requirements && edit.revert.empty() && !edit.shortlist_stage_id) {
    in->fail("the patch is empty: give a field to change, revert or shortlist_stage_id");
  }
  if (in->error) return respond_input_error(ctx, respond, *in->error);
  auto* ats = ats_or_503(ctx, respond);
  if (!ats) return;
  ats->update_job(path_org(ctx), std::move(*id), std::move(edit), if_match, *ctx.who, request_actor(ctx),
                  reply_tagged<job_detail>(ctx, respond, bhttp::status::ok, job_detail_json, job_version));
}

void transition_job(const route_context& ctx, responder respond) {
  auto id = path_id(ctx, respond, "job", no_job);
  if (!id || !require_json(ctx, respond)) return;
  std::optional<std::int64_t> if_match;
  if (!if_match_or_412(ctx, respond, if_match)) return;
  auto in = read_body(ctx, respond, {"event"});
  if (!in) return;
  auto ev = in->string("event", 32, true);
  if (ev && !domain::parse_job_posting_event(*ev)) {
    in->fail("event: must be one of claim, mark_ready, revise, open, close, reopen, archive");
  }
  if (in->error) return respond_input_error(ctx, respond, *in->error);
  auto* ats = ats_or_503(ctx, respond);
  if (!ats) return;
  ats->transition_job(path_org(ctx), std::move(*id), std::move(*ev), if_match, *ctx.who, request_actor(ctx),
                      reply_tagged<job_detail>(ctx, respond, bhttp::status::ok, job_detail_json, job_version));
}

// ---- applications -----------------------------------------------------------------------------------

void list_applications(const route_context& ctx, responder respond) {
  auto id = path_id(ctx, respond, "job", no_job);
  if (!id) return;
  auto q = read_query(ctx, {"stage", "status", "limit", "cursor"});
  if (auto* e = std::get_if<query_error>(&q)) return respond_query_error(ctx, respond, *e);
  const auto& qm = std::get<query_map>(q);
  auto bad = [&](std::string detail) { respond(make_problem(ctx, bhttp::status::bad_request, detail)); };
  application_filter f;
  if (auto it = qm.find("stage"); it != qm.end()) {
    if (it->second.size() > max_short_text) {
      return bad("stage: must be at most " + std::to_string(max_short_text) + " bytes");
    }
    f.stage_id = it->second;
  }
  if (auto it = qm.find("status"); it != qm.end()) {
    if (!one_of(it->second, application_statuses)) {
      return bad("status: must be one of " + list_of(application_statuses));
    }
    f.status = it->second;
  }
  if (auto it = qm.find("cursor"); it != qm.end()) {
    if (!is_cursor(it->second)) return bad("cursor: not a cursor returned by this API");
    f.cursor = it->second;
  }
  std::int64_t limit = f.limit;
  if (auto e = read_int(qm, "limit", 1, 500, limit)) return respond_query_error(ctx, respond, *e);
  f.limit = static_cast<int>(limit);
  auto* ats = ats_or_503(ctx, respond);
  if (!ats) return;
  // The middleware established the role; API keys carry theirs. The permission matrix decides.
  const auto org = path_org(ctx);
  const auto role = ctx.who ? ctx.who->role_in(org.value) : std::nullopt;
  const bool include_pii = role && domain::allowed(*role, domain::action::candidate_pii_read);
  ats->list_applications(org, std::move(*id), std::move(f), include_pii,
                         reply<application_page>(ctx, respond, bhttp::status::ok,
                                                 [include_pii](const application_page& p) {
                                                   json list = json::array();
                                                   for (const auto& a : p.applications) {
                                                     list.push_back(application_json(a, include_pii));
                                                   }
                                                   return json{{"applications", std::move(list)},
                                                               {"next_cursor", opt(p.next_cursor)}};
                                                 }));
}

void list_stage_events(const route_context& ctx, responder respond) {
  auto id = path_id(ctx, respond, "job", no_job);
  if (!id) return;
  auto* ats = ats_or_503(ctx, respond);
  if (!ats) return;
  ats->list_stage_events(path_org(ctx), std::move(*id),
                         reply<std::vector<stage_event_view>>(ctx, respond, bhttp::status::ok, [](const auto& v) {
                           json list = json::array();
                           for (const auto& e : v) list.push_back(stage_event_json(e));
                           return json{{"stage_events", std::move(list)}};
                         }));
}

}  // namespace

void add_ats_routes(router& r) {
  using domain::action;
  using v = bhttp::verb;
  const std::string conns = "/api/v1/orgs/{id}/ats/connections";
  const std::string conn = conns + "/{conn}";
  r.add(v::get, conns, route_access::org(action::ats_read), list_connections);
  r.add(v::post, conns, route_access::org(action::ats_connect), create_connection);
  r.add(v::get, conn, route_access::org(action::ats_read), get_connection);
  r.add(v::patch, conn, route_access::org(action::ats_connect), patch_connection);
  r.add(v::delete_, conn, route_access::org(action::ats_disconnect), delete_connection);
  r.add(v::post, conn + "/disconnect", route_access::org(action::ats_disconnect), disconnect_connection);
  r.add(v::post, conn + "/test", route_access::org(action::ats_connect), test_connection);
  r.add(v::post, conn + "/sync", route_access::org(action::ats_sync), sync_connection);
  r.add(v::get, conn + "/history", route_access::org(action::ats_read), connection_history);
  r.add(v::get, conn + "/log", route_access::org(action::ats_read), integration_log);

  const std::string jobs = "/api/v1/orgs/{id}/jobs";
  const std::string job = jobs + "/{job}";
  r.add(v::get, jobs, route_access::org(action::job_read), list_jobs);
  r.add(v::get, job, route_access::org(action::job_read), get_job);
  r.add(v::patch, job, route_access::org(action::job_update), patch_job);
  r.add(v::post, job + "/transitions", route_access::org(action::job_update), transition_job);
  r.add(v::get, job + "/applications", route_access::org(action::job_read), list_applications);
  r.add(v::get, job + "/stage-events", route_access::org(action::job_read), list_stage_events);
}

}  // namespace hw::http_api
