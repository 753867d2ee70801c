import { useState, type FormEvent } from 'react';
import { ConfirmButton } from '../components/Confirm';
import { Field, FormError, FormStatus, SubmitActions, formatDate, useAction } from '../components/Forms';
import { DataTable, LoadView } from '../components/Lists';
import { RoleSelect } from '../components/RoleSelect';
import * as accounts from '../lib/accounts';
import type { TeamInvitation } from '../lib/accounts';
import { invitableRoles, roleLabel } from '../lib/permissions';
import { useActiveOrg } from '../lib/session';
import { useLoad } from '../lib/useLoad';
import { useRowAction } from '../lib/useRowAction';

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
  const rows = useRowAction();

  const onInvite = async (e: FormEvent) => {
    e.preventDefault();
    rows.setStatus(null);
    const inv = await form.run(() => accounts.createInvitation(org.id, email.trim(), inviteRole));
    if (!inv) return;
    update((list) => [inv, ...list.filter((x) => x.id !== inv.id)]);
    rows.setStatus(`Invitation sent to ${inv.email ?? email.trim()}.`);
    setEmail('');
  };

  const resend = (inv: TeamInvitation) =>
    rows.run(inv.id, async () => {
      const fresh = await accounts.resendInvitation(org.id, inv.id);
      update((list) => list.map((x) => (x.id === inv.id ? { ...x, ...fresh } : x)));
      rows.setStatus(`Invitation to ${inv.email} sent again. The previous link no longer works.`);
    });

  const revoke = (inv: TeamInvitation) =>
    rows.run(inv.id, async () => {
      await accounts.revokeInvitation(org.id, inv.id);
      update((list) => list.map((x) => (x.id === inv.id ? { ...x, status: 'revoked' } : x)));
      rows.setStatus(`Invitation to ${inv.email} revoked.`);
    });

  return (
    <section>
      <h1 className="page-title">Invitations</h1>
      <p className="lede">Invite teammates to {org.name}. They get an e-mail with a link that works for 7 days.</p>
      <form className="panel form form--inline" onSubmit={onInvite} aria-label="Invite a teammate">
        <Field label="E-mail" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <RoleSelect id="invite-role" roles={roles} value={inviteRole} onValue={setInviteRole} />
        <SubmitActions busy={form.busy} busyText="Inviting…">
          Send invitation
        </SubmitActions>
        <FormError error={form.error} />
      </form>
      <FormStatus message={rows.status} />
      <FormError error={rows.error?.text ?? null} title={rows.error?.title} />
      <LoadView state={state} loading="Loading invitations…" errorTitle="Could not load the invitations" onRetry={reload} empty="No invitations yet.">
        {(invitations) => (
          <DataTable columns={['E-mail', 'Role', 'Status', 'Sent', 'Expires']} actions>
            {invitations.map((inv) => {
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
                        disabled={rows.busyId === inv.id}
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
                        disabled={rows.busyId === inv.id}
                        onConfirm={() => revoke(inv)}
                      />
                    )}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </LoadView>
    </section>
  );
}
