// storage/team_invitation_repo: create (e-mail + audit in the same transaction), conflicts,
// resend, revoke, list with computed status, the cross-tenant lookup by token digest, accept
// (membership + NOTIFY, exactly one of two concurrent accepts wins), and row-level security as
// the app role.
#include <catch2/catch.hpp>

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <thread>

#include "storage/email_repo.hpp"
#include "storage/organization_repo.hpp"
#include "storage/pg.hpp"
#include "storage/session_repo.hpp"
#include "storage/team_invitation_repo.hpp"
#include "storage/user_repo.hpp"
#include "tests/support/pg_fixture.hpp"

using hw::testing::pg_fixture;
namespace st = hw::storage;
namespace dm = hw::domain;
using namespace std::chrono_literals;

namespace {

const st::time_point t0 = st::time_point{} + std::chrono::seconds{1'900'000'000};
const hw::actor_ref operator_cli{"system", "admin-cli"};

st::email_draft invite_mail() {
  return st::email_draft{"teammate_invitation", "overridden@example.com", "Join Org",
                         "Accept: https://app.example/join#TOKEN"};
}

struct world {
  pg_fixture db;
  st::connection_ptr c;
  hw::org_id a, b;
  st::user_record owner;
  hw::actor_ref by_owner;

  explicit world(pg_fixture::app_role r = pg_fixture::app_role::none)
      : db{pg_fixture::schema::migrated, r}, c{db.connect()} {
    a = make_org("org-a");
    b = make_org("org-b");
    owner = *st::create_user(*c, st::user_create{"owner@a.example", "Owner", std::nullopt});
    REQUIRE(st::add_membership(*c, a, owner.id, dm::role::owner, operator_cli));
    by_owner = hw::actor_ref{"user", owner.id};
  }
  hw::org_id make_org(const std::string& slug) {
    auto o = st::insert_organization(*c, dm::org_create{"Org " + slug, slug, "UTC", {}}, operator_cli);
    REQUIRE(o);
    return o->id;
  }
  st::team_invitation_record invite(const hw::org_id& org, const std::string& email,
                                    const std::string& token, st::time_point now = t0,
                                    dm::role role = dm::role::recruiter) {
    auto r = st::create_team_invitation(
        *c, org, st::team_invitation_create{email, role, st::token_digest_hex(token), now + 7 * 24h},
        invite_mail(), now, by_owner);
    INFO((r ? "" : r.error().detail));
    REQUIRE(r);
    return *r;
  }
  long count(const std::string& sql) {
    pqxx::nontransaction tx{*c};
    return tx.exec1(sql)[0].as<long>();
  }
  long audits(const std::string& action) {
    return count("SELECT count(*) FROM audit_events WHERE action = '" + action + "'");
  }
};

}  // namespace

TEST_CASE("team_invitation_repo: create writes the invitation, its e-mail and an audit row",
          "[pg][team_invitation]") {
  world w;
  auto inv = w.invite(w.a, " Carol@Example.com ", "tok");
  CHECK(inv.org == w.a);
  CHECK(inv.email == "Carol@Example.com");
  CHECK(inv.email_normalized == "carol@example.com");
  CHECK(inv.role == dm::role::recruiter);
  CHECK(inv.status == "pending");
  CHECK(inv.sends == 1);
  CHECK(inv.invited_by_kind == "user");
  CHECK(inv.invited_by_id == w.owner.id);
  CHECK(inv.expires_at_tp == t0 + 7 * 24h);
  REQUIRE(inv.email_id);
  auto m = st::load_email(*w.c, w.a, *inv.email_id);
  REQUIRE(m);
  REQUIRE(*m);
  CHECK((*m)->to_address == "Carol@Example.com");
  CHECK((*m)->subject == "Join Org");
  CHECK(w.count("SELECT count(*) FROM jobs WHERE kind = 'send_email'") == 1);
  CHECK(w.audits("member.invited") == 1);
  {
    pqxx::nontransaction tx{*w.c};
    auto r = tx.exec1("SELECT target, detail::text FROM audit_events WHERE action = 'member.invited'");
    CHECK(r[0].as<std::string>() == inv.id);
    auto d = nlohmann::json::parse(r[1].as<std::string>());
    CHECK(d == nlohmann::json{{"role", "recruiter"}});  // never the address
  }
  // The token is stored only as its digest.
  CHECK(w.count("SELECT count(*) FROM team_invitations WHERE token_hash = sha256('tok'::bytea)") == 1);

  SECTION("a pending invitation for the same address conflicts; another org may invite it") {
    auto again = st::create_team_invitation(
        *w.c, w.a,
        st::team_invitation_create{"carol@example.com", dm::role::viewer, st::token_digest_hex("t2"),
                                   t0 + 24h},
        invite_mail(), t0 + 1min, w.by_owner);
    CHECK(again.code() == hw::errc::conflict);
    CHECK(again.error().detail.find('@') == std::string::npos);
    CHECK(w.count("SELECT count(*) FROM email_messages") == 1);  // rolled back with it
    w.invite(w.b, "carol@example.com", "t3");
  }
  SECTION("an existing member conflicts") {
    auto r = st::create_team_invitation(
        *w.c, w.a,
        st::team_invitation_create{"OWNER@a.example", dm::role::viewer, st::token_digest_hex("t2"),
                                   t0 + 24h},
        invite_mail(), t0, w.by_owner);
    CHECK(r.code() == hw::errc::conflict);
  }
  SECTION("an expired invitation is superseded by a new one") {
    auto fresh = w.invite(w.a, "carol@example.com", "t4", t0 + 8 * 24h);
    auto list = st::list_team_invitations(*w.c, w.a, t0 + 8 * 24h);
    REQUIRE(list);
    REQUIRE(list->size() == 2);
    CHECK((*list)[0].id == fresh.id);
    CHECK((*list)[0].status == "pending");
    CHECK((*list)[1].status == "expired");
    // The superseded one stays expired even at an earlier `now`, and cannot be resent.
    CHECK(st::list_team_invitations(*w.c, w.a, t0)->at(1).status == "expired");
    CHECK(st::resend_team_invitation(*w.c, w.a, inv.id, st::token_digest_hex("t5"), t0 + 9 * 24h,
                                     invite_mail(), t0 + 8 * 24h, w.by_owner)
            .code() == hw::errc::conflict);
  }
  SECTION("validation") {
    auto bad = [&](st::team_invitation_create req, hw::org_id org) {
      return st::create_team_invitation(*w.c, org, req, invite_mail(), t0, w.by_owner).code();
    };
    CHECK(bad({"not-an-email", dm::role::viewer, st::token_digest_hex("x"), t0 + 1h}, w.a) ==
          hw::errc::invalid_argument);
    CHECK(bad({"d@example.com", dm::role::viewer, "abc", t0 + 1h}, w.a) == hw::errc::invalid_argument);
    CHECK(bad({"d@example.com", dm::role::viewer, st::token_digest_hex("x"), t0}, w.a) ==
          hw::errc::invalid_argument);
    CHECK(bad({"d@example.com", dm::role::viewer, st::token_digest_hex("x"), t0 + 1h},
              hw::org_id{"00000000-0000-0000-0000-000000000000"}) == hw::errc::not_found);
    CHECK(bad({"d@example.com", dm::role::viewer, st::token_digest_hex("tok"), t0 + 1h}, w.a) ==
          hw::errc::conflict);  // the digest is taken
  }
}

TEST_CASE("team_invitation_repo: resend replaces the token and expiry, revoke ends it",
          "[pg][team_invitation]") {
  world w;
  auto inv = w.invite(w.a, "dave@example.com", "first");
  auto re = st::resend_team_invitation(*w.c, w.a, inv.id, st::token_digest_hex("second"),
                                       t0 + 1h + 7 * 24h, invite_mail(), t0 + 1h, w.by_owner);
  REQUIRE(re);
  CHECK(re->sends == 2);
  CHECK(re->expires_at_tp == t0 + 1h + 7 * 24h);
  CHECK(re->email_id != inv.email_id);
  CHECK(w.count("SELECT count(*) FROM email_messages") == 2);
  CHECK(w.audits("member.invitation_resent") == 1);
  // The old link stops working, the new one works.
  CHECK(st::find_invitation_by_token(*w.c, st::token_digest_hex("first"), t0 + 2h).code() ==
        hw::errc::unauthorized);
  CHECK(st::find_invitation_by_token(*w.c, st::token_digest_hex("second"), t0 + 2h));
  // Another org's id is not found.
  CHECK(st::resend_team_invitation(*w.c, w.b, inv.id, st::token_digest_hex("x"), t0 + 9h,
                                   invite_mail(), t0 + 2h, w.by_owner)
          .code() == hw::errc::not_found);

  REQUIRE(st::revoke_team_invitation(*w.c, w.a, inv.id, t0 + 3h, w.by_owner));
  CHECK(w.audits("member.invitation_revoked") == 1);
  CHECK(st::revoke_team_invitation(*w.c, w.a, inv.id, t0 + 4h, w.by_owner));  // idempotent
  CHECK(w.audits("member.invitation_revoked") == 1);
  CHECK(st::list_team_invitations(*w.c, w.a, t0 + 3h)->at(0).status == "revoked");
  CHECK(st::find_invitation_by_token(*w.c, st::token_digest_hex("second"), t0 + 3h).code() ==
        hw::errc::unauthorized);
  CHECK(st::resend_team_invitation(*w.c, w.a, inv.id, st::token_digest_hex("x"), t0 + 9h,
                                   invite_mail(), t0 + 4h, w.by_owner)
          .code() == hw::errc::conflict);
  CHECK(st::revoke_team_invitation(*w.c, w.b, inv.id, t0, w.by_owner).code() == hw::errc::not_found);
  // After a revocation the address can be invited again.
  w.invite(w.a, "dave@example.com", "third", t0 + 5h);
}

TEST_CASE("team_invitation_repo: find by token works across tenants and checks status",
          "[pg][team_invitation]") {
  world w;
  auto inv = w.invite(w.b, "erin@example.com", "tok");
  auto f = st::find_invitation_by_token(*w.c, st::token_digest_hex("tok"), t0 + 1h);
  REQUIRE(f);
  CHECK(f->invitation.id == inv.id);
  CHECK(f->invitation.org == w.b);
  CHECK(f->org_slug == "org-b");
  CHECK(f->org_name == "Org org-b");
  CHECK_FALSE(f->account_exists);
  REQUIRE(st::create_user(*w.c, st::user_create{"ERIN@example.com", "", std::nullopt}));
  CHECK(st::find_invitation_by_token(*w.c, st::token_digest_hex("tok"), t0 + 1h)->account_exists);
  CHECK(st::find_invitation_by_token(*w.c, st::token_digest_hex("tok"), t0 + 7 * 24h).code() ==
        hw::errc::unauthorized);  // expired
  CHECK(st::find_invitation_by_token(*w.c, st::token_digest_hex("nope"), t0).code() ==
        hw::errc::unauthorized);
  CHECK(st::find_invitation_by_token(*w.c, "xyz", t0).code() == hw::errc::unauthorized);
}

TEST_CASE("team_invitation_repo: accept adds the membership and NOTIFYs the user",
          "[pg][team_invitation][notify]") {
  world w;
  auto inv = w.invite(w.a, "frank@example.com", "tok", t0, dm::role::admin);
  auto frank = *st::create_user(*w.c, st::user_create{"Frank@Example.com", "Frank", std::nullopt});
  auto listen_conn = w.db.connect();
  struct receiver : pqxx::notification_receiver {
    using pqxx::notification_receiver::notification_receiver;
    void operator()(const std::string& p, int) override { got.push_back(p); }
    std::vector<std::string> got;
  } l{*listen_conn, "hw_auth"};

  auto acc = st::accept_team_invitation(*w.c, st::token_digest_hex("tok"), frank.id, t0 + 1h,
                                        hw::actor_ref{"user", frank.id});
  INFO((acc ? "" : acc.error().detail));
  REQUIRE(acc);
  CHECK(acc->invitation.status == "accepted");
  CHECK(acc->invitation.accepted_user_id == frank.id);
  CHECK(acc->member.role == dm::role::admin);
  CHECK(acc->member.org == w.a);
  for (int i = 0; i < 10 && l.got.empty(); ++i) listen_conn->await_notification(1, 0);
  REQUIRE_FALSE(l.got.empty());
  CHECK(l.got[0] == "user:" + frank.id);
  CHECK(w.audits("member.invitation_accepted") == 1);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'member.added'"
                " AND detail->>'via' = 'invitation' AND target = '" + frank.id + "'") == 1);
  // single use
  CHECK(st::accept_team_invitation(*w.c, st::token_digest_hex("tok"), frank.id, t0 + 2h,
                                   operator_cli)
          .code() == hw::errc::unauthorized);

  SECTION("a different account cannot use it; an existing member conflicts; expired is refused") {
    auto inv2 = w.invite(w.a, "gina@example.com", "tok2");
    auto other = *st::create_user(*w.c, st::user_create{"mallory@example.com", "", std::nullopt});
    CHECK(st::accept_team_invitation(*w.c, st::token_digest_hex("tok2"), other.id, t0 + 1h,
                                     operator_cli)
            .code() == hw::errc::forbidden);
    auto gina = *st::create_user(*w.c, st::user_create{"gina@example.com", "", std::nullopt});
    CHECK(st::accept_team_invitation(*w.c, st::token_digest_hex("tok2"), gina.id, t0 + 7 * 24h,
                                     operator_cli)
            .code() == hw::errc::unauthorized);
    REQUIRE(st::add_membership(*w.c, w.a, gina.id, dm::role::viewer, operator_cli));
    CHECK(st::accept_team_invitation(*w.c, st::token_digest_hex("tok2"), gina.id, t0 + 1h,
                                     operator_cli)
            .code() == hw::errc::conflict);
    // nothing of the refused accept remains: still pending
    for (const auto& i : *st::list_team_invitations(*w.c, w.a, t0 + 1h)) {
      if (i.id == inv2.id) CHECK(i.status == "pending");
    }
    CHECK(w.audits("member.invitation_accepted") == 1);
  }
  (void)inv;
}

TEST_CASE("team_invitation_repo: two concurrent accepts of one invitation: exactly one wins",
          "[pg][team_invitation][concurrency]") {
  world w;
  w.invite(w.a, "hank@example.com", "tok");
  auto hank = *st::create_user(*w.c, st::user_create{"hank@example.com", "", std::nullopt});
  for (int round = 0; round < 3; ++round) {
    const auto token = "tok-r" + std::to_string(round);
    if (round > 0) {
      REQUIRE(st::remove_member(*w.c, w.a, hank.id, operator_cli));
      w.invite(w.a, "hank@example.com", token, t0 + std::chrono::hours{round});
    }
    const auto digest = st::token_digest_hex(round == 0 ? "tok" : token);
    auto c1 = w.db.connect();
    auto c2 = w.db.connect();
    std::optional<hw::result<st::team_invitation_accepted>> r1, r2;
    const auto now = t0 + std::chrono::hours{round} + 1min;
    std::thread x{[&] { r1.emplace(st::accept_team_invitation(*c1, digest, hank.id, now, operator_cli)); }};
    std::thread y{[&] { r2.emplace(st::accept_team_invitation(*c2, digest, hank.id, now, operator_cli)); }};
    x.join();
    y.join();
    INFO("round " << round);
    CHECK(static_cast<int>(r1->has_value()) + static_cast<int>(r2->has_value()) == 1);
    const auto loser = r1->has_value() ? r2->code() : r1->code();
    CHECK(loser == hw::errc::unauthorized);
  }
  CHECK(w.audits("member.invitation_accepted") == 3);
}

TEST_CASE("team_invitation_repo: as the app role another org's invitations are invisible",
          "[pg][team_invitation][rls]") {
  world w{pg_fixture::app_role::create};
  w.invite(w.a, "ivy@example.com", "tok-a");
  w.invite(w.b, "ivy@example.com", "tok-b");
  auto app = w.db.connect_app();
  {
    // No org_id filter: only RLS scopes it.
    pqxx::read_transaction tx{*app};
    st::set_tenant(tx, w.a);
    CHECK(tx.exec1("SELECT count(*) FROM team_invitations")[0].as<long>() == 1);
    CHECK(tx.exec1("SELECT count(DISTINCT org_id) FROM team_invitations")[0].as<std::string>() == "1");
  }
  {
    pqxx::read_transaction tx{*app};
    CHECK(tx.exec1("SELECT count(*) FROM team_invitations")[0].as<long>() == 0);  // no tenant
  }
  auto la = st::list_team_invitations(*app, w.a, t0);
  REQUIRE(la);
  REQUIRE(la->size() == 1);
  CHECK(la->at(0).org == w.a);
  // Another org's id through the repository: not found.
  auto ib = st::list_team_invitations(*app, w.b, t0)->at(0).id;
  CHECK(st::revoke_team_invitation(*app, w.a, ib, t0, w.by_owner).code() == hw::errc::not_found);
  // The cross-tenant lookup by digest and the accept still work as the app role.
  auto f = st::find_invitation_by_token(*app, st::token_digest_hex("tok-b"), t0 + 1h);
  REQUIRE(f);
  CHECK(f->invitation.org == w.b);
  auto ivy = *st::create_user(*app, st::user_create{"ivy@example.com", "", std::nullopt});
  auto acc = st::accept_team_invitation(*app, st::token_digest_hex("tok-b"), ivy.id, t0 + 1h,
                                        hw::actor_ref{"user", ivy.id});
  INFO((acc ? "" : acc.error().detail));
  REQUIRE(acc);
  CHECK(acc->member.org == w.b);
  // And creating one as the app role works (the e-mail, its job and the audit row pass WITH CHECK).
  auto created = st::create_team_invitation(
      *app, w.a,
      st::team_invitation_create{"jack@example.com", dm::role::viewer, st::token_digest_hex("j"),
                                 t0 + 24h},
      invite_mail(), t0, w.by_owner);
  INFO((created ? "" : created.error().detail));
  CHECK(created);
}
