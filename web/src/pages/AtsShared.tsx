import { useEffect, useId, useRef, useState } from 'react';
import { FormStatus } from '../components/Forms';
import { GREENHOUSE_EVENTS, LEVER_EVENTS, sanitizeVendorHtml } from '../lib/ats';

/// Calls `fn` every `ms` while `enabled` and the page is visible, and once when the page becomes
/// visible again. A call still running is not started twice.
export function useVisiblePolling(fn: () => Promise<unknown> | void, ms: number, enabled: boolean) {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    if (!enabled) return;
    let running = false;
    const tick = () => {
      if (running || document.visibilityState === 'hidden') return;
      running = true;
      Promise.resolve()
        .then(() => ref.current())
        .catch(() => {})
        .finally(() => {
          running = false;
        });
    };
    const timer = window.setInterval(tick, ms);
    const onVisible = () => {
      if (document.visibilityState === 'visible') tick();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [ms, enabled]);
}

/// A read-only value with a Copy button (falls back to selecting the text).
export function CopyField({ label, value, testId, secret = false }: { label: string; value: string; testId: string; secret?: boolean }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setStatus(`${label} copied to the clipboard.`);
    } catch {
      input.current?.select();
      setStatus('Could not copy automatically: the text is selected, press Ctrl+C (⌘C) to copy it.');
    }
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="secret__row">
        <input
          id={id}
          ref={input}
          className="secret__value"
          readOnly
          value={value}
          autoComplete="off"
          spellCheck={false}
          data-testid={testId}
          data-secret={secret || undefined}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="button" onClick={copy} aria-label={`Copy ${label.toLowerCase()}`}>
          Copy
        </button>
      </div>
      <FormStatus message={status} />
    </div>
  );
}

/// Where to paste our webhook URL (and secret) in the vendor's UI.
export function WebhookInstructions({ vendor }: { vendor: string }) {
  if (vendor === 'greenhouse') {
    return (
      <div className="instructions" data-testid="webhook-instructions">
        <h3>Set up the web hooks in Greenhouse</h3>
        <ol>
          <li>
            In Greenhouse, go to <strong>Configure &gt; Dev Center &gt; Web Hooks</strong> and choose <strong>Web Hooks</strong>.
          </li>
          <li>
            Create one web hook for each event below. For each: a <strong>Name</strong> (e.g. “hirewire – stage change”), the
            event under <strong>When</strong>, the <strong>Endpoint URL</strong> above, and the <strong>Secret key</strong> above.
            Leave the advanced settings empty.
          </li>
          <li>
            Save. Greenhouse sends a ping to check the URL; if it fails the web hook is created disabled: fix the URL, then
            enable it again.
          </li>
        </ol>
        <p className="muted">Events to enable:</p>
        <ul className="event-list">
          {GREENHOUSE_EVENTS.map((e) => (
            <li key={e.action}>
              {e.label} <code>{e.action}</code>
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <div className="instructions" data-testid="webhook-instructions">
      <h3>Set up the webhook in Lever</h3>
      <ol>
        <li>
          In Lever (as a Super Admin), go to <strong>Settings &gt; Integrations and API &gt; Webhooks</strong>.
        </li>
        <li>
          For each event below, turn it on and paste the <strong>Webhook URL</strong> above as its URL.
        </li>
        <li>
          Lever shows a <strong>signature token</strong> for the webhook: copy it and paste it into hirewire (the field below, or
          “Edit” on the connection later). Without it hirewire rejects Lever’s deliveries.
        </li>
      </ol>
      <p className="muted">Events to enable:</p>
      <ul className="event-list">
        {LEVER_EVENTS.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ul>
    </div>
  );
}

/// Vendor HTML after DOMPurify (lib/ats.ts sanitizeVendorHtml). Never pass unsanitized HTML here.
export function VendorHtml({ html, className = 'vendor-html', testId }: { html: string; className?: string; testId?: string }) {
  const clean = sanitizeVendorHtml(html);
  if (!clean.trim()) return <p className="muted">—</p>;
  return <div className={className} data-testid={testId} dangerouslySetInnerHTML={{ __html: clean }} />;
}
