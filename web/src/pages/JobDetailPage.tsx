import { useState, type FormEvent } from 'react';
import { BusyButton, Field, FormError, FormStatus, SelectField, SubmitActions, formatDate, useAction } from '../components/Forms';
import { LoadView } from '../components/Lists';
import * as ats from '../lib/ats';
import type { JobDetail, JobEdit, JobField } from '../lib/ats';
import { allowed } from '../lib/permissions';
import { Link } from '../lib/router';
import { useActiveOrg } from '../lib/session';
import { useLoad } from '../lib/useLoad';
import { VendorHtml } from './AtsShared';
import { PostingBadge } from './JobsPage';

/// One job (job.read): what the ATS says, local edits (job.update) and their conflicts with the
/// ATS, the posting state with the transitions allowed now, and the shortlist stage.
export function JobDetailPage({ jobId }: { jobId: string }) {
  const { org } = useActiveOrg();
  const { state, reload, update } = useLoad((signal) => ats.getJob(org.id, jobId, signal), [org.id, jobId]);
  return (
    <section>
      <p className="crumbs">
        <Link to="/jobs">Jobs</Link> /
      </p>
      <LoadView state={state} loading="Loading the job…" errorTitle="Could not load the job" onRetry={reload}>
        {(job) => <JobView job={job} onJob={(j) => update(() => j)} onReload={reload} />}
      </LoadView>
    </section>
  );
}

function FieldFlags({ job, field, onRevert, busy, mayEdit }: { job: JobDetail; field: JobField; onRevert: (f: JobField) => void; busy: boolean; mayEdit: boolean }) {
  const edited = job.overridden_fields.includes(field);
  const conflict = job.conflicts.includes(field);
  if (!edited && !conflict) return null;
  return (
    <span className="job-flags" data-field-flags={field}>
      {edited && <span className="badge badge--info badge--inline">edited locally</span>}
      {conflict && (
        <span className="badge badge--warn badge--inline" data-conflict={field}>
          ATS changed this since your edit
        </span>
      )}
      {mayEdit && (
        <button type="button" className="link-button" disabled={busy} onClick={() => onRevert(field)}>
          Revert to the ATS value
        </button>
      )}
    </span>
  );
}

function JobView({ job, onJob, onReload }: { job: JobDetail; onJob: (j: JobDetail) => void; onReload: () => void }) {
  const { org, role } = useActiveOrg();
  const mayEdit = allowed(role, 'job.update');
  const act = useAction();
  const [status, setStatus] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const stages = ats.orderedStages(job.stages);
  const [shortlist, setShortlist] = useState(job.shortlist_stage_id ?? '');
  const shortlistName = stages.find((s) => s.id === job.shortlist_stage_id)?.name;
  const events = ats.allowedEvents(job);

  const revert = (field: JobField) =>
    act.run(async () => {
      setStatus(null);
      onJob(await ats.updateJob(org.id, job.id, { revert: [field] }, job.version));
      setStatus(`${ats.JOB_FIELD_LABELS[field]}: back to the ATS value.`);
    });

  const transition = (event: string) =>
    act.run(async () => {
      setStatus(null);
      const j = await ats.transitionJob(org.id, job.id, event, job.version);
      onJob(j);
      setStatus(`Posting state: ${ats.POSTING_STATE_LABELS[j.posting_state] ?? j.posting_state}.`);
    });

  const saveShortlist = (e: FormEvent) => {
    e.preventDefault();
    return act.run(async () => {
      setStatus(null);
      const j = await ats.updateJob(org.id, job.id, { shortlist_stage_id: shortlist || null }, job.version);
      onJob(j);
      setShortlist(j.shortlist_stage_id ?? '');
      const name = stages.find((s) => s.id === j.shortlist_stage_id)?.name;
      setStatus(name ? `Shortlist stage: ${name}.` : 'No shortlist stage.');
    });
  };

  const flags = (f: JobField) => <FieldFlags job={job} field={f} onRevert={revert} busy={act.busy} mayEdit={mayEdit} />;

  return (
    <>
      <div className="page-head">
        <h1 className="page-title" data-testid="job-title">
          {job.title || `Job #${job.external_id}`}
        </h1>
        <span className="inline-actions">
          {allowed(role, 'template.read') && (
            <Link to={`/jobs/${encodeURIComponent(job.id)}/template`} className="button button--ghost">
              Interview template
            </Link>
          )}
          <Link to={`/jobs/${encodeURIComponent(job.id)}/pipeline`} className="button">
            Candidate pipeline
          </Link>
        </span>
      </div>
      {job.title && <div className="job-title-flags">{flags('title')}</div>}

      {job.conflicts.length > 0 && (
        <div className="notice notice--warning" role="alert" data-testid="conflicts">
          <strong>The ATS changed {job.conflicts.map((f) => ats.JOB_FIELD_LABELS[f as JobField] ?? f).join(', ')} since your edit.</strong>{' '}
          Your version is kept; revert a field to take the ATS value.
        </div>
      )}

      <div className="panel job-panel">
        <dl className="facts">
          <dt>Department</dt>
          <dd>
            {job.department || '—'} {flags('department')}
          </dd>
          <dt>Location</dt>
          <dd>
            {job.location || '—'} {flags('location')}
          </dd>
          <dt>ATS status</dt>
          <dd data-testid="ats-status">{job.ats_status}</dd>
          <dt>Source</dt>
          <dd>
            {ats.vendorLabel(job.vendor)} job <code>{job.external_id}</code>
          </dd>
          {job.opened_at && (
            <>
              <dt>Opened</dt>
              <dd>{formatDate(job.opened_at)}</dd>
            </>
          )}
          {job.closed_at && (
            <>
              <dt>Closed</dt>
              <dd>{formatDate(job.closed_at)}</dd>
            </>
          )}
          <dt>Applications</dt>
          <dd>{job.applications}</dd>
        </dl>
      </div>

      <div className="panel form" role="region" aria-label="Posting state">
        <h2 className="form__title">
          Posting state <PostingBadge state={job.posting_state} />
        </h2>
        <p className="muted">
          Invitations go out only for an open posting. The ATS may close, reopen or archive a job; approving it is yours.
        </p>
        {mayEdit && (
          <div className="form__actions" data-testid="transitions">
            {events.length === 0 && <span className="muted">No further steps from here.</span>}
            {events.map((ev) => (
              <BusyButton
                key={ev}
                className={ev === 'archive' || ev === 'close' ? 'button button--small button--ghost' : 'button button--small'}
                busy={act.busy}
                busyText="Working…"
                onClick={() => transition(ev)}
              >
                {ats.EVENT_LABELS[ev] ?? ev}
              </BusyButton>
            ))}
          </div>
        )}
      </div>

      <div className="panel form" role="region" aria-label="Shortlist stage">
        <h2 className="form__title">Shortlist stage</h2>
        <p className="muted">
          When an application enters this stage in the ATS, hirewire records a stage event (later: an interview invitation).
        </p>
        {mayEdit ? (
          <form className="form--inline shortlist-form" onSubmit={saveShortlist} aria-label="Choose the shortlist stage">
            <SelectField id="shortlist-stage" label="Stage" value={shortlist} onChange={(e) => setShortlist(e.target.value)}>
              <option value="">None</option>
              {stages.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </SelectField>
            <SubmitActions busy={act.busy} busyText="Saving…">
              Save shortlist stage
            </SubmitActions>
          </form>
        ) : (
          <p data-testid="shortlist-stage">{shortlistName ?? 'None'}</p>
        )}
      </div>

      <FormStatus message={status} />
      <FormError error={act.error} />
      {act.error && (
        <button type="button" className="button button--small button--ghost" onClick={onReload}>
          Reload the job
        </button>
      )}

      <div className="panel job-panel" role="region" aria-label="Description">
        <h2 className="form__title">Description {flags('description_html')}</h2>
        <VendorHtml html={job.description_html} testId="job-description" />
        <h2 className="form__title">Requirements {flags('requirements')}</h2>
        {ats.looksLikeHtml(job.requirements) ? (
          <VendorHtml html={job.requirements} testId="job-requirements" />
        ) : (
          <p className="pre-wrap" data-testid="job-requirements">
            {job.requirements || '—'}
          </p>
        )}
      </div>

      {mayEdit &&
        (editing ? (
          <EditJobForm
            job={job}
            onSaved={(j) => {
              onJob(j);
              setEditing(false);
              setStatus('Saved. Edited fields keep your version across syncs.');
            }}
            onCancel={() => setEditing(false)}
          />
        ) : (
          <button type="button" className="button button--ghost" onClick={() => setEditing(true)}>
            Edit job details
          </button>
        ))}
    </>
  );
}

/// Local edits: only changed fields are sent; each becomes an override the sync keeps.
function EditJobForm({ job, onSaved, onCancel }: { job: JobDetail; onSaved: (j: JobDetail) => void; onCancel: () => void }) {
  const { org } = useActiveOrg();
  const [v, setV] = useState<Record<JobField, string>>({
    title: job.title,
    department: job.department,
    location: job.location,
    description_html: job.description_html,
    requirements: job.requirements,
  });
  const save = useAction();
  const set = (k: JobField) => (e: { target: { value: string } }) => setV((d) => ({ ...d, [k]: e.target.value }));

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const edit: JobEdit = {};
    for (const f of ats.JOB_FIELDS) if (v[f] !== job[f]) edit[f] = v[f];
    if (Object.keys(edit).length === 0) {
      onCancel();
      return;
    }
    const j = await save.run(() => ats.updateJob(org.id, job.id, edit, job.version));
    if (j) onSaved(j);
  };

  return (
    <form className="panel form" onSubmit={onSubmit} aria-label="Edit job details">
      <h2 className="form__title">Edit job details</h2>
      <p className="muted">Edited fields are kept when the ATS sync runs; if the ATS changes them too, you are told.</p>
      <Field label="Title" required maxLength={500} value={v.title} onChange={set('title')} />
      <Field label="Department" maxLength={200} value={v.department} onChange={set('department')} />
      <Field label="Location" maxLength={200} value={v.location} onChange={set('location')} />
      <div className="field">
        <label htmlFor="job-edit-description">Description (HTML)</label>
        <textarea id="job-edit-description" rows={8} value={v.description_html} onChange={set('description_html')} />
      </div>
      <div className="field">
        <label htmlFor="job-edit-requirements">Requirements</label>
        <textarea id="job-edit-requirements" rows={5} value={v.requirements} onChange={set('requirements')} />
      </div>
      <FormError error={save.error} />
      <SubmitActions
        busy={save.busy}
        busyText="Saving…"
        extra={
          <button type="button" className="button button--ghost" onClick={onCancel}>
            Cancel
          </button>
        }
      >
        Save changes
      </SubmitActions>
    </form>
  );
}
