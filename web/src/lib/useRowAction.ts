import { useCallback, useState } from 'react';
import { errorText } from './http';

export interface RowError {
  title?: string;
  text: string;
}

/// Actions on one row of a list at a time: `busyId` is the row whose action runs (its buttons
/// disable), `error` the last failure (with an optional title from `title(e)`), `status` a success
/// line the action may set. Starting an action clears both.
export function useRowAction() {
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<RowError | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const run = useCallback(async (id: string, fn: () => Promise<void>, title?: (e: unknown) => string) => {
    setBusyId(id);
    setError(null);
    setStatus(null);
    try {
      await fn();
    } catch (e) {
      setError({ title: title?.(e), text: errorText(e) });
    } finally {
      setBusyId(null);
    }
  }, []);
  return { busyId, error, status, setStatus, run };
}
