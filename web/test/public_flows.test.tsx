import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ORG_A, ORG_B, heading, json, problem, renderAnon, session } from './api_helpers';

function fill(label: string | RegExp, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

describe('password reset', () => {
  it('requests a link (202) and says so without revealing whether the account exists', async () => {
    const { api } = renderAnon('/app/reset', { 'POST /api/v1/password-reset': json(202) });
    await heading('Reset your password');
    fill('E-mail', 'who@example.com');
    fireEvent.click(screen.getByRole('button', { name: 'Send reset link' }));
    expect(await screen.findByText(/If an account exists for/)).toBeTruthy();
    expect(api.find('POST', '/api/v1/password-reset')[0].body).toEqual({ email: 'who@example.com' });
  });

  it.each([
    ['fragment', '/app/reset#token=tok-frag'],
    ['query', '/app/reset?token=tok-frag'],
  ])('confirms with the token from the %s', async (_k, url) => {
    const { api } = renderAnon(url, { 'POST /api/v1/password-reset/confirm': json(204) });
    await heading('Choose a new password');
    fill('New password', 'a brand new password');
    fill('Repeat the new password', 'a brand new password');
    fireEvent.click(screen.getByRole('button', { name: 'Set new password' }));
    expect(await screen.findByText(/Your password has been changed/)).toBeTruthy();
    expect(api.find('POST', '/api/v1/password-reset/confirm')[0].body).toEqual({
      token: 'tok-frag',
      password: 'a brand new password',
    });
  });

  it('shows a used/expired token (401) and a weak password (422) clearly', async () => {
    renderAnon('/app/reset#token=t', {
      'POST /api/v1/password-reset/confirm': [problem(422, 'password: too common'), problem(401, 'the link is invalid or expired')],
    });
    await heading('Choose a new password');
    fill('New password', 'password1234');
    fill('Repeat the new password', 'password1234');
    fireEvent.click(screen.getByRole('button', { name: 'Set new password' }));
    expect(await screen.findByText('password: too common')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Set new password' }));
    expect(await screen.findByText('the link is invalid or expired')).toBeTruthy();
    expect(screen.getByText(/This reset link is invalid, used or expired/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Request a new link' })).toBeTruthy();
  });

  it('refuses mismatched passwords before calling the API', async () => {
    const { api } = renderAnon('/app/reset#token=t');
    await heading('Choose a new password');
    fill('New password', 'a brand new password');
    fill('Repeat the new password', 'another password!!');
    fireEvent.click(screen.getByRole('button', { name: 'Set new password' }));
    expect(await screen.findByText('The two passwords do not match.')).toBeTruthy();
    expect(api.find('POST', '/api/v1/password-reset/confirm')).toHaveLength(0);
  });
});

const PREVIEW = {
  org_name: 'Globex',
  org_slug: 'globex',
  email: 'new@example.com',
  role: 'recruiter',
  account_exists: false,
  expires_at: '2030-01-01T00:00:00Z',
};

describe('accept invitation', () => {
  it('previews, then creates the account with name + password and signs in', async () => {
    const joined = session('recruiter', {
      user: { id: 'u-new', email: 'new@example.com', display_name: 'New Person' },
      orgs: [{ ...ORG_B, role: 'recruiter' }],
      active_org: ORG_B.id,
    });
    const { api } = renderAnon('/app/accept-invitation#token=inv-tok', {
      'POST /api/v1/team-invitations/preview': json(200, PREVIEW),
      'POST /api/v1/team-invitations/accept': json(200, joined),
    });
    expect(await heading('Join Globex')).toBeTruthy();
    expect(screen.getByText('new@example.com')).toBeTruthy();
    expect(screen.getByText('Recruiter')).toBeTruthy();
    expect(api.find('POST', '/api/v1/team-invitations/preview')[0].body).toEqual({ token: 'inv-tok' });
    fill('Your name', 'New Person');
    fill('Choose a password', 'a long new password');
    fireEvent.click(screen.getByRole('button', { name: 'Accept invitation' }));
    expect(await screen.findByRole('link', { name: 'New Person' })).toBeTruthy();
    expect(window.location.pathname).toBe('/app/');
    expect(api.find('POST', '/api/v1/team-invitations/accept')[0].body).toEqual({
      token: 'inv-tok',
      display_name: 'New Person',
      password: 'a long new password',
    });
    // Recruiter: no admin screens in the navigation.
    expect(screen.queryByRole('link', { name: 'API keys' })).toBeNull();
  });

  it('asks only for the existing password when the account exists, and switches to the invited org', async () => {
    const after = session('owner', { orgs: [ORG_A, { ...ORG_B, role: 'recruiter' }], active_org: ORG_A.id });
    const { api } = renderAnon('/app/accept-invitation?token=inv-tok', {
      'POST /api/v1/team-invitations/preview': json(200, { ...PREVIEW, account_exists: true }),
      'POST /api/v1/team-invitations/accept': json(200, after),
      'PUT /api/v1/session/org': json(200, { ...after, active_org: ORG_B.id }),
    });
    await heading('Join Globex');
    expect(screen.queryByLabelText('Your name')).toBeNull();
    fill('Password', 'my existing password');
    fireEvent.click(screen.getByRole('button', { name: 'Accept invitation' }));
    await waitFor(() => expect(window.location.pathname).toBe('/app/'));
    expect(api.find('POST', '/api/v1/team-invitations/accept')[0].body).toEqual({
      token: 'inv-tok',
      password: 'my existing password',
    });
    expect(api.find('PUT', '/api/v1/session/org')[0].body).toEqual({ org_id: ORG_B.id });
  });

  it('a bad token (401) says the link does not work', async () => {
    renderAnon('/app/accept-invitation#token=bad', {
      'POST /api/v1/team-invitations/preview': problem(401, 'invitation: unknown, used or expired'),
    });
    expect(await screen.findByText('This invitation link does not work')).toBeTruthy();
    expect(screen.getByText('invitation: unknown, used or expired')).toBeTruthy();
  });

  it('shows the accept error detail (422 weak password)', async () => {
    renderAnon('/app/accept-invitation#token=t', {
      'POST /api/v1/team-invitations/preview': json(200, PREVIEW),
      'POST /api/v1/team-invitations/accept': problem(422, 'password: must not be your e-mail address'),
    });
    await heading('Join Globex');
    fill('Your name', 'N');
    fill('Choose a password', 'new@example.com');
    fireEvent.click(screen.getByRole('button', { name: 'Accept invitation' }));
    expect(await screen.findByText('password: must not be your e-mail address')).toBeTruthy();
  });
});
