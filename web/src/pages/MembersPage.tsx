import { ConfirmButton } from '../components/Confirm';
import { FormError, FormStatus, formatDate } from '../components/Forms';
import { DataTable, LoadView } from '../components/Lists';
import { RoleOptions } from '../components/RoleSelect';
import * as accounts from '../lib/accounts';
import type { Member } from '../lib/accounts';
import { ProblemError } from '../lib/http';
import { ROLES, allowed, canAssignRole, canRemoveMember, roleLabel } from '../lib/permissions';
import { Link } from '../lib/router';
import { useActiveOrg, useSession } from '../lib/session';
import { useLoad } from '../lib/useLoad';
import { useRowAction } from '../lib/useRowAction';

/// Members of the active organization. Everyone may list (member.list); owners and admins also
/// change roles and remove members, within can_assign_role / can_remove_member.
export function MembersPage() {
  const { org, role, session } = useActiveOrg();
  const { refresh } = useSession();
  const { state, reload, update } = useLoad((signal) => accounts.listMembers(org.id, signal), [org.id]);
  const rows = useRowAction();
  const mayChange = allowed(role, 'member.change_role');
  const mayRemove = allowed(role, 'member.remove');

  const act = (m: Member, what: 'role' | 'remove', fn: () => Promise<void>) =>
    rows.run(m.user_id, fn, (e) => {
      const who = m.display_name || m.email;
      let title = what === 'role' ? `Could not change ${who}'s role.` : `Could not remove ${who}.`;
      if (e instanceof ProblemError && e.status === 409) {
        title += ' An organization must keep at least one owner: make someone else an owner first.';
      }
      return title;
    });

  const changeRole = (m: Member, next: string) =>
    act(m, 'role', async () => {
      const updated = await accounts.changeMemberRole(org.id, m.user_id, next);
      const newRole = updated?.role ?? next;
      update((list) => list.map((x) => (x.user_id === m.user_id ? { ...x, role: newRole } : x)));
      rows.setStatus(`${m.display_name || m.email} is now ${roleLabel(newRole)}.`);
      if (m.user_id === session.user.id) refresh(); // my own role changed: navigation changes too
    });

  const remove = (m: Member) =>
    act(m, 'remove', async () => {
      await accounts.removeMember(org.id, m.user_id);
      update((list) => list.filter((x) => x.user_id !== m.user_id));
      rows.setStatus(`${m.display_name || m.email} was removed from ${org.name}.`);
      if (m.user_id === session.user.id) refresh();
    });

  return (
    <section>
      <div className="page-head">
        <h1 className="page-title">Members</h1>
        {allowed(role, 'member.invite') && (
          <Link to="/invitations" className="button">
            Invite teammates
          </Link>
        )}
      </div>
      <p className="lede">People in {org.name} and their roles.</p>
      <FormError error={rows.error?.text ?? null} title={rows.error?.title} />
      <FormStatus message={rows.status} />
      <LoadView state={state} loading="Loading members…" errorTitle="Could not load the members" onRetry={reload}>
        {(members) => (
          <DataTable columns={['Name', 'E-mail', 'Role', 'Joined']} actions={mayRemove}>
            {members.map((m) => {
              const options = ROLES.filter((r) => r === m.role || canAssignRole(role, m.role, r));
              const me = m.user_id === session.user.id;
              return (
                <tr key={m.user_id} data-member={m.email}>
                  <td>
                    {m.display_name}
                    {me && <span className="muted"> (you)</span>}
                  </td>
                  <td>{m.email}</td>
                  <td>
                    {mayChange && options.length > 1 ? (
                      <select
                        aria-label={`Role of ${m.display_name || m.email}`}
                        value={m.role}
                        disabled={rows.busyId === m.user_id}
                        onChange={(e) => changeRole(m, e.target.value)}
                      >
                        <RoleOptions roles={options} />
                      </select>
                    ) : (
                      <span className="role">{roleLabel(m.role)}</span>
                    )}
                  </td>
                  <td>{formatDate(m.joined_at)}</td>
                  {mayRemove && (
                    <td className="table__actions">
                      {canRemoveMember(role, m.role) && (
                        <ConfirmButton
                          label={me ? 'Leave' : 'Remove'}
                          confirmLabel={me ? `Leave ${org.name}` : `Remove ${m.display_name || m.email}`}
                          disabled={rows.busyId === m.user_id}
                          onConfirm={() => remove(m)}
                        />
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </DataTable>
        )}
      </LoadView>
    </section>
  );
}
