import { useState, type FormEvent } from 'react';
import { Field, SelectField, SubmitActions, formatDate, useAction } from '../components/Forms';
import { DataTable, LoadMoreFooter, LoadView } from '../components/Lists';
import * as accounts from '../lib/accounts';
import type { AuditFilters } from '../lib/accounts';
import { useActiveOrg } from '../lib/session';
import { useLoad } from '../lib/useLoad';

/// A datetime-local value ("2025-05-01T12:00") in the browser's zone -> RFC 3339 UTC.
export function localToIso(v: string): string | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/// The organization's audit log (audit.read), newest first, with filters and "Load more".
export function AuditPage() {
  const { org } = useActiveOrg();
  const [draft, setDraft] = useState({ action: '', actor_kind: '', outcome: '', since: '', until: '' });
  const [filters, setFilters] = useState<AuditFilters>({});
  const { state, reload, update } = useLoad(
    (signal) => accounts.listAudit(org.id, filters, null, signal).then((p) => ({ entries: p.entries, next: p.next_cursor })),
    [org.id, filters],
  );
  const more = useAction();

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
    if (state.kind !== 'ready' || !state.data.next) return;
    const cursor = state.data.next;
    const page = await more.run(() => accounts.listAudit(org.id, filters, cursor));
    if (!page) return;
    update((d) => ({ entries: [...d.entries, ...page.entries], next: page.next_cursor }));
  };

  const set = (k: keyof typeof draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));

  return (
    <section>
      <h1 className="page-title">Audit log</h1>
      <form className="panel form form--inline filters" onSubmit={apply} aria-label="Audit log filters">
        <Field id="audit-action" label="Action starts with" placeholder="e.g. member." value={draft.action} onChange={set('action')} />
        <SelectField id="audit-actor-kind" label="Actor" value={draft.actor_kind} onChange={set('actor_kind')}>
          <option value="">Any</option>
          <option value="user">User</option>
          <option value="api_key">API key</option>
          <option value="bootstrap_admin">Operator (admin token)</option>
          <option value="system">System</option>
        </SelectField>
        <SelectField id="audit-outcome" label="Outcome" value={draft.outcome} onChange={set('outcome')}>
          <option value="">Any</option>
          <option value="success">Success</option>
          <option value="failure">Failure</option>
          <option value="denied">Denied</option>
        </SelectField>
        <Field id="audit-since" label="Since" type="datetime-local" value={draft.since} onChange={set('since')} />
        <Field id="audit-until" label="Until" type="datetime-local" value={draft.until} onChange={set('until')} />
        <SubmitActions>Apply filters</SubmitActions>
      </form>
      <LoadView
        state={state}
        loading="Loading the audit log…"
        errorTitle="Could not load the audit log"
        onRetry={reload}
        empty="No entries match these filters."
        isEmpty={(d) => d.entries.length === 0}
      >
        {({ entries }) => (
          <DataTable columns={['When', 'Actor', 'Action', 'Target', 'Outcome', 'IP']} dense>
            {entries.map((a) => (
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
                  <span className={`badge ${a.outcome === 'success' ? 'badge--ok' : a.outcome === 'denied' ? 'badge--fail' : 'badge--muted'}`}>
                    {a.outcome}
                  </span>
                </td>
                <td>{a.ip ?? '—'}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </LoadView>
      <LoadMoreFooter hasMore={state.kind === 'ready' && !!state.data.next} busy={more.busy} error={more.error} onLoadMore={loadMore} />
    </section>
  );
}
