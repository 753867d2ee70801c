import { useState, type ReactNode } from 'react';
import { formatDate } from '../components/Forms';
import { EmptyPanel, LoadView } from '../components/Lists';
import * as accounts from '../lib/accounts';
import type { Mail } from '../lib/accounts';
import { useActiveOrg } from '../lib/session';
import { useLoad } from '../lib/useLoad';

const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/g;

/// Plain text with its http(s) URLs turned into links (React elements, never HTML strings).
export function linkify(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    let url = m[0];
    // Sentence punctuation after a URL is not part of it.
    const trail = /[.,;:!?)\]}>]+$/.exec(url);
    if (trail) url = url.slice(0, url.length - trail[0].length);
    const start = m.index ?? 0;
    if (start > last) out.push(text.slice(last, start));
    out.push(
      <a key={start} href={url} rel="noreferrer">
        {url}
      </a>,
    );
    last = start + url.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/// The development mail catcher (dev_mailbox.read): the e-mails hirewire "sent" for the active
/// organization when no SMTP relay is configured.
export function MailboxPage() {
  const { org } = useActiveOrg();
  const { state, reload } = useLoad((signal) => accounts.listMailbox(org.id, signal), [org.id]);
  const [openId, setOpenId] = useState<string | null>(null);
  const open = state.kind === 'ready' ? state.data.find((m) => String(m.id) === openId) : undefined;

  return (
    <section>
      <div className="page-head">
        <h1 className="page-title">Dev mailbox</h1>
        <button type="button" className="button button--ghost" onClick={reload}>
          Refresh
        </button>
      </div>
      <p className="lede">
        E-mails for {org.name} caught by the development mail transport. Nothing here was delivered to a real inbox.
      </p>
      <LoadView state={state} loading="Loading mails…" errorTitle="Could not load the mailbox" onRetry={reload}>
        {(mails) => (
          <div className="mailbox">
            {mails.length === 0 ? (
              <EmptyPanel>No mails yet.</EmptyPanel>
            ) : (
              <ul className="panel mail-list" aria-label="Mails">
                {mails.map((m) => (
                  <li key={String(m.id)}>
                    <button
                      type="button"
                      className="mail-list__item"
                      aria-current={String(m.id) === openId ? 'true' : undefined}
                      onClick={() => setOpenId(String(m.id))}
                    >
                      <span className="mail-list__subject">{m.subject}</span>
                      <span className="muted">
                        To {m.to} · {formatDate(m.created_at)}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {open && <MailView key={String(open.id)} mail={open} />}
          </div>
        )}
      </LoadView>
    </section>
  );
}

function MailView({ mail }: { mail: Mail }) {
  const [tab, setTab] = useState<'text' | 'html'>('text');
  return (
    <article className="panel mail" aria-label={`Mail: ${mail.subject}`}>
      <header className="mail__head">
        <h2>{mail.subject}</h2>
        <dl className="facts">
          <dt>To</dt>
          <dd>{mail.to}</dd>
          <dt>Date</dt>
          <dd>{formatDate(mail.sent_at ?? mail.created_at)}</dd>
          {mail.kind && (
            <>
              <dt>Kind</dt>
              <dd>{mail.kind}</dd>
            </>
          )}
        </dl>
        {mail.html_body && (
          <div className="tabs" role="group" aria-label="Body format">
            <button type="button" className="button button--small button--ghost" aria-pressed={tab === 'text'} onClick={() => setTab('text')}>
              Text
            </button>
            <button type="button" className="button button--small button--ghost" aria-pressed={tab === 'html'} onClick={() => setTab('html')}>
              HTML
            </button>
          </div>
        )}
      </header>
      {tab === 'html' && mail.html_body ? (
        // sandbox="": no scripts, no forms, no same-origin access, no top navigation.
        <iframe className="mail__html" title={`HTML body of “${mail.subject}”`} sandbox="" srcDoc={mail.html_body} />
      ) : (
        <pre className="mail__text" data-testid="mail-text">
          {linkify(mail.text_body ?? '')}
        </pre>
      )}
    </article>
  );
}
