import { useId, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { BusyButton, FormError, FormStatus, formatDate, useAction } from '../components/Forms';
import { LoadView } from '../components/Lists';
import * as content from '../lib/content';
import type { FieldProblem, ItemBody, ItemView, TestCase } from '../lib/content';
import { allowed } from '../lib/permissions';
import { Link, useRouter } from '../lib/router';
import { useActiveOrg } from '../lib/session';
import { useLoad } from '../lib/useLoad';
import { CandidateItemView, FieldProblems, ItemStateBadge, Markdown, Preview, Tags, kindLabel, seniorityTags } from './ContentShared';

/// One library item (content.read): its latest (or a chosen) version rendered, the candidate's
/// view, versions, comments and the author's transitions; the editor (content.create). With
/// itemId null: a new item (kind from ?kind=).
export function ItemPage({ itemId }: { itemId: string | null }) {
  const { search } = useRouter();
  const params = new URLSearchParams(search);
  if (itemId === null) return <NewItem kind={params.get('kind') === 'coding' ? 'coding' : 'technical'} />;
  const v = Number(params.get('version'));
  return <ExistingItem itemId={itemId} version={Number.isInteger(v) && v > 0 ? v : null} />;
}

function NewItem({ kind }: { kind: string }) {
  const { org } = useActiveOrg();
  const { navigate } = useRouter();
  return (
    <section>
      <p className="crumbs">
        <Link to="/library">Library</Link> /
      </p>
      <div className="page-head">
        <h1 className="page-title">{kind === 'coding' ? 'New coding challenge' : 'New question'}</h1>
      </div>
      <ItemForm
        initial={content.emptyBody(kind)}
        saveLabel="Create draft"
        onSave={async (body) => {
          const item = await content.createItem(org.id, body);
          navigate(`/library/${encodeURIComponent(item.id)}?created=1`);
          return item;
        }}
      />
    </section>
  );
}

function ExistingItem({ itemId, version }: { itemId: string; version: number | null }) {
  const { org } = useActiveOrg();
  const { state, reload, update } = useLoad((signal) => content.getItem(org.id, itemId, version, signal), [org.id, itemId, version]);
  return (
    <section>
      <p className="crumbs">
        <Link to="/library">Library</Link> /
      </p>
      <LoadView state={state} loading="Loading the item…" errorTitle="Could not load the item" onRetry={reload}>
        {(item) => <ItemDetail item={item} viewingVersion={version} onItem={(i) => update(() => i)} onReload={reload} />}
      </LoadView>
    </section>
  );
}

const EDITABLE = new Set(['draft', 'changes_requested', 'in_review', 'approved']);

function ItemDetail({ item, viewingVersion, onItem, onReload }: { item: ItemView; viewingVersion: number | null; onItem: (i: ItemView) => void; onReload: () => void }) {
  const { org, role, session } = useActiveOrg();
  const { navigate, search } = useRouter();
  const v = item.latest;
  const newestNumber = item.versions.length ? Math.max(...item.versions.map((x) => x.number)) : v.number;
  const isNewest = v.number === newestNumber;
  const mine = v.author_id !== '' && v.author_id === session.user.id;
  const mayCreate = allowed(role, 'content.create');
  const mayApprove = allowed(role, 'content.approve');
  const [editing, setEditing] = useState(false);
  const [status, setStatus] = useState<string | null>(new URLSearchParams(search).get('created') ? 'Draft created. Submit it for review when it is ready.' : null);
  const act = useAction();

  const transition = (event: string, done: string) =>
    act.run(async () => {
      setStatus(null);
      onItem(await content.transitionItem(org.id, item.id, event, undefined, item.version));
      setStatus(done);
    });

  if (editing) {
    return (
      <>
        <div className="page-head">
          <h1 className="page-title">Edit “{v.body.title}”</h1>
        </div>
        {v.state === 'approved' && (
          <p className="notice notice--warning">Version {v.number} is approved and stays as it is: saving creates version {v.number + 1} as a draft that needs its own review.</p>
        )}
        {v.state === 'in_review' && <p className="notice notice--warning">This version is in review: saving puts it back to draft so the reviewer sees the new text.</p>}
        <ItemForm
          initial={v.body}
          saveLabel={v.state === 'approved' ? 'Save as a new draft version' : 'Save'}
          onCancel={() => setEditing(false)}
          onSave={async (body) => {
            const next = await content.updateItem(org.id, item.id, body, item.version);
            setEditing(false);
            if (viewingVersion) navigate(`/library/${encodeURIComponent(item.id)}`);
            onItem(next);
            setStatus(`Saved version ${next.latest.number} (${content.label(content.ITEM_STATE_LABELS, next.latest.state)}).`);
            return next;
          }}
        />
      </>
    );
  }

  return (
    <>
      <div className="page-head">
        <h1 className="page-title" data-testid="item-title">
          {v.body.title || 'Untitled'}
        </h1>
        <div className="page-head__end inline-actions">
          <ItemStateBadge state={v.state} />
          <span className="muted">version {v.number}</span>
        </div>
      </div>

      <div className="panel content-panel">
        <dl className="facts">
          <dt>Kind</dt>
          <dd>{kindLabel(v.body.kind)}</dd>
          <dt>Difficulty</dt>
          <dd>{v.body.difficulty}</dd>
          <dt>Expected time</dt>
          <dd>{v.body.expected_minutes} minutes</dd>
          <dt>Skills</dt>
          <dd>
            <Tags values={v.body.skills} />
          </dd>
          <dt>Seniority</dt>
          <dd>{seniorityTags(v.body.seniorities)}</dd>
          <dt>Categories</dt>
          <dd>
            <Tags values={v.body.categories} />
          </dd>
          <dt>Author</dt>
          <dd>{v.author_name || v.author_id || 'hirewire starter library'}</dd>
          <dt>Origin</dt>
          <dd data-testid="item-origin">{v.origin || 'manual'}</dd>
          {v.reviewed_at && (
            <>
              <dt>Reviewed</dt>
              <dd>{formatDate(v.reviewed_at)}</dd>
            </>
          )}
          <dt>Approved version</dt>
          <dd data-testid="approved-version">{item.approved_version !== null ? `v${item.approved_version}` : 'none yet'}</dd>
          {item.job_id && (
            <>
              <dt>Job variant</dt>
              <dd>
                <Link to={`/jobs/${encodeURIComponent(item.job_id)}/template`}>for one job</Link>
                {item.variant_of && <span className="muted"> (from {item.variant_of})</span>}
              </dd>
            </>
          )}
        </dl>
        {item.versions.length > 1 && (
          <nav aria-label="Versions" className="inline-actions">
            <span className="muted">Versions:</span>
            {item.versions.map((x) => (
              <Link
                key={x.number}
                to={`/library/${encodeURIComponent(item.id)}${x.number === newestNumber ? '' : `?version=${x.number}`}`}
                aria-current={x.number === v.number ? 'page' : undefined}
                className="nav__link"
              >
                v{x.number} ({content.label(content.ITEM_STATE_LABELS, x.state)})
              </Link>
            ))}
          </nav>
        )}
      </div>

      {!isNewest && <p className="notice">You are looking at version {v.number}; the newest is version {newestNumber}.</p>}

      <div className="panel form" role="region" aria-label="Review">
        <div className="form__actions">
          {isNewest && mayCreate && EDITABLE.has(v.state) && (
            <button type="button" className="button button--small" onClick={() => setEditing(true)}>
              {v.state === 'approved' ? 'Edit (new version)' : 'Edit'}
            </button>
          )}
          {isNewest && mayCreate && (v.state === 'draft' || v.state === 'changes_requested') && (
            <BusyButton className="button button--small" busy={act.busy} busyText="Submitting…" onClick={() => transition('submit', 'Submitted for review.')}>
              Submit for review
            </BusyButton>
          )}
          {isNewest && v.state === 'in_review' && mayApprove && (
            <Link to={`/review/${encodeURIComponent(item.id)}`} className="button button--small">
              Review
            </Link>
          )}
          {isNewest && v.state !== 'archived' && (mayApprove || mine) && (
            <BusyButton className="button button--small button--ghost" busy={act.busy} busyText="Archiving…" onClick={() => transition('archive', 'Archived. Templates approved before keep the approved version.')}>
              Archive
            </BusyButton>
          )}
        </div>
        <FormStatus message={status} />
        <FormError error={act.error} />
        {act.error && (
          <button type="button" className="button button--small button--ghost" onClick={onReload}>
            Reload
          </button>
        )}
      </div>

      <div className="content-grid content-grid--split">
        <div className="panel content-panel" role="region" aria-label="Prompt and rubric">
          <h2 className="form__title">Prompt</h2>
          <Markdown text={v.body.prompt} testId="item-prompt" />
          <RubricView body={v.body} />
          {v.body.coding && <CodingFacts body={v.body} />}
        </div>
        <Preview title="What the candidate sees">
          <CandidateItemView item={content.candidateView(v.body)} />
        </Preview>
      </div>
      <Comments itemId={item.id} />
    </>
  );
}

export function RubricView({ body }: { body: ItemBody }) {
  return (
    <div data-testid="rubric">
      <h2 className="form__title">Rubric (evaluators only)</h2>
      <h3>Strong answer</h3>
      <Markdown text={body.rubric.strong} />
      <h3>Acceptable answer</h3>
      <Markdown text={body.rubric.acceptable} />
      <h3>Weak answer</h3>
      <Markdown text={body.rubric.weak} />
    </div>
  );
}

export function CodingFacts({ body }: { body: ItemBody }) {
  const c = body.coding!;
  return (
    <div>
      <h2 className="form__title">Coding challenge</h2>
      <p>
        Input format: <code>{c.io}</code>. Languages: {c.languages.join(', ')}.
      </p>
      <table className="table table--dense">
        <thead>
          <tr>
            <th scope="col">Test</th>
            <th scope="col">Input</th>
            <th scope="col">Expected output</th>
            <th scope="col">Visible</th>
            <th scope="col">Weight</th>
          </tr>
        </thead>
        <tbody>
          {c.test_cases.map((t, i) => (
            <tr key={i}>
              <td>{t.name}</td>
              <td>
                <pre className="code">{t.input}</pre>
              </td>
              <td>
                <pre className="code">{t.expected_output}</pre>
              </td>
              <td>{t.visible ? 'visible' : 'hidden'}</td>
              <td>{t.weight}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Comments({ itemId, refreshKey = 0 }: { itemId: string; refreshKey?: number }) {
  const { org, role } = useActiveOrg();
  const { state, reload } = useLoad((signal) => content.listComments(org.id, itemId, signal), [org.id, itemId, refreshKey]);
  const [text, setText] = useState('');
  const act = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    const ok = await act.run(async () => {
      await content.addComment(org.id, itemId, text.trim());
      return true;
    });
    if (ok) {
      setText('');
      reload();
    }
  };
  return (
    <div className="panel form" role="region" aria-label="Comments">
      <h2 className="form__title">Comments</h2>
      <LoadView state={state} loading="Loading comments…" errorTitle="Could not load the comments" onRetry={reload}>
        {(list) =>
          list.length === 0 ? (
            <p className="muted">No comments yet.</p>
          ) : (
            <ul className="comment-list" data-testid="comments">
              {list.map((c) => (
                <li key={c.id}>
                  <strong>{c.author_name || c.author_id}</strong> <span className="muted small">on v{c.item_version}, {formatDate(c.created_at)}</span>
                  <p className="pre-wrap">{c.text}</p>
                </li>
              ))}
            </ul>
          )
        }
      </LoadView>
      {allowed(role, 'content.create') || allowed(role, 'content.approve') ? (
        <form onSubmit={submit} aria-label="Add a comment">
          <div className="field">
            <label htmlFor={`comment-${itemId}`}>Comment</label>
            <textarea id={`comment-${itemId}`} rows={3} maxLength={5000} value={text} onChange={(e) => setText(e.target.value)} />
          </div>
          <div className="form__actions">
            <button type="submit" className="button button--small" disabled={act.busy || !text.trim()}>
              Add comment
            </button>
          </div>
          <FormError error={act.error} />
        </form>
      ) : null}
    </div>
  );
}

// ---- the editor ------------------------------------------------------------------------------

function TextArea({
  label,
  value,
  onChange,
  problems,
  rows = 4,
  hint,
  mono = false,
  testId,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  problems: FieldProblem[];
  rows?: number;
  hint?: ReactNode;
  mono?: boolean;
  testId?: string;
}) {
  const id = useId();
  return (
    <div className={problems.length ? 'field field--invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={rows}
        value={value}
        className={mono ? 'code' : undefined}
        data-testid={testId}
        aria-invalid={problems.length > 0 || undefined}
        aria-describedby={`${id}-p ${id}-h`}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint && (
        <div id={`${id}-h`} className="field__hint muted">
          {hint}
        </div>
      )}
      <FieldProblems problems={problems} id={`${id}-p`} />
    </div>
  );
}

function Input({
  label,
  value,
  onChange,
  problems,
  type = 'text',
  hint,
  list,
  testId,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  problems: FieldProblem[];
  type?: string;
  hint?: ReactNode;
  list?: string;
  testId?: string;
}) {
  const id = useId();
  return (
    <div className={problems.length ? 'field field--invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        list={list}
        data-testid={testId}
        aria-invalid={problems.length > 0 || undefined}
        aria-describedby={`${id}-p ${id}-h`}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint && (
        <div id={`${id}-h`} className="field__hint muted">
          {hint}
        </div>
      )}
      <FieldProblems problems={problems} id={`${id}-p`} />
    </div>
  );
}

function Checks({
  legend,
  options,
  labels,
  value,
  onChange,
  problems,
}: {
  legend: string;
  options: readonly string[];
  labels?: Record<string, string>;
  value: string[];
  onChange: (v: string[]) => void;
  problems: FieldProblem[];
}) {
  return (
    <fieldset className="check-group">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o}>
          <input
            type="checkbox"
            checked={value.includes(o)}
            onChange={(e) => onChange(e.target.checked ? options.filter((x) => x === o || value.includes(x)) : value.filter((x) => x !== o))}
          />
          {labels ? content.label(labels, o) : o}
        </label>
      ))}
      <FieldProblems problems={problems} />
    </fieldset>
  );
}

function splitSkills(s: string): string[] {
  return s
    .split(/[,\n]/)
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean);
}

/// The item editor: every field, coding challenge parts, the client's copy of the server rules
/// (shown after the first save attempt), the server's 422 field list next to the fields, and a
/// live candidate preview.
export function ItemForm({
  initial,
  saveLabel,
  onSave,
  onCancel,
}: {
  initial: ItemBody;
  saveLabel: string;
  onSave: (b: ItemBody) => Promise<ItemView>;
  onCancel?: () => void;
}) {
  const { org } = useActiveOrg();
  const [b, setB] = useState<ItemBody>(() => structuredClone(initial));
  const [skillsText, setSkillsText] = useState(initial.skills.join(', '));
  const [tried, setTried] = useState(false);
  const [server, setServer] = useState<FieldProblem[]>([]);
  const [previewPrompt, setPreviewPrompt] = useState(false);
  const save = useAction();
  const skills = useLoad((signal) => content.listSkills(org.id, signal), [org.id]);
  const skillList = skills.state.kind === 'ready' ? skills.state.data : [];
  const listId = useId();

  const body: ItemBody = useMemo(() => ({ ...b, skills: splitSkills(skillsText) }), [b, skillsText]);
  const clientProblems = useMemo(() => content.validateItemBody(content.cleanBody(body)), [body]);
  const shown = tried ? clientProblems : [];
  const P = (path: string, deep = false) => [...content.problemsAt(shown, path, deep), ...content.problemsAt(server, path, deep)];

  const set = <K extends keyof ItemBody>(k: K, v: ItemBody[K]) => setB((d) => ({ ...d, [k]: v }));
  const setRubric = (k: keyof ItemBody['rubric'], v: string) => setB((d) => ({ ...d, rubric: { ...d.rubric, [k]: v } }));
  const setCoding = (f: (c: content.CodingSpec) => content.CodingSpec) => setB((d) => ({ ...d, coding: f(d.coding ?? content.emptyCoding()) }));
  const setTest = (i: number, patch: Partial<TestCase>) =>
    setCoding((c) => ({ ...c, test_cases: c.test_cases.map((t, k) => (k === i ? { ...t, ...patch } : t)) }));

  const setKind = (kind: string) =>
    setB((d) => ({ ...d, kind, coding: kind === 'coding' ? (d.coding ?? content.emptyCoding()) : undefined }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    setServer([]);
    save.setError(null);
    if (clientProblems.length) {
      save.setError(`Fix ${clientProblems.length} problem${clientProblems.length === 1 ? '' : 's'} before saving.`);
      return;
    }
    let caught: unknown = null;
    await save.run(async () => {
      try {
        return await onSave(body);
      } catch (err) {
        caught = err;
        throw err;
      }
    });
    if (caught) setServer(content.problemsOf(caught));
  };

  const coding = b.kind === 'coding' ? (b.coding ?? content.emptyCoding()) : null;

  return (
    <div className="content-grid">
      <form className="panel form item-editor" onSubmit={submit} aria-label="Item editor" noValidate>
        <div className="field">
          <label htmlFor="item-kind">Kind</label>
          <select id="item-kind" value={b.kind} onChange={(e) => setKind(e.target.value)}>
            {content.KINDS.map((k) => (
              <option key={k} value={k}>
                {kindLabel(k)}
              </option>
            ))}
          </select>
          <FieldProblems problems={P('/kind')} />
        </div>
        <Input label="Title" value={b.title} onChange={(v) => set('title', v)} problems={P('/title')} testId="item-title-input" />
        <TextArea
          label="Prompt (Markdown)"
          value={b.prompt}
          onChange={(v) => set('prompt', v)}
          problems={P('/prompt')}
          rows={8}
          testId="item-prompt-input"
          hint={
            <button type="button" className="link-button" aria-pressed={previewPrompt} onClick={() => setPreviewPrompt((x) => !x)}>
              {previewPrompt ? 'Hide the rendered prompt' : 'Show the rendered prompt'}
            </button>
          }
        />
        {previewPrompt && <Markdown text={b.prompt} testId="prompt-rendered" className="markdown preview" />}
        <fieldset className="fieldset">
          <legend>Rubric for evaluators</legend>
          <TextArea label="A strong answer" value={b.rubric.strong} onChange={(v) => setRubric('strong', v)} problems={P('/rubric/strong')} rows={3} />
          <TextArea label="An acceptable answer" value={b.rubric.acceptable} onChange={(v) => setRubric('acceptable', v)} problems={P('/rubric/acceptable')} rows={3} />
          <TextArea label="A weak answer" value={b.rubric.weak} onChange={(v) => setRubric('weak', v)} problems={P('/rubric/weak')} rows={3} />
          <FieldProblems problems={P('/rubric')} />
        </fieldset>
        <div className="form__row">
          <Input
            label="Expected minutes"
            type="number"
            value={String(b.expected_minutes)}
            onChange={(v) => set('expected_minutes', v === '' ? NaN : Number(v))}
            problems={P('/expected_minutes')}
          />
          <div className="field">
            <label htmlFor="item-difficulty">Difficulty</label>
            <select id="item-difficulty" value={b.difficulty} onChange={(e) => set('difficulty', e.target.value)}>
              {content.DIFFICULTIES.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
            <FieldProblems problems={P('/difficulty')} />
          </div>
        </div>
        <Input
          label="Skills (comma separated)"
          value={skillsText}
          onChange={setSkillsText}
          problems={P('/skills', true)}
          list={listId}
          hint="Synonyms are fine: k8s becomes kubernetes, postgres becomes postgresql."
          testId="item-skills-input"
        />
        <datalist id={listId}>
          {skillList.map((s) => (
            <option key={s.slug} value={s.slug}>
              {s.label}
            </option>
          ))}
        </datalist>
        <Checks legend="Seniority" options={content.SENIORITIES} labels={content.SENIORITY_LABELS} value={b.seniorities} onChange={(v) => set('seniorities', v)} problems={P('/seniorities', true)} />
        <Checks legend="Categories" options={content.CATEGORIES} value={b.categories} onChange={(v) => set('categories', v)} problems={P('/categories', true)} />

        {coding && (
          <fieldset className="fieldset" aria-label="Coding challenge">
            <legend>Coding challenge</legend>
            <FieldProblems problems={P('/coding')} />
            <div className="field">
              <label htmlFor="item-io">Input and output</label>
              <select id="item-io" value={coding.io} onChange={(e) => setCoding((c) => ({ ...c, io: e.target.value }))}>
                <option value="stdin_stdout">stdin / stdout text</option>
                <option value="json">JSON values</option>
              </select>
              <FieldProblems problems={P('/coding/io')} />
            </div>
            <Checks
              legend="Allowed languages"
              options={content.LANGUAGES}
              value={coding.languages}
              onChange={(v) => setCoding((c) => ({ ...c, languages: v }))}
              problems={P('/coding/languages', true)}
            />
            {coding.languages.map((lang) => (
              <TextArea
                key={lang}
                label={`Starter code (${lang})`}
                value={coding.starter_code[lang] ?? ''}
                onChange={(v) => setCoding((c) => ({ ...c, starter_code: { ...c.starter_code, [lang]: v } }))}
                problems={P(`/coding/starter_code/${lang}`)}
                rows={5}
                mono
              />
            ))}
            {Object.keys(coding.starter_code)
              .filter((l) => !coding.languages.includes(l))
              .map((l) => (
                <FieldProblems key={l} problems={P(`/coding/starter_code/${l}`)} />
              ))}
            <h3>Test cases</h3>
            <FieldProblems problems={P('/coding/test_cases')} />
            <div className="table-scroll">
            <table className="table table--dense tests-table" aria-label="Test cases">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Input</th>
                  <th scope="col">Expected output</th>
                  <th scope="col">Visible</th>
                  <th scope="col">Weight</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {coding.test_cases.map((t, i) => {
                  const p = `/coding/test_cases/${i}`;
                  return (
                    <tr key={i} data-test-case={i}>
                      <td>
                        <input type="text" aria-label={`Test ${i + 1} name`} value={t.name} onChange={(e) => setTest(i, { name: e.target.value })} />
                        <FieldProblems problems={P(`${p}/name`)} />
                      </td>
                      <td>
                        <textarea aria-label={`Test ${i + 1} input`} rows={2} value={t.input} onChange={(e) => setTest(i, { input: e.target.value })} />
                        <FieldProblems problems={P(`${p}/input`)} />
                      </td>
                      <td>
                        <textarea aria-label={`Test ${i + 1} expected output`} rows={2} value={t.expected_output} onChange={(e) => setTest(i, { expected_output: e.target.value })} />
                        <FieldProblems problems={P(`${p}/expected_output`)} />
                      </td>
                      <td>
                        <input type="checkbox" aria-label={`Test ${i + 1} visible to the candidate`} checked={t.visible} onChange={(e) => setTest(i, { visible: e.target.checked })} />
                      </td>
                      <td>
                        <input
                          type="number"
                          min={1}
                          max={100}
                          aria-label={`Test ${i + 1} weight`}
                          value={Number.isFinite(t.weight) ? t.weight : ''}
                          onChange={(e) => setTest(i, { weight: e.target.value === '' ? NaN : Number(e.target.value) })}
                        />
                        <FieldProblems problems={[...P(`${p}/weight`), ...P(`${p}/visible`)]} />
                      </td>
                      <td>
                        <button
                          type="button"
                          className="button button--small button--ghost"
                          aria-label={`Remove test ${i + 1}`}
                          onClick={() => setCoding((c) => ({ ...c, test_cases: c.test_cases.filter((_, k) => k !== i) }))}
                        >
                          Remove
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            </div>
            <button
              type="button"
              className="button button--small button--ghost"
              onClick={() =>
                setCoding((c) => ({ ...c, test_cases: [...c.test_cases, { name: `test ${c.test_cases.length + 1}`, input: '', expected_output: '', visible: false, weight: 1 }] }))
              }
            >
              Add a test case
            </button>
          </fieldset>
        )}

        {(shown.length > 0 || server.length > 0) && (
          <div className="notice notice--error" data-testid="problem-list">
            <strong>{server.length > 0 ? 'The server refused the item:' : 'Please fix:'}</strong>
            <ul>
              {(server.length > 0 ? server : shown).map((p, i) => (
                <li key={i}>
                  {p.path && <code>{p.path}</code>} {p.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        <FormError error={save.error} />
        <div className="form__actions">
          <button type="submit" className="button" disabled={save.busy}>
            {save.busy ? 'Saving…' : saveLabel}
          </button>
          {onCancel && (
            <button type="button" className="button button--ghost" onClick={onCancel}>
              Cancel
            </button>
          )}
        </div>
      </form>
      <Preview title="What the candidate sees">
        <p className="muted small">No rubric and no hidden tests: only what is below.</p>
        <CandidateItemView item={content.candidateView(content.cleanBody(body))} />
      </Preview>
    </div>
  );
}
