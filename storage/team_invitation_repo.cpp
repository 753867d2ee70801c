#include "storage/team_invitation_repo.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "storage/audit_repo.hpp"
#include "storage/pg.hpp"
#include "storage/repo_util.hpp"
#include "storage/session_repo.hpp"

namespace hw::storage {

namespace {

#define HW_INV_TS(n) "(timestamptz 'epoch' + ($" #n "::bigint) * interval '1 microsecond')"
#define HW_INV_US(col) "(extract(epoch FROM " col ") * 1000000)::bigint"
#define HW_INV_RFC3339(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

// The columns of row_to_invitation, in order (table alias t).
#define HW_INV_COLUMNS                                                                            \
  "t.org_id::text, t.invitation_id::text, t.email, t.email_normalized, t.role,"                  \
  " t.invited_by_kind, t.invited_by_id, " HW_INV_RFC3339("t.created_at") ", " HW_INV_RFC3339(    \
    "t.expires_at") ", " HW_INV_US("t.expires_at") ", " HW_INV_RFC3339("t.accepted_at")          \
  ", t.accepted_user_id::text, " HW_INV_RFC3339("t.revoked_at") ", t.superseded_at IS NOT NULL," \
  " t.sends, " HW_INV_RFC3339("t.last_sent_at") ", t.email_id"

constexpr int inv_columns = 17;


domain::role role_of(const pqxx::field& f) {
  auto r = domain::parse_role(f.as<std::string>());
  if (!r) throw pqxx::conversion_error{"team_invitations.role holds an unknown role"};
  return *r;
}

// Status at `now`: the first end that happened, else expiry, else pending.
team_invitation_record row_to_invitation(const pqxx::row& r, time_point now) {
  team_invitation_record t;
  t.org = org_id{r[0].as<std::string>()};
  t.id = r[1].as<std::string>();
  t.email = r[2].as<std::string>();
  t.email_normalized = r[3].as<std::string>();
  t.role = role_of(r[4]);
  t.invited_by_kind = r[5].as<std::string>();
  t.invited_by_id = r[6].as<std::string>();
  t.created_at = r[7].as<std::string>();
  t.expires_at = r[8].as<std::string>();
  t.expires_at_tp = time_point{std::chrono::microseconds{r[9].as<std::int64_t>()}};
  t.accepted_at = opt_text(r[10]);
  t.accepted_user_id = opt_text(r[11]);
  t.revoked_at = opt_text(r[12]);
  const bool superseded = r[13].as<bool>();
  t.sends = r[14].as<int>();
  t.last_sent_at = r[15].as<std::string>();
  if (!r[16].is_null()) t.email_id = r[16].as<std::int64_t>();
  if (t.accepted_at) {
    t.status = "accepted";
  } else if (t.revoked_at) {
    t.status = "revoked";
  } else if (superseded || now >= t.expires_at_tp) {
    t.status = "expired";
  } else {
    t.status = "pending";
  }
  return t;
}

bool is_superseded(const pqxx::row& r) { return r[13].as<bool>(); }

hw::error invitation_not_found() { return {errc::not_found, "invitation not found"}; }
hw::error invitation_invalid() {
  return {errc::unauthorized, "the invitation is invalid, expired or already used"};
}

std::string role_text(domain::role r) { return std::string{domain::to_string(r)}; }

void audit(pqxx::transaction_base& tx, const org_id& org, const actor_ref& who,
           const std::string& action, const std::string& target, const nlohmann::json& detail) {
  append_audit(tx, org, who, action, target, detail.dump());
}

std::string who_kind(const actor_ref& who) { return who.kind.empty() ? "system" : who.kind; }

}  // namespace

void prepare_team_invitation_statements(pqxx::connection_base& c) {
  c.prepare("team_invitation_org_exists",
            "SELECT EXISTS (SELECT 1 FROM organizations WHERE org_id = $1::uuid)");
  c.prepare("team_invitation_member_exists",
            "SELECT EXISTS (SELECT 1 FROM memberships m JOIN users u ON u.user_id = m.user_id"
            " WHERE m.org_id = $1::uuid AND u.email_normalized = $2)");
  // An expired open invitation is closed (superseded) so a new one can take its place.
  c.prepare("team_invitation_supersede_expired",
            "UPDATE team_invitations SET superseded_at = " HW_INV_TS(3)
            " WHERE org_id = $1::uuid AND email_normalized = $2 AND accepted_at IS NULL"
            " AND revoked_at IS NULL AND superseded_at IS NULL AND expires_at <= " HW_INV_TS(3));
  c.prepare("team_invitation_insert",
            "INSERT INTO team_invitations AS t (org_id, email, email_normalized, role, token_hash,"
            " invited_by_kind, invited_by_id, created_at, expires_at, last_sent_at, email_id)"
            " VALUES ($1::uuid, $2, $3, $4, decode($5, 'hex'), $6, $7, " HW_INV_TS(8) ", "
            HW_INV_TS(9) ", " HW_INV_TS(8) ", $10::bigint)"
            " ON CONFLICT (org_id, email_normalized)"
            " WHERE accepted_at IS NULL AND revoked_at IS NULL AND superseded_at IS NULL DO NOTHING"
            " RETURNING " HW_INV_COLUMNS);
  c.prepare("team_invitation_lock",
            "SELECT " HW_INV_COLUMNS " FROM team_invitations t"
            " WHERE t.org_id = $1::uuid AND t.invitation_id = $2::uuid FOR UPDATE");
  c.prepare("team_invitation_resend",
            "UPDATE team_invitations t SET token_hash = decode($3, 'hex'), expires_at = "
            HW_INV_TS(4) ", sends = t.sends + 1, last_sent_at = " HW_INV_TS(5) ", email_id = $6::bigint"
            " WHERE t.org_id = $1::uuid AND t.invitation_id = $2::uuid RETURNING " HW_INV_COLUMNS);
  c.prepare("team_invitation_revoke",
            "UPDATE team_invitations SET revoked_at = " HW_INV_TS(3)
            " WHERE org_id = $1::uuid AND invitation_id = $2::uuid");
  c.prepare("team_invitation_list",
            "SELECT " HW_INV_COLUMNS " FROM team_invitations t WHERE t.org_id = $1::uuid"
            " ORDER BY t.created_at DESC, t.invitation_id");
  // Cross-tenant by digest (system scope around it): the organization comes from the row.
  c.prepare("team_invitation_find_by_token",
            "SELECT " HW_INV_COLUMNS ", o.name, o.slug,"
            " EXISTS (SELECT 1 FROM users u WHERE u.email_normalized = t.email_normalized)"
            " FROM team_invitations t JOIN organizations o ON o.org_id = t.org_id"
            " WHERE t.token_hash = decode($1, 'hex')");
  c.prepare("team_invitation_lock_by_token",
            "SELECT " HW_INV_COLUMNS " FROM team_invitations t"
            " WHERE t.token_hash = decode($1, 'hex') FOR UPDATE");
  c.prepare("team_invitation_user_email",
            "SELECT email_normalized FROM users WHERE user_id = $1::uuid");
  c.prepare("team_invitation_accept",
            "UPDATE team_invitations t SET accepted_at = " HW_INV_TS(3) ", accepted_user_id = $4::uuid"
            " WHERE t.org_id = $1::uuid AND t.invitation_id = $2::uuid RETURNING " HW_INV_COLUMNS);
}

result<team_invitation_record> create_team_invitation(pqxx::connection_base& c, const org_id& org,
                                                      const team_invitation_create& req,
                                                      const email_draft& mail, time_point now,
                                                      const actor_ref& who) {
  auto norm = normalize_email(req.email);
  if (!norm) return std::move(norm).error();
  if (!is_token_digest(req.token_hash))
    return hw::error{errc::invalid_argument, "token: malformed digest"};
  if (req.expires_at <= now)
    return hw::error{errc::invalid_argument, "expires_at: must be in the future"};
  if (!is_uuid(org.value)) return hw::error{errc::not_found, "organization not found"};
  const org_id o{canonical_uuid(org.value)};
  const std::string email = [&] {
    auto s = req.email;
    const auto b = s.find_first_not_of(" \t\r\n\f\v");
    const auto e = s.find_last_not_of(" \t\r\n\f\v");
    return b == std::string::npos ? std::string{} : s.substr(b, e - b + 1);
  }();
  try {
    pqxx::work tx{c, "create_team_invitation"};
    set_tenant(tx, o);
    if (!tx.exec_prepared1("team_invitation_org_exists", o.value)[0].as<bool>())
      return hw::error{errc::not_found, "organization not found"};
    if (tx.exec_prepared1("team_invitation_member_exists", o.value, *norm)[0].as<bool>())
      return hw::error{errc::conflict, "email: already a member of this organization"};
    tx.exec_prepared0("team_invitation_supersede_expired", o.value, *norm, to_epoch_us(now));
    email_draft d = mail;
    d.to_address = email;
    auto queued = enqueue_email(tx, o, d, now);
    if (!queued) return std::move(queued).error();
    auto r = tx.exec_prepared("team_invitation_insert", o.value, email, *norm, role_text(req.role),
                              req.token_hash, who_kind(who), who.id, to_epoch_us(now),
                              to_epoch_us(req.expires_at), queued->id);
    if (r.empty()) return hw::error{errc::conflict, "email: already has a pending invitation"};
    auto inv = row_to_invitation(r[0], now);
    audit(tx, o, who, "member.invited", inv.id, {{"role", role_text(req.role)}});
    tx.commit();
    return inv;
  } catch (...) {
    return map_exception(std::current_exception(), "team_invitation_insert");
  }
}

result<team_invitation_record> resend_team_invitation(pqxx::connection_base& c, const org_id& org,
                                                      const std::string& invitation_id,
                                                      const std::string& new_token_hash,
                                                      time_point new_expires_at,
                                                      const email_draft& mail, time_point now,
                                                      const actor_ref& who) {
  if (!is_token_digest(new_token_hash))
    return hw::error{errc::invalid_argument, "token: malformed digest"};
  if (new_expires_at <= now)
    return hw::error{errc::invalid_argument, "expires_at: must be in the future"};
  if (!is_uuid(org.value) || !is_uuid(invitation_id)) return invitation_not_found();
  const org_id o{canonical_uuid(org.value)};
  const auto id = canonical_uuid(invitation_id);
  try {
    pqxx::work tx{c, "resend_team_invitation"};
    set_tenant(tx, o);
    auto cur = tx.exec_prepared("team_invitation_lock", o.value, id);
    if (cur.empty()) return invitation_not_found();
    auto before = row_to_invitation(cur[0], now);
    if (before.accepted_at || before.revoked_at || is_superseded(cur[0]))
      return hw::error{errc::conflict, "invitation: is no longer pending"};
    email_draft d = mail;
    d.to_address = before.email;
    auto queued = enqueue_email(tx, o, d, now);
    if (!queued) return std::move(queued).error();
    auto r = tx.exec_prepared1("team_invitation_resend", o.value, id, new_token_hash,
                               to_epoch_us(new_expires_at), to_epoch_us(now), queued->id);
    auto inv = row_to_invitation(r, now);
    audit(tx, o, who, "member.invitation_resent", id, {{"sends", inv.sends}});
    tx.commit();
    return inv;
  } catch (...) {
    return map_exception(std::current_exception(), "team_invitation_resend");
  }
}

result<hw::unit> revoke_team_invitation(pqxx::connection_base& c, const org_id& org,
                                        const std::string& invitation_id, time_point now,
                                        const actor_ref& who) {
  if (!is_uuid(org.value) || !is_uuid(invitation_id)) return invitation_not_found();
  const org_id o{canonical_uuid(org.value)};
  const auto id = canonical_uuid(invitation_id);
  try {
    pqxx::work tx{c, "revoke_team_invitation"};
    set_tenant(tx, o);
    auto cur = tx.exec_prepared("team_invitation_lock", o.value, id);
    if (cur.empty()) return invitation_not_found();
    auto inv = row_to_invitation(cur[0], now);
    if (inv.accepted_at) return hw::error{errc::conflict, "invitation: already accepted"};
    if (inv.revoked_at) return hw::unit{};  // idempotent: nothing written
    if (is_superseded(cur[0])) return hw::unit{};  // already closed by a newer invitation
    tx.exec_prepared0("team_invitation_revoke", o.value, id, to_epoch_us(now));
    audit(tx, o, who, "member.invitation_revoked", id, nlohmann::json::object());
    tx.commit();
    return hw::unit{};
  } catch (...) {
    return map_exception(std::current_exception(), "team_invitation_revoke");
  }
}

result<std::vector<team_invitation_record>> list_team_invitations(pqxx::connection_base& c,
                                                                  const org_id& org,
                                                                  time_point now) {
  if (!is_uuid(org.value)) return hw::error{errc::not_found, "organization not found"};
  const org_id o{canonical_uuid(org.value)};
  try {
    pqxx::read_transaction tx{c, "list_team_invitations"};
    set_tenant(tx, o);
    if (!tx.exec_prepared1("team_invitation_org_exists", o.value)[0].as<bool>())
      return hw::error{errc::not_found, "organization not found"};
    std::vector<team_invitation_record> out;
    for (const auto& row : tx.exec_prepared("team_invitation_list", o.value))
      out.push_back(row_to_invitation(row, now));
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "team_invitation_list");
  }
}

result<team_invitation_lookup> find_invitation_by_token(pqxx::connection_base& c,
                                                        const std::string& token_hash,
                                                        time_point now) {
  if (!is_token_digest(token_hash)) return invitation_invalid();
  try {
    pqxx::read_transaction tx{c, "find_invitation_by_token"};
    // The one cross-tenant read: the digest is the caller's only handle on the organization.
    set_system_scope(tx);
    auto r = tx.exec_prepared("team_invitation_find_by_token", token_hash);
    clear_system_scope(tx);
    if (r.empty()) return invitation_invalid();
    team_invitation_lookup out;
    out.invitation = row_to_invitation(r[0], now);
    if (out.invitation.status != "pending") return invitation_invalid();
    out.org_name = r[0][inv_columns].as<std::string>();
    out.org_slug = r[0][inv_columns + 1].as<std::string>();
    out.account_exists = r[0][inv_columns + 2].as<bool>();
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "team_invitation_find_by_token");
  }
}

result<team_invitation_accepted> accept_team_invitation(pqxx::connection_base& c,
                                                        const std::string& token_hash,
                                                        const std::string& user_id,
                                                        time_point now, const actor_ref& who) {
  if (!is_token_digest(token_hash)) return invitation_invalid();
  if (!is_uuid(user_id)) return hw::error{errc::not_found, "user not found"};
  const auto uid = canonical_uuid(user_id);
  try {
    pqxx::work tx{c, "accept_team_invitation"};
    // Cross-tenant by digest, locked: a concurrent accept waits here and then sees accepted_at.
    set_system_scope(tx);
    auto cur = tx.exec_prepared("team_invitation_lock_by_token", token_hash);
    clear_system_scope(tx);
    if (cur.empty()) return invitation_invalid();
    auto inv = row_to_invitation(cur[0], now);
    if (inv.status != "pending") return invitation_invalid();
    set_tenant(tx, inv.org);  // from here on, this organization only
    auto u = tx.exec_prepared("team_invitation_user_email", uid);
    if (u.empty()) return hw::error{errc::not_found, "user not found"};
    if (u[0][0].as<std::string>() != inv.email_normalized)
      return hw::error{errc::forbidden, "invitation: it was sent to a different e-mail address"};
    auto acc = tx.exec_prepared1("team_invitation_accept", inv.org.value, inv.id,
                                 to_epoch_us(now), uid);
    team_invitation_accepted out;
    out.invitation = row_to_invitation(acc, now);
    audit(tx, inv.org, who, "member.invitation_accepted", inv.id, {{"role", role_text(inv.role)}});
    auto m = add_membership(static_cast<pqxx::transaction_base&>(tx), inv.org, uid, inv.role, who,
                            nlohmann::json{{"via", "invitation"}, {"invitation", inv.id}}.dump());
    if (!m) return std::move(m).error();  // already a member: rolled back, nothing written
    out.member = std::move(*m);
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "team_invitation_accept");
  }
}

}  // namespace hw::storage
