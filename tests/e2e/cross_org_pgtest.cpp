// Tenant isolation over HTTP: EVERY org-scoped route of the server (enumerated from the very
// route table the server builds, http_api::build_routes) is called by organization A's owner
// (session cookie + valid CSRF token, then A's owner-role API key) with organization B's id and
// B's object ids. Each answer must be 404 (the operator-only routes: 403, exactly as for an
// organization that does not exist), and afterwards nothing of B has changed. A route whose
// parameters or body this test does not know makes it FAIL, so a new route cannot go untested.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include <boost/beast/http/verb.hpp>

#include "http/router.hpp"
#include "http/routes/routes.hpp"
#include "http/server.hpp"
#include "tests/support/account_e2e.hpp"

using namespace hw::testing;
using namespace hw::testing::e2e;

namespace {

/// Everything of B that a cross-tenant call could touch, as one text (admin connection, no RLS).
std::string snapshot_of(const account_app& app, const std::string& org) {
  const std::string q = "'" + org + "'::uuid";
  return app.text(
    "SELECT concat_ws(E'\\n',"
    " (SELECT to_jsonb(o)::text FROM organizations o WHERE org_id = " + q + "),"
    " (SELECT string_agg(to_jsonb(m)::text, ',' ORDER BY user_id) FROM memberships m WHERE org_id = " + q + "),"
    " (SELECT string_agg(to_jsonb(u)::text, ',' ORDER BY user_id) FROM users u WHERE user_id IN"
    "    (SELECT user_id FROM memberships WHERE org_id = " + q + ")),"
    " (SELECT string_agg(to_jsonb(t)::text, ',' ORDER BY invitation_id) FROM team_invitations t WHERE org_id = " + q + "),"
    " (SELECT string_agg(to_jsonb(k)::text, ',' ORDER BY key_id) FROM api_keys k WHERE org_id = " + q + "),"
    " (SELECT to_jsonb(s)::text FROM sso_configs s WHERE org_id = " + q + "),"
    " (SELECT string_agg(to_jsonb(s)::text, ',' ORDER BY created_at) FROM sessions s WHERE user_id IN"
    "    (SELECT user_id FROM memberships WHERE org_id = " + q + ")),"
    " (SELECT string_agg(to_jsonb(c)::text, ',' ORDER BY connection_id) FROM ats_connections c WHERE org_id = " + q + "),"
    " (SELECT string_agg(to_jsonb(j)::text, ',' ORDER BY job_id) FROM job_postings j WHERE org_id = " + q + "),"
    " (SELECT string_agg(to_jsonb(i)::text, ',' ORDER BY item_id) FROM content_items i WHERE org_id = " + q + "),"
    " (SELECT string_agg(to_jsonb(v)::text, ',' ORDER BY item_id, number) FROM content_item_versions v"
    "    WHERE org_id = " + q + "),"
    " (SELECT string_agg(to_jsonb(c)::text, ',' ORDER BY id) FROM content_comments c WHERE org_id = " + q + "),"
    " (SELECT string_agg(to_jsonb(s)::text, ',' ORDER BY slug) FROM content_skills s WHERE org_id = " + q + "),"
    " (SELECT string_agg(to_jsonb(t)::text, ',' ORDER BY template_id) FROM interview_templates t"
    "    WHERE org_id = " + q + "),"
    " (SELECT string_agg(to_jsonb(v)::text, ',' ORDER BY template_id, number) FROM interview_template_versions v"
    "    WHERE org_id = " + q + "),"
    " (SELECT to_jsonb(l)::text FROM org_llm_settings l WHERE org_id = " + q + "),"
    " (SELECT 'ats_log=' || count(*) FROM ats_integration_log WHERE org_id = " + q + "),"
    " (SELECT 'audit=' || count(*) FROM audit_events WHERE org_id = " + q + "),"
    " (SELECT 'mails=' || count(*) FROM email_messages WHERE org_id = " + q + "))");
}

/// A valid interview content item body (actors/domain/content.hpp).
json content_item_body(const std::string& title) {
  return json{{"kind", "technical"},
              {"title", title},
              {"prompt", "Explain how PostgreSQL chooses a query plan, with an example."},
              {"rubric", {{"strong", "Precise."}, {"acceptable", "Mostly right."}, {"weak", "Vague."}}},
              {"expected_minutes", 10},
              {"difficulty", "medium"},
              {"skills", {"postgresql"}},
              {"seniorities", {"mid"}},
              {"categories", {"engineering"}}};
}

/// A template body that parses; its item exists nowhere, so only the job lookup can answer.
json template_body_json() {
  return json{{"instructions", "Pwned by A"},
              {"sections",
               {{{"title", "Pwned"},
                 {"items",
                  {{{"item_id", "0b6f5e3c-1d2a-4c4b-9e8f-7a6b5c4d3e2f"},
                    {"item_version", 1},
                    {"time_limit_minutes", 10},
                    {"weight", 1}}}}}}}};
}

/// A body that would pass parsing for each state-changing org route (so a missing authorization
/// check would show as a success, not hide behind a 422). Unknown unsafe routes: the test fails.
const std::map<std::string, json>& bodies() {
  static const std::map<std::string, json> m = {
    {"POST /api/v1/orgs/{id}/content/items", content_item_body("Pwned by A")},
    {"PATCH /api/v1/orgs/{id}/content/items/{item}", content_item_body("Pwned by A")},
    {"POST /api/v1/orgs/{id}/content/items/{item}/transitions", {{"event", "archive"}}},
    {"POST /api/v1/orgs/{id}/content/items/{item}/comments", {{"text", "Pwned by A"}}},
    // job_id: any uuid; the source item is B's, so the lookup answers first.
    {"POST /api/v1/orgs/{id}/content/items/{item}/variants",
     {{"from_version", 1}, {"job_id", "0b6f5e3c-1d2a-4c4b-9e8f-7a6b5c4d3e2f"}, {"body", content_item_body("Pwned by A")}}},
    {"POST /api/v1/orgs/{id}/content/library/starter", nullptr},
    {"POST /api/v1/orgs/{id}/content/library/import",
     {{"format", "hirewire.library.v1"}, {"items", {{{"body", content_item_body("Pwned by A")}}}}}},
    {"POST /api/v1/orgs/{id}/content/skills", {{"slug", "pwned"}, {"label", "Pwned"}, {"category", "data"}}},
    {"PATCH /api/v1/orgs/{id}/content/llm-settings", {{"enabled", false}}},
    {"PUT /api/v1/orgs/{id}/jobs/{job}/template", template_body_json()},
    {"POST /api/v1/orgs/{id}/jobs/{job}/template/transitions", {{"event", "submit"}}},
    {"POST /api/v1/orgs/{id}/jobs/{job}/template/proposal", json::object()},
    {"POST /api/v1/orgs/{id}/jobs/{job}/template/proposal/apply", template_body_json()},
    {"PATCH /api/v1/orgs/{id}", {{"name", "Pwned by A"}}},
    {"POST /api/v1/orgs/{id}/close", json::object()},
    {"POST /api/v1/orgs/{id}/suspend", json::object()},
    {"POST /api/v1/orgs/{id}/reactivate", json::object()},
    {"PATCH /api/v1/orgs/{id}/members/{user_id}", {{"role", "owner"}}},
    {"DELETE /api/v1/orgs/{id}/members/{user_id}", nullptr},
    {"POST /api/v1/orgs/{id}/team-invitations", {{"email", "mole@a.test"}, {"role", "owner"}}},
    {"POST /api/v1/orgs/{id}/team-invitations/{inv}/resend", json::object()},
    {"DELETE /api/v1/orgs/{id}/team-invitations/{inv}", nullptr},
    {"POST /api/v1/orgs/{id}/api-keys", {{"name", "mole"}, {"role", "owner"}}},
    {"DELETE /api/v1/orgs/{id}/api-keys/{key}", nullptr},
    {"PUT /api/v1/orgs/{id}/sso",
     {{"enabled", true},
      {"issuer", "http://127.0.0.1:9/evil"},
      {"client_id", "evil"},
      {"client_secret", "evil-secret"},
      {"allowed_domains", {"a.test"}},
      {"default_role", "owner"},
      {"sso_required", true}}},
    {"POST /api/v1/orgs/{id}/ats/connections",
     {{"vendor", "greenhouse"}, {"name", "Mole"}, {"credentials", {{"client_id", "x"}, {"client_secret", "y"}}}}},
    {"PATCH /api/v1/orgs/{id}/ats/connections/{conn}", {{"name", "Pwned by A"}, {"rotate_webhook_secret", true}}},
    {"DELETE /api/v1/orgs/{id}/ats/connections/{conn}", nullptr},
    {"POST /api/v1/orgs/{id}/ats/connections/{conn}/disconnect", json::object()},
    {"POST /api/v1/orgs/{id}/ats/connections/{conn}/test", json::object()},
    {"POST /api/v1/orgs/{id}/ats/connections/{conn}/sync", json::object()},
    {"PATCH /api/v1/orgs/{id}/jobs/{job}", {{"title", "Pwned by A"}, {"shortlist_stage_id", nullptr}}},
    {"POST /api/v1/orgs/{id}/jobs/{job}/transitions", {{"event", "archive"}}},
  };
  return m;
}

std::string fill(const std::string& tmpl, const std::map<std::string, std::string>& params, std::string& unknown) {
  std::string out;
  std::size_t i = 0;
  while (i < tmpl.size()) {
    if (tmpl[i] == '{') {
      const auto close = tmpl.find('}', i);
      const auto name = tmpl.substr(i + 1, close - i - 1);
      auto it = params.find(name);
      if (it == params.end()) {
        unknown = name;
        return {};
      }
      out += it->second;
      i = close + 1;
    } else {
      out += tmpl[i++];
    }
  }
  return out;
}

}  // namespace

TEST_CASE("cross-org e2e: every org-scoped route answers 404 for another organization's ids and changes nothing",
          "[pg][e2e][cross_org]") {
  account_app app;
  auto a = signup(app.port, "alpha", "owner@alpha.test");
  auto b = signup(app.port, "bravo", "owner@bravo.test");

  // B: a member, a pending invitation, an API key, SSO settings (best effort: PUT may validate the
  // issuer), some audit history.
  auto member_token = invite(*b.b, b.org_id, "member@bravo.test", "recruiter");
  json member_session;
  auto member = accept_new(app.port, member_token, "Bravo Member", strong_password, &member_session);
  const std::string b_member = member_session["user"]["id"];
  json pending;
  invite(*b.b, b.org_id, "pending@bravo.test", "viewer", &pending);
  const std::string b_inv = pending["id"];
  auto bkey = body_json(b.b->post("/api/v1/orgs/" + b.org_id + "/api-keys", json{{"name", "bravo-ci"}, {"role", "admin"}}));
  const std::string b_key = bkey["api_key"]["id"];
  (void)b.b->put("/api/v1/orgs/" + b.org_id + "/sso", json{{"enabled", false},
                                                          {"issuer", "https://idp.bravo.test"},
                                                          {"client_id", "bravo"},
                                                          {"client_secret", "bravo-secret"},
                                                          {"allowed_domains", {"bravo.test"}},
                                                          {"default_role", "viewer"},
                                                          {"sso_required", false}});
  // B: an ATS connection (pending: never tested, so nothing syncs) and one imported job posting.
  auto bconn = body_json(b.b->post("/api/v1/orgs/" + b.org_id + "/ats/connections",
                                   json{{"vendor", "greenhouse"},
                                        {"name", "Bravo Greenhouse"},
                                        {"credentials", {{"client_id", "bravo"}, {"client_secret", "bravo-secret"}}}}));
  INFO(bconn.dump());
  const std::string b_conn = bconn["connection"]["id"];
  const std::string b_job = app.text(
      "INSERT INTO job_postings (org_id, job_id, connection_id, external_id, ats_title, ats_status, created_at, updated_at)"
      " VALUES ('" + b.org_id + "', gen_random_uuid(), '" + b_conn + "', '4242', 'Bravo Engineer', 'open', now(), now())"
      " RETURNING job_id");
  REQUIRE(!b_job.empty());
  // B: interview content (an item in review with a comment) and a draft template for its job.
  auto bitem = body_json(b.b->post("/api/v1/orgs/" + b.org_id + "/content/items", content_item_body("Bravo item")));
  INFO(bitem.dump());
  const std::string b_item = bitem["id"];
  auto bsub = b.b->post("/api/v1/orgs/" + b.org_id + "/content/items/" + b_item + "/transitions",
                        json{{"event", "submit"}});
  INFO(bsub.body);
  REQUIRE(bsub.status == 200);
  REQUIRE(b.b->post("/api/v1/orgs/" + b.org_id + "/content/items/" + b_item + "/comments",
                    json{{"text", "Bravo comment"}}).status == 201);
  auto btpl = b.b->put("/api/v1/orgs/" + b.org_id + "/jobs/" + b_job + "/template",
                       json{{"instructions", "Bravo"},
                            {"sections", {{{"title", "Main"},
                                           {"items", {{{"item_id", b_item}, {"item_version", 1},
                                                       {"time_limit_minutes", 10}, {"weight", 1}}}}}}}});
  INFO(btpl.body);
  REQUIRE(btpl.status == 200);
  // A's owner-role API key: the second credential of the sweep.
  auto akey = body_json(a.b->post("/api/v1/orgs/" + a.org_id + "/api-keys", json{{"name", "alpha-ci"}, {"role", "owner"}}));
  const std::string a_secret = akey["secret"];

  // Let B's mails be delivered first so the snapshot is stable.
  wait_for_mail(*b.b, b.org_id, "pending@bravo.test", "teammate_invitation");
  const auto before = snapshot_of(app, b.org_id);
  REQUIRE(before.find(b_inv) != std::string::npos);
  REQUIRE(before.find(b_key) != std::string::npos);
  REQUIRE(before.find(b_item) != std::string::npos);
  REQUIRE(before.find("Bravo comment") != std::string::npos);
  const auto b_audit_before = app.count("SELECT count(*) FROM audit_events WHERE org_id = '" + b.org_id + "'");

  // The server's own route table (dev mailbox on: the test app uses the dev mailbox transport).
  hw::http_api::server_options opts;
  opts.dev_mailbox = true;
  const auto routes = hw::http_api::build_routes(opts).routes();
  REQUIRE(routes.size() > 10);

  const std::map<std::string, std::string> b_ids = {
    {"id", b.org_id}, {"user_id", b_member}, {"inv", b_inv}, {"key", b_key}, {"conn", b_conn}, {"job", b_job}, {"item", b_item}};
  const std::string nowhere = "6f1c2f7e-3a39-4d5c-9a0e-2b7f3c1d4e5f";
  std::map<std::string, std::string> nowhere_ids = b_ids;
  nowhere_ids["id"] = nowhere;

  int org_routes = 0;
  int object_routes = 0;
  for (const auto& rt : routes) {
    if (rt.tmpl.find("{id}") == std::string::npos) continue;
    const auto verb_name = boost::beast::http::to_string(rt.verb);
    const std::string method{verb_name.data(), verb_name.size()};
    const std::string key = method + " " + rt.tmpl;
    INFO(key << " (" << hw::http_api::to_string(rt.access) << ")");
    std::string unknown;
    const auto target = fill(rt.tmpl, b_ids, unknown);
    if (!unknown.empty()) FAIL("the cross-org test does not know how to fill {" << unknown << "}: add B's id for it");
    std::string body;
    if (is_unsafe(method)) {
      auto it = bodies().find(key);
      if (it == bodies().end()) FAIL("the cross-org test has no body for this state-changing route: add one");
      if (!it->second.is_null()) body = it->second.dump();
    }
    const bool operator_only = rt.access.k == hw::http_api::route_access::kind::operator_only;
    if (!operator_only) {
      REQUIRE(rt.access.k == hw::http_api::route_access::kind::org);
      ++org_routes;
    }

    // 1. A's owner by session cookie + CSRF.
    auto by_session = a.b->request(method, target, body);
    INFO("session: " << by_session.status << " " << by_session.body);
    // 2. A's owner-role API key.
    header_list h{{"Authorization", "Bearer " + a_secret}};
    if (!body.empty()) h.emplace_back("Content-Type", "application/json");
    auto by_key = http_request(app.port, method, target, body, h);
    INFO("api key: " << by_key.status << " " << by_key.body);
    if (operator_only) {
      // Not for A at all; the same answer as for an organization that does not exist.
      std::string u2;
      auto elsewhere = a.b->request(method, fill(rt.tmpl, nowhere_ids, u2), body);
      CHECK(by_session.status == 403);
      CHECK(by_key.status == 403);
      CHECK(elsewhere.status == by_session.status);
      CHECK(detail_of(elsewhere) == detail_of(by_session));
    } else {
      CHECK(by_session.status == 404);
      CHECK(by_key.status == 404);
      CHECK(detail_of(by_session) == "no such organization");
      CHECK(detail_of(by_key) == "no such organization");
    }

    // 3. A's own org id with B's object ids (an id from another tenant inside one's own org).
    if (rt.tmpl.find("{user_id}") != std::string::npos || rt.tmpl.find("{inv}") != std::string::npos ||
        rt.tmpl.find("{key}") != std::string::npos || rt.tmpl.find("{conn}") != std::string::npos ||
        rt.tmpl.find("{job}") != std::string::npos || rt.tmpl.find("{item}") != std::string::npos) {
      ++object_routes;
      auto own = b_ids;
      own["id"] = a.org_id;
      std::string u3;
      auto in_own = a.b->request(method, fill(rt.tmpl, own, u3), body);
      INFO("own org, B's object: " << in_own.status << " " << in_own.body);
      CHECK(in_own.status == 404);
    }
  }
  CHECK(org_routes >= 30);
  CHECK(object_routes >= 18);

  // B is exactly as it was: rows, sessions, keys, invitations, settings and audit trail.
  CHECK(snapshot_of(app, b.org_id) == before);
  CHECK(app.count("SELECT count(*) FROM audit_events WHERE org_id = '" + b.org_id + "'") == b_audit_before);
  // And B still works for its own people and key.
  CHECK(member->get("/api/v1/orgs/" + b.org_id).status == 200);
  CHECK(bearer(app.port, bkey["secret"], "GET", "/api/v1/orgs/" + b.org_id).status == 200);
  auto invs = body_json(b.b->get("/api/v1/orgs/" + b.org_id + "/team-invitations"))["invitations"];
  bool still_pending = false;
  for (const auto& i : invs) {
    if (i["id"] == b_inv) still_pending = i["status"] == "pending";
  }
  CHECK(still_pending);
}
