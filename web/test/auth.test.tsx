import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setCsrfToken, csrfTokenForRequest, request } from '../src/lib/http';
import { CSRF, ORG_A, expectCsrf, heading, json, mockApi, problem, renderAnon, renderSignedIn, session } from './api_helpers';
import { renderAt } from './helpers';

function fill(label: string | RegExp, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

describe('session on load', () => {
  it('does not probe the session on a public page when nothing suggests one', () => {
    const api = mockApi({});
    renderAt('/app/');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Welcome to hirewire');
    expect(api.fn).not.toHaveBeenCalled();
    expect(screen.getAllByRole('link', { name: 'Sign in' }).length).toBeGreaterThan(0);
  });

  it('a private page probes GET /api/v1/session, and 401 shows the sign-in form there', async () => {
    const { api } = renderAnon('/app/members');
    expect(await heading('Sign in')).toBeTruthy();
    expect(api.find('GET', '/api/v1/session')).toHaveLength(1);
    expect(window.location.pathname).toBe('/app/members');
  });

  it('a 200 session shows the user, the org and role-filtered navigation', async () => {
    renderSignedIn('/app/', 'owner');
    expect(await screen.findByRole('link', { name: 'Me Myself' })).toBeTruthy();
    const orgNav = screen.getByRole('navigation', { name: 'Organization' });
    for (const l of ['Members', 'Invitations', 'API keys', 'SSO', 'Settings', 'Audit log', 'Dev mailbox']) {
      expect(within(orgNav).getByRole('link', { name: l })).toBeTruthy();
    }
  });

  it('keeps csrf_token from the session JSON, else reads the __Host-hw_csrf cookie', async () => {
    setCsrfToken(null);
    document.cookie = '__Host-hw_csrf=from-cookie; Secure; Path=/';
    expect(csrfTokenForRequest()).toBe('from-cookie');
    setCsrfToken('from-json');
    expect(csrfTokenForRequest()).toBe('from-json');
    const api = mockApi({ 'POST /x': json(200, {}), 'GET /x': json(200, {}) });
    await request('POST', '/x', { body: {} });
    await request('GET', '/x');
    expect(api.calls[0].headers.get('X-CSRF-Token')).toBe('from-json');
    expect(api.calls[1].headers.get('X-CSRF-Token')).toBeNull();
  });

});

describe('login', () => {
  it('signs in with e-mail and password and goes to ?next', async () => {
    const { api } = renderAnon('/app/login?next=/account', {
      'POST /api/v1/session': json(200, session('owner')),
    });
    await heading('Sign in');
    fill('E-mail', 'me@example.com');
    fill('Password', 'correct horse battery');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await heading('Your account')).toBeTruthy();
    expect(window.location.pathname).toBe('/app/account');
    const post = api.find('POST', '/api/v1/session')[0];
    expect(post.body).toEqual({ email: 'me@example.com', password: 'correct horse battery' });
    expect(post.headers.get('Content-Type')).toBe('application/json');
    expect(csrfTokenForRequest()).toBe(CSRF);
  });

  it('shows the problem detail in an alert and disables the button while submitting', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    renderAnon('/app/login', {
      'POST /api/v1/session': async () => {
        await gate;
        return problem(401, 'email or password is wrong');
      },
    });
    await heading('Sign in');
    fill('E-mail', 'me@example.com');
    fill('Password', 'nope');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const busy = await screen.findByRole('button', { name: 'Signing in…' });
    expect((busy as HTMLButtonElement).disabled).toBe(true);
    release();
    await waitFor(() => expect(screen.getByText('email or password is wrong')).toBeTruthy());
    const alert = screen.getByText('email or password is wrong').closest('[role="alert"]')!;
    expect(alert.getAttribute('aria-live')).toBe('assertive');
    expect((screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows when to retry on 429', async () => {
    renderAnon('/app/login', { 'POST /api/v1/session': problem(429, 'too many attempts', { 'Retry-After': '30' }) });
    await heading('Sign in');
    fill('E-mail', 'me@example.com');
    fill('Password', 'x');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText(/too many attempts Try again in 30 seconds/)).toBeTruthy();
  });

  it('"Continue with SSO" asks for the slug and submits to /api/v1/sso/start?org=', async () => {
    renderAnon('/app/login');
    await heading('Sign in');
    fireEvent.click(screen.getByRole('button', { name: 'Continue with SSO' }));
    const form = screen.getByRole('form', { name: 'Continue with SSO' }) as HTMLFormElement;
    expect(form.getAttribute('method')).toBe('get');
    expect(form.getAttribute('action')).toBe('/api/v1/sso/start');
    const input = within(form).getByLabelText('Organization') as HTMLInputElement;
    expect(input.name).toBe('org');
    fireEvent.change(input, { target: { value: 'Acme ' } });
    expect(input.value).toBe('acme');
  });

  it('shows ?sso_error= reasons', async () => {
    renderAnon('/app/login?sso_error=not_allowed');
    await heading('Sign in');
    expect(screen.getByText(/not allowed to sign in to this organization/)).toBeTruthy();
    expect(screen.getByRole('form', { name: 'Continue with SSO' })).toBeTruthy();
  });

  it('shows unknown sso_error reasons as they are', async () => {
    renderAnon('/app/login?sso_error=weird_thing');
    await heading('Sign in');
    expect(screen.getByText(/Single sign-on failed \(weird_thing\)/)).toBeTruthy();
  });

  it('a signed-in visitor of /login goes to the start page', async () => {
    renderSignedIn('/app/login', 'viewer');
    await waitFor(() => expect(window.location.pathname).toBe('/app/'));
    expect(await heading('Welcome to hirewire')).toBeTruthy();
  });
});

describe('sign-up', () => {
  it('creates the organization and signs in', async () => {
    const { api } = renderAnon('/app/signup', { 'POST /api/v1/signup': json(201, session('owner')) });
    await heading('Create your organization');
    fill('Organization name', 'Acme Hiring GmbH');
    expect((screen.getByLabelText('Organization short name') as HTMLInputElement).value).toBe('acme-hiring-gmbh');
    fill('Your name', 'Me Myself');
    fill('E-mail', 'me@example.com');
    fill('Password', 'a long enough password');
    fireEvent.click(screen.getByRole('button', { name: 'Create organization' }));
    expect(await screen.findByRole('link', { name: 'Me Myself' })).toBeTruthy();
    expect(window.location.pathname).toBe('/app/');
    expect(api.find('POST', '/api/v1/signup')[0].body).toEqual({
      org_name: 'Acme Hiring GmbH',
      org_slug: 'acme-hiring-gmbh',
      email: 'me@example.com',
      display_name: 'Me Myself',
      password: 'a long enough password',
    });
  });

  it('shows 409 and 422 details', async () => {
    renderAnon('/app/signup', {
      'POST /api/v1/signup': [problem(409, 'slug: already taken'), problem(422, 'password: must be at least 12 characters')],
    });
    await heading('Create your organization');
    fill('Organization name', 'Acme');
    fill('Your name', 'Me');
    fill('E-mail', 'me@example.com');
    fill('Password', 'x');
    fireEvent.click(screen.getByRole('button', { name: 'Create organization' }));
    expect(await screen.findByText('slug: already taken')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Create organization' }));
    expect(await screen.findByText('password: must be at least 12 characters')).toBeTruthy();
  });
});

describe('sign out', () => {
  it('"Sign out" sends DELETE /api/v1/session with the CSRF token and shows the sign-in page', async () => {
    const { api } = renderSignedIn('/app/', 'owner', { 'DELETE /api/v1/session': json(204) });
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await heading('Sign in')).toBeTruthy();
    expect(window.location.pathname).toBe('/app/login');
    expectCsrf(api.find('DELETE', '/api/v1/session')[0]);
    expect(window.localStorage.getItem('hirewire.signed_in')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull();
  });

  it('"Sign out everywhere" posts revoke-all with the CSRF token', async () => {
    const { api } = renderSignedIn('/app/account', 'viewer', { 'POST /api/v1/session/revoke-all': json(204) });
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out everywhere' }));
    expect(await heading('Sign in')).toBeTruthy();
    expectCsrf(api.find('POST', '/api/v1/session/revoke-all')[0]);
  });
});

describe('session ends while using the app', () => {
  it('a 401 from an org route shows the sign-in form with "your session has ended"', async () => {
    renderSignedIn('/app/members', 'owner', { [`GET /api/v1/orgs/${ORG_A.id}/members`]: problem(401, 'session expired') });
    expect(await heading('Sign in')).toBeTruthy();
    expect(screen.getByText(/Your session has ended/)).toBeTruthy();
  });
});
