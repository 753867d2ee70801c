// Interview content (issue 5): the question and challenge library (items, versions, review,
// comments, job-local variants), the library as a whole (starter, export, import), skills, job
// interview templates with approval, proposals generated from a job's description, and the
// organization's LLM settings. Org-scoped: the middleware (http/auth.cpp) checked the credential
// and the route's action before a handler runs. Then, in order: path ids are UUIDs (404, no
// service call) -> body size (413: 256 KiB; the import is registered with its own 8 MiB limit,
// which the session applies before reading) -> Content-Type (415) -> If-Match (412) -> query or body (400
// unreadable, 422 a field's value) -> hw::content_service (actors/domain/content_service.hpp),
// whose callback runs on an actor thread (`respond` posts back onto the connection's strand).
// Item and template bodies are passed to the service as JSON objects: it parses them strictly
// and answers invalid_argument (422) listing every problem. Bodies and answers: http/API.md,
// "Interview content".
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/domain/content_service.hpp"
#include "actors/domain/ids.hpp"
#include "http/auth.hpp"
#include "http/json/body_reader.hpp"
#include "http/json/content_json.hpp"
#include "http/problem.hpp"
#include "http/routes/routes.hpp"

namespace hw::http_api {

namespace {

using json = nlohmann::json;

// ---- limits (bytes unless noted) ----------------------------------------------------------------
constexpr std::size_t max_body = 256 * 1024;            // every content body but the import
constexpr std::size_t max_import_body = 8 * 1024 * 1024;  // a whole library
constexpr std::size_t max_q = 200;
constexpr std::size_t max_skill_query = 100;
constexpr std::size_t max_comment = 20000;  // the service's rule is 1..5000 characters
constexpr std::size_t max_label = 240;      // the service's rule is 1..60 characters
constexpr std::size_t max_synonyms = 20;
constexpr std::size_t max_base_url = 2048;
constexpr std::size_t max_model = 200;
constexpr std::size_t max_api_key = 4096;
constexpr std::size_t max_instructions = 40000;  // the service's rule is 10000 characters
constexpr std::int64_t max_version = std::numeric_limits<std::int32_t>::max();

constexpr std::string_view kinds[] = {"behavioral", "technical", "system_design", "coding"};
constexpr std::string_view seniorities[] = {"intern", "junior", "mid", "senior", "staff_plus"};
constexpr std::string_view categories[] = {"engineering", "data",    "product",   "design",
                                           "sales",       "support", "marketing", "operations"};
constexpr std::string_view item_states[] = {"draft", "in_review", "changes_requested", "approved", "archived"};
constexpr std::string_view item_events[] = {"submit", "approve", "request_changes", "archive"};
constexpr std::string_view template_events[] = {"submit", "approve", "request_changes"};

constexpr std::string_view no_item = "no such content item";
constexpr std::string_view no_job = "no such job";

// ---- shared steps -----------------------------------------------------------------------------------

content_service* content_or_503(const route_context& ctx, const responder& respond) {
  if (ctx.svc.content) return ctx.svc.content;
  respond(make_problem(ctx, bhttp::status::service_unavailable, "interview content is not available on this server"));
  return nullptr;
}

/// What the caller may do in the path's organization, from the permission matrix. API keys and
/// the bootstrap admin are no user: user_id stays empty (they may not review).
content_rights rights_for(const route_context& ctx) {
  content_rights r;
  if (!ctx.who) return r;
  const auto role = ctx.who->role_in(path_org(ctx).value);
  if (ctx.who->k == principal::kind::user) r.user_id = ctx.who->user_id;
  if (!role) return r;
  r.content_create = domain::allowed(*role, domain::action::content_create);
  r.content_approve = domain::allowed(*role, domain::action::content_approve);
  r.template_update = domain::allowed(*role, domain::action::template_update);
  r.template_approve = domain::allowed(*role, domain::action::template_approve);
  r.skill_manage = domain::allowed(*role, domain::action::skill_manage);
  return r;
}

/// Body size (413) then Content-Type (415). False when answered.
bool body_precheck(const route_context& ctx, const responder& respond, std::size_t limit) {
  if (ctx.req.body().size() > limit) {
    respond(make_problem(ctx, bhttp::status::payload_too_large,
                         "the request body exceeds the limit of " + std::to_string(limit) + " bytes for this route"));
    return false;
  }
  return require_json(ctx, respond);
}

/// The strict reader plus integers and JSON objects.
class content_body_reader : public body_reader {
 public:
  explicit content_body_reader(body_reader base) : body_reader(std::move(base)) {}

  /// An integer in [lo, hi]. null counts as absent.
  std::optional<std::int64_t> integer(const char* key, std::int64_t lo, std::int64_t hi, bool required) {
    const json* v = present(key, required);
    if (!v) return std::nullopt;
    if (!v->is_number_integer()) {
      fail(std::string{key} + ": must be an integer, not " + v->type_name());
      return std::nullopt;
    }
    const bool in_range = v->is_number_unsigned()
                            ? v->get<std::uint64_t>() <= static_cast<std::uint64_t>(hi) &&
                                (lo <= 0 || v->get<std::uint64_t>() >= static_cast<std::uint64_t>(lo))
                            : v->get<std::int64_t>() >= lo && v->get<std::int64_t>() <= hi;
    if (!in_range) {
      fail(std::string{key} + ": must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
      return std::nullopt;
    }
    return v->get<std::int64_t>();
  }

  /// A JSON object, passed on as it is.
  std::optional<json> object(const char* key, bool required) {
    const json* v = present(key, required);
    if (!v) return std::nullopt;
    if (!v->is_object()) {
      fail(std::string{key} + ": must be an object, not " + v->type_name());
      return std::nullopt;
    }
    return *v;
  }

  /// A JSON array, passed on as it is.
  std::optional<json> array(const char* key, bool required) {
    const json* v = present(key, required);
    if (!v) return std::nullopt;
    if (!v->is_array()) {
      fail(std::string{key} + ": must be an array, not " + v->type_name());
      return std::nullopt;
    }
    return *v;
  }

  /// A string from `set`.
  template <std::size_t N>
  std::optional<std::string> choice(const char* key, const std::string_view (&set)[N], bool required) {
    auto s = string(key, 64, required);
    if (s && !one_of(*s, set)) {
      fail(std::string{key} + ": must be one of " + list_of(set));
      return std::nullopt;
    }
    return s;
  }
};

/// Opens the body or answers its 400/422; nothing when answered.
std::optional<content_body_reader> read_body(const route_context& ctx, const responder& respond,
                                             std::initializer_list<std::string_view> known) {
  auto r = body_reader::open(ctx.req.body(), known);
  if (auto* e = std::get_if<input_error>(&r)) {
    respond_input_error(ctx, respond, *e);
    return std::nullopt;
  }
  return content_body_reader{std::move(std::get<body_reader>(r))};
}

/// A whole body that is one JSON object (an item or template body, a library document): 400 when
/// malformed or not an object, as body_reader. Its fields are the service's to check.
std::optional<json> read_object(const route_context& ctx, const responder& respond) {
  const auto& body = ctx.req.body();
  json j;
  try {
    j = json::parse(body.begin(), body.end());
  } catch (const json::parse_error& e) {
    respond_input_error(ctx, respond, unreadable("malformed JSON at byte " + std::to_string(e.byte) + ": " +
                                                 (e.id == 101 ? "syntax error" : "invalid input")));
    return std::nullopt;
  } catch (const json::exception&) {
    respond_input_error(ctx, respond, unreadable("malformed JSON"));
    return std::nullopt;
  }
  if (!j.is_object()) {
    respond_input_error(ctx, respond, unreadable(std::string{"the body must be a JSON object, not "} + j.type_name()));
    return std::nullopt;
  }
  return j;
}

/// ?version=n (1..2^31-1) of the item and template reads.
bool read_version_query(const route_context& ctx, const responder& respond, std::optional<std::int32_t>& out) {
  auto q = read_query(ctx, {"version"});
  if (auto* e = std::get_if<query_error>(&q)) {
    respond_query_error(ctx, respond, *e);
    return false;
  }
  std::int64_t v = 0;  // absent
  if (auto e = read_int(std::get<query_map>(q), "version", 1, max_version, v)) {
    respond_query_error(ctx, respond, *e);
    return false;
  }
  if (v > 0) out = static_cast<std::int32_t>(v);
  return true;
}

// ---- answers ---------------------------------------------------------------------------------------

/// 201 with the new item, its ETag and Location.
content_callback<item_view> reply_created_item(const route_context& ctx, responder respond) {
  return [respond = std::move(respond), path = std::string{ctx.path}, rid = std::string{ctx.request_id},
          v = ctx.req.version(),
          base = "/api/v1/orgs/" + path_org(ctx).value + "/content/items/"](result<item_view> r) {
    if (!r) return respond(problem_from(r.error(), path, rid));
    auto res = json_response(bhttp::status::created, v, dump_json(item_json(*r)));
    res.set(bhttp::field::etag, etag_for_version(r->version));
    res.set(bhttp::field::location, base + r->id);
    respond(std::move(res));
  };
}

auto item_version = [](const item_view& v) { return v.version; };
auto template_version = [](const template_view& t) { return t.version; };
auto llm_version = [](const llm_settings_view& s) { return s.version; };

// ---- library items ------------------------------------------------------------------------------------

void list_items(const route_context& ctx, responder respond) {
  auto q = read_query(ctx, {"q", "skill", "seniority", "category", "kind", "state", "author", "job_id",
                            "include_archived", "limit", "cursor"});
  if (auto* e = std::get_if<query_error>(&q)) return respond_query_error(ctx, respond, *e);
  const auto& qm = std::get<query_map>(q);
  auto bad = [&](std::string detail) { respond(make_problem(ctx, bhttp::status::bad_request, detail)); };
  item_filter f;
  if (auto it = qm.find("q"); it != qm.end()) {
    if (it->second.size() > max_q) return bad("q: must be at most " + std::to_string(max_q) + " bytes");
    f.q = it->second;
  }
  if (auto it = qm.find("skill"); it != qm.end()) {
    if (it->second.size() > max_skill_query) {
      return bad("skill: must be at most " + std::to_string(max_skill_query) + " bytes");
    }
    f.skill = it->second;
  }
  if (auto it = qm.find("seniority"); it != qm.end()) {
    // '+' is not decoded as a space, so "staff+" arrives as written.
    const auto s = it->second == "staff+" ? std::string{"staff_plus"} : it->second;
    if (!one_of(s, seniorities)) return bad("seniority: must be one of " + list_of(seniorities));
    f.seniority = s;
  }
  if (auto it = qm.find("category"); it != qm.end()) {
    if (!one_of(it->second, categories)) return bad("category: must be one of " + list_of(categories));
    f.category = it->second;
  }
  if (auto it = qm.find("kind"); it != qm.end()) {
    if (!one_of(it->second, kinds)) return bad("kind: must be one of " + list_of(kinds));
    f.kind = it->second;
  }
  if (auto it = qm.find("state"); it != qm.end()) {
    if (!one_of(it->second, item_states)) return bad("state: must be one of " + list_of(item_states));
    f.state = it->second;
  }
  if (auto it = qm.find("author"); it != qm.end()) {
    auto id = canonical_uuid(it->second);
    if (id.empty()) return bad("author: expected a user id");
    f.author = std::move(id);
  }
  if (auto it = qm.find("job_id"); it != qm.end()) {
    auto id = canonical_uuid(it->second);
    if (id.empty()) return bad("job_id: expected a job id");
    f.job_id = std::move(id);
  }
  if (auto it = qm.find("include_archived"); it != qm.end()) {
    if (it->second != "true" && it->second != "false") return bad("include_archived: must be true or false");
    f.include_archived = it->second == "true";
  }
  if (auto it = qm.find("cursor"); it != qm.end()) {
    if (!is_cursor(it->second)) return bad("cursor: not a cursor returned by this API");
    f.cursor = it->second;
  }
  std::int64_t limit = f.limit;
  if (auto e = read_int(qm, "limit", 1, 200, limit)) return respond_query_error(ctx, respond, *e);
  f.limit = static_cast<int>(limit);
  auto* content = content_or_503(ctx, respond);
  if (!content) return;
  content->list_items(path_org(ctx), std::move(f), reply<item_page>(ctx, respond, bhttp::status::ok, item_page_json));
}

void create_item(const route_context& ctx, responder respond) {
  if (!body_precheck(ctx, respond, max_body)) return;
  auto body = read_object(ctx, respond);
  if (!body) return;
  auto* content = content_or_503(ctx, respond);
  if (!content) return;
  content->create_item(path_org(ctx), std::move(*body), rights_for(ctx), request_actor(ctx),
                       reply_created_item(ctx, respond));
}

void get_item(const route_context& ctx, responder respond) {
  auto id = path_id(ctx, respond, "item", no_item);
  if (!id) return;
  std::optional<std::int32_t> version;
  if (!read_version_query(ctx, respond, version)) return;
  auto* content = content_or_503(ctx, respond);
  if (!content) return;
  content->get_item(path_org(ctx), std::move(*id), version,
                    reply_tagged<item_view>(ctx, respond, bhttp::status::ok, item_json, item_version));
}

void patch_item(const route_context& ctx, responder respond) {
  auto id = path_id(ctx, respond, "item", no_item);
  if (!id || !body_precheck(ctx, respond, max_body)) return;
  std::optional<std::int64_t> if_match;
  if (!if_match_or_412(ctx, respond, if_match)) return;
  auto body = read_object(ctx, respond);
  if (!body) return;
  auto* content = content_or_503(ctx, respond);
  if (!content) return;
  content->update_item(path_org(ctx), std::move(*id), std::move(*body), if_match, rights_for(ctx), request_actor(ctx),
                       reply_tagged<item_view>(ctx, respond, bhttp::status::ok, item_json, item_version));
}

void transition_item(const route_context& ctx, responder respond) {
  auto id = path_id(ctx, respond, "item", no_item);
  if (!id || !body_precheck(ctx, respond, max_body)) return;
  std::optional<std::int64_t> if_match;
  if (!if_match_or_412(ctx, respond, if_match)) return;
  auto in = read_body(ctx, respond, {"event", "comment"});
  if (!in) return;
  auto ev = in->choice("event", item_events, true);
  auto comment = in->string("comment", max_comment, false, 1);
  if (ev && *ev == "request_changes" && !comment) in->fail("comment: is required for request_changes");
  if (in->error) return respond_input_error(ctx, respond, *in->error);
  auto* content = content_or_503(ctx, respond);
  if (!content) return;
  content->transition_item(path_org(ctx), std::move(*id), std::move(*ev), std::move(comment), if_match,
                           rights_for(ctx), request_actor(ctx),
                           reply_tagged<item_view>(ctx, respond, bhttp::status::ok, item_json, item_version));
}

void list_comments(const route_context& ctx, responder respond) {
  auto id = path_id(ctx, respond, "item", no_item);
  if (!id) return;
  auto* content = content_or_503(ctx, respond);
  if (!content) return;
  content->list_comments(path_org(ctx), std::move(*id),
                         reply<std::vector<comment_view>>(ctx, respond, bhttp::status::ok, [](const auto& v) {
                           json list = json::array();
                           for (const auto& c : v) list.push_back(comment_json(c));
                           return json{{"comments", std::move(list)}};
                         }));
}

void add_comment(const route_context& ctx, responder respond) {
  auto id = path_id(ctx, respond, "item", no_item);
  if (!id || !body_precheck(ctx, respond, max_body)) return;
  auto in = read_body(ctx, respond, {"text"});
  if (!in) return;
  auto text = in->string("text", max_comment, true, 1);
  if (in->error) return respond_input_error(ctx, respond, *in->error);
  auto* content = content_or_503(ctx, respond);
  if (!content) return;
  content->add_comment(path_org(ctx), std::move(*id), std::move(*text), rights_for(ctx), request_actor(ctx),
                       reply<comment_view>(ctx, respond, bhttp::status::created, comment_json));
}

void create_variant(const route_context& ctx, responder respond) {
  auto id = path_id(ctx, respond, "item", no_item);
  if (!id || !body_precheck(ctx, respond, max_body)) return;
  auto in = read_body(ctx, respond, {"from_version", "job_id", "body"});
  if (!in) return;
  auto from = in->integer("from_version", 1, max_version, true);
  std::string job;
  if (auto j = in->string("job_id", 64, true, 1)) {
    job = canonical_uuid(*j);
    if (job.empty()) in->fail("job_id: must be a job id (a UUID)");
  }
  auto body = in->object("body", true);
  if (in->error) return respond_input_error(ctx, respond, *in->error);
  auto* content = content_or_503(ctx, respond);
  if (!content) return;
  content->create_variant(path_org(ctx), std::move(*id), static_cast<std::int32_t>(*from), std::move(job),
                          std::move(*body), rights_for(ctx), request_actor(ctx),
                          reply_created_item(ctx, respond));
}

// ---- the library as a whole ---------------------------------------------------------------------------

void load_starter(const route_context& ctx, responder respond) {
  // No body: whatever was sent is ignored.
  auto* content = content_or_503(ctx, respond);
  if (!content) return;
  content->load_starter_library(path_org(ctx), rights_for(ctx), request_actor(ctx),
                                reply<library_import_result>(ctx, respond, bhttp::status::ok, import_result_json));
}

void export_library(const route_context& ctx, responder respond) {
  auto* content = content_or_503(ctx, respond);
  if (!content) return;
  content->export_library(path_org(ctx), [respond, path = std::string{ctx.path}, rid = std::string{ctx.request_id},
                                          v = ctx.req.version()](result<json> r) {
    if (!r) return respond(problem_from(r.error(), path, rid));
    auto res = json_response(bhttp::status::ok, v, dump_json(*r));
    res.set(bhttp::field::content_disposition, "attachment; filename=\"hirewire-library.json\"");
    respond(std::move(res));
  });
}

void import_library(const route_context& ctx, responder respond) {
  if (!body_precheck(ctx, respond, max_import_body)) return;
  auto doc = read_object(ctx, respond);
  if (!doc) return;
  auto* content = content_or_503(ctx, respond);
  if (!content) return;
  content->import_library(path_org(ctx), std::move(*doc), rights_for(ctx), request_actor(ctx),
                          reply<library_import_result>(ctx, respond, bhttp::status::ok, import_result_json));
}

// ---- skills -------------------------------------------------------------------------------------------

/// ^[a-z0-9][a-z0-9+#.-]{0,49}$ (domain::skill).
bool is_skill_slug(std::string_view s) noexcept {
  if (s.empty() || s.size() > 50) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '+' && c != '#' && c != '.' && c != '-'))) return false;
  }
  return true;
}

void list_skills(const route_context& ctx, responder respond) {
  auto* content = content_or_503(ctx, respond);
  if (!content) return;
  content->list_skills(path_org(ctx),
                       reply<std::vector<skill_view>>(ctx, respond, bhttp::status::ok, [](const auto& v) {
                         json list = json::array();
                         for (const auto& s : v) list.push_back(skill_json(s));
                         return json{{"skills", std::move(list)}};
                       }));
}

void add_skill(const route_context& ctx, responder respond) {
  if (!body_precheck(ctx, respond, max_body)) return;
  auto in = read_body(ctx, respond, {"slug", "label", "synonyms", "category"});
  if (!in) return;
  skill_view s;
  if (auto slug = in->string("slug", 50, true, 1)) {
    if (!is_skill_slug(*slug)) {
      in->fail("slug: must be lower-case letters, digits and + # . - (starting with a letter or digit)");
    }
    s.slug = std::move(*slug);
  }
  if (auto label = in->string("label", max_label, true, 1)) s.label = std::move(*label);
  if (auto syn = in->string_list("synonyms", max_synonyms, max_label, false)) s.synonyms = std::move(*syn);
  if (auto cat = in->choice("category", categories, true)) s.category = std::move(*cat);
  if (in->error) return respond_input_error(ctx, respond, *in->error);
  auto* content = content_or_503(ctx, respond);
  if (!content) return;
  content->add_skill(path_org(ctx), std::move(s), rights_for(ctx), request_actor(ctx),
                     reply<skill_view>(ctx, respond, bhttp::status::created, skill_json));
}

// ---- templates ----------------------------------------------------------------------------------------

void get_template(const route_context& ctx, responder respond) {
  auto job = path_id(ctx, respond, "job", no_job);
  if (!job) return;
  std::optional<std::int32_t> version;
  if (!read_version_query(ctx, respond, version)) return;
  auto* content = content_or_503(ctx, respond);
  if (!content) return;
  content->get_template(path_org(ctx), std::move(*job), version,
                        reply_tagged<template_view>(ctx, respond, bhttp::status::ok, template_json, template_version));
}

void put_template(const route_context& ctx, responder respond) {
  auto job = path_id(ctx, respond, "job", no_job);
  if (!job || !body_precheck(ctx, respond, max_body)) return;
  std::optional<std::int64_t> if_match;
  if (!if_match_or_412(ctx, respond, if_match)) return;
  auto body = read_object(ctx, respond);
  if (!body) return;
  auto* content = content_or_503(ctx, respond);
  if (!content) return;
  content->save_template(path_org(ctx), std::move(*job), std::move(*body), if_match, rights_for(ctx),
                         request_actor(ctx),
                         reply_tagged<template_view>(ctx, respond, bhttp::status::ok, template_json, template_version));
}

void transition_template(const route_context& ctx, responder respond) {
  auto job = path_id(ctx, respond, "job", no_job);
  if (!job || !body_precheck(ctx, respond, max_body)) return;
  std::optional<std::int64_t> if_match;
  if (!if_match_or_412(ctx, respond, if_match)) return;
  auto in = read_body(ctx, respond, {"event"});
  if (!in) return;
  auto ev = in->choice("event", template_events, true);
  if (in->error) return respond_input_error(ctx, respond, *in->error);
  auto* content = content_or_503(ctx, respond);
  if (!content) return;
  content->transition_template(path_org(ctx), std::move(*job), std::move(*ev), if_match, rights_for(ctx),
                               request_actor(ctx),
                               reply_tagged<template_view>(ctx, respond, bhttp::status::ok, template_json,
                                                           template_version));
}

void propose_template(const route_context& ctx, responder respond) {
  auto job = path_id(ctx, respond, "job", no_job);
  if (!job) return;
  proposal_request req;
  // An empty body asks with the defaults.
  if (!ctx.req.body().empty()) {
    if (!body_precheck(ctx, respond, max_body)) return;
    auto in = read_body(ctx, respond, {"target_minutes", "use_llm"});
    if (!in) return;
    if (auto m = in->integer("target_minutes", 5, 480, false)) req.target_minutes = static_cast<int>(*m);
    if (auto u = in->boolean("use_llm")) req.use_llm = *u;
    if (in->error) return respond_input_error(ctx, respond, *in->error);
  }
  auto* content = content_or_503(ctx, respond);
  if (!content) return;
  content->propose_template(path_org(ctx), std::move(*job), req,
                            reply<proposal_view>(ctx, respond, bhttp::status::ok,
                                                 [](const proposal_view& p) { return p.json; }));
}

void apply_proposal(const route_context& ctx, responder respond) {
  auto job = path_id(ctx, respond, "job", no_job);
  if (!job || !body_precheck(ctx, respond, max_body)) return;
  std::optional<std::int64_t> if_match;
  if (!if_match_or_412(ctx, respond, if_match)) return;
  auto in = read_body(ctx, respond, {"instructions", "submit_generated", "sections"});
  if (!in) return;
  // The top level is checked here; the sections are the service's (it parses them like a template).
  in->string("instructions", max_instructions, false, 0);
  in->boolean("submit_generated");
  in->array("sections", true);
  if (in->error) return respond_input_error(ctx, respond, *in->error);
  auto* content = content_or_503(ctx, respond);
  if (!content) return;
  proposal_apply req{json::parse(ctx.req.body(), nullptr, false)};
  content->apply_proposal(path_org(ctx), std::move(*job), std::move(req), if_match, rights_for(ctx),
                          request_actor(ctx),
                          reply_tagged<template_view>(ctx, respond, bhttp::status::ok, template_json,
                                                      template_version));
}

// ---- LLM settings -------------------------------------------------------------------------------------

void get_llm_settings(const route_context& ctx, responder respond) {
  auto* content = content_or_503(ctx, respond);
  if (!content) return;
  content->get_llm_settings(path_org(ctx), reply_tagged<llm_settings_view>(ctx, respond, bhttp::status::ok,
                                                                           llm_settings_json, llm_version));
}

void patch_llm_settings(const route_context& ctx, responder respond) {
  if (!body_precheck(ctx, respond, max_body)) return;
  std::optional<std::int64_t> if_match;
  if (!if_match_or_412(ctx, respond, if_match)) return;
  auto in = read_body(ctx, respond, {"enabled", "base_url", "model", "api_key", "timeout_seconds"});
  if (!in) return;
  llm_settings_patch patch;
  patch.enabled = in->boolean("enabled");
  patch.base_url = in->string("base_url", max_base_url, false, 0);
  patch.model = in->string("model", max_model, false, 0);
  patch.api_key = in->string("api_key", max_api_key, false, 0);  // "" clears the key
  if (auto t = in->integer("timeout_seconds", 1, 120, false)) patch.timeout_seconds = static_cast<int>(*t);
  if (!in->error && !patch.enabled && !patch.base_url && !patch.model && !patch.api_key && !patch.timeout_seconds) {
    in->fail("the patch is empty: give enabled, base_url, model, api_key or timeout_seconds");
  }
  if (in->error) return respond_input_error(ctx, respond, *in->error);
  auto* content = content_or_503(ctx, respond);
  if (!content) return;
  content->update_llm_settings(path_org(ctx), std::move(patch), if_match, request_actor(ctx),
                               reply_tagged<llm_settings_view>(ctx, respond, bhttp::status::ok, llm_settings_json,
                                                               llm_version));
}

}  // namespace

void add_content_routes(router& r) {
  using domain::action;
  using v = bhttp::verb;
  const std::string content = "/api/v1/orgs/{id}/content";
  const std::string items = content + "/items";
  const std::string item = items + "/{item}";
  r.add(v::get, items, route_access::org(action::content_read), list_items);
  r.add(v::post, items, route_access::org(action::content_create), create_item);
  r.add(v::get, item, route_access::org(action::content_read), get_item);
  r.add(v::patch, item, route_access::org(action::content_create), patch_item);
  // Approving needs content.approve: the service checks it in content_rights (and the author rule).
  r.add(v::post, item + "/transitions", route_access::org(action::content_create), transition_item);
  r.add(v::get, item + "/comments", route_access::org(action::content_read), list_comments);
  r.add(v::post, item + "/comments", route_access::org(action::content_create), add_comment);
  r.add(v::post, item + "/variants", route_access::org(action::content_create), create_variant);

  r.add(v::post, content + "/library/starter", route_access::org(action::content_create), load_starter);
  r.add(v::get, content + "/library/export", route_access::org(action::content_read), export_library);
  // A whole library may exceed the server's body_limit: the session reads up to 8 MiB here.
  r.add(v::post, content + "/library/import", route_access::org(action::content_create), import_library,
        max_import_body);

  r.add(v::get, content + "/skills", route_access::org(action::content_read), list_skills);
  r.add(v::post, content + "/skills", route_access::org(action::skill_manage), add_skill);

  r.add(v::get, content + "/llm-settings", route_access::org(action::org_update_settings), get_llm_settings);
  r.add(v::patch, content + "/llm-settings", route_access::org(action::org_update_settings), patch_llm_settings);

  const std::string tmpl = "/api/v1/orgs/{id}/jobs/{job}/template";
  r.add(v::get, tmpl, route_access::org(action::template_read), get_template);
  r.add(v::put, tmpl, route_access::org(action::template_update), put_template);
  // Approving needs template.approve: passed in content_rights, checked by the service.
  r.add(v::post, tmpl + "/transitions", route_access::org(action::template_update), transition_template);
  r.add(v::post, tmpl + "/proposal", route_access::org(action::template_update), propose_template);
  r.add(v::post, tmpl + "/proposal/apply", route_access::org(action::template_update), apply_proposal);
}

}  // namespace hw::http_api
