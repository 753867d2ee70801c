import { describe, expect, it } from 'vitest';
// The C++ source of truth, read as text: the copy in src/lib/permissions.ts must match it.
import cpp from '../../actors/domain/permissions.hpp?raw';
import { ROLES, allowed, canAssignRole, canInviteRole, canRemoveMember, invitableRoles, type Action } from '../src/lib/permissions';

function cppRows(): Map<string, boolean[]> {
  const rows = new Map<string, boolean[]>();
  const re = /\{action::\w+,\s*"([a-z_.]+)",\s*[RW],\s*\{\{([^}]*)\}\}\}/g;
  for (const m of cpp.matchAll(re)) {
    rows.set(m[1], m[2].split(',').map((c) => c.trim() === 'Y'));
  }
  return rows;
}

describe('permissions.ts mirrors actors/domain/permissions.hpp', () => {
  const rows = cppRows();
  const copied: Action[] = [
    'org.read',
    'org.update_settings',
    'org.close',
    'member.list',
    'member.invite',
    'member.change_role',
    'member.remove',
    'api_key.list',
    'api_key.create',
    'api_key.revoke',
    'sso.read',
    'sso.configure',
    'audit.read',
    'dev_mailbox.read',
    'ats.read',
    'ats.connect',
    'ats.disconnect',
    'ats.sync',
    'job.read',
    'job.update',
    'candidate.pii_read',
    'content.read',
    'content.create',
    'content.approve',
    'template.read',
    'template.update',
    'template.approve',
    'skill.manage',
  ];

  it('parses the C++ table', () => {
    expect(rows.size).toBeGreaterThanOrEqual(copied.length);
  });

  it.each(copied)('%s: same roles as the C++ row', (action) => {
    const row = rows.get(action);
    expect(row, `row ${action} in permissions.hpp`).toBeTruthy();
    expect(ROLES.map((r) => allowed(r, action))).toEqual(row);
  });

  it('same role order as all_roles', () => {
    const m = /all_roles\s*=\s*\{\s*([^}]*)\}/.exec(cpp);
    expect(m![1].split(',').map((s) => s.trim().replace('role::', ''))).toEqual([...ROLES]);
  });

  it('unknown roles deny', () => {
    expect(allowed('superuser', 'org.read')).toBe(false);
    expect(allowed(null, 'org.read')).toBe(false);
  });

  it('role assignment rules', () => {
    expect(canAssignRole('owner', 'owner', 'viewer')).toBe(true);
    expect(canAssignRole('admin', 'owner', 'viewer')).toBe(false);
    expect(canAssignRole('admin', 'viewer', 'owner')).toBe(false);
    expect(canAssignRole('admin', 'viewer', 'admin')).toBe(true);
    expect(canAssignRole('recruiter', 'viewer', 'viewer')).toBe(false);
    expect(canInviteRole('admin', 'owner')).toBe(false);
    expect(canRemoveMember('admin', 'owner')).toBe(false);
    expect(canRemoveMember('owner', 'owner')).toBe(true);
    expect(invitableRoles('admin')).toEqual(['admin', 'recruiter', 'hiring_manager', 'interviewer', 'viewer']);
    expect(invitableRoles('viewer')).toEqual([]);
  });
});
