import { useCallback, useEffect, useRef, useState } from 'react';
import { FormError, formatDate } from '../components/Forms';
import { ErrorState, Loading } from '../components/States';
import * as ats from '../lib/ats';
import type { Application, JobDetail, StageEvent } from '../lib/ats';
import { errorText } from '../lib/http';
import { allowed } from '../lib/permissions';
import { Link } from '../lib/router';
import { useActiveOrg } from '../lib/session';
import { useVisiblePolling } from './AtsShared';

/// How often the pipeline refreshes while the page is visible (webhook-driven stage changes show
/// up without a reload).
export const PIPELINE_POLL_MS = 5000;

interface PipelineData {
  job: JobDetail;
  applications: Application[];
  truncated: boolean;
  events: StageEvent[];
  at: Date;
}

async function loadPipeline(orgId: string, jobId: string, signal?: AbortSignal): Promise<PipelineData> {
  const [job, apps, events] = await Promise.all([
    ats.getJob(orgId, jobId, signal),
    ats.allApplications(orgId, jobId, signal),
    ats.listStageEvents(orgId, jobId, signal),
  ]);
  return { job, applications: apps.applications, truncated: apps.truncated, events, at: new Date() };
}

/// The candidate pipeline of one job (job.read): a column per stage in stage order, a card per
/// application (names and e-mails only when the API sent them: candidate.pii_read), and the
/// "reached the shortlist stage" events. Refreshes every few seconds while visible.
export function JobPipelinePage({ jobId }: { jobId: string }) {
  const { org, role } = useActiveOrg();
  // The server leaves PII out for roles without candidate.pii_read; never show it to them anyway.
  const pii = allowed(role, 'candidate.pii_read');
  const [data, setData] = useState<PipelineData | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const alive = useRef(true);
  const hasData = useRef(false);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const refresh = useCallback(async () => {
    setBusy(true);
    try {
      const d = await loadPipeline(org.id, jobId);
      if (!alive.current) return;
      hasData.current = true;
      setData(d);
      setLoadError(null);
      setRefreshError(null);
    } catch (e) {
      if (!alive.current) return;
      // The first load failing shows an error page; later failures keep the last data shown.
      if (hasData.current) setRefreshError(errorText(e));
      else setLoadError(errorText(e));
    } finally {
      if (alive.current) setBusy(false);
    }
  }, [org.id, jobId]);

  useEffect(() => {
    hasData.current = false;
    setData(null);
    setLoadError(null);
    void refresh();
  }, [refresh]);

  useVisiblePolling(refresh, PIPELINE_POLL_MS, data !== null);

  if (!data) {
    return (
      <section>
        <p className="crumbs">
          <Link to="/jobs">Jobs</Link> /
        </p>
        {loadError ? (
          <ErrorState title="Could not load the pipeline" message={loadError} onRetry={() => void refresh()} />
        ) : (
          <Loading label="Loading the pipeline…" />
        )}
      </section>
    );
  }

  const { job, applications, events } = data;
  const columns = ats.groupByStage(job.stages, applications);
  const byAppId = new Map(applications.map((a) => [a.id, a]));

  return (
    <section>
      <p className="crumbs">
        <Link to="/jobs">Jobs</Link> / <Link to={`/jobs/${encodeURIComponent(job.id)}`}>{job.title || `Job #${job.external_id}`}</Link> /
      </p>
      <div className="page-head">
        <h1 className="page-title">Pipeline: {job.title || `Job #${job.external_id}`}</h1>
        <div className="page-head__end">
          <span className="muted small" role="status" aria-live="polite" data-testid="pipeline-updated">
            {busy ? 'Refreshing…' : `Updated ${data.at.toLocaleTimeString()}`}
          </span>
          <button type="button" className="button button--small button--ghost" onClick={() => void refresh()} disabled={busy}>
            Refresh
          </button>
        </div>
      </div>
      <FormError error={refreshError} title="Could not refresh:" />
      {data.truncated && <p className="notice notice--warning">This job has more applications than shown here.</p>}
      {applications.length === 0 && <p className="muted">No applications for this job yet.</p>}

      <div className="pipeline" data-testid="pipeline">
        {columns.map(({ stage, applications: apps }) => {
          const shortlist = stage.id !== '' && stage.id === job.shortlist_stage_id;
          return (
            <section
              key={stage.id || 'none'}
              className={shortlist ? 'pipeline__col pipeline__col--shortlist' : 'pipeline__col'}
              aria-label={`Stage ${stage.name}`}
              data-stage-id={stage.id}
              data-stage-name={stage.name}
            >
              <h2 className="pipeline__head">
                {stage.name}
                <span className="pipeline__count">{apps.length}</span>
                {shortlist && <span className="badge badge--info badge--inline">Shortlist</span>}
              </h2>
              <ul className="pipeline__cards">
                {apps.map((a) => {
                  const who = ats.candidateLabel(a.candidate, pii);
                  return (
                    <li key={a.id} className="app-card" data-application={a.external_id} data-application-id={a.id}>
                      <div className="app-card__name">{who.name}</div>
                      {who.email && <div className="app-card__email muted small">{who.email}</div>}
                      <div className="app-card__meta">
                        <span className={`badge badge--inline ${a.status === 'active' ? 'badge--ok' : a.status === 'hired' ? 'badge--info' : 'badge--muted'}`}>
                          {a.status}
                        </span>
                        <span className="muted small">updated {formatDate(a.updated_at)}</span>
                      </div>
                    </li>
                  );
                })}
              </ul>
            </section>
          );
        })}
      </div>

      <h2 className="section-title">Stage events</h2>
      {events.length === 0 ? (
        <p className="muted">
          {job.shortlist_stage_id
            ? 'No application has reached the shortlist stage yet.'
            : 'Choose a shortlist stage on the job page to record when applications reach it.'}
        </p>
      ) : (
        <ul className="stage-events" data-testid="stage-events">
          {events.map((ev) => {
            const app = byAppId.get(ev.application_id);
            const who = app ? ats.candidateLabel(app.candidate, pii).name : 'An application';
            return (
              <li key={ev.id} data-stage-event={ev.id} data-application-id={ev.application_id}>
                <strong>{who}</strong> reached shortlist stage “{ev.stage_name}”{' '}
                <span className="muted small">
                  {formatDate(ev.at)} · {ev.status}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
