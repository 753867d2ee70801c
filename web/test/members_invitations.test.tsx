import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ORG_A, expectCsrf, heading, json, problem, renderSignedIn } from './api_helpers';

const M = `/api/v1/orgs/${ORG_A.id}/members`;
const I = `/api/v1/orgs/${ORG_A.id}/team-invitations`;

const MEMBERS = {
  members: [
    { user_id: 'u-me', email: 'me@example.com', display_name: 'Me Myself', role: 'owner', joined_at: '2025-01-01T00:00:00Z' },
    { user_id: 'u-ann', email: 'ann@example.com', display_name: 'Ann', role: 'recruiter', joined_at: '2025-02-01T00:00:00Z' },
  ],
};

function row(email: string): HTMLElement {
  const r = document.querySelector<HTMLElement>(`[data-member="${email}"], [data-invitation="${email}"]`);
  if (!r) throw new Error(`no row for ${email}`);
  return r;
}

describe('members', () => {
  it('lists members; an owner changes a role with PATCH + CSRF', async () => {
    const { api } = renderSignedIn('/app/members', 'owner', {
      [`GET ${M}`]: json(200, MEMBERS),
      [`PATCH ${M}/u-ann`]: json(200, { ...MEMBERS.members[1], role: 'admin' }),
    });
    await screen.findByText('ann@example.com');
    const select = within(row('ann@example.com')).getByLabelText('Role of Ann') as HTMLSelectElement;
    fireEvent.change(select, { target: { value: 'admin' } });
    expect(await screen.findByText('Ann is now Admin.')).toBeTruthy();
    const call = api.find('PATCH', `${M}/u-ann`)[0];
    expectCsrf(call);
    expect(call.body).toEqual({ role: 'admin' });
    expect((within(row('ann@example.com')).getByLabelText('Role of Ann') as HTMLSelectElement).value).toBe('admin');
  });

  it('shows the last-owner 409 clearly and keeps the old role', async () => {
    renderSignedIn('/app/members', 'owner', {
      [`GET ${M}`]: json(200, MEMBERS),
      [`PATCH ${M}/u-me`]: problem(409, 'role: an organization must keep at least one owner'),
    });
    await screen.findByText('ann@example.com');
    fireEvent.change(within(row('me@example.com')).getByLabelText('Role of Me Myself'), { target: { value: 'viewer' } });
    const alert = await screen.findByText(/an organization must keep at least one owner$/);
    expect(alert.closest('[role="alert"]')!.textContent).toMatch(/Could not change Me Myself's role\. An organization must keep at least one owner/);
    expect((within(row('me@example.com')).getByLabelText('Role of Me Myself') as HTMLSelectElement).value).toBe('owner');
  });

  it('removes a member after confirming (DELETE + CSRF); 409 on removal is shown', async () => {
    const { api } = renderSignedIn('/app/members', 'owner', {
      [`GET ${M}`]: json(200, MEMBERS),
      [`DELETE ${M}/u-ann`]: json(204),
      [`DELETE ${M}/u-me`]: problem(409, 'role: an organization must keep at least one owner'),
    });
    await screen.findByText('ann@example.com');
    fireEvent.click(within(row('ann@example.com')).getByRole('button', { name: 'Remove' }));
    fireEvent.click(within(row('ann@example.com')).getByRole('button', { name: 'Remove Ann' }));
    await waitFor(() => expect(screen.queryByText('ann@example.com')).toBeNull());
    expectCsrf(api.find('DELETE', `${M}/u-ann`)[0]);
    fireEvent.click(within(row('me@example.com')).getByRole('button', { name: 'Leave' }));
    fireEvent.click(within(row('me@example.com')).getByRole('button', { name: 'Leave Acme' }));
    expect(await screen.findByText(/Could not remove Me Myself/)).toBeTruthy();
  });

  it('an admin cannot touch owners: no role select, no remove button on the owner row', async () => {
    renderSignedIn('/app/members', 'admin', { [`GET ${M}`]: json(200, MEMBERS) });
    await screen.findByText('ann@example.com');
    expect(within(row('me@example.com')).queryByRole('combobox')).toBeNull();
    expect(within(row('me@example.com')).queryByRole('button')).toBeNull();
    const opts = within(row('ann@example.com')).getAllByRole('option').map((o) => o.textContent);
    expect(opts).not.toContain('Owner');
  });

  it('a viewer sees the list but no actions and no invite button', async () => {
    renderSignedIn('/app/members', 'viewer', { [`GET ${M}`]: json(200, MEMBERS) });
    await screen.findByText('ann@example.com');
    expect(screen.queryByRole('combobox')).toBeNull();
    expect(screen.queryByRole('button', { name: /Remove|Leave/ })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Invite teammates' })).toBeNull();
  });

  it('shows a load error with the problem detail', async () => {
    renderSignedIn('/app/members', 'owner', { [`GET ${M}`]: problem(500, 'database unavailable') });
    expect(await screen.findByText('database unavailable')).toBeTruthy();
  });
});

const INV = {
  id: 'inv-1',
  email: 'bob@example.com',
  role: 'viewer',
  status: 'pending',
  invited_by: 'u-me',
  created_at: '2025-03-01T00:00:00Z',
  expires_at: '2025-03-08T00:00:00Z',
  sends: 1,
};

describe('invitations', () => {
  it('invites with e-mail + role (POST + CSRF) and lists it', async () => {
    const { api } = renderSignedIn('/app/invitations', 'owner', {
      [`GET ${I}`]: json(200, { invitations: [INV] }),
      [`POST ${I}`]: json(201, { ...INV, id: 'inv-2', email: 'carol@example.com', role: 'recruiter' }),
    });
    await heading('Invitations');
    await screen.findByText('bob@example.com');
    fireEvent.change(screen.getByLabelText('E-mail'), { target: { value: 'carol@example.com' } });
    expect((screen.getByLabelText('Role') as HTMLSelectElement).value).toBe('recruiter');
    fireEvent.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect(await screen.findByText('Invitation sent to carol@example.com.')).toBeTruthy();
    const call = api.find('POST', I)[0];
    expectCsrf(call);
    expect(call.body).toEqual({ email: 'carol@example.com', role: 'recruiter' });
    expect(within(row('carol@example.com')).getByText('pending')).toBeTruthy();
  });

  it('shows a 409 (already a member or pending) detail', async () => {
    renderSignedIn('/app/invitations', 'owner', {
      [`GET ${I}`]: json(200, { invitations: [] }),
      [`POST ${I}`]: problem(409, 'bob@example.com already has a pending invitation'),
    });
    await screen.findByText('No invitations yet.');
    fireEvent.change(screen.getByLabelText('E-mail'), { target: { value: 'bob@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect(await screen.findByText('bob@example.com already has a pending invitation')).toBeTruthy();
  });

  it('resends and revokes (CSRF on both)', async () => {
    const { api } = renderSignedIn('/app/invitations', 'admin', {
      [`GET ${I}`]: json(200, { invitations: [INV] }),
      [`POST ${I}/inv-1/resend`]: json(200, { ...INV, sends: 2 }),
      [`DELETE ${I}/inv-1`]: json(204),
    });
    await screen.findByText('bob@example.com');
    // An admin may not invite owners.
    expect(within(screen.getByLabelText('Role')).queryByText('Owner')).toBeNull();
    fireEvent.click(within(row('bob@example.com')).getByRole('button', { name: 'Resend invitation to bob@example.com' }));
    expect(await screen.findByText(/sent again/)).toBeTruthy();
    expect(within(row('bob@example.com')).getByText(/sent 2×/)).toBeTruthy();
    expectCsrf(api.find('POST', `${I}/inv-1/resend`)[0]);
    fireEvent.click(within(row('bob@example.com')).getByRole('button', { name: 'Revoke' }));
    fireEvent.click(within(row('bob@example.com')).getByRole('button', { name: 'Revoke invitation to bob@example.com' }));
    expect(await within(row('bob@example.com')).findByText('revoked')).toBeTruthy();
    expectCsrf(api.find('DELETE', `${I}/inv-1`)[0]);
  });
});
