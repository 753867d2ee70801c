import { useCallback, useEffect, useState } from 'react';
import { errorText } from './http';

export type Load<T> =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; data: T };

/// Loads data for a page; re-runs when `deps` change or reload() is called.
export function useLoad<T>(fn: (signal: AbortSignal) => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<Load<T>>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const ctrl = new AbortController();
    setState({ kind: 'loading' });
    fn(ctrl.signal).then(
      (data) => !ctrl.signal.aborted && setState({ kind: 'ready', data }),
      (e: unknown) => !ctrl.signal.aborted && setState({ kind: 'error', message: errorText(e) }),
    );
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  /** Replace the loaded data locally (after a mutation answered). */
  const update = useCallback((f: (d: T) => T) => setState((s) => (s.kind === 'ready' ? { kind: 'ready', data: f(s.data) } : s)), []);
  return { state, reload, update };
}
