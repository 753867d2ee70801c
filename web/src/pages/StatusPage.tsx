import { useCallback, useEffect, useState } from 'react';
import { ApiError, fetchReadiness, type Readiness, type ReadinessResult } from '../lib/api';
import { Badge, ErrorState, Loading } from '../components/States';

type View =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'loaded'; result: ReadinessResult; at: Date };

const CHECKS: { key: keyof Readiness; label: string; help: string }[] = [
  { key: 'database', label: 'Database', help: 'PostgreSQL is reachable.' },
  { key: 'migrations_current', label: 'Migrations', help: 'The schema is at the latest migration.' },
  { key: 'supervisors_ok', label: 'Supervisors', help: 'ATS sync and notification supervisors are healthy.' },
];

export function StatusPage() {
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    setView({ kind: 'loading' });
    fetchReadiness(ctrl.signal).then(
      (result) => setView({ kind: 'loaded', result, at: new Date() }),
      (e: unknown) => {
        if (ctrl.signal.aborted) return;
        const message = e instanceof ApiError ? e.message : 'Unexpected error while checking status.';
        setView({ kind: 'error', message });
      },
    );
    return () => ctrl.abort();
  }, [attempt]);

  const refresh = useCallback(() => setAttempt((n) => n + 1), []);

  return (
    <section>
      <div className="page-head">
        <h1 className="page-title">Status</h1>
        {view.kind === 'loaded' && (
          <button type="button" className="button button--ghost" onClick={refresh}>
            Refresh
          </button>
        )}
      </div>
      {view.kind === 'loading' && <Loading label="Checking server status…" />}
      {view.kind === 'error' && (
        <ErrorState title="Status unavailable" message={view.message} onRetry={refresh} />
      )}
      {view.kind === 'loaded' && <ReadinessPanel result={view.result} at={view.at} />}
    </section>
  );
}

function ReadinessPanel({ result, at }: { result: ReadinessResult; at: Date }) {
  const { body } = result;
  const ready = result.kind === 'ok';
  return (
    <div className="panel">
      <div
        className={`summary ${ready ? 'summary--ok' : 'summary--fail'}`}
        data-testid="readiness-summary"
      >
        <strong>{ready ? 'All systems ready' : 'Not ready'}</strong>
        <span className="muted">
          {ready ? '' : `HTTP ${result.status} · `}checked {at.toLocaleTimeString()}
        </span>
      </div>
      <ul className="checks" aria-label="Readiness checks">
        {CHECKS.map((c) => {
          const ok = body[c.key] === true;
          return (
            <li key={c.key} className="check" data-check={c.key} data-ok={ok}>
              <div>
                <div className="check__label">{c.label}</div>
                <div className="check__help muted">{c.help}</div>
              </div>
              <Badge ok={ok} />
            </li>
          );
        })}
      </ul>
      {body.problems.length > 0 && (
        <div className="problems">
          <h2>Problems</h2>
          <ul>
            {body.problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
