#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "actors/domain/permissions.hpp"

using namespace hw::domain;

namespace {

// ---- The expectation, written independently of permissions.hpp. ----

// Role names from highest to lowest; a role may do what every role below it may do.
const std::vector<std::string> ladder = {"owner",          "admin",       "recruiter",
                                         "hiring_manager", "interviewer", "viewer"};

int position(const std::string& role_name) {
  for (std::size_t i = 0; i < ladder.size(); ++i) {
    if (ladder[i] == role_name) return static_cast<int>(i);
  }
  FAIL("unknown role " << role_name);
  return -1;
}

struct expectation {
  std::string lowest_role;  // the lowest role allowed; every role above it is allowed too
  bool read_only;
};

// Every action the product knows, by its wire name. A new action must be added here, or the
// "every action is expected" test fails.
const std::map<std::string, expectation> expected = {
  {"org.read", {"viewer", true}},
  {"org.update_settings", {"admin", false}},
  {"org.close", {"owner", false}},
  {"member.list", {"viewer", true}},
  {"member.invite", {"admin", false}},
  {"member.change_role", {"admin", false}},
  {"member.remove", {"admin", false}},
  {"api_key.list", {"admin", true}},
  {"api_key.create", {"admin", false}},
  {"api_key.revoke", {"admin", false}},
  {"sso.read", {"admin", true}},
  {"sso.configure", {"owner", false}},
  {"audit.read", {"admin", true}},
  {"webhook.read", {"admin", true}},
  {"webhook.configure", {"admin", false}},
  {"ats.read", {"hiring_manager", true}},
  {"ats.connect", {"admin", false}},
  {"ats.disconnect", {"admin", false}},
  {"ats.sync", {"recruiter", false}},
  {"job.read", {"viewer", true}},
  {"job.update", {"recruiter", false}},
  {"content.read", {"viewer", true}},
  {"content.create", {"interviewer", false}},
  {"content.approve", {"hiring_manager", false}},
  {"template.read", {"viewer", true}},
  {"template.update", {"hiring_manager", false}},
  {"template.approve", {"hiring_manager", false}},
  {"email_template.read", {"recruiter", true}},
  {"email_template.update", {"recruiter", false}},
  {"invitation.read", {"viewer", true}},
  {"invitation.create", {"recruiter", false}},
  {"invitation.update", {"recruiter", false}},
  {"invitation.revoke", {"recruiter", false}},
  {"results.read", {"viewer", true}},
  {"results.review", {"interviewer", false}},
  {"results.export", {"recruiter", false}},
  {"candidate.export", {"admin", true}},
  {"candidate.erase", {"admin", false}},
  {"dev_mailbox.read", {"admin", true}},
  {"candidate.pii_read", {"hiring_manager", true}},
  {"skill.manage", {"admin", false}},
};

bool expected_allowed(const std::string& role_name, const std::string& action_name) {
  const auto it = expected.find(action_name);
  REQUIRE(it != expected.end());
  // Separation of duties (issue 5): recruiters build interview templates but do not approve them.
  if (action_name == "template.approve" && role_name == "recruiter") return false;
  return position(role_name) <= position(it->second.lowest_role);
}

// Role changes, restated: owners change anything; admins change non-owners to non-owner roles.
bool expected_can_assign(const std::string& actor, const std::string& current,
                         const std::string& next) {
  if (actor == "owner") return true;
  if (actor == "admin") return current != "owner" && next != "owner";
  return false;
}

std::vector<action> every_action() {
  std::vector<action> out;
  for (const auto& row : permission_table) out.push_back(row.act);
  return out;
}

}  // namespace

TEST_CASE("permissions: roles round-trip through their names", "[unit][permissions]") {
  REQUIRE(all_roles.size() == ladder.size());
  for (std::size_t i = 0; i < all_roles.size(); ++i) {
    CHECK(std::string{to_string(all_roles[i])} == ladder[i]);
    CHECK(parse_role(ladder[i]) == all_roles[i]);
  }
  CHECK_FALSE(parse_role("Owner").has_value());
  CHECK_FALSE(parse_role("superuser").has_value());
  CHECK_FALSE(parse_role("").has_value());
  CHECK_FALSE(parse_role("owner ").has_value());
}

TEST_CASE("permissions: role_rank orders owner highest and viewer lowest", "[unit][permissions]") {
  for (role a : all_roles) {
    for (role b : all_roles) {
      const auto pa = position(std::string{to_string(a)});
      const auto pb = position(std::string{to_string(b)});
      CHECK((role_rank(a) > role_rank(b)) == (pa < pb));
    }
  }
  CHECK(role_rank(role::viewer) >= 1);
}

TEST_CASE("permissions: every action is expected, and names round-trip", "[unit][permissions]") {
  std::set<std::string> seen;
  for (action a : every_action()) {
    const std::string name{to_string(a)};
    CAPTURE(name);
    CHECK(expected.count(name) == 1);
    CHECK(parse_action(name) == a);
    CHECK(seen.insert(name).second);
  }
  CHECK(seen.size() == expected.size());
  CHECK(action_count == expected.size());
  CHECK_FALSE(parse_action("org.nuke").has_value());
  CHECK_FALSE(parse_action("ORG.READ").has_value());
  CHECK_FALSE(parse_action("org_read").has_value());
}

TEST_CASE("permissions: every role x action matches the expectation", "[unit][permissions]") {
  int allowed_count = 0;
  for (role r : all_roles) {
    for (action a : every_action()) {
      const std::string rn{to_string(r)};
      const std::string an{to_string(a)};
      CAPTURE(rn, an);
      const bool got = allowed(r, a);
      CHECK(got == expected_allowed(rn, an));
      allowed_count += got ? 1 : 0;
    }
  }
  // Owner 41, admin 39, recruiter 21, hiring_manager 14, interviewer 9, viewer 7.
  CHECK(allowed_count == 41 + 39 + 21 + 14 + 9 + 7);
}

TEST_CASE("permissions: action kinds match the expectation", "[unit][permissions]") {
  for (action a : every_action()) {
    const std::string an{to_string(a)};
    CAPTURE(an);
    CHECK((kind_of(a) == action_kind::read) == expected.at(an).read_only);
  }
}

TEST_CASE("permissions: table invariants hold at run time too", "[unit][permissions]") {
  SECTION("an owner may do everything") {
    for (action a : every_action()) CHECK(allowed(role::owner, a));
  }
  SECTION("a viewer may only read") {
    for (action a : every_action()) {
      if (allowed(role::viewer, a)) CHECK(kind_of(a) == action_kind::read);
    }
  }
  SECTION("only an owner may close the organization") {
    for (role r : all_roles) CHECK(allowed(r, action::org_close) == (r == role::owner));
  }
  SECTION("an admin may do everything but close the organization and configure SSO") {
    for (action a : every_action()) {
      CHECK(allowed(role::admin, a) == (a != action::org_close && a != action::sso_configure));
    }
  }
  SECTION("only owners and admins touch members, keys, SSO, audit and ATS credentials") {
    for (action a : {action::member_invite, action::member_change_role, action::member_remove,
                     action::api_key_create, action::api_key_revoke, action::sso_read,
                     action::audit_read, action::ats_connect, action::candidate_erase,
                     action::skill_manage}) {
      for (role r : all_roles) {
        CHECK(allowed(r, a) == (r == role::owner || r == role::admin));
      }
    }
  }
  SECTION("an out-of-range value is denied") {
    CHECK_FALSE(allowed(static_cast<role>(200), action::org_read));
    CHECK_FALSE(allowed(role::owner, static_cast<action>(200)));
    CHECK(to_string(static_cast<action>(200)) == "unknown");
  }
}

TEST_CASE("permissions: can_assign_role over every role triple", "[unit][permissions]") {
  int allowed_triples = 0;
  for (role actor : all_roles) {
    for (role current : all_roles) {
      for (role next : all_roles) {
        const std::string a{to_string(actor)};
        const std::string c{to_string(current)};
        const std::string n{to_string(next)};
        CAPTURE(a, c, n);
        const bool got = can_assign_role(actor, current, next);
        CHECK(got == expected_can_assign(a, c, n));
        allowed_triples += got ? 1 : 0;
      }
    }
  }
  // Owner: 6 * 6; admin: 5 current roles * 5 new roles.
  CHECK(allowed_triples == 36 + 25);
}

TEST_CASE("permissions: can_invite_role and can_remove_member", "[unit][permissions]") {
  for (role actor : all_roles) {
    for (role target : all_roles) {
      const std::string a{to_string(actor)};
      const std::string t{to_string(target)};
      CAPTURE(a, t);
      const bool manager = a == "owner" || (a == "admin" && t != "owner");
      CHECK(can_invite_role(actor, target) == manager);
      CHECK(can_remove_member(actor, target) == manager);
    }
  }
}

TEST_CASE("permissions: last_owner_guard keeps at least one owner", "[unit][permissions]") {
  SECTION("demoting or removing the only owner is refused") {
    for (role next : all_roles) {
      if (next == role::owner) continue;
      const auto r = last_owner_guard(1, role::owner, next);
      REQUIRE_FALSE(r);
      CHECK(r.code() == hw::errc::conflict);
      CHECK(r.error().detail == "role: an organization must keep at least one owner");
    }
    CHECK(last_owner_guard(1, role::owner, std::nullopt).code() == hw::errc::conflict);
  }
  SECTION("with two or more owners, one may go") {
    for (std::size_t owners : {2u, 3u, 100u}) {
      CHECK(last_owner_guard(owners, role::owner, role::admin));
      CHECK(last_owner_guard(owners, role::owner, role::viewer));
      CHECK(last_owner_guard(owners, role::owner, std::nullopt));
    }
  }
  SECTION("keeping an owner an owner is never refused") {
    for (std::size_t owners : {0u, 1u, 2u}) {
      CHECK(last_owner_guard(owners, role::owner, role::owner));
    }
  }
  SECTION("non-owners never lower the owner count") {
    for (role target : all_roles) {
      if (target == role::owner) continue;
      for (std::size_t owners : {1u, 2u}) {
        CHECK(last_owner_guard(owners, target, std::nullopt));
        for (role next : all_roles) CHECK(last_owner_guard(owners, target, next));
      }
    }
  }
  SECTION("an owner target with an owner count of 0 is inconsistent and refused") {
    CHECK(last_owner_guard(0, role::owner, role::admin).code() == hw::errc::conflict);
    CHECK(last_owner_guard(0, role::owner, std::nullopt).code() == hw::errc::conflict);
  }
}

TEST_CASE("permissions: check_role_change composes table, rule and guard", "[unit][permissions]") {
  for (role actor : all_roles) {
    for (role current : all_roles) {
      for (role next : all_roles) {
        for (std::size_t owners : {1u, 2u}) {
          const std::string a{to_string(actor)};
          const std::string c{to_string(current)};
          const std::string n{to_string(next)};
          CAPTURE(a, c, n, owners);
          const auto r = check_role_change(actor, current, next, owners);
          if (!expected_can_assign(a, c, n)) {
            CHECK(r.code() == hw::errc::forbidden);
          } else if (c == "owner" && n != "owner" && owners == 1) {
            CHECK(r.code() == hw::errc::conflict);
          } else {
            CHECK(r.code() == hw::errc::ok);
          }
        }
      }
    }
  }
  SECTION("the sole owner may not demote themself; a second owner makes it possible") {
    CHECK(check_role_change(role::owner, role::owner, role::admin, 1).code() ==
          hw::errc::conflict);
    CHECK(check_role_change(role::owner, role::owner, role::admin, 2));
  }
  SECTION("an admin may promote a viewer to admin but not to owner") {
    CHECK(check_role_change(role::admin, role::viewer, role::admin, 1));
    CHECK(check_role_change(role::admin, role::viewer, role::owner, 1).code() ==
          hw::errc::forbidden);
  }
}

TEST_CASE("permissions: check_member_removal composes table, rule and guard",
          "[unit][permissions]") {
  for (role actor : all_roles) {
    for (role target : all_roles) {
      for (std::size_t owners : {1u, 2u}) {
        const std::string a{to_string(actor)};
        const std::string t{to_string(target)};
        CAPTURE(a, t, owners);
        const auto r = check_member_removal(actor, target, owners);
        const bool manager = a == "owner" || (a == "admin" && t != "owner");
        if (!manager) {
          CHECK(r.code() == hw::errc::forbidden);
        } else if (t == "owner" && owners == 1) {
          CHECK(r.code() == hw::errc::conflict);
        } else {
          CHECK(r.code() == hw::errc::ok);
        }
      }
    }
  }
}
