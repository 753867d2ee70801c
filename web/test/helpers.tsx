import { render } from '@testing-library/react';
import { vi } from 'vitest';
import { App } from '../src/App';

export const READY = {
  ready: true,
  database: true,
  migrations_current: true,
  supervisors_ok: true,
  problems: [],
};

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

/// Replaces fetch with a mock that answers each call with the next of `answers`
/// (a Response, or an Error to reject with); the last answer repeats.
export function mockFetch(...answers: (Response | Error | Promise<Response>)[]) {
  let i = 0;
  const fn = vi.fn(async () => {
    const a = answers[Math.min(i++, answers.length - 1)];
    if (a instanceof Error) throw a;
    return a instanceof Response ? a.clone() : a;
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}

export function renderAt(path: string) {
  window.history.replaceState(null, '', path);
  return render(<App />);
}
