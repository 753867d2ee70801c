import { formatDate, useAction } from '../components/Forms';
import { DataTable, LoadMoreFooter, LoadView } from '../components/Lists';
import * as ats from '../lib/ats';
import { Link, useRouter } from '../lib/router';
import { useActiveOrg } from '../lib/session';
import { useLoad } from '../lib/useLoad';
import { AtsConnectionCard } from './AtsConnectionCard';
import { useVisiblePolling } from './AtsShared';
import { DASHBOARD_POLL_MS, SYNCING_POLL_MS } from './AtsPage';

export const LOG_PAGE = 50;

/// One connection (ats.read): its card, the state history and the integration log.
export function AtsConnectionPage({ connectionId }: { connectionId: string }) {
  const { org, role } = useActiveOrg();
  const { navigate } = useRouter();
  const conn = useLoad((signal) => ats.getConnection(org.id, connectionId, signal), [org.id, connectionId]);
  const history = useLoad((signal) => ats.connectionHistory(org.id, connectionId, signal), [org.id, connectionId]);
  const log = useLoad((signal) => ats.integrationLog(org.id, connectionId, { limit: LOG_PAGE }, signal), [org.id, connectionId]);
  const more = useAction();

  useVisiblePolling(
    async () => {
      const c = await ats.getConnection(org.id, connectionId);
      conn.update(() => c);
    },
    conn.state.kind === 'ready' && conn.state.data.syncing ? SYNCING_POLL_MS : DASHBOARD_POLL_MS,
    conn.state.kind === 'ready' && conn.state.data.state !== 'disconnected',
  );

  const loadMore = async () => {
    if (log.state.kind !== 'ready' || log.state.data.next_before_id === null) return;
    const before = log.state.data.next_before_id;
    const page = await more.run(() => ats.integrationLog(org.id, connectionId, { limit: LOG_PAGE, before }));
    if (!page) return;
    log.update((d) => ({ entries: [...d.entries, ...page.entries], next_before_id: page.next_before_id }));
  };

  const refreshAll = () => {
    history.reload();
    log.reload();
  };

  return (
    <section>
      <p className="crumbs">
        <Link to="/integrations">Integrations</Link> /
      </p>
      <LoadView state={conn.state} loading="Loading the connection…" errorTitle="Could not load the connection" onRetry={conn.reload}>
        {(c) => (
          <>
            <h1 className="page-title">{c.name}</h1>
            <AtsConnectionCard
              orgId={org.id}
              role={role}
              conn={c}
              detailLink={false}
              onChange={(n) => {
                conn.update(() => n);
                refreshAll();
              }}
              onDeleted={() => navigate('/integrations')}
            />
          </>
        )}
      </LoadView>

      <div className="page-head">
        <h2 className="section-title">State history</h2>
        <button type="button" className="button button--small button--ghost" onClick={refreshAll}>
          Refresh
        </button>
      </div>
      <LoadView
        state={history.state}
        loading="Loading the history…"
        errorTitle="Could not load the history"
        onRetry={history.reload}
        empty="No state changes yet."
      >
        {(entries) => (
          <DataTable columns={['When', 'Change', 'Event', 'Reason', 'Failures']} dense>
            {entries.map((h, i) => (
              <tr key={`${h.at}-${i}`} data-history-to={h.to}>
                <td>{formatDate(h.at)}</td>
                <td>
                  {h.from ? `${ats.STATE_LABELS[h.from] ?? h.from} → ` : ''}
                  <span className={ats.stateBadgeClass(h.to)}>{ats.STATE_LABELS[h.to] ?? h.to}</span>
                </td>
                <td>
                  <code>{h.event}</code>
                </td>
                <td className="cell--clip">{h.reason || '—'}</td>
                <td>{h.consecutive_failures}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </LoadView>

      <h2 className="section-title">Integration log</h2>
      <LoadView
        state={log.state}
        loading="Loading the log…"
        errorTitle="Could not load the integration log"
        onRetry={log.reload}
        empty="No calls logged yet."
        isEmpty={(d) => d.entries.length === 0}
      >
        {({ entries }) => (
          <DataTable columns={['When', 'Direction', 'Endpoint', 'Status', 'Duration', 'Error']} dense>
            {entries.map((e) => (
              <tr key={e.id} data-log-id={e.id}>
                <td>{formatDate(e.at)}</td>
                <td>{e.direction === 'inbound' ? 'In (webhook)' : e.direction === 'outbound' ? 'Out' : e.direction}</td>
                <td className="cell--clip">
                  <code>{e.endpoint}</code>
                </td>
                <td>
                  {e.status === null ? (
                    '—'
                  ) : (
                    <span className={`badge ${e.status >= 200 && e.status < 300 ? 'badge--ok' : 'badge--fail'}`}>
                      {e.status}
                    </span>
                  )}
                </td>
                <td>{e.duration_ms} ms</td>
                <td className="cell--clip">{e.error ?? ''}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </LoadView>
      <LoadMoreFooter
        hasMore={log.state.kind === 'ready' && log.state.data.next_before_id !== null}
        busy={more.busy}
        error={more.error}
        onLoadMore={loadMore}
      />
    </section>
  );
}
