import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { READY, jsonResponse, mockFetch, renderAt } from './helpers';

function checkRow(key: string): HTMLElement {
  const row = document.querySelector<HTMLElement>(`[data-check="${key}"]`);
  if (!row) throw new Error(`no row for ${key}`);
  return row;
}

describe('Status page', () => {
  it('shows a loading state while /readyz is pending', async () => {
    const fetch = mockFetch(new Promise<Response>(() => {}));
    renderAt('/app/status');
    expect(screen.getByRole('status').textContent).toMatch(/checking server status/i);
    expect(fetch).toHaveBeenCalledWith('/readyz', expect.anything());
  });

  it.each([
    ['{"ready": true}', READY],
    ['{"status": "ready"}', { ...READY, ready: undefined, status: 'ready' }],
  ])('shows every check as OK when the server is ready (%s)', async (_name, body) => {
    mockFetch(jsonResponse(200, body));
    renderAt('/app/status');
    expect(await screen.findByText('All systems ready')).toBeTruthy();
    for (const key of ['database', 'migrations_current', 'supervisors_ok']) {
      expect(within(checkRow(key)).getByText('OK')).toBeTruthy();
      expect(checkRow(key).dataset.ok).toBe('true');
    }
    expect(screen.queryByText('Problems')).toBeNull();
  });

  it('shows the failing checks and problems from a 503 body', async () => {
    mockFetch(
      jsonResponse(503, {
        ready: false,
        database: true,
        migrations_current: false,
        supervisors_ok: true,
        problems: ['migrations pending: 0003_create_invitations'],
      }),
    );
    renderAt('/app/status');
    expect(await screen.findByText('Not ready')).toBeTruthy();
    expect(screen.getByText(/HTTP 503/)).toBeTruthy();
    expect(within(checkRow('database')).getByText('OK')).toBeTruthy();
    expect(within(checkRow('migrations_current')).getByText('Failed')).toBeTruthy();
    expect(within(checkRow('supervisors_ok')).getByText('OK')).toBeTruthy();
    expect(screen.getByText('migrations pending: 0003_create_invitations')).toBeTruthy();
  });

  it('accepts problem objects as well as strings', async () => {
    mockFetch(
      jsonResponse(503, {
        ready: false,
        database: false,
        migrations_current: false,
        supervisors_ok: false,
        problems: [{ detail: 'database unreachable' }],
      }),
    );
    renderAt('/app/status');
    expect(await screen.findByText('database unreachable')).toBeTruthy();
    expect(screen.getAllByText('Failed')).toHaveLength(3);
  });

  it('shows an error state on a network error, and Retry recovers', async () => {
    const fetch = mockFetch(new TypeError('Failed to fetch'), jsonResponse(200, READY));
    renderAt('/app/status');
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Status unavailable')).toBeTruthy();
    expect(within(alert).getByText(/could not reach the server/i)).toBeTruthy();

    fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('All systems ready')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('understands the {"status": "ready"|"not_ready"} shape too', async () => {
    mockFetch(
      jsonResponse(503, {
        status: 'not_ready',
        database: false,
        migrations_current: true,
        supervisors_ok: true,
        problems: ['database: connection refused'],
      }),
    );
    renderAt('/app/status');
    expect(await screen.findByText('Not ready')).toBeTruthy();
    expect(within(checkRow('database')).getByText('Failed')).toBeTruthy();
    expect(screen.getByText('database: connection refused')).toBeTruthy();
  });

  it('treats an unreadable body as an error', async () => {
    mockFetch(new Response('<html>bad gateway</html>', { status: 502 }));
    renderAt('/app/status');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/HTTP 502/);
  });

  it('Refresh fetches again', async () => {
    const fetch = mockFetch(jsonResponse(200, READY));
    renderAt('/app/status');
    fireEvent.click(await screen.findByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(fetch).toHaveBeenCalledTimes(2));
    expect(await screen.findByText('All systems ready')).toBeTruthy();
  });
});
