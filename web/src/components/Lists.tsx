import type { ReactNode } from 'react';
import type { Load } from '../lib/useLoad';
import { BusyButton, FormError } from './Forms';
import { ErrorState, Loading } from './States';

/// A panel saying there is nothing to show.
export function EmptyPanel({ children }: { children: ReactNode }) {
  return (
    <div className="panel panel--empty">
      <p>{children}</p>
    </div>
  );
}

/// The three states of loaded data: a loading line, an error with Retry, or `children(data)`
/// (or `empty` when the data is an empty list and `empty` is given).
export function LoadView<T>({
  state,
  loading,
  errorTitle,
  onRetry,
  empty,
  isEmpty = (d) => Array.isArray(d) && d.length === 0,
  children,
}: {
  state: Load<T>;
  loading: string;
  errorTitle: string;
  onRetry: () => void;
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (state.kind === 'loading') return <Loading label={loading} />;
  if (state.kind === 'error') return <ErrorState title={errorTitle} message={state.message} onRetry={onRetry} />;
  if (empty !== undefined && isEmpty(state.data)) return <EmptyPanel>{empty}</EmptyPanel>;
  return <>{children(state.data)}</>;
}

/// A table in a panel: a header cell a column (plus a hidden "Actions" one), the rows as children.
export function DataTable({
  columns,
  actions = false,
  dense = false,
  children,
}: {
  columns: string[];
  actions?: boolean;
  dense?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="panel">
      <table className={dense ? 'table table--dense' : 'table'}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
            {actions && (
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/// Below a paged list: the error of the last "Load more", and the button while there is more.
export function LoadMoreFooter({
  hasMore,
  busy,
  error,
  onLoadMore,
}: {
  hasMore: boolean;
  busy: boolean;
  error: string | null;
  onLoadMore: () => void;
}) {
  return (
    <>
      <FormError error={error} />
      {hasMore && (
        <div className="more">
          <BusyButton className="button button--ghost" busy={busy} busyText="Loading…" onClick={onLoadMore}>
            Load more
          </BusyButton>
        </div>
      )}
    </>
  );
}
