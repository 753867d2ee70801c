import { useState, type FormEvent } from 'react';
import { ConfirmButton } from '../components/Confirm';
import { Field, FormError, FormStatus, SubmitButton, formatDate, useAction } from '../components/Forms';
import { ErrorState, Loading } from '../components/States';
import * as accounts from '../lib/accounts';
import type { TeamInvitation } from '../lib/accounts';
import { errorText } from '../lib/http';
import { invitableRoles, roleLabel } from '../lib/permissions';
import { useActiveOrg } from '../lib/session';
import { useLoad } from '../lib/useLoad';

const STATUS_CLASS: Record<string, string> = {
  pending: 'badge--info',
  accepted: 'badge--ok',
  revoked: 'badge--fail',
  expired: 'badge--muted',
};

/// Teammate invitations (member.invite): invite by e-mail and role, resend, revoke.
export function InvitationsPage() {
  const { org, role } = useActiveOrg();
  const roles = invitableRoles(role);
  const { state, reload, update } = useLoad((signal) => accounts.listInvitations(org.id, signal), [org.id]);
  const [email, setEmail] = useState('');
  const [inviteRole, setInviteRole] = useState<string>(roles.includes('recruiter') ? 'recruiter' : (roles[roles.length - 1] ?? 'viewer'));
  const form = useAction();
  const [status, setStatus] = useState<string | null>(null);
  const [rowError, setRowError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const onInvite = async (e: FormEvent) => {
    e.preventDefault();
    setStatus(null);
    const inv = await form.run(() => accounts.createInvitation(org.id, email.trim(), inviteRole));
    if (!inv) return;
    update((list) => [inv, ...list.filter((x) => x.id !== inv.id)]);
    setStatus(`Invitation sent to ${inv.email ?? email.trim()}.`);
    setEmail('');
  };

  const rowAction = async (inv: TeamInvitation, fn: () => Promise<void>) => {
    setBusyId(inv.id);
    setRowError(null);
    setStatus(null);
    try {
      await fn();
    } catch (e) {
      setRowError(errorText(e));
    } finally {
      setBusyId(null);
    }
  };

  const resend = (inv: TeamInvitation) =>
    rowAction(inv, async () => {
      const fresh = await accounts.resendInvitation(org.id, inv.id);
      update((list) => list.map((x) => (x.id === inv.id ? { ...x, ...fresh } : x)));
      setStatus(`Invitation to ${inv.email} sent again. The previous link no longer works.`);
    });

  const revoke = (inv: TeamInvitation) =>
    rowAction(inv, async () => {
      await accounts.revokeInvitation(org.id, inv.id);
      update((list) => list.map((x) => (x.id === inv.id ? { ...x, status: 'revoked' } : x)));
      setStatus(`Invitation to ${inv.email} revoked.`);
    });

  return (
    <section>
      <h1 className="page-title">Invitations</h1>
      <p className="lede">Invite teammates to {org.name}. They get an e-mail with a link that works for 7 days.</p>
      <form className="panel form form--inline" onSubmit={onInvite} aria-label="Invite a teammate">
        <Field label="E-mail" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <div className="field">
          <label htmlFor="invite-role">Role</label>
          <select id="invite-role" value={inviteRole} onChange={(e) => setInviteRole(e.target.value)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        </div>
        <div className="form__actions">
          <SubmitButton busy={form.busy} busyText="Inviting…">
            Send invitation
          </SubmitButton>
        </div>
        <FormError error={form.error} />
      </form>
      <FormStatus message={status} />
      <FormError error={rowError} />
      {state.kind === 'loading' && <Loading label="Loading invitations…" />}
      {state.kind === 'error' && <ErrorState title="Could not load the invitations" message={state.message} onRetry={reload} />}
      {state.kind === 'ready' &&
        (state.data.length === 0 ? (
          <div className="panel panel--empty">
            <p>No invitations yet.</p>
          </div>
        ) : (
          <div className="panel">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">E-mail</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Sent</th>
                  <th scope="col">Expires</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {state.data.map((inv) => {
                  const open = inv.status === 'pending' || inv.status === 'expired';
                  return (
                    <tr key={inv.id} data-invitation={inv.email}>
                      <td>{inv.email}</td>
                      <td>{roleLabel(inv.role)}</td>
                      <td>
                        <span className={`badge ${STATUS_CLASS[inv.status] ?? 'badge--muted'}`}>{inv.status}</span>
                      </td>
                      <td>
                        {formatDate(inv.created_at)}
                        {inv.sends > 1 && <span className="muted"> · sent {inv.sends}×</span>}
                      </td>
                      <td>{formatDate(inv.expires_at)}</td>
                      <td className="table__actions">
                        {open && (
                          <button
                            type="button"
                            className="button button--small button--ghost"
                            disabled={busyId === inv.id}
                            aria-label={`Resend invitation to ${inv.email}`}
                            onClick={() => resend(inv)}
                          >
                            Resend
                          </button>
                        )}
                        {inv.status === 'pending' && (
                          <ConfirmButton
                            label="Revoke"
                            confirmLabel={`Revoke invitation to ${inv.email}`}
                            disabled={busyId === inv.id}
                            onConfirm={() => revoke(inv)}
                          />
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}
