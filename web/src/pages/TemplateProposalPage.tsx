import { useState, type FormEvent } from 'react';
import { FormError, SubmitActions, useAction } from '../components/Forms';
import { DataTable, LoadView } from '../components/Lists';
import * as ats from '../lib/ats';
import * as content from '../lib/content';
import type { ItemBody, Proposal, ProposalApplyBody } from '../lib/content';
import { Link, useRouter } from '../lib/router';
import { useActiveOrg } from '../lib/session';
import { useLoad } from '../lib/useLoad';
import { ActButton, Markdown, Tags, kindLabel } from './ContentShared';

/// One row of the editable proposal.
export interface Row {
  key: string;
  source: 'library' | 'generated';
  item_id?: string;
  item_version?: number;
  generated?: { body: ItemBody; origin: string; rule: string };
  section: string;
  time_limit_minutes: number;
  weight: number;
  covers: string[];
  title: string;
  removed: boolean;
}

export function rowsOf(p: Proposal): Row[] {
  return p.entries.map((e, i) => {
    const g = e.source === 'generated' && e.generated_index !== undefined ? p.generated[e.generated_index] : undefined;
    const body = g?.body ?? e.body;
    return {
      key: `${i}`,
      source: e.source,
      item_id: e.item_id,
      item_version: e.item_version,
      generated: e.source === 'generated' ? { body: structuredClone(body ?? content.emptyBody()), origin: g?.origin ?? '', rule: g?.rule ?? '' } : undefined,
      section: e.section || 'Interview',
      time_limit_minutes: e.time_limit_minutes,
      weight: e.weight,
      covers: e.covers,
      title: body?.title ?? e.item_id ?? 'Untitled',
      removed: false,
    };
  });
}

/// Coverage of the required and detected skills by the rows still in the proposal.
export function coverageOf(p: Proposal, rows: Row[]): { skill: string; label: string; required: boolean; by: string[] }[] {
  const live = rows.filter((r) => !r.removed);
  return p.coverage.map((c) => ({
    skill: c.skill,
    label: c.label,
    required: c.required,
    by: live.filter((r) => r.covers.includes(c.skill)).map((r) => r.title),
  }));
}

/// The apply body: sections in order of first appearance, entries in row order.
export function applyBody(rows: Row[], instructions: string, submitGenerated: boolean): ProposalApplyBody {
  const sections: ProposalApplyBody['sections'] = [];
  for (const r of rows) {
    if (r.removed) continue;
    let s = sections.find((x) => x.title === r.section);
    if (!s) {
      s = { title: r.section, items: [] };
      sections.push(s);
    }
    if (r.source === 'library') {
      s.items.push({ item_id: r.item_id!, item_version: r.item_version!, time_limit_minutes: r.time_limit_minutes, weight: r.weight });
    } else {
      s.items.push({ generated: content.cleanBody(r.generated!.body), origin: r.generated!.origin, rule: r.generated!.rule, time_limit_minutes: r.time_limit_minutes, weight: r.weight });
    }
  }
  return { instructions, submit_generated: submitGenerated, sections };
}

/// Generation (template.update): propose a template from the job's description, inspect which
/// skills are covered and by what, edit or remove entries, and apply: generated questions become
/// drafts in the review queue, the template draft is saved.
export function TemplateProposalPage({ jobId }: { jobId: string }) {
  const { org } = useActiveOrg();
  const { navigate } = useRouter();
  const job = useLoad((signal) => ats.getJob(org.id, jobId, signal), [org.id, jobId]);
  const [target, setTarget] = useState('60');
  const [useLlm, setUseLlm] = useState(false);
  const [proposal, setProposal] = useState<Proposal | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [instructions, setInstructions] = useState('');
  const [submitGenerated, setSubmitGenerated] = useState(true);
  const propose = useAction();
  const apply = useAction();

  const doPropose = async (e: FormEvent) => {
    e.preventDefault();
    const t = Number(target);
    if (!Number.isInteger(t) || t < 5 || t > 480) {
      propose.setError('The target duration must be 5..480 minutes.');
      return;
    }
    const p = await propose.run(() => content.proposeTemplate(org.id, jobId, t, useLlm));
    if (!p) return;
    setProposal(p);
    setRows(rowsOf(p));
    if (!instructions) setInstructions('Answer each question in your own words. You can take a short break between sections.');
  };

  const doApply = async () => {
    if (!proposal) return;
    const body = applyBody(rows, instructions, submitGenerated);
    if (body.sections.length === 0) {
      apply.setError('Keep at least one question.');
      return;
    }
    const t = await apply.run(async () => {
      const current = await content.getTemplate(org.id, jobId);
      return content.applyProposal(org.id, jobId, body, current?.version);
    });
    if (t) navigate(`/jobs/${encodeURIComponent(jobId)}/template?applied=1`);
  };

  const setRow = (key: string, patch: Partial<Row>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const setGenerated = (key: string, patch: Partial<ItemBody>) =>
    setRows((rs) => rs.map((r) => (r.key === key && r.generated ? { ...r, title: patch.title ?? r.title, generated: { ...r.generated, body: { ...r.generated.body, ...patch } } } : r)));

  const jobTitle = job.state.kind === 'ready' ? job.state.data.title || `Job #${job.state.data.external_id}` : 'the job';
  const coverage = proposal ? coverageOf(proposal, rows) : [];
  const live = rows.filter((r) => !r.removed);
  const total = live.reduce((n, r) => n + (Number.isFinite(r.time_limit_minutes) ? r.time_limit_minutes : 0), 0);
  const generatedCount = live.filter((r) => r.source === 'generated').length;

  return (
    <section>
      <p className="crumbs">
        <Link to="/jobs">Jobs</Link> / <Link to={`/jobs/${encodeURIComponent(jobId)}`}>Job</Link> /{' '}
        <Link to={`/jobs/${encodeURIComponent(jobId)}/template`}>Interview template</Link> /
      </p>
      <div className="page-head">
        <h1 className="page-title">Propose a template for {jobTitle}</h1>
      </div>
      <p className="lede">
        hirewire reads the job description and requirements, picks approved library items by skill and seniority, and drafts questions for
        skills the library does not cover. Nothing is used before a person approves it.
      </p>
      <form className="panel form form--inline" onSubmit={doPropose} aria-label="Proposal settings">
        <div className="field">
          <label htmlFor="prop-target">Target duration (minutes)</label>
          <input id="prop-target" type="number" min={5} max={480} value={target} onChange={(e) => setTarget(e.target.value)} />
        </div>
        <div className="field field--check">
          <label>
            <input type="checkbox" checked={useLlm} onChange={(e) => setUseLlm(e.target.checked)} /> Also ask the organization's LLM
          </label>
        </div>
        <SubmitActions busy={propose.busy} busyText="Proposing…">
          {proposal ? 'Propose again' : 'Propose'}
        </SubmitActions>
        <FormError error={propose.error} />
      </form>
      {job.state.kind === 'error' && <LoadView state={job.state} loading="" errorTitle="Could not load the job" onRetry={job.reload}>{() => null}</LoadView>}

      {proposal && (
        <>
          <div className="panel content-panel" role="region" aria-label="What the job asks for">
            <h2 className="form__title">What the job asks for</h2>
            <p>
              Seniority: <strong data-testid="profile-seniority">{content.label(content.SENIORITY_LABELS, proposal.profile.seniority)}</strong>
              {proposal.profile.years !== null && ` (${proposal.profile.years}+ years)`} · Category: <strong>{proposal.profile.category}</strong>
            </p>
            {proposal.profile.level_reason && <p className="muted small">{proposal.profile.level_reason}</p>}
            <p>
              Skills found:{' '}
              {proposal.profile.skills.length === 0 ? (
                <span className="muted">none</span>
              ) : (
                proposal.profile.skills.map((s) => (
                  <span key={s.slug} className="tag" title={s.evidence.join(' … ')}>
                    {s.label}
                    {s.required ? ' (required)' : ''}
                  </span>
                ))
              )}
            </p>
            {proposal.llm.used && <p className="muted small">LLM used: {proposal.llm.model ?? 'yes'}.</p>}
            {proposal.llm.dropped.length > 0 && (
              <details>
                <summary>{proposal.llm.dropped.length} LLM suggestions were dropped by the quality filters</summary>
                <ul>
                  {proposal.llm.dropped.map((d, i) => (
                    <li key={i}>
                      {d.title}: {d.reasons.join(', ')}
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </div>

          <div role="region" aria-label="Coverage">
            <h2 className="section-title">Coverage</h2>
            <DataTable columns={['Skill', 'Required', 'Covered', 'By']}>
              {coverage.map((c) => (
                <tr key={c.skill} data-coverage={c.skill}>
                  <td>{c.label}</td>
                  <td>{c.required ? 'required' : 'mentioned'}</td>
                  <td className={c.by.length ? 'coverage--yes' : 'coverage--no'}>{c.by.length ? 'covered' : 'not covered'}</td>
                  <td>{c.by.join('; ') || '—'}</td>
                </tr>
              ))}
            </DataTable>
          </div>

          <div className="panel form" role="region" aria-label="Proposed questions">
            <h2 className="form__title">
              Proposed questions ({live.length}, {total} minutes)
            </h2>
            {rows.map((r) => (
              <div key={r.key} className="tpl-entry" data-row={r.key} data-source={r.source} style={r.removed ? { opacity: 0.5 } : undefined}>
                <span className="tpl-entry__title">
                  {r.source === 'library' ? (
                    <Link to={`/library/${encodeURIComponent(r.item_id ?? '')}?version=${r.item_version}`}>{r.title}</Link>
                  ) : (
                    <strong>{r.title}</strong>
                  )}{' '}
                  <span className={r.source === 'library' ? 'badge badge--ok badge--inline' : 'badge badge--warn badge--inline'}>
                    {r.source === 'library' ? `library v${r.item_version}` : 'new draft'}
                  </span>{' '}
                  <Tags values={r.covers} />
                </span>
                <label>
                  Section{' '}
                  <input aria-label={`Section of ${r.title}`} value={r.section} disabled={r.removed} onChange={(e) => setRow(r.key, { section: e.target.value })} />
                </label>
                <label>
                  Minutes{' '}
                  <input
                    type="number"
                    min={1}
                    max={240}
                    aria-label={`Time limit of ${r.title}`}
                    value={Number.isFinite(r.time_limit_minutes) ? r.time_limit_minutes : ''}
                    disabled={r.removed}
                    onChange={(e) => setRow(r.key, { time_limit_minutes: e.target.value === '' ? NaN : Number(e.target.value) })}
                  />
                </label>
                <label>
                  Weight{' '}
                  <input
                    type="number"
                    min={1}
                    max={100}
                    aria-label={`Weight of ${r.title}`}
                    value={Number.isFinite(r.weight) ? r.weight : ''}
                    disabled={r.removed}
                    onChange={(e) => setRow(r.key, { weight: e.target.value === '' ? NaN : Number(e.target.value) })}
                  />
                </label>
                <button type="button" className="button button--small button--ghost" onClick={() => setRow(r.key, { removed: !r.removed })} aria-label={`${r.removed ? 'Keep' : 'Remove'} ${r.title}`}>
                  {r.removed ? 'Keep' : 'Remove'}
                </button>
                {r.generated && !r.removed && (
                  <details className="generated-edit" style={{ flexBasis: '100%' }}>
                    <summary>
                      Wording ({kindLabel(r.generated.body.kind)}; {r.generated.origin || r.generated.rule})
                    </summary>
                    <div className="field">
                      <label htmlFor={`gen-title-${r.key}`}>Title</label>
                      <input id={`gen-title-${r.key}`} value={r.generated.body.title} onChange={(e) => setGenerated(r.key, { title: e.target.value })} />
                    </div>
                    <div className="field">
                      <label htmlFor={`gen-prompt-${r.key}`}>Prompt (Markdown)</label>
                      <textarea id={`gen-prompt-${r.key}`} rows={4} value={r.generated.body.prompt} onChange={(e) => setGenerated(r.key, { prompt: e.target.value })} />
                    </div>
                    <Markdown text={r.generated.body.prompt} />
                  </details>
                )}
              </div>
            ))}
            <div className="field">
              <label htmlFor="prop-instructions">Instructions for candidates (Markdown)</label>
              <textarea id="prop-instructions" rows={3} value={instructions} onChange={(e) => setInstructions(e.target.value)} />
            </div>
            <div className="field field--check">
              <label>
                <input type="checkbox" checked={submitGenerated} onChange={(e) => setSubmitGenerated(e.target.checked)} /> Submit the {generatedCount} new draft
                {generatedCount === 1 ? '' : 's'} for review right away
              </label>
            </div>
            <p className="muted small">Applying saves the template as a draft. It can be submitted for approval once every question in it is approved.</p>
            <FormError error={apply.error} />
            <div className="form__actions">
              <ActButton busy={apply.busy} busyText="Applying…" onClick={doApply} disabled={live.length === 0}>
                Apply to the template
              </ActButton>
            </div>
          </div>
        </>
      )}
    </section>
  );
}
