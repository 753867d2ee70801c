/// Client for the server's operational endpoints. Paths are absolute: the server answers /readyz
/// at its root, outside the SPA's /app/ base.

export interface Readiness {
  ready: boolean;
  database: boolean;
  migrations_current: boolean;
  supervisors_ok: boolean;
  problems: string[];
}

export type ReadinessResult =
  | { kind: 'ok'; status: number; body: Readiness }
  /** The server answered (e.g. 503) and said what is failing. */
  | { kind: 'not_ready'; status: number; body: Readiness };

/// The request never produced a usable answer: network failure, or a response we cannot read.
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function problemText(p: unknown): string {
  if (typeof p === 'string') return p;
  if (p && typeof p === 'object') {
    const o = p as Record<string, unknown>;
    for (const k of ['detail', 'message', 'title', 'check', 'name']) {
      if (typeof o[k] === 'string') return o[k] as string;
    }
  }
  return JSON.stringify(p);
}

/// Accepts both shapes the server has used: {"ready": true, ...} and {"status": "ready", ...}.
function parseReadiness(raw: unknown): Readiness | null {
  if (!raw || typeof raw !== 'object') return null;
  const o = raw as Record<string, unknown>;
  let ready: boolean;
  if (typeof o.ready === 'boolean') {
    ready = o.ready;
  } else if (typeof o.status === 'string') {
    ready = o.status === 'ready' || o.status === 'ok';
  } else {
    return null;
  }
  return {
    ready,
    database: o.database === true,
    migrations_current: o.migrations_current === true,
    supervisors_ok: o.supervisors_ok === true,
    problems: Array.isArray(o.problems) ? o.problems.map(problemText) : [],
  };
}

export async function fetchReadiness(signal?: AbortSignal): Promise<ReadinessResult> {
  let res: Response;
  try {
    res = await fetch('/readyz', {
      headers: { Accept: 'application/json' },
      cache: 'no-store',
      signal,
    });
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e;
    throw new ApiError('Could not reach the server. Check that hirewire is running.');
  }
  let raw: unknown = null;
  try {
    raw = await res.json();
  } catch {
    raw = null;
  }
  const body = parseReadiness(raw);
  if (!body) {
    throw new ApiError(`Unexpected response from /readyz (HTTP ${res.status}).`, res.status);
  }
  if (res.ok && body.ready) return { kind: 'ok', status: res.status, body };
  return { kind: 'not_ready', status: res.status, body };
}
