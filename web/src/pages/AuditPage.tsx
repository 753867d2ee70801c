import { useEffect, useState, type FormEvent } from 'react';
import { FormError, formatDate, useAction } from '../components/Forms';
import { ErrorState, Loading } from '../components/States';
import * as accounts from '../lib/accounts';
import type { AuditEntry, AuditFilters } from '../lib/accounts';
import { errorText } from '../lib/http';
import { useActiveOrg } from '../lib/session';

/// A datetime-local value ("2025-05-01T12:00") in the browser's zone -> RFC 3339 UTC.
export function localToIso(v: string): string | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

type View =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; entries: AuditEntry[]; next: string | null };

/// The organization's audit log (audit.read), newest first, with filters and "Load more".
export function AuditPage() {
  const { org } = useActiveOrg();
  const [draft, setDraft] = useState({ action: '', actor_kind: '', outcome: '', since: '', until: '' });
  const [filters, setFilters] = useState<AuditFilters>({});
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const more = useAction();

  useEffect(() => {
    const ctrl = new AbortController();
    setView({ kind: 'loading' });
    accounts.listAudit(org.id, filters, null, ctrl.signal).then(
      (p) => !ctrl.signal.aborted && setView({ kind: 'ready', entries: p.entries, next: p.next_cursor }),
      (e: unknown) => !ctrl.signal.aborted && setView({ kind: 'error', message: errorText(e) }),
    );
    return () => ctrl.abort();
  }, [org.id, filters, attempt]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters({
      action: draft.action.trim() || undefined,
      actor_kind: draft.actor_kind || undefined,
      outcome: draft.outcome || undefined,
      since: localToIso(draft.since),
      until: localToIso(draft.until),
    });
  };

  const loadMore = async () => {
    if (view.kind !== 'ready' || !view.next) return;
    const cursor = view.next;
    const page = await more.run(() => accounts.listAudit(org.id, filters, cursor));
    if (!page) return;
    setView((v) => (v.kind === 'ready' ? { kind: 'ready', entries: [...v.entries, ...page.entries], next: page.next_cursor } : v));
  };

  const set = (k: keyof typeof draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));

  return (
    <section>
      <h1 className="page-title">Audit log</h1>
      <form className="panel form form--inline filters" onSubmit={apply} aria-label="Audit log filters">
        <div className="field">
          <label htmlFor="audit-action">Action starts with</label>
          <input id="audit-action" placeholder="e.g. member." value={draft.action} onChange={set('action')} />
        </div>
        <div className="field">
          <label htmlFor="audit-actor-kind">Actor</label>
          <select id="audit-actor-kind" value={draft.actor_kind} onChange={set('actor_kind')}>
            <option value="">Any</option>
            <option value="user">User</option>
            <option value="api_key">API key</option>
            <option value="bootstrap_admin">Operator (admin token)</option>
            <option value="system">System</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-outcome">Outcome</label>
          <select id="audit-outcome" value={draft.outcome} onChange={set('outcome')}>
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="failure">Failure</option>
            <option value="denied">Denied</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-since">Since</label>
          <input id="audit-since" type="datetime-local" value={draft.since} onChange={set('since')} />
        </div>
        <div className="field">
          <label htmlFor="audit-until">Until</label>
          <input id="audit-until" type="datetime-local" value={draft.until} onChange={set('until')} />
        </div>
        <div className="form__actions">
          <button type="submit" className="button">
            Apply filters
          </button>
        </div>
      </form>
      {view.kind === 'loading' && <Loading label="Loading the audit log…" />}
      {view.kind === 'error' && (
        <ErrorState title="Could not load the audit log" message={view.message} onRetry={() => setAttempt((n) => n + 1)} />
      )}
      {view.kind === 'ready' &&
        (view.entries.length === 0 ? (
          <div className="panel panel--empty">
            <p>No entries match these filters.</p>
          </div>
        ) : (
          <div className="panel">
            <table className="table table--dense">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">IP</th>
                </tr>
              </thead>
              <tbody>
                {view.entries.map((a) => (
                  <tr key={String(a.id)} data-audit-action={a.action}>
                    <td>{formatDate(a.at)}</td>
                    <td>
                      <span className="muted">{a.actor?.kind}</span> <code>{a.actor?.id}</code>
                    </td>
                    <td>
                      <code>{a.action}</code>
                    </td>
                    <td className="cell--clip">{a.target}</td>
                    <td>
                      <span
                        className={`badge ${a.outcome === 'success' ? 'badge--ok' : a.outcome === 'denied' ? 'badge--fail' : 'badge--muted'}`}
                      >
                        {a.outcome}
                      </span>
                    </td>
                    <td>{a.ip ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      <FormError error={more.error} />
      {view.kind === 'ready' && view.next && (
        <div className="more">
          <button type="button" className="button button--ghost" disabled={more.busy} onClick={loadMore}>
            {more.busy ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </section>
  );
}
