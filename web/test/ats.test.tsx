import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ORG_A, expectCsrf, heading, json, problem, renderSignedIn } from './api_helpers';

const base = `/api/v1/orgs/${ORG_A.id}`;
const GH_SECRET = 'whsec-' + 'Z'.repeat(40);

function connection(over: Record<string, unknown> = {}) {
  return {
    id: 'c-1',
    vendor: 'greenhouse',
    name: 'Greenhouse EU',
    state: 'connected',
    state_reason: '',
    consecutive_failures: 0,
    last_sync_at: '2026-11-26T10:00:00Z',
    last_success_at: '2026-11-26T10:00:00Z',
    last_error_at: null,
    last_error: null,
    next_sync_at: '2026-11-26T11:00:00Z',
    syncing: false,
    has_credentials: true,
    has_webhook_secret: true,
    credential_fields: ['client_id', 'client_secret'],
    webhook_url: 'https://hirewire.example/webhooks/greenhouse/c-1',
    settings: { sync_interval_minutes: 60 },
    counts: { jobs: 3, candidates: 12, applications: 14, webhooks_received: 7, webhooks_duplicate: 2, webhooks_rejected: 1 },
    created_at: '2026-11-25T10:00:00Z',
    updated_at: '2026-11-26T10:00:00Z',
    version: 3,
    ...over,
  };
}

function card(name: string): HTMLElement {
  return document.querySelector(`[data-connection="${name}"]`) as HTMLElement;
}

describe('Integrations dashboard', () => {
  it('renders each connection with its state badge, reason, errors, counts and the syncing indicator', async () => {
    renderSignedIn('/app/integrations', 'owner', {
      [`GET ${base}/ats/connections`]: json(200, {
        connections: [
          connection(),
          connection({
            id: 'c-2',
            vendor: 'lever',
            name: 'Lever US',
            state: 'failing',
            state_reason: '3 failed syncs in a row',
            consecutive_failures: 3,
            last_success_at: null,
            last_error_at: '2026-11-26T09:30:00Z',
            last_error: 'HTTP 401 from /opportunities',
            syncing: true,
            counts: { jobs: 0, candidates: 0, applications: 0, webhooks_received: 0, webhooks_duplicate: 0, webhooks_rejected: 5 },
          }),
          connection({ id: 'c-3', name: 'Old GH', state: 'disconnected', state_reason: 'disconnected by a user' }),
        ],
      }),
    });
    expect(await heading('Integrations')).toBeTruthy();
    await waitFor(() => expect(card('Greenhouse EU')).toBeTruthy());

    const gh = card('Greenhouse EU');
    expect(within(gh).getByTestId('connection-state').textContent).toBe('Connected');
    expect(within(gh).getByTestId('connection-state').className).toContain('badge--ok');
    const counts = within(gh).getByTestId('counts');
    const count = (k: string) => counts.querySelector(`[data-count="${k}"]`)!.textContent;
    expect([count('jobs'), count('candidates'), count('applications')]).toEqual(['3', '12', '14']);
    expect([count('webhooks_received'), count('webhooks_duplicate'), count('webhooks_rejected')]).toEqual(['7', '2', '1']);
    expect(within(gh).queryByTestId('syncing')).toBeNull();
    expect(within(gh).queryByTestId('last-error')).toBeNull();
    expect(gh.textContent).toContain('Next scheduled sync');

    const lever = card('Lever US');
    expect(within(lever).getByTestId('connection-state').textContent).toBe('Failing');
    expect(within(lever).getByTestId('state-reason').textContent).toBe('3 failed syncs in a row');
    expect(within(lever).getByTestId('last-error').textContent).toContain('HTTP 401 from /opportunities');
    expect(within(lever).getByTestId('last-error').textContent).toContain('3 failures in a row');
    expect(within(lever).getByTestId('last-success').textContent).toBe('Never');
    expect(within(lever).getByTestId('syncing').textContent).toContain('Syncing…');
    // Greenhouse only: rotating our generated secret.
    expect(within(lever).queryByRole('button', { name: 'Rotate webhook secret' })).toBeNull();
    expect(within(gh).getByRole('button', { name: 'Rotate webhook secret' })).toBeTruthy();

    // A disconnected one can only be deleted.
    const old = card('Old GH');
    expect(within(old).getByTestId('connection-state').textContent).toBe('Disconnected');
    expect(within(old).queryByRole('button', { name: 'Sync now' })).toBeNull();
    expect(within(old).getByRole('button', { name: 'Delete' })).toBeTruthy();
    expect(within(gh).queryByRole('button', { name: 'Delete' })).toBeNull();
  });

  it('Test connection and Sync now post with CSRF and show the new state', async () => {
    const { api } = renderSignedIn('/app/integrations', 'admin', {
      [`GET ${base}/ats/connections`]: json(200, [connection({ state: 'pending', last_success_at: null })]),
      [`POST ${base}/ats/connections/c-1/test`]: json(200, { ok: true, detail: 'ok: 3 jobs visible', connection: connection() }),
      [`POST ${base}/ats/connections/c-1/sync`]: json(202, connection({ syncing: true })),
    });
    await waitFor(() => expect(card('Greenhouse EU')).toBeTruthy());
    expect(within(card('Greenhouse EU')).getByTestId('connection-state').textContent).toBe('Pending');
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(await screen.findByText('Connection test passed: ok: 3 jobs visible')).toBeTruthy();
    expectCsrf(api.find('POST', `${base}/ats/connections/c-1/test`)[0]);
    expect(within(card('Greenhouse EU')).getByTestId('connection-state').textContent).toBe('Connected');

    fireEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    await waitFor(() => expect(within(card('Greenhouse EU')).queryByTestId('syncing')).toBeTruthy());
    expectCsrf(api.find('POST', `${base}/ats/connections/c-1/sync`)[0]);
  });

  it('a failed connection test shows the safe detail', async () => {
    renderSignedIn('/app/integrations', 'owner', {
      [`GET ${base}/ats/connections`]: json(200, [connection({ state: 'pending' })]),
      [`POST ${base}/ats/connections/c-1/test`]: json(200, { ok: false, detail: 'HTTP 401 from /token', connection: connection({ state: 'failing' }) }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Test connection' }));
    expect((await screen.findByText(/HTTP 401 from \/token/)).textContent).toContain('Connection test failed');
  });

  it('disconnect asks to confirm, then posts; a disconnected connection can be deleted', async () => {
    const { api } = renderSignedIn('/app/integrations', 'owner', {
      [`GET ${base}/ats/connections`]: json(200, [connection()]),
      [`POST ${base}/ats/connections/c-1/disconnect`]: json(200, connection({ state: 'disconnected' })),
      [`DELETE ${base}/ats/connections/c-1`]: json(204),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Disconnect' }));
    expect(api.find('POST', `${base}/ats/connections/c-1/disconnect`)).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Disconnect “Greenhouse EU”' }));
    await waitFor(() => expect(within(card('Greenhouse EU')).getByTestId('connection-state').textContent).toBe('Disconnected'));
    expectCsrf(api.find('POST', `${base}/ats/connections/c-1/disconnect`)[0]);
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete “Greenhouse EU” and its imported data' }));
    await waitFor(() => expect(card('Greenhouse EU')).toBeNull());
    expectCsrf(api.find('DELETE', `${base}/ats/connections/c-1`)[0]);
  });

  it('the edit form never prefills secrets; an empty form keeps them; partial credentials are refused', async () => {
    const { api } = renderSignedIn('/app/integrations', 'owner', {
      [`GET ${base}/ats/connections`]: json(200, [connection()]),
      [`PATCH ${base}/ats/connections/c-1`]: json(200, { connection: connection({ name: 'GH Europe', version: 4 }) }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit Greenhouse EU' });
    const secret = within(form).getByLabelText('Client secret') as HTMLInputElement;
    const clientId = within(form).getByLabelText('Client ID') as HTMLInputElement;
    expect(secret.value).toBe('');
    expect(secret.type).toBe('password');
    expect(clientId.value).toBe('');
    expect(secret.placeholder).toBe('leave empty to keep');
    expect(form.textContent).toContain('Stored: client_id, client_secret');

    // Only the secret typed: the whole set would be replaced, so it is refused before any call.
    fireEvent.change(secret, { target: { value: 'new-secret' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save connection' }));
    expect(await within(form).findByText(/fill in every required field \(Client ID\)/)).toBeTruthy();
    expect(api.find('PATCH', `${base}/ats/connections/c-1`)).toHaveLength(0);

    fireEvent.change(secret, { target: { value: '' } });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'GH Europe' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save connection' }));
    expect(await screen.findByText('Connection saved.')).toBeTruthy();
    const call = api.find('PATCH', `${base}/ats/connections/c-1`)[0];
    expectCsrf(call);
    expect(call.headers.get('If-Match')).toBe('"v3"');
    expect(call.body).toEqual({ name: 'GH Europe' });
    expect(card('GH Europe')).toBeTruthy();
  });

  it('replacing credentials sends the full set', async () => {
    const { api } = renderSignedIn('/app/integrations', 'owner', {
      [`GET ${base}/ats/connections`]: json(200, [connection()]),
      [`PATCH ${base}/ats/connections/c-1`]: json(200, { connection: connection({ version: 4 }) }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit Greenhouse EU' });
    fireEvent.change(within(form).getByLabelText('Client ID'), { target: { value: 'id-2' } });
    fireEvent.change(within(form).getByLabelText('Client secret'), { target: { value: 'secret-2' } });
    fireEvent.change(within(form).getByLabelText('Sync every (minutes)'), { target: { value: '30' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save connection' }));
    await screen.findByText('Connection saved.');
    expect(api.find('PATCH', `${base}/ats/connections/c-1`)[0].body).toEqual({
      credentials: { client_id: 'id-2', client_secret: 'secret-2' },
      settings: { sync_interval_minutes: 30 },
    });
    expect(document.body.textContent).not.toContain('secret-2');
  });

  it('rotating the Greenhouse webhook secret shows the new one once', async () => {
    const { api } = renderSignedIn('/app/integrations', 'owner', {
      [`GET ${base}/ats/connections`]: json(200, [connection()]),
      [`PATCH ${base}/ats/connections/c-1`]: json(200, { connection: connection({ version: 4 }), webhook_secret: GH_SECRET }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Rotate webhook secret' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm: new secret' }));
    const region = await screen.findByRole('region', { name: 'New webhook secret' });
    expect((within(region).getByTestId('webhook-secret') as HTMLInputElement).value).toBe(GH_SECRET);
    expect(api.find('PATCH', `${base}/ats/connections/c-1`)[0].body).toEqual({ rotate_webhook_secret: true });
    fireEvent.click(within(region).getByRole('button', { name: 'Done, I have copied it' }));
    expect(screen.queryByRole('region', { name: 'New webhook secret' })).toBeNull();
    expect(document.body.innerHTML).not.toContain(GH_SECRET);
  });

  it('refreshes itself while a sync runs: "Syncing…" goes away and the counts update', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      renderSignedIn('/app/integrations', 'recruiter', {
        [`GET ${base}/ats/connections`]: [
          json(200, [connection({ syncing: true, counts: { ...connection().counts, jobs: 0 } })]),
          json(200, [connection()]),
        ],
      });
      await waitFor(() => expect(card('Greenhouse EU')).toBeTruthy());
      expect(within(card('Greenhouse EU')).getByTestId('syncing')).toBeTruthy();
      await act(async () => {
        await vi.advanceTimersByTimeAsync(2100);
      });
      await waitFor(() => expect(within(card('Greenhouse EU')).queryByTestId('syncing')).toBeNull());
      expect(card('Greenhouse EU').querySelector('[data-count="jobs"]')!.textContent).toBe('3');
    } finally {
      vi.useRealTimers();
    }
  });

  it('a recruiter sees the dashboard and Sync now, but not Connect, Test, Edit or Disconnect', async () => {
    renderSignedIn('/app/integrations', 'recruiter', { [`GET ${base}/ats/connections`]: json(200, [connection()]) });
    await waitFor(() => expect(card('Greenhouse EU')).toBeTruthy());
    expect(screen.getByRole('button', { name: 'Sync now' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Test connection' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Connect an ATS' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Disconnect' })).toBeNull();
  });

  it.each(['/integrations', '/integrations/c-1', '/integrations/connect'])('a viewer opening %s sees "You don\'t have access" and no API call', async (path) => {
    const { api } = renderSignedIn(`/app${path}`, 'viewer');
    expect(await heading("You don't have access")).toBeTruthy();
    expect(api.calls.map((c) => c.path)).toEqual(['/api/v1/session']);
  });

  it('a recruiter cannot open the setup flow', async () => {
    renderSignedIn('/app/integrations/connect', 'recruiter');
    expect(await heading("You don't have access")).toBeTruthy();
    expect(screen.getByTestId('no-access').textContent).toContain('connecting an ATS');
  });
});

describe('Connect an ATS', () => {
  it('creates a Greenhouse connection; the secret and webhook URL are shown once with instructions', async () => {
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const { api } = renderSignedIn('/app/integrations/connect', 'owner', {
      [`POST ${base}/ats/connections`]: json(201, { connection: connection({ state: 'pending', last_success_at: null }), webhook_secret: GH_SECRET }),
      [`POST ${base}/ats/connections/c-1/test`]: json(200, { ok: true, detail: 'ok: 3 jobs visible', connection: connection() }),
      [`GET ${base}/ats/connections`]: json(200, [connection()]),
    });
    const form = await screen.findByRole('form', { name: 'Connect an ATS' });
    expect((within(form).getByLabelText('Greenhouse') as HTMLInputElement).checked).toBe(true);
    fireEvent.change(within(form).getByLabelText('Connection name'), { target: { value: 'Greenhouse EU' } });
    fireEvent.change(within(form).getByLabelText('Client ID'), { target: { value: 'gh-client-id' } });
    fireEvent.change(within(form).getByLabelText('Client secret'), { target: { value: 'gh-client-secret' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Connect' }));

    const region = await screen.findByRole('region', { name: 'Webhook setup' });
    const call = api.find('POST', `${base}/ats/connections`)[0];
    expectCsrf(call);
    expect(call.body).toEqual({
      vendor: 'greenhouse',
      name: 'Greenhouse EU',
      credentials: { client_id: 'gh-client-id', client_secret: 'gh-client-secret' },
      settings: { sync_interval_minutes: 60 },
    });
    expect((within(region).getByTestId('webhook-url') as HTMLInputElement).value).toBe('https://hirewire.example/webhooks/greenhouse/c-1');
    expect((within(region).getByTestId('webhook-secret') as HTMLInputElement).value).toBe(GH_SECRET);
    expect(region.textContent).toMatch(/shown only once/);
    const steps = within(region).getByTestId('webhook-instructions').textContent!;
    expect(steps).toContain('Configure > Dev Center > Web Hooks');
    expect(steps).toContain('Endpoint URL');
    expect(steps).toContain('Secret key');
    expect(steps).toContain('candidate_stage_change');
    // The credentials typed are gone from the page.
    expect(document.body.innerHTML).not.toContain('gh-client-secret');

    fireEvent.click(within(region).getByRole('button', { name: 'Copy webhook secret key' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(GH_SECRET));

    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    const result = await screen.findByTestId('test-result');
    expect(result.textContent).toContain('ok: 3 jobs visible');
    expect(screen.getAllByTestId('connection-state').at(-1)!.textContent).toBe('Connected');

    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(await heading('Integrations')).toBeTruthy();
    expect(window.location.pathname).toBe('/app/integrations');
    expect(document.body.innerHTML).not.toContain(GH_SECRET);
    expect(JSON.stringify(window.localStorage)).not.toContain(GH_SECRET);
    expect(JSON.stringify(window.sessionStorage)).not.toContain(GH_SECRET);
  });

  it('Lever: no secret from us; the signature token is added afterwards with the API key', async () => {
    const lever = connection({ vendor: 'lever', name: 'Lever', webhook_url: 'https://hirewire.example/webhooks/lever/c-1', has_webhook_secret: false });
    const { api } = renderSignedIn('/app/integrations/connect', 'owner', {
      [`POST ${base}/ats/connections`]: json(201, { connection: { ...lever, state: 'pending' } }),
      [`PATCH ${base}/ats/connections/c-1`]: json(200, { connection: { ...lever, has_webhook_secret: true, version: 4 } }),
    });
    const form = await screen.findByRole('form', { name: 'Connect an ATS' });
    fireEvent.click(within(form).getByLabelText('Lever'));
    expect(within(form).queryByLabelText('Client ID')).toBeNull();
    fireEvent.change(within(form).getByLabelText('API key'), { target: { value: 'lever-key' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Connect' }));
    const region = await screen.findByRole('region', { name: 'Webhook setup' });
    expect(api.find('POST', `${base}/ats/connections`)[0].body).toMatchObject({ vendor: 'lever', name: 'Lever', credentials: { api_key: 'lever-key' } });
    expect(within(region).queryByTestId('webhook-secret')).toBeNull();
    expect(within(region).getByTestId('webhook-instructions').textContent).toContain('Settings > Integrations and API > Webhooks');
    const tokenForm = within(region).getByRole('form', { name: 'Lever signature token' });
    fireEvent.change(within(tokenForm).getByLabelText('Signature token from Lever'), { target: { value: 'lever-token' } });
    fireEvent.click(within(tokenForm).getByRole('button', { name: 'Save token' }));
    expect(await screen.findByText('Signature token saved.')).toBeTruthy();
    const patch = api.find('PATCH', `${base}/ats/connections/c-1`)[0];
    expectCsrf(patch);
    expect(patch.body).toEqual({ credentials: { api_key: 'lever-key', webhook_signature_token: 'lever-token' } });
  });

  it('shows a 422 from the vendor registry', async () => {
    renderSignedIn('/app/integrations/connect', 'owner', {
      [`POST ${base}/ats/connections`]: problem(422, 'credentials: client_secret is required'),
    });
    const form = await screen.findByRole('form', { name: 'Connect an ATS' });
    fireEvent.change(within(form).getByLabelText('Client ID'), { target: { value: 'x' } });
    fireEvent.change(within(form).getByLabelText('Client secret'), { target: { value: 'y' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText('credentials: client_secret is required')).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Webhook setup' })).toBeNull();
  });
});

describe('Connection detail', () => {
  it('shows the state history and the integration log with "Load more"', async () => {
    const entry = (id: number, over: Record<string, unknown> = {}) => ({
      id,
      at: '2026-11-26T10:00:00Z',
      direction: 'outbound',
      endpoint: '/v3/jobs',
      status: 200,
      duration_ms: 120 + id,
      error: null,
      ...over,
    });
    const { api } = renderSignedIn('/app/integrations/c-1', 'hiring_manager', {
      [`GET ${base}/ats/connections/c-1`]: json(200, connection()),
      [`GET ${base}/ats/connections/c-1/history`]: json(200, {
        history: [
          { at: '2026-11-26T09:00:00Z', from: null, to: 'pending', event: 'created', consecutive_failures: 0, reason: '' },
          { at: '2026-11-26T09:01:00Z', from: 'pending', to: 'connected', event: 'test_passed', consecutive_failures: 0, reason: 'ok: 3 jobs visible' },
        ],
      }),
      [`GET ${base}/ats/connections/c-1/log?limit=50`]: json(200, { entries: [entry(9), entry(8, { status: 401, error: 'HTTP 401' })], next_before: 8 }),
      [`GET ${base}/ats/connections/c-1/log?limit=50&before=8`]: json(200, { entries: [entry(7, { direction: 'inbound', endpoint: '/webhooks/greenhouse/{id}' })] }),
    });
    expect(await heading('Greenhouse EU')).toBeTruthy();
    await waitFor(() => expect(document.querySelector('[data-history-to="connected"]')).toBeTruthy());
    expect(document.querySelector('[data-history-to="connected"]')!.textContent).toContain('test_passed');
    await waitFor(() => expect(document.querySelector('[data-log-id="8"]')).toBeTruthy());
    expect(document.querySelector('[data-log-id="8"]')!.textContent).toContain('HTTP 401');
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(document.querySelector('[data-log-id="7"]')).toBeTruthy());
    expect(document.querySelector('[data-log-id="7"]')!.textContent).toContain('In (webhook)');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(api.calls.some((c) => c.url.endsWith('/log?limit=50&before=8'))).toBe(true);
    // A hiring manager reads but does not act.
    expect(screen.queryByRole('button', { name: 'Sync now' })).toBeNull();
  });
});
