import { useState, type FormEvent } from 'react';
import { Field, SelectField, SubmitActions, formatDate, useAction } from '../components/Forms';
import { DataTable, LoadMoreFooter, LoadView } from '../components/Lists';
import * as ats from '../lib/ats';
import type { JobFilter } from '../lib/ats';
import { allowed } from '../lib/permissions';
import { Link } from '../lib/router';
import { useActiveOrg } from '../lib/session';
import { useLoad } from '../lib/useLoad';

export const JOBS_PAGE = 50;

/// A posting state badge.
export function PostingBadge({ state }: { state: string }) {
  const cls = state === 'open' ? 'badge--ok' : state === 'ready' ? 'badge--info' : state === 'closed' || state === 'archived' ? 'badge--muted' : 'badge--warn';
  return (
    <span className={`badge ${cls}`} data-posting-state={state}>
      {ats.POSTING_STATE_LABELS[state] ?? state}
    </span>
  );
}

/// Jobs (job.read): the jobs imported from the organization's ATS connections, with filters and
/// "Load more".
export function JobsPage() {
  const { org, role } = useActiveOrg();
  const mayReadAts = allowed(role, 'ats.read');
  const [draft, setDraft] = useState({ connection: '', state: '', ats_status: '', q: '' });
  const [filters, setFilters] = useState<JobFilter>({});
  const [attempt, setAttempt] = useState(0);
  const { state, reload, update } = useLoad(
    (signal) => ats.listJobs(org.id, { ...filters, limit: JOBS_PAGE }, signal),
    [org.id, filters, attempt],
  );
  // The connection filter needs ats.read; other roles filter by the rest.
  const conns = useLoad((signal) => (mayReadAts ? ats.listConnections(org.id, signal) : Promise.resolve([])), [org.id, mayReadAts]);
  const connList = conns.state.kind === 'ready' ? conns.state.data : [];
  const connName = (id: string) => connList.find((c) => c.id === id)?.name;
  const more = useAction();

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters({
      connection: draft.connection || undefined,
      state: draft.state || undefined,
      ats_status: draft.ats_status || undefined,
      q: draft.q.trim() || undefined,
    });
    setAttempt((n) => n + 1);
  };

  const loadMore = async () => {
    if (state.kind !== 'ready' || !state.data.next_cursor) return;
    const cursor = state.data.next_cursor;
    const page = await more.run(() => ats.listJobs(org.id, { ...filters, limit: JOBS_PAGE, cursor }));
    if (!page) return;
    update((d) => ({ jobs: [...d.jobs, ...page.jobs], next_cursor: page.next_cursor }));
  };

  const set = (k: keyof typeof draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));

  return (
    <section>
      <div className="page-head">
        <h1 className="page-title">Jobs</h1>
        <button type="button" className="button button--small button--ghost" onClick={reload}>
          Refresh
        </button>
      </div>
      <form className="panel form form--inline filters" onSubmit={apply} aria-label="Job filters">
        {mayReadAts && (
          <SelectField id="jobs-connection" label="Connection" value={draft.connection} onChange={set('connection')}>
            <option value="">Any</option>
            {connList.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
        )}
        <SelectField id="jobs-state" label="Posting state" value={draft.state} onChange={set('state')}>
          <option value="">Any</option>
          {ats.POSTING_STATES.map((s) => (
            <option key={s} value={s}>
              {ats.POSTING_STATE_LABELS[s]}
            </option>
          ))}
        </SelectField>
        <SelectField id="jobs-ats-status" label="ATS status" value={draft.ats_status} onChange={set('ats_status')}>
          <option value="">Any</option>
          {ats.ATS_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s[0].toUpperCase() + s.slice(1)}
            </option>
          ))}
        </SelectField>
        <Field id="jobs-q" label="Search titles" type="search" value={draft.q} onChange={set('q')} />
        <SubmitActions>Apply filters</SubmitActions>
      </form>
      <LoadView
        state={state}
        loading="Loading jobs…"
        errorTitle="Could not load the jobs"
        onRetry={reload}
        empty={
          Object.values(filters).some(Boolean)
            ? 'No jobs match these filters.'
            : 'No jobs yet. Jobs appear here once an ATS is connected on Integrations and a sync ran.'
        }
        isEmpty={(d) => d.jobs.length === 0}
      >
        {({ jobs }) => (
          <DataTable columns={['Title', 'Department', 'Location', 'ATS status', 'Posting', 'Applications', 'Updated']}>
            {jobs.map((j) => (
              <tr key={j.id} data-job={j.title} data-job-id={j.id} data-external-id={j.external_id}>
                <td>
                  <Link to={`/jobs/${encodeURIComponent(j.id)}`}>{j.title || `Job #${j.external_id}`}</Link>
                  {j.has_local_edits && <span className="badge badge--info badge--inline">Edited locally</span>}
                  {mayReadAts && connName(j.connection_id) && <div className="muted small">{connName(j.connection_id)}</div>}
                </td>
                <td>{j.department || '—'}</td>
                <td>{j.location || '—'}</td>
                <td>{j.ats_status}</td>
                <td>
                  <PostingBadge state={j.posting_state} />
                </td>
                <td>{j.applications}</td>
                <td>{formatDate(j.updated_at)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </LoadView>
      <LoadMoreFooter hasMore={state.kind === 'ready' && !!state.data.next_cursor} busy={more.busy} error={more.error} onLoadMore={loadMore} />
    </section>
  );
}
