import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ORG_A, expectCsrf, heading, json, problem, renderSignedIn } from './api_helpers';

const base = `/api/v1/orgs/${ORG_A.id}`;

const KEY = {
  id: 'k-1',
  name: 'ATS sync',
  prefix: 'hwk_ab12',
  role: 'recruiter',
  created_by: 'u-me',
  created_at: '2025-01-01T00:00:00Z',
  expires_at: null,
  last_used_at: '2025-01-02T00:00:00Z',
  revoked_at: null,
};
const SECRET = 'hwk_' + 'A'.repeat(43);

describe('API keys', () => {
  it('creates a key: the secret is shown once with a copy button and a warning, then never again', async () => {
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const { api } = renderSignedIn('/app/api-keys', 'owner', {
      [`GET ${base}/api-keys`]: json(200, { api_keys: [] }),
      [`POST ${base}/api-keys`]: json(201, { api_key: { ...KEY, id: 'k-2', name: 'Export' }, secret: SECRET }),
    });
    await screen.findByText('No API keys yet.');
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Export' } });
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'viewer' } });
    fireEvent.change(screen.getByLabelText('Expires (optional)'), { target: { value: '2030-06-30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    const region = await screen.findByRole('region', { name: 'New API key' });
    expect((within(region).getByTestId('api-key-secret') as HTMLInputElement).value).toBe(SECRET);
    expect(region.textContent).toMatch(/shown only once/);
    const call = api.find('POST', `${base}/api-keys`)[0];
    expectCsrf(call);
    const body = call.body as Record<string, string>;
    expect(body.name).toBe('Export');
    expect(body.role).toBe('viewer');
    expect(body.expires_at).toMatch(/^2030-0[67]-\d\dT\d\d:\d\d:\d\dZ$/);
    // Listed with its prefix only.
    const listed = document.querySelector('[data-api-key="Export"]')!;
    expect(listed.textContent).toContain('hwk_ab12…');
    expect(listed.textContent).not.toContain(SECRET);

    fireEvent.click(within(region).getByRole('button', { name: 'Copy' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(SECRET));
    expect(await screen.findByText('Copied to the clipboard.')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Done, I have copied it' }));
    expect(screen.queryByRole('region', { name: 'New API key' })).toBeNull();
    expect(document.body.textContent).not.toContain(SECRET);
    expect(JSON.stringify(window.localStorage)).not.toContain(SECRET);
  });

  it('sends no expires_at when empty, and shows a 403 detail', async () => {
    const { api } = renderSignedIn('/app/api-keys', 'admin', {
      [`GET ${base}/api-keys`]: json(200, { api_keys: [KEY] }),
      [`POST ${base}/api-keys`]: problem(403, 'role: admins cannot create owner keys'),
    });
    await screen.findByText('ATS sync');
    expect(within(screen.getByLabelText('Role')).queryByText('Owner')).toBeNull();
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByText('role: admins cannot create owner keys')).toBeTruthy();
    expect(api.find('POST', `${base}/api-keys`)[0].body).toEqual({ name: 'x', role: 'viewer' });
  });

  it('lists prefix / last used and revokes with CSRF', async () => {
    const { api } = renderSignedIn('/app/api-keys', 'owner', {
      [`GET ${base}/api-keys`]: json(200, { api_keys: [KEY, { ...KEY, id: 'k-0', name: 'Old', revoked_at: '2025-01-03T00:00:00Z', last_used_at: null }] }),
      [`DELETE ${base}/api-keys/k-1`]: json(204),
    });
    const rowEl = (await screen.findByText('ATS sync')).closest('tr')!;
    expect(rowEl.textContent).toContain('hwk_ab12…');
    expect(document.querySelector('[data-api-key="Old"]')!.textContent).toMatch(/Never used.*Revoked/);
    fireEvent.click(within(rowEl).getByRole('button', { name: 'Revoke' }));
    fireEvent.click(within(rowEl).getByRole('button', { name: 'Revoke “ATS sync”' }));
    expect(await within(rowEl).findByText('Revoked')).toBeTruthy();
    expectCsrf(api.find('DELETE', `${base}/api-keys/k-1`)[0]);
  });
});

const SSO = {
  enabled: true,
  issuer: 'https://idp.example.com',
  client_id: 'hirewire',
  client_secret_set: true,
  allowed_domains: ['example.com'],
  default_role: 'viewer',
  sso_required: false,
};

describe('SSO settings', () => {
  it('shows the secret as "set" and does not send client_secret unless replaced', async () => {
    const { api } = renderSignedIn('/app/sso', 'owner', {
      [`GET ${base}/sso`]: json(200, SSO),
      [`PUT ${base}/sso`]: (c) => json(200, { ...SSO, ...(c.body as object), client_secret: undefined, client_secret_set: true }),
    });
    await screen.findByDisplayValue('https://idp.example.com');
    expect(screen.getByText('Set')).toBeTruthy();
    expect(screen.queryByLabelText('New client secret')).toBeNull();
    fireEvent.change(screen.getByLabelText('Allowed e-mail domains'), { target: { value: 'Example.com, @foo.io  bar.org' } });
    fireEvent.click(screen.getByLabelText(/Require SSO/));
    fireEvent.click(screen.getByRole('button', { name: 'Save SSO settings' }));
    expect(await screen.findByText('SSO settings saved.')).toBeTruthy();
    const put = api.find('PUT', `${base}/sso`)[0];
    expectCsrf(put);
    expect(put.body).toEqual({
      enabled: true,
      issuer: 'https://idp.example.com',
      client_id: 'hirewire',
      allowed_domains: ['example.com', 'foo.io', 'bar.org'],
      default_role: 'viewer',
      sso_required: true,
    });

    fireEvent.click(screen.getByRole('button', { name: 'Replace secret' }));
    fireEvent.change(screen.getByLabelText('New client secret'), { target: { value: 's3cret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save SSO settings' }));
    await waitFor(() => expect(api.find('PUT', `${base}/sso`)).toHaveLength(2));
    expect((api.find('PUT', `${base}/sso`)[1].body as Record<string, unknown>).client_secret).toBe('s3cret');
    // The secret is never shown back.
    await waitFor(() => expect(screen.queryByDisplayValue('s3cret')).toBeNull());
  });

  it('offers "set" when no secret exists and shows a 422 detail', async () => {
    renderSignedIn('/app/sso', 'owner', {
      [`GET ${base}/sso`]: json(200, { ...SSO, client_secret_set: false, enabled: false, issuer: '', client_id: '' }),
      [`PUT ${base}/sso`]: problem(422, 'issuer: must be an https URL'),
    });
    await screen.findByText('Not set');
    expect(screen.getByLabelText('Client secret')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save SSO settings' }));
    expect(await screen.findByText('issuer: must be an https URL')).toBeTruthy();
  });

  it('is read-only for an admin: only owners configure SSO', async () => {
    renderSignedIn('/app/sso', 'admin', { [`GET ${base}/sso`]: json(200, SSO) });
    await screen.findByDisplayValue(SSO.issuer);
    expect(screen.queryByRole('button', { name: 'Save SSO settings' })).toBeNull();
  });
});

const ORG_JSON = {
  id: ORG_A.id,
  name: 'Acme',
  slug: 'acme',
  time_zone: 'UTC',
  branding: { logo_url: null, primary_color: '#1f4b99', accent_color: '#f2a541' },
  status: 'active',
  version: 3,
};

describe('organization settings', () => {
  it('sends only the changed fields, nested branding, with If-Match from the GET ETag', async () => {
    const { api } = renderSignedIn('/app/settings', 'admin', {
      [`GET ${base}`]: json(200, ORG_JSON, { ETag: '"v3"' }),
      [`PATCH ${base}`]: json(200, { ...ORG_JSON, name: 'Acme Inc', branding: { ...ORG_JSON.branding, primary_color: '#112233' }, version: 4 }, { ETag: '"v4"' }),
    });
    await screen.findByDisplayValue('Acme');
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Acme Inc' } });
    fireEvent.change(screen.getByLabelText('Primary colour'), { target: { value: '#112233' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
    const patch = api.find('PATCH', base)[0];
    expectCsrf(patch);
    expect(patch.headers.get('If-Match')).toBe('"v3"');
    expect(patch.body).toEqual({ name: 'Acme Inc', branding: { primary_color: '#112233' } });
    // The next save uses the new ETag.
    fireEvent.change(screen.getByLabelText('Time zone'), { target: { value: 'Europe/Berlin' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(api.find('PATCH', base)).toHaveLength(2));
    expect(api.find('PATCH', base)[1].headers.get('If-Match')).toBe('"v4"');
    expect(api.find('PATCH', base)[1].body).toEqual({ time_zone: 'Europe/Berlin' });
  });

  it('explains a 412 (changed by someone else) and offers a reload', async () => {
    const { api } = renderSignedIn('/app/settings', 'owner', {
      [`GET ${base}`]: json(200, ORG_JSON, { ETag: '"v3"' }),
      [`PATCH ${base}`]: problem(412, 'the organization changed: If-Match does not match'),
    });
    await screen.findByDisplayValue('Acme');
    fireEvent.change(screen.getByLabelText('Logo URL'), { target: { value: 'https://cdn.example.com/l.png' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText(/Someone else changed these settings/)).toBeTruthy();
    expect(screen.getByText('the organization changed: If-Match does not match')).toBeTruthy();
    expect(api.find('PATCH', base)[0].body).toEqual({ branding: { logo_url: 'https://cdn.example.com/l.png' } });
    fireEvent.click(screen.getByRole('button', { name: 'Reload the current settings' }));
    await waitFor(() => expect(api.find('GET', base)).toHaveLength(2));
  });
});

const entry = (id: number, action: string) => ({
  id,
  at: '2025-01-01T00:00:00.000000Z',
  actor: { kind: 'user', id: 'u-me' },
  action,
  target: ORG_A.id,
  outcome: 'success',
  ip: '127.0.0.1',
  user_agent: null,
  request_id: 'r',
  detail: {},
});

describe('audit log', () => {
  it('filters, and "Load more" follows next_cursor', async () => {
    const { api } = renderSignedIn('/app/audit', 'owner', {
      [`GET ${base}/audit`]: (c) => {
        const q = new URL(c.url, 'http://x').searchParams;
        if (q.get('cursor') === 'c2') return json(200, { entries: [entry(1, 'member.role_changed')], next_cursor: null });
        // The first audit route answered "items": both are read.
        return json(200, { items: [entry(3, 'member.invited'), entry(2, 'member.invited')], next_cursor: 'c2' });
      },
    });
    expect(await screen.findAllByText('member.invited')).toHaveLength(2);
    fireEvent.change(screen.getByLabelText('Action starts with'), { target: { value: 'member.' } });
    fireEvent.change(screen.getByLabelText('Actor'), { target: { value: 'user' } });
    fireEvent.change(screen.getByLabelText('Outcome'), { target: { value: 'denied' } });
    fireEvent.change(screen.getByLabelText('Since'), { target: { value: '2025-01-01T10:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(api.find('GET', `${base}/audit`)).toHaveLength(2));
    const q = new URL(api.find('GET', `${base}/audit`)[1].url, 'http://x').searchParams;
    expect(q.get('action')).toBe('member.');
    expect(q.get('actor_kind')).toBe('user');
    expect(q.get('outcome')).toBe('denied');
    expect(q.get('since')).toMatch(/^2025-01-01T\d\d:00:00Z$/);
    expect(q.has('until')).toBe(false);
    fireEvent.click(await screen.findByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('member.role_changed')).toBeTruthy();
    const last = new URL(api.calls[api.calls.length - 1].url, 'http://x').searchParams;
    expect(last.get('cursor')).toBe('c2');
    expect(last.get('action')).toBe('member.');
    expect(screen.getAllByText('member.invited')).toHaveLength(2);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('shows a 400 detail', async () => {
    renderSignedIn('/app/audit', 'owner', { [`GET ${base}/audit`]: problem(400, 'since: expected an RFC 3339 date-time') });
    expect(await screen.findByText('since: expected an RFC 3339 date-time')).toBeTruthy();
  });
});

const MAIL = {
  id: 7,
  kind: 'team_invitation',
  to: 'new@example.com',
  subject: 'You are invited to Acme',
  text_body: 'Hello!\nJoin here: http://127.0.0.1:8080/app/accept-invitation#token=abc_DEF-123.\nBye',
  html_body: '<p>Hello <a href="http://127.0.0.1:8080/app/accept-invitation#token=abc">join</a></p><script>alert(1)</script>',
  message_id: '<m@x>',
  status: 'sent',
  created_at: '2025-01-01T00:00:00Z',
  sent_at: '2025-01-01T00:00:01Z',
};

describe('dev mailbox', () => {
  it('lists mails, opens one with clickable links, and renders HTML in a sandboxed iframe', async () => {
    const { api } = renderSignedIn('/app/mailbox', 'owner', { [`GET ${base}/dev-mailbox`]: json(200, { messages: [MAIL] }) });
    fireEvent.click(await screen.findByRole('button', { name: /You are invited to Acme/ }));
    const text = await screen.findByTestId('mail-text');
    const link = within(text).getByRole('link');
    expect(link.getAttribute('href')).toBe('http://127.0.0.1:8080/app/accept-invitation#token=abc_DEF-123');
    expect(text.textContent).toContain('token=abc_DEF-123.\nBye');
    fireEvent.click(screen.getByRole('button', { name: 'HTML' }));
    const frame = screen.getByTitle(/HTML body of/) as HTMLIFrameElement;
    expect(frame.tagName).toBe('IFRAME');
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.getAttribute('srcdoc')).toContain('<script>');
    expect(document.querySelectorAll('script').length).toBe(0);
    expect(api.find('GET', `${base}/dev-mailbox`)).toHaveLength(1);
  });
});

describe('organization switcher', () => {
  it('PUT /api/v1/session/org with CSRF, then org pages use the new org id', async () => {
    const B = { id: '33333333-3333-4333-8333-333333333333', slug: 'b', name: 'Bravo', role: 'admin' };
    const s = {
      user: { id: 'u-me', email: 'me@example.com', display_name: 'Me' },
      orgs: [{ ...ORG_A, role: 'owner' }, B],
      active_org: ORG_A.id,
      csrf_token: 'tok-1',
    };
    const { api } = renderSignedIn(
      '/app/members',
      'owner',
      {
        [`GET ${base}/members`]: json(200, { members: [] }),
        [`GET /api/v1/orgs/${B.id}/members`]: json(200, { members: [{ user_id: 'x', email: 'x@bravo.io', display_name: 'X', role: 'viewer', joined_at: '' }] }),
        'PUT /api/v1/session/org': json(200, { ...s, active_org: B.id, csrf_token: 'tok-2' }),
      },
      s,
    );
    const select = (await screen.findByLabelText('Active organization')) as HTMLSelectElement;
    await waitFor(() => expect(api.find('GET', `${base}/members`)).toHaveLength(1));
    await act(async () => {
      fireEvent.change(select, { target: { value: B.id } });
    });
    expect(await screen.findByText('x@bravo.io')).toBeTruthy();
    const put = api.find('PUT', '/api/v1/session/org')[0];
    expectCsrf(put, 'tok-1');
    expect(put.body).toEqual({ org_id: B.id });
    expect(select.value).toBe(B.id);
  });

  it('shows a failed switch', async () => {
    const B = { id: '44444444-4444-4444-8444-444444444444', slug: 'b', name: 'Bravo', role: 'admin' };
    const s = { user: { id: 'u', email: 'e', display_name: 'Me' }, orgs: [ORG_A, B], active_org: ORG_A.id, csrf_token: 't' };
    renderSignedIn('/app/', 'owner', { 'PUT /api/v1/session/org': problem(404, 'no such organization') }, s);
    fireEvent.change(await screen.findByLabelText('Active organization'), { target: { value: B.id } });
    expect(await screen.findByText('no such organization')).toBeTruthy();
  });
});

describe('role-aware navigation', () => {
  it.each([
    ['viewer', ['Jobs', 'Library', 'Members']],
    ['interviewer', ['Jobs', 'Library', 'Members']],
    ['hiring_manager', ['Jobs', 'Library', 'Review queue', 'Integrations', 'Members']],
    ['recruiter', ['Jobs', 'Library', 'Review queue', 'Integrations', 'Members']],
  ])('%s: no admin screens in the org navigation', async (role, links) => {
    renderSignedIn('/app/', role);
    const nav = await screen.findByRole('navigation', { name: 'Organization' });
    expect(within(nav).getAllByRole('link').map((l) => l.textContent)).toEqual(links);
  });

  it.each(['/invitations', '/api-keys', '/sso', '/settings', '/audit', '/mailbox'])(
    'a viewer opening %s directly sees "You don\'t have access" and no API call is made',
    async (path) => {
      const { api } = renderSignedIn(`/app${path}`, 'viewer');
      expect(await heading("You don't have access")).toBeTruthy();
      expect(screen.getByTestId('no-access').textContent).toMatch(/Viewer/);
      expect(api.calls.map((c) => c.path)).toEqual(['/api/v1/session']);
    },
  );

  it('admins see every admin screen', async () => {
    renderSignedIn('/app/', 'admin');
    const nav = await screen.findByRole('navigation', { name: 'Organization' });
    expect(within(nav).getAllByRole('link')).toHaveLength(11);
  });
});

describe('change password', () => {
  it('posts current + new password with CSRF; a 401 shows "wrong current password"', async () => {
    const { api } = renderSignedIn('/app/account', 'viewer', {
      'POST /api/v1/password': [problem(401, 'the current password is wrong'), json(204)],
    });
    await heading('Your account');
    const form = screen.getByRole('form', { name: 'Change password' });
    fireEvent.change(within(form).getByLabelText('Current password'), { target: { value: 'old password!!' } });
    fireEvent.change(within(form).getByLabelText('New password'), { target: { value: 'new password!!!' } });
    fireEvent.change(within(form).getByLabelText('Repeat the new password'), { target: { value: 'new password!!!' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('the current password is wrong')).toBeTruthy();
    // Still signed in: a 401 here is not "session ended".
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Your account');
    fireEvent.click(within(form).getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText(/Password changed/)).toBeTruthy();
    const call = api.find('POST', '/api/v1/password')[1];
    expectCsrf(call);
    expect(call.body).toEqual({ current_password: 'old password!!', new_password: 'new password!!!' });
  });
});
