import { render, screen } from '@testing-library/react';
import { expect, vi } from 'vitest';
import { App } from '../src/App';
import type { Session } from '../src/lib/accounts';

export const ORG_A = { id: '11111111-1111-4111-8111-111111111111', slug: 'acme', name: 'Acme', role: 'owner' };
export const ORG_B = { id: '22222222-2222-4222-8222-222222222222', slug: 'globex', name: 'Globex', role: 'viewer' };
export const CSRF = 'csrf-token-from-json';

export function session(role = 'owner', extra: Partial<Session> = {}): Session {
  return {
    user: { id: 'u-me', email: 'me@example.com', display_name: 'Me Myself' },
    orgs: [{ ...ORG_A, role }],
    active_org: ORG_A.id,
    expires_at: '2030-01-01T00:00:00Z',
    csrf_token: CSRF,
    ...extra,
  };
}

export function json(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function problem(status: number, detail: string, headers: Record<string, string> = {}): Response {
  return new Response(
    JSON.stringify({ type: 'about:blank', title: 'Problem', status, detail, instance: '/x', request_id: 'req-1' }),
    { status, headers: { 'Content-Type': 'application/problem+json', ...headers } },
  );
}

export interface Call {
  method: string;
  path: string;
  url: string;
  headers: Headers;
  body: unknown;
}

type Answer = Response | ((call: Call) => Response | Promise<Response>) | Response[];

/// A fetch that answers by "METHOD /path" (query ignored; "METHOD /path?query" matches first).
/// A list answers its items in turn (the last one repeats). Records every call.
export function mockApi(routes: Record<string, Answer>) {
  const calls: Call[] = [];
  const counters = new Map<string, number>();
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const method = (init?.method ?? 'GET').toUpperCase();
    const path = url.split('?')[0];
    let body: unknown = undefined;
    if (typeof init?.body === 'string') {
      try {
        body = JSON.parse(init.body);
      } catch {
        body = init.body;
      }
    }
    const call: Call = { method, path, url, headers: new Headers(init?.headers), body };
    calls.push(call);
    const key = routes[`${method} ${url}`] !== undefined ? `${method} ${url}` : `${method} ${path}`;
    const a = routes[key];
    if (a === undefined) return problem(404, `no mock for ${method} ${url}`);
    if (Array.isArray(a)) {
      const i = counters.get(key) ?? 0;
      counters.set(key, i + 1);
      return a[Math.min(i, a.length - 1)].clone();
    }
    if (typeof a === 'function') return a(call);
    return a.clone();
  });
  vi.stubGlobal('fetch', fn);
  return {
    fn,
    calls,
    find: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path),
  };
}

/// Renders the app at `path` as a signed-in user with `role` in ORG_A.
export function renderSignedIn(path: string, role: string, routes: Record<string, Answer> = {}, s?: Session) {
  window.localStorage.setItem('hirewire.signed_in', '1');
  const api = mockApi({ 'GET /api/v1/session': json(200, s ?? session(role)), ...routes });
  window.history.replaceState(null, '', path);
  const r = render(<App />);
  return { ...r, api };
}

export function renderAnon(path: string, routes: Record<string, Answer> = {}) {
  const api = mockApi({ 'GET /api/v1/session': problem(401, 'not signed in'), ...routes });
  window.history.replaceState(null, '', path);
  const r = render(<App />);
  return { ...r, api };
}

/// Every state-changing call carried the CSRF token and a JSON content type.
export function expectCsrf(call: Call | undefined, token = CSRF) {
  expect(call, 'the call was made').toBeTruthy();
  expect(call!.headers.get('X-CSRF-Token')).toBe(token);
  expect(call!.headers.get('Content-Type')).toBe('application/json');
}

export async function heading(name: string | RegExp) {
  return screen.findByRole('heading', { level: 1, name });
}
