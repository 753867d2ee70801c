/// JSON over HTTP against the recruiter API (http/API.md): problem+json errors, the CSRF
/// double-submit header on every state-changing request, and a hook for "the session ended".
///
/// The session itself lives in the HttpOnly `__Host-hw_session` cookie, which this code never
/// reads. The CSRF value comes from the `csrf_token` field of the session JSON (sign-up, login,
/// GET /api/v1/session, invitation acceptance); the readable `__Host-hw_csrf` cookie is only a
/// fallback, e.g. right after an SSO redirect before GET /api/v1/session answered.

import { ApiError } from './api';

export const CSRF_COOKIE = '__Host-hw_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null | undefined) {
  csrfToken = token ? token : null;
}

export function readCookie(name: string): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const v = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(v);
      } catch {
        return v;
      }
    }
  }
  return null;
}

/// The token to send: the one from the last session JSON, else the cookie's.
export function csrfTokenForRequest(): string | null {
  return csrfToken ?? readCookie(CSRF_COOKIE);
}

/// An RFC 9457 problem (or any non-2xx answer) from the API.
export class ProblemError extends ApiError {
  constructor(
    message: string,
    readonly status: number,
    readonly type: string | undefined,
    readonly title: string | undefined,
    readonly detail: string | undefined,
    readonly requestId: string | undefined,
    /** Seconds from Retry-After (429, 503), when given. */
    readonly retryAfter: number | undefined,
  ) {
    super(message, status);
    this.name = 'ProblemError';
  }
}

/// Called when an authenticated request answers 401: the session ended (expired, revoked,
/// signed out elsewhere). The session provider registers itself here.
let onSessionEnded: (() => void) | null = null;
export function setSessionEndedHandler(fn: (() => void) | null) {
  onSessionEnded = fn;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** A 401 means the session ended (true for session and organization routes). A 401 from
   *  login, password change or a token check means something else and is only an error. */
  sessionRequired?: boolean;
}

export interface ApiResponse<T> {
  status: number;
  data: T;
  headers: Headers;
}

function fallbackMessage(status: number): string {
  switch (status) {
    case 401:
      return 'You are not signed in, or your session has ended.';
    case 403:
      return "You don't have permission to do that.";
    case 404:
      return 'Not found.';
    case 409:
      return 'That conflicts with the current state. Reload and try again.';
    case 412:
      return 'Someone else changed this in the meantime. Reload and try again.';
    case 422:
      return 'Some values are not valid.';
    case 429:
      return 'Too many attempts. Wait a moment and try again.';
    default:
      return status >= 500 ? `The server had a problem (HTTP ${status}). Try again shortly.` : `HTTP ${status}`;
  }
}

export async function request<T = unknown>(
  method: string,
  path: string,
  opts: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  const upper = method.toUpperCase();
  if (MUTATING.has(upper)) {
    headers['Content-Type'] = 'application/json';
    const token = csrfTokenForRequest();
    if (token) headers[CSRF_HEADER] = token;
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method: upper,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e;
    throw new ApiError('Could not reach the server. Check your connection and try again.');
  }
  const text = await res.text().catch(() => '');
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (!res.ok) {
    const p = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
    const str = (k: string) => (typeof p[k] === 'string' && p[k] ? (p[k] as string) : undefined);
    const ra = res.headers.get('Retry-After');
    const retryAfter = ra && /^\d+$/.test(ra.trim()) ? Number(ra.trim()) : undefined;
    const detail = str('detail');
    const title = str('title');
    if (res.status === 401 && opts.sessionRequired) onSessionEnded?.();
    throw new ProblemError(
      detail ?? title ?? fallbackMessage(res.status),
      res.status,
      str('type'),
      title,
      detail,
      str('request_id') ?? res.headers.get('X-Request-Id') ?? undefined,
      retryAfter,
    );
  }
  if (text && json === undefined) {
    throw new ApiError(`Unexpected response from ${path} (HTTP ${res.status}).`, res.status);
  }
  return { status: res.status, data: json as T, headers: res.headers };
}

/// The text to show a person for a failed call: the problem's `detail`, plus when to retry.
export function errorText(e: unknown): string {
  if (e instanceof ProblemError) {
    let msg = e.message;
    if (e.retryAfter !== undefined) {
      msg += ` Try again in ${e.retryAfter} second${e.retryAfter === 1 ? '' : 's'}.`;
    }
    return msg;
  }
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error && e.message) return e.message;
  return 'Something went wrong. Try again.';
}
