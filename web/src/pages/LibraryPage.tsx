import { useRef, useState, type FormEvent } from 'react';
import { BusyButton, Field, FormError, FormStatus, SelectField, SubmitActions, formatDate, useAction } from '../components/Forms';
import { DataTable, LoadMoreFooter, LoadView } from '../components/Lists';
import * as content from '../lib/content';
import type { ItemFilter } from '../lib/content';
import { allowed } from '../lib/permissions';
import { Link } from '../lib/router';
import { useActiveOrg } from '../lib/session';
import { useLoad } from '../lib/useLoad';
import { ItemStateBadge, Tags, kindLabel, seniorityTags } from './ContentShared';

export const LIBRARY_PAGE = 50;

const NO_FILTERS = { q: '', kind: '', skill: '', seniority: '', category: '', state: '', mine: false, archived: false };

/// The question and challenge library (content.read): search, filters, "Load more"; the shipped
/// starter library on an empty library; import / export; skills (skill.manage).
export function LibraryPage() {
  const { org, role, session } = useActiveOrg();
  const mayCreate = allowed(role, 'content.create');
  const [draft, setDraft] = useState(NO_FILTERS);
  const [filters, setFilters] = useState<ItemFilter>({});
  const [attempt, setAttempt] = useState(0);
  const { state, reload, update } = useLoad((signal) => content.listItems(org.id, { ...filters, limit: LIBRARY_PAGE }, signal), [org.id, filters, attempt]);
  const skills = useLoad((signal) => content.listSkills(org.id, signal), [org.id]);
  const skillList = skills.state.kind === 'ready' ? skills.state.data : [];
  const more = useAction();
  const starter = useAction();
  const [status, setStatus] = useState<string | null>(null);
  const filtered = Object.values(filters).some((v) => v !== undefined && v !== false);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters({
      q: draft.q.trim() || undefined,
      kind: draft.kind || undefined,
      skill: draft.skill || undefined,
      seniority: draft.seniority || undefined,
      category: draft.category || undefined,
      state: draft.state || undefined,
      author: draft.mine ? session.user.id : undefined,
      include_archived: draft.archived || undefined,
    });
    setAttempt((n) => n + 1);
  };

  const clear = () => {
    setDraft(NO_FILTERS);
    setFilters({});
  };

  const loadMore = async () => {
    if (state.kind !== 'ready' || !state.data.next_cursor) return;
    const cursor = state.data.next_cursor;
    const page = await more.run(() => content.listItems(org.id, { ...filters, limit: LIBRARY_PAGE, cursor }));
    if (!page) return;
    update((d) => ({ items: [...d.items, ...page.items], next_cursor: page.next_cursor, total: d.total }));
  };

  const loadStarter = async () => {
    setStatus(null);
    const r = await starter.run(() => content.loadStarterLibrary(org.id));
    if (!r) return;
    setStatus(`Loaded ${r.created} items from the starter library${r.skipped ? ` (${r.skipped} were already there)` : ''}. They wait in the review queue.`);
    reload();
  };

  const set = (k: keyof typeof draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const setCheck = (k: 'mine' | 'archived') => (e: { target: { checked: boolean } }) => setDraft((d) => ({ ...d, [k]: e.target.checked }));

  return (
    <section>
      <div className="page-head">
        <h1 className="page-title">Library</h1>
        <div className="page-head__end inline-actions">
          {mayCreate && (
            <>
              <Link to="/library/new" className="button button--small">
                New question
              </Link>
              <Link to="/library/new?kind=coding" className="button button--small button--ghost">
                New coding challenge
              </Link>
            </>
          )}
          {allowed(role, 'org.update_settings') && (
            <Link to="/library/llm-settings" className="button button--small button--ghost">
              LLM settings
            </Link>
          )}
          <button type="button" className="button button--small button--ghost" onClick={reload}>
            Refresh
          </button>
        </div>
      </div>

      <form className="panel form form--inline filters" onSubmit={apply} aria-label="Library filters" role="search">
        <Field label="Search" type="search" value={draft.q} onChange={set('q')} placeholder="Title, prompt or rubric" />
        <SelectField id="lib-kind" label="Kind" value={draft.kind} onChange={set('kind')}>
          <option value="">Any</option>
          {content.KINDS.map((k) => (
            <option key={k} value={k}>
              {kindLabel(k)}
            </option>
          ))}
        </SelectField>
        <SelectField id="lib-skill" label="Skill" value={draft.skill} onChange={set('skill')}>
          <option value="">Any</option>
          {skillList.map((s) => (
            <option key={s.slug} value={s.slug}>
              {s.label}
            </option>
          ))}
        </SelectField>
        <SelectField id="lib-seniority" label="Seniority" value={draft.seniority} onChange={set('seniority')}>
          <option value="">Any</option>
          {content.SENIORITIES.map((s) => (
            <option key={s} value={s}>
              {content.SENIORITY_LABELS[s]}
            </option>
          ))}
        </SelectField>
        <SelectField id="lib-category" label="Category" value={draft.category} onChange={set('category')}>
          <option value="">Any</option>
          {content.CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </SelectField>
        <SelectField id="lib-state" label="State" value={draft.state} onChange={set('state')}>
          <option value="">Any</option>
          {content.ITEM_STATES.map((s) => (
            <option key={s} value={s}>
              {content.ITEM_STATE_LABELS[s]}
            </option>
          ))}
        </SelectField>
        <div className="field field--check">
          <label>
            <input type="checkbox" checked={draft.mine} onChange={setCheck('mine')} /> Only mine
          </label>
        </div>
        <div className="field field--check">
          <label>
            <input type="checkbox" checked={draft.archived} onChange={setCheck('archived')} /> Include archived
          </label>
        </div>
        <SubmitActions
          extra={
            <button type="button" className="button button--ghost" onClick={clear}>
              Clear
            </button>
          }
        >
          Apply
        </SubmitActions>
      </form>

      <FormStatus message={status} />
      <LoadView state={state} loading="Loading the library…" errorTitle="Could not load the library" onRetry={reload}>
        {(page) =>
          page.items.length === 0 ? (
            <div className="panel panel--empty" data-testid="library-empty">
              {filtered ? (
                <p>No items match these filters.</p>
              ) : (
                <>
                  <p>The library is empty.</p>
                  {mayCreate && (
                    <>
                      <p className="muted">
                        Start from the hirewire starter library: more than 120 questions and coding challenges across engineering, data, product
                        and support, for every seniority. They land in the review queue; nothing is used before someone approves it.
                      </p>
                      <BusyButton busy={starter.busy} busyText="Loading the starter library…" onClick={loadStarter}>
                        Load the starter library
                      </BusyButton>
                      <FormError error={starter.error} />
                    </>
                  )}
                </>
              )}
            </div>
          ) : (
            <>
              <p className="muted" data-testid="library-count">
                {page.total !== null ? `${page.total} item${page.total === 1 ? '' : 's'}` : `${page.items.length}${page.next_cursor ? '+' : ''} items`}
              </p>
              <DataTable columns={['Title', 'Kind', 'State', 'Skills', 'Seniority', 'Author', 'Updated']}>
                {page.items.map((it) => (
                  <tr key={it.id} data-item-id={it.id}>
                    <td>
                      <Link to={`/library/${encodeURIComponent(it.id)}`}>{it.title || 'Untitled'}</Link>
                      {it.job_id && <span className="badge badge--info badge--inline">job variant</span>}
                    </td>
                    <td>{kindLabel(it.kind)}</td>
                    <td>
                      <ItemStateBadge state={it.state} />
                      {it.approved_version !== null && it.state !== 'approved' && <span className="muted small"> (v{it.approved_version} approved)</span>}
                    </td>
                    <td>
                      <Tags values={it.skills} />
                    </td>
                    <td>{seniorityTags(it.seniorities)}</td>
                    <td>{it.author_name || (it.author_id ? it.author_id : 'hirewire')}</td>
                    <td>{formatDate(it.updated_at)}</td>
                  </tr>
                ))}
              </DataTable>
              <LoadMoreFooter hasMore={!!page.next_cursor} busy={more.busy} error={more.error} onLoadMore={loadMore} />
            </>
          )
        }
      </LoadView>

      <LibraryTransfer onImported={reload} />
      {allowed(role, 'skill.manage') && <AddSkillForm onAdded={skills.reload} />}
    </section>
  );
}

/// Export the approved library as JSON; import a file in the same format (items land as drafts).
function LibraryTransfer({ onImported }: { onImported: () => void }) {
  const { org, role } = useActiveOrg();
  const act = useAction();
  const [status, setStatus] = useState<string | null>(null);
  const file = useRef<HTMLInputElement>(null);

  const doExport = () =>
    act.run(async () => {
      setStatus(null);
      const doc = await content.exportLibrary(org.id);
      const blob = new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `hirewire-library-${org.slug || org.id}.json`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      setStatus('Exported the approved library.');
    });

  const doImport = (e: FormEvent) => {
    e.preventDefault();
    const f = file.current?.files?.[0];
    if (!f) {
      act.setError('Choose a JSON file exported from hirewire.');
      return;
    }
    return act.run(async () => {
      setStatus(null);
      let doc: unknown;
      try {
        doc = JSON.parse(await f.text());
      } catch {
        throw new Error('That file is not JSON.');
      }
      const r = await content.importLibrary(org.id, doc);
      setStatus(`Imported ${r.created} items as drafts.`);
      onImported();
    });
  };

  return (
    <div className="panel form" role="region" aria-label="Import and export">
      <h2 className="form__title">Import and export</h2>
      <div className="form__actions">
        <BusyButton className="button button--small button--ghost" busy={act.busy} busyText="Working…" onClick={doExport}>
          Export approved items (JSON)
        </BusyButton>
      </div>
      {allowed(role, 'content.create') && (
        <form className="form--inline" onSubmit={doImport} aria-label="Import a library file">
          <div className="field">
            <label htmlFor="lib-import">Library file (hirewire.library.v1)</label>
            <input id="lib-import" type="file" accept="application/json,.json" ref={file} />
          </div>
          <SubmitActions busy={act.busy} busyText="Importing…">
            Import
          </SubmitActions>
        </form>
      )}
      <FormStatus message={status} />
      <FormError error={act.error} />
    </div>
  );
}

function AddSkillForm({ onAdded }: { onAdded: () => void }) {
  const { org } = useActiveOrg();
  const act = useAction();
  const [v, setV] = useState({ slug: '', label: '', synonyms: '', category: 'engineering' });
  const [status, setStatus] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setStatus(null);
    const slug = v.slug.trim().toLowerCase();
    const ok = await act.run(async () => {
      await content.addSkill(org.id, {
        slug,
        label: v.label.trim() || slug,
        synonyms: v.synonyms
          .split(',')
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean),
        category: v.category,
      });
      return true;
    });
    if (ok) {
      setStatus(`Added the skill ${slug}.`);
      setV({ slug: '', label: '', synonyms: '', category: v.category });
      onAdded();
    }
  };
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((d) => ({ ...d, [k]: e.target.value }));
  return (
    <form className="panel form form--inline" onSubmit={submit} aria-label="Add a skill">
      <h2 className="form__title">Add a skill</h2>
      <Field label="Skill (slug)" required pattern="[a-z0-9][a-z0-9+#.\-]{0,49}" value={v.slug} onChange={set('slug')} hint="e.g. clickhouse" />
      <Field label="Label" value={v.label} onChange={set('label')} />
      <Field label="Synonyms (comma separated)" value={v.synonyms} onChange={set('synonyms')} />
      <SelectField id="skill-category" label="Category" value={v.category} onChange={set('category')}>
        {content.CATEGORIES.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </SelectField>
      <SubmitActions busy={act.busy} busyText="Adding…">
        Add skill
      </SubmitActions>
      <FormStatus message={status} />
      <FormError error={act.error} />
    </form>
  );
}
