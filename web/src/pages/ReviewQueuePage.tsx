import { useState } from 'react';
import { FormError, FormStatus, formatDate, useAction } from '../components/Forms';
import { DataTable, LoadMoreFooter, LoadView } from '../components/Lists';
import * as content from '../lib/content';
import type { ItemView } from '../lib/content';
import { diffFields } from '../lib/diff';
import { ProblemError } from '../lib/http';
import { allowed } from '../lib/permissions';
import { Link } from '../lib/router';
import { useActiveOrg } from '../lib/session';
import { useLoad } from '../lib/useLoad';
import { ActButton, CandidateItemView, DiffView, ItemStateBadge, Markdown, Preview, Tags, kindLabel, seniorityTags } from './ContentShared';
import { CodingFacts, Comments, RubricView } from './ItemEditorPage';

const QUEUE_PAGE = 50;

/// Items waiting for a reviewer (content.approve): the latest version is in_review.
export function ReviewQueuePage() {
  const { org, session } = useActiveOrg();
  const { state, reload, update } = useLoad((signal) => content.listItems(org.id, { state: 'in_review', limit: QUEUE_PAGE }, signal), [org.id]);
  const more = useAction();
  const loadMore = async () => {
    if (state.kind !== 'ready' || !state.data.next_cursor) return;
    const cursor = state.data.next_cursor;
    const page = await more.run(() => content.listItems(org.id, { state: 'in_review', limit: QUEUE_PAGE, cursor }));
    if (page) update((d) => ({ items: [...d.items, ...page.items], next_cursor: page.next_cursor, total: d.total }));
  };
  return (
    <section>
      <div className="page-head">
        <h1 className="page-title">Review queue</h1>
        <button type="button" className="button button--small button--ghost" onClick={reload}>
          Refresh
        </button>
      </div>
      <p className="lede">Questions and challenges waiting for a reviewer. Nobody approves their own item: those are marked “yours”.</p>
      <LoadView state={state} loading="Loading the review queue…" errorTitle="Could not load the review queue" onRetry={reload} isEmpty={(p) => p.items.length === 0} empty="Nothing waits for a review.">
        {(page) => (
          <>
            <DataTable columns={['Title', 'Kind', 'Skills', 'Seniority', 'Author', 'Origin', 'Updated']}>
              {page.items.map((it) => (
                <tr key={it.id} data-item-id={it.id}>
                  <td>
                    <Link to={`/review/${encodeURIComponent(it.id)}`}>{it.title || 'Untitled'}</Link>
                    {it.approved_version !== null && <span className="muted small"> (changes to v{it.approved_version})</span>}
                  </td>
                  <td>{kindLabel(it.kind)}</td>
                  <td>
                    <Tags values={it.skills} />
                  </td>
                  <td>{seniorityTags(it.seniorities)}</td>
                  <td>
                    {it.author_name || it.author_id || 'hirewire starter library'}
                    {it.author_id && it.author_id === session.user.id && <span className="badge badge--muted badge--inline">yours</span>}
                  </td>
                  <td className="cell--clip">{it.origin}</td>
                  <td>{formatDate(it.updated_at)}</td>
                </tr>
              ))}
            </DataTable>
            <LoadMoreFooter hasMore={!!page.next_cursor} busy={more.busy} error={more.error} onLoadMore={loadMore} />
          </>
        )}
      </LoadView>
    </section>
  );
}

interface ReviewData {
  item: ItemView;
  /** The newest approved version when it is not the one under review. */
  approved: ItemView | null;
}

async function loadReview(orgId: string, itemId: string, signal: AbortSignal): Promise<ReviewData> {
  const item = await content.getItem(orgId, itemId, null, signal);
  const av = item.approved_version;
  const approved = av !== null && av !== item.latest.number ? await content.getItem(orgId, itemId, av, signal) : null;
  return { item, approved };
}

/// One item under review: the rendered prompt and rubric, the diff against the newest approved
/// version, comments, approve / request changes.
export function ReviewItemPage({ itemId }: { itemId: string }) {
  const { org } = useActiveOrg();
  const { state, reload, update } = useLoad((signal) => loadReview(org.id, itemId, signal), [org.id, itemId]);
  return (
    <section>
      <p className="crumbs">
        <Link to="/review">Review queue</Link> /
      </p>
      <LoadView state={state} loading="Loading the item…" errorTitle="Could not load the item" onRetry={reload}>
        {(d) => <ReviewView data={d} onItem={(item) => update((x) => ({ ...x, item }))} />}
      </LoadView>
    </section>
  );
}

function ReviewView({ data, onItem }: { data: ReviewData; onItem: (i: ItemView) => void }) {
  const { org, role, session } = useActiveOrg();
  const { item, approved } = data;
  const v = item.latest;
  const mine = v.author_id !== '' && v.author_id === session.user.id;
  const mayApprove = allowed(role, 'content.approve');
  const inReview = v.state === 'in_review';
  const [comment, setComment] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [commentsKey, setCommentsKey] = useState(0);
  const [errorTitle, setErrorTitle] = useState<string | undefined>(undefined);
  const act = useAction();

  const decide = (event: 'approve' | 'request_changes') =>
    act.run(async () => {
      setStatus(null);
      setErrorTitle(undefined);
      try {
        const next = await content.transitionItem(org.id, item.id, event, comment, item.version);
        onItem(next);
        setComment('');
        setCommentsKey((n) => n + 1);
        setStatus(event === 'approve' ? `Approved version ${next.latest.number}.` : 'Changes requested. The author sees your comment.');
      } catch (e) {
        if (e instanceof ProblemError && e.status === 403) setErrorTitle('Refused:');
        if (e instanceof ProblemError && e.status === 412) setErrorTitle('Someone else acted first:');
        throw e;
      }
    });

  const ownReason = 'You wrote this version: another reviewer has to approve it.';
  const fields = approved ? diffFields(content.bodyFields(approved.latest.body), content.bodyFields(v.body)) : null;

  return (
    <>
      <div className="page-head">
        <h1 className="page-title" data-testid="item-title">
          {v.body.title || 'Untitled'}
        </h1>
        <div className="page-head__end inline-actions">
          <ItemStateBadge state={v.state} />
          <span className="muted">version {v.number}</span>
          <Link to={`/library/${encodeURIComponent(item.id)}`} className="button button--small button--ghost">
            Open in the library
          </Link>
        </div>
      </div>
      <p className="muted">
        {kindLabel(v.body.kind)} · {v.body.difficulty} · {v.body.expected_minutes} minutes · by {v.author_name || v.author_id || 'hirewire starter library'} · origin{' '}
        <span data-testid="item-origin">{v.origin || 'manual'}</span>
      </p>
      {!inReview && <p className="notice">This version is {content.label(content.ITEM_STATE_LABELS, v.state).toLowerCase()}, not in review.</p>}

      <div className="panel content-panel" role="region" aria-label="Changes">
        <h2 className="form__title">{approved ? `Changes since approved version ${approved.latest.number}` : 'Changes'}</h2>
        {fields ? <DiffView fields={fields} /> : <p className="muted">No approved version yet: this is the first one to review.</p>}
      </div>

      <div className="content-grid content-grid--split">
        <div className="panel content-panel" role="region" aria-label="Prompt and rubric">
          <h2 className="form__title">Prompt</h2>
          <Markdown text={v.body.prompt} testId="review-prompt" />
          <RubricView body={v.body} />
          {v.body.coding && <CodingFacts body={v.body} />}
          <p>
            Skills: <Tags values={v.body.skills} /> · Seniority: {seniorityTags(v.body.seniorities)}
          </p>
        </div>
        <Preview title="What the candidate sees">
          <CandidateItemView item={content.candidateView(v.body)} />
        </Preview>
      </div>

      {mayApprove && inReview && (
        <div className="panel form" role="region" aria-label="Decision">
          <h2 className="form__title">Decision</h2>
          <div className="field">
            <label htmlFor="review-comment">Comment (required to request changes)</label>
            <textarea id="review-comment" rows={3} maxLength={5000} value={comment} onChange={(e) => setComment(e.target.value)} />
          </div>
          <div className="form__actions">
            <ActButton className="button" busy={act.busy} busyText="Approving…" onClick={() => decide('approve')} disabled={mine} title={mine ? ownReason : undefined}>
              Approve
            </ActButton>
            <ActButton
              className="button button--ghost"
              busy={act.busy}
              busyText="Sending…"
              onClick={() => decide('request_changes')}
              disabled={mine || !comment.trim()}
              title={mine ? ownReason : !comment.trim() ? 'Write what should change first.' : undefined}
            >
              Request changes
            </ActButton>
          </div>
          {mine && (
            <p className="notice notice--warning" data-testid="own-item-reason">
              {ownReason}{' '}
              <button type="button" className="link-button" onClick={() => decide('approve')} disabled={act.busy}>
                Try approving anyway
              </button>{' '}
              (the server checks it too).
            </p>
          )}
          <FormStatus message={status} />
          <FormError error={act.error} title={errorTitle} />
        </div>
      )}
      {!inReview && status && <FormStatus message={status} />}
      {!inReview && (
        <p>
          <Link to="/review">Back to the review queue</Link>
        </p>
      )}
      <Comments itemId={item.id} refreshKey={commentsKey} />
    </>
  );
}
