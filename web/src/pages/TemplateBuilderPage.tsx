import { useState, type FormEvent } from 'react';
import { FormError, FormStatus, formatDate, useAction } from '../components/Forms';
import { LoadView } from '../components/Lists';
import * as ats from '../lib/ats';
import type { JobDetail } from '../lib/ats';
import * as content from '../lib/content';
import type { ItemSummary, ItemView, TemplateEntry, TemplateSection, TemplateView } from '../lib/content';
import { ProblemError } from '../lib/http';
import { allowed } from '../lib/permissions';
import { Link, useRouter } from '../lib/router';
import { useActiveOrg } from '../lib/session';
import { useLoad } from '../lib/useLoad';
import { ActButton, CandidateItemView, ItemStateBadge, Markdown, Preview, TemplateStateBadge, kindLabel } from './ContentShared';

interface Loaded {
  job: JobDetail;
  template: TemplateView | null;
}

async function loadAll(orgId: string, jobId: string, signal: AbortSignal): Promise<Loaded> {
  const [job, template] = await Promise.all([ats.getJob(orgId, jobId, signal), content.getTemplate(orgId, jobId, null, signal)]);
  return { job, template };
}

/// The interview template of one job (template.read): sections of approved library item
/// versions with time limits and weights, instructions, the candidate's preview, save
/// (template.update), submit and approve (template.approve), and why submission is blocked.
export function TemplateBuilderPage({ jobId }: { jobId: string }) {
  const { org } = useActiveOrg();
  const { search } = useRouter();
  const { state, reload, update } = useLoad((signal) => loadAll(org.id, jobId, signal), [org.id, jobId]);
  // Kept here: the builder starts afresh (keyed) from every template the server answers.
  const [status, setStatus] = useState<string | null>(
    new URLSearchParams(search).get('applied') ? 'Proposal applied: the template draft is saved, and the generated questions wait in the review queue.' : null,
  );
  return (
    <section>
      <p className="crumbs">
        <Link to="/jobs">Jobs</Link> / <Link to={`/jobs/${encodeURIComponent(jobId)}`}>Job</Link> /
      </p>
      <LoadView state={state} loading="Loading the interview template…" errorTitle="Could not load the interview template" onRetry={reload}>
        {(d) => <Builder key={d.template ? `${d.template.version}` : 'new'} data={d} status={status} setStatus={setStatus} onTemplate={(t) => update((x) => ({ ...x, template: t }))} onReload={reload} />}
      </LoadView>
    </section>
  );
}

/// A server reason with item ids replaced by the titles this page knows ("item <uuid> v1 is in_review").
export function withTitles(reason: string, entries: TemplateEntry[]): string {
  return reason.replace(/\b(item )?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/gi, (whole, _item, id: string) => {
    const e = entries.find((x) => x.item_id === id.toLowerCase());
    const title = e?.body?.title ?? e?.candidate?.title;
    return title ? `“${title}”` : whole;
  });
}

function emptySections(): TemplateSection[] {
  return [{ title: 'Interview', items: [] }];
}

function Builder({
  data,
  status,
  setStatus,
  onTemplate,
  onReload,
}: {
  data: Loaded;
  status: string | null;
  setStatus: (s: string | null) => void;
  onTemplate: (t: TemplateView) => void;
  onReload: () => void;
}) {
  const { org, role } = useActiveOrg();
  const { job, template } = data;
  const latest = template?.latest ?? null;
  const mayUpdate = allowed(role, 'template.update');
  const mayApprove = allowed(role, 'template.approve');
  const [instructions, setInstructions] = useState(latest?.instructions ?? '');
  const [sections, setSections] = useState<TemplateSection[]>(latest && latest.sections.length ? latest.sections : emptySections());
  const [dirty, setDirty] = useState(false);
  const [tried, setTried] = useState(false);
  const [preview, setPreview] = useState(false);
  const [wording, setWording] = useState<string | null>(null);
  const [errorTitle, setErrorTitle] = useState<string | undefined>();
  const act = useAction();

  const problems = content.validateTemplate(instructions, sections);
  const total = content.sumMinutes(sections);
  const entries = sections.flatMap((s) => s.items);

  const change = (f: (s: TemplateSection[]) => TemplateSection[]) => {
    setSections(f);
    setDirty(true);
    setStatus(null);
  };
  const setEntry = (si: number, ei: number, patch: Partial<TemplateEntry>) =>
    change((ss) => ss.map((s, i) => (i === si ? { ...s, items: s.items.map((e, k) => (k === ei ? { ...e, ...patch } : e)) } : s)));

  const run = (fn: () => Promise<string>) =>
    act.run(async () => {
      setStatus(null);
      setErrorTitle(undefined);
      try {
        setStatus(await fn());
      } catch (e) {
        if (e instanceof ProblemError && e.status === 412) setErrorTitle('Someone else changed the template:');
        else if (e instanceof ProblemError && (e.status === 409 || e.status === 422)) setErrorTitle('Refused:');
        throw e;
      }
    });

  const save = (e?: FormEvent) => {
    e?.preventDefault();
    setTried(true);
    if (problems.length) return;
    return run(async () => {
      const t = await content.saveTemplate(org.id, job.id, content.templateBody(instructions, sections), template?.version);
      onTemplate(t);
      return `Saved version ${t.latest.number} (${content.label(content.TEMPLATE_STATE_LABELS, t.latest.state)}).`;
    });
  };

  const transition = (event: string, done: string) =>
    run(async () => {
      const t = await content.transitionTemplate(org.id, job.id, event, template?.version);
      onTemplate(t);
      return done;
    });

  const addItem = async (si: number, it: ItemSummary) => {
    if (it.approved_version === null) return;
    const full = await content.getItem(org.id, it.id, it.approved_version).catch(() => null);
    const body = full?.latest.body ?? null;
    change((ss) =>
      ss.map((s, i) =>
        i === si
          ? {
              ...s,
              items: [
                ...s.items,
                {
                  item_id: it.id,
                  item_version: it.approved_version!,
                  time_limit_minutes: it.expected_minutes || 10,
                  weight: 1,
                  item_state: 'approved',
                  body,
                  candidate: body ? content.candidateView(body) : null,
                },
              ],
            }
          : s,
      ),
    );
  };

  const moveEntry = (si: number, ei: number, delta: number) => {
    const target = sections[si].items;
    const j = ei + delta;
    if (j >= 0 && j < target.length) {
      change((ss) => ss.map((s, i) => (i === si ? { ...s, items: content.move(s.items, ei, delta) } : s)));
      return;
    }
    // Past the section's end: into the neighbouring section.
    const sj = si + delta;
    if (sj < 0 || sj >= sections.length) return;
    change((ss) => {
      const e = ss[si].items[ei];
      return ss.map((s, i) => {
        if (i === si) return { ...s, items: s.items.filter((_, k) => k !== ei) };
        if (i === sj) return { ...s, items: delta < 0 ? [...s.items, e] : [e, ...s.items] };
        return s;
      });
    });
  };

  const state = latest?.state ?? 'draft';
  const editable = mayUpdate;

  return (
    <>
      <div className="page-head">
        <h1 className="page-title">Interview template: {job.title || `Job #${job.external_id}`}</h1>
        <div className="page-head__end inline-actions">
          {template ? <TemplateStateBadge state={state} /> : <span className="badge badge--muted">No template yet</span>}
          {latest && <span className="muted">version {latest.number}</span>}
        </div>
      </div>

      <div className="panel content-panel" role="region" aria-label="Template status">
        <dl className="facts">
          <dt>Approved version</dt>
          <dd data-testid="approved-template-version">
            {template?.approved_version ? `v${template.approved_version}` : 'none yet: invitations cannot go out for this job'}
          </dd>
          <dt>Total time</dt>
          <dd data-testid="total-minutes">{total} minutes</dd>
          {latest?.approved_at && (
            <>
              <dt>Approved</dt>
              <dd>{formatDate(latest.approved_at)}</dd>
            </>
          )}
          {template && template.versions.length > 1 && (
            <>
              <dt>Versions</dt>
              <dd>{template.versions.map((v) => `v${v.number} ${content.label(content.TEMPLATE_STATE_LABELS, v.state)}`).join(' · ')}</dd>
            </>
          )}
        </dl>
        {latest && latest.blocking.length > 0 && (
          <div className="notice notice--warning" data-testid="blocking">
            <strong>Cannot be submitted or approved yet:</strong>
            <ul className="blocking">
              {latest.blocking.map((b, i) => (
                <li key={i}>{withTitles(b, entries)}</li>
              ))}
            </ul>
          </div>
        )}
        {state === 'approved' && editable && <p className="muted">Saving changes creates a new draft version; the approved one stays what invitations use until the new one is approved.</p>}
        {state === 'pending_approval' && editable && <p className="muted">Saving changes takes the template back to draft.</p>}
        <div className="form__actions" data-testid="template-actions">
          {mayUpdate && (
            <Link to={`/jobs/${encodeURIComponent(job.id)}/template/propose`} className="button button--small button--ghost">
              Propose from the job description
            </Link>
          )}
          {mayUpdate && template && state === 'draft' && (
            <ActButton
              className="button button--small"
              busy={act.busy}
              busyText="Submitting…"
              disabled={dirty}
              title={dirty ? 'Save your changes first.' : undefined}
              onClick={() => transition('submit', 'Submitted for approval.')}
            >
              Submit for approval
            </ActButton>
          )}
          {mayApprove && template && state === 'pending_approval' && (
            <>
              <ActButton
                className="button button--small"
                busy={act.busy}
                busyText="Approving…"
                disabled={dirty}
                title={dirty ? 'Save or reload first.' : undefined}
                onClick={() => transition('approve', 'Template approved: the job can now be marked ready to invite.')}
              >
                Approve template
              </ActButton>
              <ActButton className="button button--small button--ghost" busy={act.busy} busyText="Sending…" onClick={() => transition('request_changes', 'Sent back to draft.')}>
                Request changes
              </ActButton>
            </>
          )}
          <button type="button" className="button button--small button--ghost" aria-pressed={preview} onClick={() => setPreview((p) => !p)}>
            {preview ? 'Back to editing' : 'Preview as the candidate'}
          </button>
        </div>
        <FormStatus message={status} />
        <FormError error={act.error} title={errorTitle} />
        {act.error && (
          <button type="button" className="button button--small button--ghost" onClick={onReload}>
            Reload
          </button>
        )}
      </div>

      {preview ? (
        <Preview title="What the candidate sees">
          <p className="muted small">
            {entries.length} question{entries.length === 1 ? '' : 's'}, {total} minutes in all.
          </p>
          <Markdown text={instructions} testId="preview-instructions" />
          {sections.map((s, si) => (
            <section key={si}>
              <h2 className="section-title">{s.title}</h2>
              {s.items.map((e, ei) =>
                e.candidate ? (
                  <CandidateItemView key={e.item_id} item={e.candidate} index={ei + 1} timeLimit={e.time_limit_minutes} />
                ) : (
                  <p key={e.item_id} className="muted">
                    (item {e.item_id} v{e.item_version})
                  </p>
                ),
              )}
            </section>
          ))}
        </Preview>
      ) : (
        <form className="panel form" onSubmit={save} aria-label="Template editor">
          <div className="field">
            <label htmlFor="tpl-instructions">Instructions for candidates (Markdown)</label>
            <textarea
              id="tpl-instructions"
              rows={4}
              value={instructions}
              readOnly={!editable}
              onChange={(e) => {
                setInstructions(e.target.value);
                setDirty(true);
              }}
            />
          </div>
          {sections.map((s, si) => (
            <fieldset key={si} className="tpl-section" aria-label={`Section ${si + 1}`}>
              <div className="tpl-section__head">
                <div className="field">
                  <label htmlFor={`tpl-sec-${si}`}>Section {si + 1} title</label>
                  <input id={`tpl-sec-${si}`} value={s.title} readOnly={!editable} maxLength={120} onChange={(e) => change((ss) => ss.map((x, i) => (i === si ? { ...x, title: e.target.value } : x)))} />
                </div>
                {editable && (
                  <span className="inline-actions">
                    <button type="button" className="button button--small button--ghost" aria-label={`Move section ${si + 1} up`} disabled={si === 0} onClick={() => change((ss) => content.move(ss, si, -1))}>
                      ↑
                    </button>
                    <button
                      type="button"
                      className="button button--small button--ghost"
                      aria-label={`Move section ${si + 1} down`}
                      disabled={si === sections.length - 1}
                      onClick={() => change((ss) => content.move(ss, si, 1))}
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      className="button button--small button--ghost"
                      aria-label={`Remove section ${si + 1}`}
                      disabled={sections.length === 1 || s.items.length > 0}
                      title={s.items.length > 0 ? 'Move or remove its questions first.' : undefined}
                      onClick={() => change((ss) => ss.filter((_, i) => i !== si))}
                    >
                      Remove section
                    </button>
                  </span>
                )}
              </div>
              {s.items.length === 0 && <p className="muted">No questions in this section yet.</p>}
              {s.items.map((e, ei) => {
                const title = e.body?.title ?? e.candidate?.title ?? e.item_id;
                return (
                  <div key={e.item_id} className="tpl-entry" data-entry={e.item_id}>
                    <span className="tpl-entry__title">
                      <Link to={`/library/${encodeURIComponent(e.item_id)}?version=${e.item_version}`}>{title}</Link>{' '}
                      <span className="muted small">
                        v{e.item_version}
                        {e.body ? ` · ${kindLabel(e.body.kind)}` : ''}
                      </span>{' '}
                      {e.item_state && e.item_state !== 'approved' && <ItemStateBadge state={e.item_state} />}
                    </span>
                    <label>
                      Minutes{' '}
                      <input
                        type="number"
                        min={1}
                        max={240}
                        aria-label={`Time limit of ${title} in minutes`}
                        value={Number.isFinite(e.time_limit_minutes) ? e.time_limit_minutes : ''}
                        readOnly={!editable}
                        onChange={(ev) => setEntry(si, ei, { time_limit_minutes: ev.target.value === '' ? NaN : Number(ev.target.value) })}
                      />
                    </label>
                    <label>
                      Weight{' '}
                      <input
                        type="number"
                        min={1}
                        max={100}
                        aria-label={`Weight of ${title}`}
                        value={Number.isFinite(e.weight) ? e.weight : ''}
                        readOnly={!editable}
                        onChange={(ev) => setEntry(si, ei, { weight: ev.target.value === '' ? NaN : Number(ev.target.value) })}
                      />
                    </label>
                    {editable && (
                      <span className="inline-actions">
                        <button type="button" className="button button--small button--ghost" aria-label={`Move ${title} up`} disabled={si === 0 && ei === 0} onClick={() => moveEntry(si, ei, -1)}>
                          ↑
                        </button>
                        <button
                          type="button"
                          className="button button--small button--ghost"
                          aria-label={`Move ${title} down`}
                          disabled={si === sections.length - 1 && ei === s.items.length - 1}
                          onClick={() => moveEntry(si, ei, 1)}
                        >
                          ↓
                        </button>
                        {e.body && (
                          <button
                            type="button"
                            className="button button--small button--ghost"
                            aria-label={`Job-specific wording for ${title}`}
                            aria-expanded={wording === e.item_id}
                            onClick={() => setWording((w) => (w === e.item_id ? null : e.item_id))}
                          >
                            Wording
                          </button>
                        )}
                        <button
                          type="button"
                          className="button button--small button--ghost"
                          aria-label={`Remove ${title}`}
                          onClick={() => change((ss) => ss.map((x, i) => (i === si ? { ...x, items: x.items.filter((_, k) => k !== ei) } : x)))}
                        >
                          Remove
                        </button>
                      </span>
                    )}
                    {editable && wording === e.item_id && e.body && (
                      <VariantForm
                        jobId={job.id}
                        entry={e}
                        onCancel={() => setWording(null)}
                        onCreated={(v) => {
                          setWording(null);
                          setEntry(si, ei, {
                            item_id: v.id,
                            item_version: v.latest.number,
                            item_state: v.latest.state,
                            body: v.latest.body,
                            candidate: content.candidateView(v.latest.body),
                          });
                          setStatus(`Created a job-specific variant of “${title}” (in review). Save the template; it can be submitted once the variant is approved.`);
                        }}
                      />
                    )}
                  </div>
                );
              })}
            </fieldset>
          ))}
          {editable && (
            <>
              <button
                type="button"
                className="button button--small button--ghost"
                disabled={sections.length >= 20}
                onClick={() => change((ss) => [...ss, { title: `Section ${ss.length + 1}`, items: [] }])}
              >
                Add a section
              </button>
              {tried && problems.length > 0 && (
                <div className="notice notice--error" data-testid="template-problems">
                  <ul>
                    {problems.map((p, i) => (
                      <li key={i}>{p}</li>
                    ))}
                  </ul>
                </div>
              )}
              <div className="form__actions">
                <button type="submit" className="button" disabled={act.busy}>
                  {act.busy ? 'Saving…' : 'Save template'}
                </button>
                {dirty && <span className="muted">Unsaved changes.</span>}
              </div>
            </>
          )}
        </form>
      )}

      {editable && !preview && <AddFromLibrary sections={sections} exclude={new Set(entries.map((e) => e.item_id))} onAdd={addItem} />}
    </>
  );
}

/// Job-specific wording of one entry: a job-local variant of the item (POST .../variants) with the
/// edited title and prompt, submitted for review; it replaces the entry once created.
function VariantForm({ jobId, entry, onCancel, onCreated }: { jobId: string; entry: TemplateEntry; onCancel: () => void; onCreated: (v: ItemView) => void }) {
  const { org } = useActiveOrg();
  const [title, setTitle] = useState(entry.body!.title);
  const [prompt, setPrompt] = useState(entry.body!.prompt);
  const act = useAction();
  const submit = async () => {
    const v = await act.run(async () => {
      const created = await content.createVariant(org.id, entry.item_id, entry.item_version, jobId, { ...entry.body!, title, prompt });
      return content.transitionItem(org.id, created.id, 'submit', undefined, created.version);
    });
    if (v) onCreated(v);
  };
  return (
    <div className="panel form" style={{ flexBasis: '100%' }} role="group" aria-label={`Job-specific wording for ${entry.body!.title}`}>
      <p className="muted small">A variant for this job only: it needs its own approval; the library item stays as it is.</p>
      <div className="field">
        <label htmlFor={`var-title-${entry.item_id}`}>Title</label>
        <input
          id={`var-title-${entry.item_id}`}
          value={title}
          maxLength={200}
          onChange={(e) => setTitle(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && e.preventDefault()}
        />
      </div>
      <div className="field">
        <label htmlFor={`var-prompt-${entry.item_id}`}>Prompt (Markdown)</label>
        <textarea id={`var-prompt-${entry.item_id}`} rows={5} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
      </div>
      <FormError error={act.error} />
      <div className="form__actions">
        <button type="button" className="button button--small" disabled={act.busy || !title.trim() || !prompt.trim()} onClick={submit}>
          {act.busy ? 'Creating…' : 'Create the variant'}
        </button>
        <button type="button" className="button button--small button--ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/// Search the approved library and add an item's newest approved version to a section.
function AddFromLibrary({ sections, exclude, onAdd }: { sections: TemplateSection[]; exclude: Set<string>; onAdd: (section: number, it: ItemSummary) => Promise<void> }) {
  const { org } = useActiveOrg();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [target, setTarget] = useState(0);
  const [busyId, setBusyId] = useState<string | null>(null);
  const { state, reload, update } = useLoad((signal) => content.listItems(org.id, { state: 'approved', q: query || undefined, limit: 20 }, signal), [org.id, query]);
  const more = useAction();
  const section = Math.min(target, sections.length - 1);

  const loadMore = async () => {
    if (state.kind !== 'ready' || !state.data.next_cursor) return;
    const cursor = state.data.next_cursor;
    const page = await more.run(() => content.listItems(org.id, { state: 'approved', q: query || undefined, limit: 20, cursor }));
    if (page) update((d) => ({ ...d, items: [...d.items, ...page.items], next_cursor: page.next_cursor }));
  };

  return (
    <div className="panel form" role="region" aria-label="Add from the library">
      <h2 className="form__title">Add from the library (approved items only)</h2>
      <form
        className="form--inline"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(q.trim());
        }}
      >
        <div className="field">
          <label htmlFor="tpl-search">Search</label>
          <input id="tpl-search" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="tpl-target">Add to</label>
          <select id="tpl-target" value={section} onChange={(e) => setTarget(Number(e.target.value))}>
            {sections.map((s, i) => (
              <option key={i} value={i}>
                {s.title || `Section ${i + 1}`}
              </option>
            ))}
          </select>
        </div>
        <div className="form__actions">
          <button type="submit" className="button button--small">
            Search
          </button>
        </div>
      </form>
      <LoadView
        state={state}
        loading="Searching…"
        errorTitle="Could not search the library"
        onRetry={reload}
        isEmpty={(p) => p.items.length === 0}
        empty="No approved items match. Items need an approved version before a template can use them."
      >
        {(page) => (
          <>
            <ul className="comment-list" data-testid="library-results">
              {page.items.map((it) => (
                <li key={it.id} data-item-id={it.id}>
                  <strong>{it.title}</strong> <span className="muted small">
                    {kindLabel(it.kind)} · {it.expected_minutes} min · v{it.approved_version} · {it.skills.join(', ')}
                  </span>{' '}
                  <button
                    type="button"
                    className="button button--small button--ghost"
                    aria-label={`Add ${it.title}`}
                    disabled={exclude.has(it.id) || it.approved_version === null || busyId !== null}
                    onClick={async () => {
                      setBusyId(it.id);
                      await onAdd(section, it);
                      setBusyId(null);
                    }}
                  >
                    {exclude.has(it.id) ? 'Added' : busyId === it.id ? 'Adding…' : 'Add'}
                  </button>
                </li>
              ))}
            </ul>
            {page.next_cursor && (
              <button type="button" className="button button--small button--ghost" disabled={more.busy} onClick={loadMore}>
                {more.busy ? 'Loading…' : 'More results'}
              </button>
            )}
            <FormError error={more.error} />
          </>
        )}
      </LoadView>
    </div>
  );
}
