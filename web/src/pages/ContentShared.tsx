import { useMemo, type ReactNode } from 'react';
import type { CandidateItem, FieldProblem } from '../lib/content';
import { ITEM_STATE_LABELS, KIND_LABELS, SENIORITY_LABELS, TEMPLATE_STATE_LABELS, label, stateBadge } from '../lib/content';
import type { FieldDiff } from '../lib/diff';
import { renderMarkdown } from '../lib/markdown';
import './content.css';

/// Markdown through the sanitizer (lib/markdown.ts): the only way content text becomes HTML.
export function Markdown({ text, testId, className = 'markdown' }: { text: string | null | undefined; testId?: string; className?: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  return <div className={className} data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
}

export function ItemStateBadge({ state }: { state: string }) {
  return (
    <span className={stateBadge(state)} data-item-state={state}>
      {label(ITEM_STATE_LABELS, state)}
    </span>
  );
}

export function TemplateStateBadge({ state }: { state: string }) {
  return (
    <span className={stateBadge(state)} data-template-state={state}>
      {label(TEMPLATE_STATE_LABELS, state)}
    </span>
  );
}

export function Tags({ values, labels }: { values: string[]; labels?: Record<string, string> }) {
  if (values.length === 0) return <span className="muted">—</span>;
  return (
    <span className="tag-list">
      {values.map((v) => (
        <span key={v} className="tag">
          {labels ? label(labels, v) : v}
        </span>
      ))}
    </span>
  );
}

export function kindLabel(k: string): string {
  return label(KIND_LABELS, k);
}

export function seniorityTags(v: string[]) {
  return <Tags values={v} labels={SENIORITY_LABELS} />;
}

/// The problems of one field, under it (the client's rules and the server's answer).
export function FieldProblems({ problems, id }: { problems: FieldProblem[]; id?: string }) {
  if (problems.length === 0) return null;
  return (
    <ul className="field-problems" id={id} data-field-problems="">
      {problems.map((p, i) => (
        <li key={i}>{p.message}</li>
      ))}
    </ul>
  );
}

/// What the candidate sees of one item: title, prompt, time, and for challenges the languages,
/// starter code and visible examples. Never a rubric or a hidden test (the input has none).
export function CandidateItemView({ item, index, timeLimit }: { item: CandidateItem; index?: number; timeLimit?: number }) {
  return (
    <article className="candidate-item" data-testid="candidate-item">
      <h3>
        {index !== undefined ? `${index}. ` : ''}
        {item.title || 'Untitled'}
      </h3>
      <p className="muted small">
        {kindLabel(item.kind)} · about {timeLimit ?? item.expected_minutes} minutes
      </p>
      <Markdown text={item.prompt} testId="candidate-prompt" />
      {item.coding && (
        <>
          <p>
            <strong>Languages:</strong> {item.coding.languages.join(', ') || '—'}
          </p>
          {Object.entries(item.coding.starter_code).map(([lang, code]) => (
            <details key={lang}>
              <summary>Starter code ({lang})</summary>
              <pre className="code">{code}</pre>
            </details>
          ))}
          {item.coding.test_cases.length > 0 && (
            <>
              <h4>Examples</h4>
              {item.coding.test_cases.map((t, i) => (
                <div key={i} className="example">
                  <strong>{t.name}</strong>
                  <pre className="code">Input:{'\n'}{t.input}</pre>
                  <pre className="code">Expected output:{'\n'}{t.expected_output}</pre>
                </div>
              ))}
            </>
          )}
          <p className="muted small" data-testid="hidden-count">
            {item.coding.hidden_test_count === 1 ? 'One more test is hidden.' : `${item.coding.hidden_test_count} more tests are hidden.`}
          </p>
        </>
      )}
    </article>
  );
}

export function Preview({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="preview" aria-label={title} data-testid="candidate-preview">
      <h2 className="form__title">{title}</h2>
      {children}
    </section>
  );
}

/// A field-by-field diff: unchanged fields are folded away.
export function DiffView({ fields }: { fields: FieldDiff[] }) {
  const changed = fields.filter((f) => f.changed);
  if (changed.length === 0) return <p className="muted">No differences.</p>;
  return (
    <div data-testid="diff">
      {changed.map((f) => (
        <div key={f.field} className="diff-field">
          <h3>{f.field}</h3>
          <pre className="diff">
            {f.lines.map((l, i) => (
              <span key={i} className={`diff__line diff__line--${l.kind}`}>
                {l.words
                  ? l.words.map((w, k) =>
                      w.kind === 'same' ? (
                        <span key={k}>{w.text}</span>
                      ) : w.kind === 'add' ? (
                        <ins key={k} className="diff__word--add">
                          {w.text}
                        </ins>
                      ) : (
                        <del key={k} className="diff__word--del">
                          {w.text}
                        </del>
                      ),
                    )
                  : l.text}
                {'\n'}
              </span>
            ))}
          </pre>
        </div>
      ))}
    </div>
  );
}

/// A button that shows `busyText` while its action runs, and may be disabled with a reason
/// (shown as its title and described for screen readers by the caller).
export function ActButton({
  busy,
  busyText,
  disabled = false,
  title,
  className = 'button',
  onClick,
  children,
  testId,
}: {
  busy: boolean;
  busyText: string;
  disabled?: boolean;
  title?: string;
  className?: string;
  onClick: () => void;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <button type="button" className={className} disabled={busy || disabled} title={title} onClick={onClick} data-testid={testId}>
      {busy ? busyText : children}
    </button>
  );
}
