#pragma once
// Teammate invitations (issue 3, migration 0009): `team_invitations` is a TENANT table
// ((org_id, invitation_id) primary key, forced row-level security). Only the token digest is
// stored (64 lowercase hex chars of SHA-256(token), session_repo.hpp token_digest_hex); the token
// itself travels only in the e-mail the caller builds.
//
// Status (computed with the caller's `now`): accepted (accepted_at), revoked (revoked_at),
// expired (superseded by a newer invitation, or now >= expires_at), otherwise pending.
// At most one open (not accepted, revoked or superseded) invitation per (org, e-mail): a unique
// partial index; an expired open one is marked superseded when a new invitation is created.
//
// Audit rows (same transaction; target = invitation id; detail never carries the e-mail):
// member.invited {role}, member.invitation_resent {sends}, member.invitation_revoked {},
// member.invitation_accepted {role} followed by member.added {role, via: "invitation"}.
#include <optional>
#include <string>
#include <vector>

#include "actors/domain/audit.hpp"
#include "actors/domain/ids.hpp"
#include "actors/domain/permissions.hpp"
#include "actors/domain/result.hpp"
#include "storage/email_repo.hpp"
#include "storage/user_repo.hpp"

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace hw::storage {

void prepare_team_invitation_statements(pqxx::connection_base& c);

struct team_invitation_record {
  org_id org;
  std::string id;  // invitation_id, canonical UUID
  std::string email;
  std::string email_normalized;
  domain::role role = domain::role::viewer;
  std::string status;  // pending | accepted | revoked | expired (at the `now` of the call)
  std::string invited_by_kind;  // actor_ref.kind of the inviter
  std::string invited_by_id;
  std::string created_at;  // RFC 3339 UTC
  std::string expires_at;  // RFC 3339 UTC
  time_point expires_at_tp;
  std::optional<std::string> accepted_at;
  std::optional<std::string> accepted_user_id;
  std::optional<std::string> revoked_at;
  int sends = 1;
  std::string last_sent_at;
  std::optional<std::int64_t> email_id;  // the last invitation e-mail queued
};

struct team_invitation_create {
  std::string email;       // as typed; normalized with normalize_email
  domain::role role = domain::role::viewer;
  std::string token_hash;  // 64 hex digest of the new token
  time_point expires_at;   // now + 7 days (the caller's policy); must be > now
};

/// In ONE transaction: refuses with conflict when the e-mail is already a member of `org`
/// ("email: already a member of this organization") or has a pending invitation ("email: already
/// has a pending invitation"); inserts the invitation (sends = 1, last_sent_at = now), queues
/// `mail` (to_address replaced by the invitation e-mail) through enqueue_email and appends
/// member.invited. invalid_argument for a bad e-mail, malformed digest, expires_at <= now or a bad
/// draft; not_found for an unknown organization.
result<team_invitation_record> create_team_invitation(pqxx::connection_base& c, const org_id& org,
                                                      const team_invitation_create& req,
                                                      const email_draft& mail, time_point now,
                                                      const actor_ref& who);

/// A new token and expiry for an invitation that is not accepted, revoked or superseded (an
/// expired one may be resent): the old link stops working, sends + 1, last_sent_at = now, `mail`
/// queued, member.invitation_resent appended. not_found (also another org's id); conflict when
/// accepted/revoked/superseded ("invitation: is no longer pending"); invalid_argument for a
/// malformed digest or expires_at <= now.
result<team_invitation_record> resend_team_invitation(pqxx::connection_base& c, const org_id& org,
                                                      const std::string& invitation_id,
                                                      const std::string& new_token_hash,
                                                      time_point new_expires_at,
                                                      const email_draft& mail, time_point now,
                                                      const actor_ref& who);

/// Revokes (revoked_at = now, member.invitation_revoked). Revoking a revoked invitation succeeds
/// and writes nothing; not_found for an unknown id; conflict when already accepted.
result<hw::unit> revoke_team_invitation(pqxx::connection_base& c, const org_id& org,
                                        const std::string& invitation_id, time_point now,
                                        const actor_ref& who);

/// All invitations of `org`, newest first, with status at `now`. not_found for an unknown org.
result<std::vector<team_invitation_record>> list_team_invitations(pqxx::connection_base& c,
                                                                  const org_id& org, time_point now);

/// What the accept page needs.
struct team_invitation_lookup {
  team_invitation_record invitation;
  std::string org_name;
  std::string org_slug;
  bool account_exists = false;  // a user with the invitation's normalized e-mail exists
};

/// The PENDING invitation with this token digest, whatever its organization (a cross-tenant
/// lookup: the system scope is set for that one SELECT only). unauthorized for a malformed digest
/// or an unknown, accepted, revoked, superseded or expired invitation.
result<team_invitation_lookup> find_invitation_by_token(pqxx::connection_base& c,
                                                        const std::string& token_hash,
                                                        time_point now);

struct team_invitation_accepted {
  team_invitation_record invitation;  // status "accepted"
  member_record member;
};

/// In ONE transaction: locks the invitation by digest (cross-tenant, system scope for that
/// statement only; the organization comes from the row), requires it pending at `now`
/// (unauthorized otherwise — so of two concurrent accepts exactly one wins), requires the user's
/// normalized e-mail to equal the invitation's (forbidden "invitation: it was sent to a different
/// e-mail address"), marks it accepted, inserts the membership with the invited role (conflict
/// "member: the user is already a member of this organization" — nothing written), appends
/// member.invitation_accepted and member.added, and NOTIFYs "user:<uuid>". The audit actor is
/// `who` (normally {"user", user_id} with the request context). not_found for an unknown user.
result<team_invitation_accepted> accept_team_invitation(pqxx::connection_base& c,
                                                        const std::string& token_hash,
                                                        const std::string& user_id,
                                                        time_point now, const actor_ref& who);

}  // namespace hw::storage
