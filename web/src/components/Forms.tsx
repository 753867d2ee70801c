import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
} from 'react';
import { errorText } from '../lib/http';

/// Runs an async action once at a time: `busy` while it runs (buttons disable), `error` holds the
/// problem's detail when it failed. Errors after unmount are dropped.
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  const run = useCallback(async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      if (alive.current) setError(errorText(e));
      return undefined;
    } finally {
      if (alive.current) setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}

/// The error line of a form. Always in the DOM so screen readers announce changes.
export function FormError({ error, title }: { error: string | null; title?: string }) {
  return (
    <div className="form-error" role="alert" aria-live="assertive" aria-atomic="true">
      {error && (
        <>
          {title && <strong>{title} </strong>}
          {error}
        </>
      )}
    </div>
  );
}

/// A polite status line (success messages).
export function FormStatus({ message }: { message: string | null }) {
  return (
    <div className="form-status" role="status" aria-live="polite">
      {message}
    </div>
  );
}

type FieldProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  hint?: ReactNode;
};

/// A labelled input with an optional hint wired through aria-describedby.
export function Field({ label, hint, id, className, ...rest }: FieldProps) {
  const auto = useId();
  const fid = id ?? auto;
  const hintId = hint ? `${fid}-hint` : undefined;
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={fid}>{label}</label>
      <input id={fid} aria-describedby={hintId} {...rest} />
      {hint && (
        <div id={hintId} className="field__hint muted">
          {hint}
        </div>
      )}
    </div>
  );
}

type SelectFieldProps = SelectHTMLAttributes<HTMLSelectElement> & {
  id: string;
  label: string;
};

/// A labelled select (the options are its children).
export function SelectField({ id, label, children, ...rest }: SelectFieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} {...rest}>
        {children}
      </select>
    </div>
  );
}

export function SubmitButton({ busy, children, busyText }: { busy: boolean; children: ReactNode; busyText?: string }) {
  return (
    <button type="submit" className="button" disabled={busy} aria-busy={busy || undefined}>
      {busy ? (busyText ?? 'Working…') : children}
    </button>
  );
}

/// A form's action row: its submit button, then anything else (e.g. a "Back to sign in" link).
export function SubmitActions({
  busy = false,
  busyText,
  children,
  extra,
}: {
  busy?: boolean;
  busyText?: string;
  children: ReactNode;
  extra?: ReactNode;
}) {
  return (
    <div className="form__actions">
      <SubmitButton busy={busy} busyText={busyText}>
        {children}
      </SubmitButton>
      {extra}
    </div>
  );
}

/// A plain button that disables itself and shows `busyText` while its action runs.
export function BusyButton({
  busy,
  busyText,
  className = 'button',
  onClick,
  children,
}: {
  busy: boolean;
  busyText: string;
  className?: string;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button type="button" className={className} disabled={busy} onClick={onClick}>
      {busy ? busyText : children}
    </button>
  );
}

/// A token from "#token=..." (preferred: fragments never reach server logs) or "?token=...".
export function tokenFromUrl(search: string, hash: string): string | null {
  const h = new URLSearchParams(hash.replace(/^#/, ''));
  const fromHash = h.get('token');
  if (fromHash) return fromHash;
  const q = new URLSearchParams(search);
  return q.get('token');
}

export function formatDate(s: string | null | undefined): string {
  if (!s) return '—';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
