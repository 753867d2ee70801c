import { useState } from 'react';
import { ConfirmButton } from '../components/Confirm';
import { FormError, FormStatus, formatDate } from '../components/Forms';
import { ErrorState, Loading } from '../components/States';
import * as accounts from '../lib/accounts';
import type { Member } from '../lib/accounts';
import { errorText, ProblemError } from '../lib/http';
import { ROLES, allowed, canAssignRole, canRemoveMember, roleLabel } from '../lib/permissions';
import { Link } from '../lib/router';
import { useActiveOrg, useSession } from '../lib/session';
import { useLoad } from '../lib/useLoad';

/// Members of the active organization. Everyone may list (member.list); owners and admins also
/// change roles and remove members, within can_assign_role / can_remove_member.
export function MembersPage() {
  const { org, role, session } = useActiveOrg();
  const { refresh } = useSession();
  const { state, reload, update } = useLoad((signal) => accounts.listMembers(org.id, signal), [org.id]);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<{ title: string; text: string } | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const mayChange = allowed(role, 'member.change_role');
  const mayRemove = allowed(role, 'member.remove');

  const act = async (m: Member, what: 'role' | 'remove', fn: () => Promise<void>) => {
    setBusyId(m.user_id);
    setError(null);
    setStatus(null);
    try {
      await fn();
    } catch (e) {
      const who = m.display_name || m.email;
      let title = what === 'role' ? `Could not change ${who}'s role.` : `Could not remove ${who}.`;
      if (e instanceof ProblemError && e.status === 409) {
        title += ' An organization must keep at least one owner: make someone else an owner first.';
      }
      setError({ title, text: errorText(e) });
    } finally {
      setBusyId(null);
    }
  };

  const changeRole = (m: Member, next: string) =>
    act(m, 'role', async () => {
      const updated = await accounts.changeMemberRole(org.id, m.user_id, next);
      const newRole = updated?.role ?? next;
      update((list) => list.map((x) => (x.user_id === m.user_id ? { ...x, role: newRole } : x)));
      setStatus(`${m.display_name || m.email} is now ${roleLabel(newRole)}.`);
      if (m.user_id === session.user.id) refresh(); // my own role changed: navigation changes too
    });

  const remove = (m: Member) =>
    act(m, 'remove', async () => {
      await accounts.removeMember(org.id, m.user_id);
      update((list) => list.filter((x) => x.user_id !== m.user_id));
      setStatus(`${m.display_name || m.email} was removed from ${org.name}.`);
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
      <FormError error={error ? error.text : null} title={error?.title} />
      <FormStatus message={status} />
      {state.kind === 'loading' && <Loading label="Loading members…" />}
      {state.kind === 'error' && <ErrorState title="Could not load the members" message={state.message} onRetry={reload} />}
      {state.kind === 'ready' && (
        <div className="panel">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Joined</th>
                {mayRemove && (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {state.data.map((m) => {
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
                          disabled={busyId === m.user_id}
                          onChange={(e) => changeRole(m, e.target.value)}
                        >
                          {options.map((r) => (
                            <option key={r} value={r}>
                              {roleLabel(r)}
                            </option>
                          ))}
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
                            disabled={busyId === m.user_id}
                            onConfirm={() => remove(m)}
                          />
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
