/// Who may do what inside one organization: a COPY of the rows the SPA needs from
/// `permission_table` in actors/domain/permissions.hpp (and of can_assign_role /
/// can_remove_member / can_invite_role there). The server decides; this only hides what a role
/// cannot use. When the C++ table changes, change this copy too (test/permissions.test.ts pins it).

export const ROLES = ['owner', 'admin', 'recruiter', 'hiring_manager', 'interviewer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  recruiter: 'Recruiter',
  hiring_manager: 'Hiring manager',
  interviewer: 'Interviewer',
  viewer: 'Viewer',
};

export function isRole(s: unknown): s is Role {
  return typeof s === 'string' && (ROLES as readonly string[]).includes(s);
}

export function roleLabel(r: string): string {
  return isRole(r) ? ROLE_LABELS[r] : r;
}

type Row = readonly [owner: boolean, admin: boolean, recruiter: boolean, hiring_manager: boolean, interviewer: boolean, viewer: boolean];
const Y = true;
const _ = false;

// Columns in all_roles order: owner, admin, recruiter, hiring_manager, interviewer, viewer.
// prettier-ignore
const TABLE = {
  //                            own adm rec hm  int view
  'org.read':                  [Y,  Y,  Y,  Y,  Y,  Y],
  'org.update_settings':       [Y,  Y,  _,  _,  _,  _],
  'org.close':                 [Y,  _,  _,  _,  _,  _],
  'member.list':               [Y,  Y,  Y,  Y,  Y,  Y],
  'member.invite':             [Y,  Y,  _,  _,  _,  _],
  'member.change_role':        [Y,  Y,  _,  _,  _,  _],
  'member.remove':             [Y,  Y,  _,  _,  _,  _],
  'api_key.list':              [Y,  Y,  _,  _,  _,  _],
  'api_key.create':            [Y,  Y,  _,  _,  _,  _],
  'api_key.revoke':            [Y,  Y,  _,  _,  _,  _],
  'sso.read':                  [Y,  Y,  _,  _,  _,  _],
  'sso.configure':             [Y,  _,  _,  _,  _,  _],
  'audit.read':                [Y,  Y,  _,  _,  _,  _],
  'dev_mailbox.read':          [Y,  Y,  _,  _,  _,  _],
  'ats.read':                  [Y,  Y,  Y,  Y,  _,  _],
  'ats.connect':               [Y,  Y,  _,  _,  _,  _],
  'ats.disconnect':            [Y,  Y,  _,  _,  _,  _],
  'ats.sync':                  [Y,  Y,  Y,  _,  _,  _],
  'job.read':                  [Y,  Y,  Y,  Y,  Y,  Y],
  'job.update':                [Y,  Y,  Y,  _,  _,  _],
  'candidate.pii_read':        [Y,  Y,  Y,  Y,  _,  _],
  'content.read':              [Y,  Y,  Y,  Y,  Y,  Y],
  'content.create':            [Y,  Y,  Y,  Y,  Y,  _],
  'content.approve':           [Y,  Y,  Y,  Y,  _,  _],
  'template.read':             [Y,  Y,  Y,  Y,  Y,  Y],
  'template.update':           [Y,  Y,  Y,  Y,  _,  _],
  'template.approve':          [Y,  Y,  _,  Y,  _,  _],
  'skill.manage':              [Y,  Y,  _,  _,  _,  _],
} as const satisfies Record<string, Row>;

export type Action = keyof typeof TABLE;

/// allowed(role, action) in permissions.hpp. Unknown roles deny.
export function allowed(role: string | null | undefined, action: Action): boolean {
  if (!isRole(role)) return false;
  return TABLE[action][ROLES.indexOf(role)];
}

/// can_assign_role: owners set any role on anyone; admins change non-owners to any role but owner.
export function canAssignRole(actor: string, targetCurrent: string, newRole: string): boolean {
  if (actor === 'owner') return true;
  if (actor === 'admin') return targetCurrent !== 'owner' && newRole !== 'owner';
  return false;
}

/// can_invite_role: as if assigning the role to a member who is not an owner. Also the rule for
/// an API key's role (account_service::create_api_key).
export function canInviteRole(actor: string, invited: string): boolean {
  return canAssignRole(actor, 'viewer', invited);
}

/// can_remove_member: owners remove anyone, admins anyone but owners.
export function canRemoveMember(actor: string, target: string): boolean {
  if (actor === 'owner') return true;
  if (actor === 'admin') return target !== 'owner';
  return false;
}

/// The roles `actor` may hand out to a new member or API key.
export function invitableRoles(actor: string): Role[] {
  return ROLES.filter((r) => canInviteRole(actor, r));
}
