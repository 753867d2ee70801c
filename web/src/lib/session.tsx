import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import * as accounts from './accounts';
import type { Session, SessionOrg } from './accounts';
import { ProblemError, CSRF_COOKIE, readCookie, setCsrfToken, setSessionEndedHandler } from './http';

/// Auth state of the SPA: GET /api/v1/session decides (200 signed in, 401 signed out).
///
/// To avoid a pointless 401 on every visit of a public page (which browsers also log to the
/// console), the probe is skipped on public routes when nothing suggests a session: no CSRF
/// cookie (the readable twin of the session cookie) and no "signed in" hint left by this SPA.
/// Private routes always probe. The session cookie itself is HttpOnly and never read.

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous'; reason?: 'expired' | 'signed_out' }
  | { status: 'error'; message: string }
  | { status: 'authenticated'; session: Session };

export interface SessionValue {
  state: SessionState;
  session: Session | null;
  /** The organization pages act on: active_org, else the first membership. */
  activeOrg: SessionOrg | null;
  role: string | null;
  /** Store the session JSON a sign-up / login / acceptance / org switch answered. */
  signedIn: (s: Session) => void;
  /** Forget the session locally (after logout, or a 401). */
  signedOut: (reason?: 'expired' | 'signed_out') => void;
  refresh: () => void;
  switchOrg: (orgId: string) => Promise<void>;
}

const HINT_KEY = 'hirewire.signed_in';

function hint(): boolean {
  try {
    return window.localStorage.getItem(HINT_KEY) === '1';
  } catch {
    return false;
  }
}
function setHint(on: boolean) {
  try {
    if (on) window.localStorage.setItem(HINT_KEY, '1');
    else window.localStorage.removeItem(HINT_KEY);
  } catch {
    /* storage disabled: the probe then only runs on private routes */
  }
}

export function shouldProbe(isPublicRoute: boolean): boolean {
  return !isPublicRoute || hint() || readCookie(CSRF_COOKIE) !== null;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children, probe }: { children: ReactNode; probe: boolean }) {
  const [state, setState] = useState<SessionState>(() => (probe ? { status: 'loading' } : { status: 'anonymous' }));
  const [attempt, setAttempt] = useState(0);
  const probed = useRef(probe);

  // A public page that skipped the probe turns private (navigation): probe then.
  useEffect(() => {
    if (probe && !probed.current) {
      probed.current = true;
      setState((s) => (s.status === 'anonymous' && !s.reason ? { status: 'loading' } : s));
      setAttempt((n) => n + 1);
    }
  }, [probe]);

  useEffect(() => {
    if (!probed.current) return;
    const ctrl = new AbortController();
    accounts.getSession(ctrl.signal).then(
      (session) => {
        setHint(true);
        setState({ status: 'authenticated', session });
      },
      (e: unknown) => {
        if (ctrl.signal.aborted) return;
        if (e instanceof ProblemError && e.status === 401) {
          setHint(false);
          setCsrfToken(null);
          setState({ status: 'anonymous' });
        } else {
          setState({ status: 'error', message: e instanceof Error ? e.message : 'Could not load the session.' });
        }
      },
    );
    return () => ctrl.abort();
  }, [attempt]);

  const signedIn = useCallback((session: Session) => {
    setHint(true);
    probed.current = true;
    setState({ status: 'authenticated', session });
  }, []);

  const signedOut = useCallback((reason?: 'expired' | 'signed_out') => {
    setHint(false);
    setCsrfToken(null);
    setState({ status: 'anonymous', reason });
  }, []);

  useEffect(() => {
    setSessionEndedHandler(() => signedOut('expired'));
    return () => setSessionEndedHandler(null);
  }, [signedOut]);

  /// Reads the session again. While signed in, the current one stays shown until the answer.
  const refresh = useCallback(() => {
    probed.current = true;
    setState((s) => (s.status === 'authenticated' ? s : { status: 'loading' }));
    setAttempt((n) => n + 1);
  }, []);

  const switchOrg = useCallback(
    async (orgId: string) => {
      const s = await accounts.switchOrg(orgId);
      signedIn(s);
    },
    [signedIn],
  );

  const value = useMemo<SessionValue>(() => {
    const session = state.status === 'authenticated' ? state.session : null;
    const activeOrg = session
      ? (session.orgs.find((o) => o.id === session.active_org) ?? session.orgs[0] ?? null)
      : null;
    return {
      state,
      session,
      activeOrg,
      role: activeOrg?.role ?? null,
      signedIn,
      signedOut,
      refresh,
      switchOrg,
    };
  }, [state, signedIn, signedOut, refresh, switchOrg]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession() outside <SessionProvider>');
  return v;
}

/// For pages that only render when signed in with an active organization (see RequireOrg).
export function useActiveOrg(): { org: SessionOrg; role: string; session: Session } {
  const { session, activeOrg } = useSession();
  if (!session || !activeOrg) throw new Error('useActiveOrg() without an active organization');
  return { org: activeOrg, role: activeOrg.role, session };
}
