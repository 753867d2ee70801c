import { EmptyPanel, LoadView } from '../components/Lists';
import * as ats from '../lib/ats';
import { allowed } from '../lib/permissions';
import { Link } from '../lib/router';
import { useActiveOrg } from '../lib/session';
import { useLoad } from '../lib/useLoad';
import { AtsConnectionCard } from './AtsConnectionCard';
import { useVisiblePolling } from './AtsShared';

/// How often the cards refresh while the page is visible: often while a sync runs, else slowly
/// (scheduled syncs and webhooks change the health and counts on their own).
export const DASHBOARD_POLL_MS = 10000;
export const SYNCING_POLL_MS = 2000;

/// Integrations (ats.read): one card per ATS connection with its health, counts and actions.
export function AtsPage() {
  const { org, role } = useActiveOrg();
  const { state, reload, update } = useLoad((signal) => ats.listConnections(org.id, signal), [org.id]);
  const mayConnect = allowed(role, 'ats.connect');
  const live = state.kind === 'ready' && state.data.some((c) => c.state !== 'disconnected');
  const syncing = state.kind === 'ready' && state.data.some((c) => c.syncing);

  // Health changes on its own (scheduled syncs, webhooks): refresh quietly while visible.
  useVisiblePolling(
    async () => {
      const list = await ats.listConnections(org.id);
      update(() => list);
    },
    syncing ? SYNCING_POLL_MS : DASHBOARD_POLL_MS,
    live,
  );

  const replace = (c: ats.AtsConnection) => update((list) => list.map((x) => (x.id === c.id ? c : x)));

  return (
    <section>
      <div className="page-head">
        <h1 className="page-title">Integrations</h1>
        {mayConnect && (
          <Link to="/integrations/connect" className="button">
            Connect an ATS
          </Link>
        )}
      </div>
      <p className="lede">
        hirewire imports jobs, candidates and applications from your applicant tracking system and follows changes through
        webhooks and a periodic sync.
      </p>
      <LoadView
        state={state}
        loading="Loading the integrations…"
        errorTitle="Could not load the integrations"
        onRetry={reload}
      >
        {(list) =>
          list.length === 0 ? (
            <EmptyPanel>
              No ATS connected yet.{' '}
              {mayConnect ? 'Use “Connect an ATS” to link Greenhouse or Lever.' : 'Ask an owner or admin to connect one.'}
            </EmptyPanel>
          ) : (
            <div className="ats-cards">
              {list.map((c) => (
                <AtsConnectionCard
                  key={c.id}
                  orgId={org.id}
                  role={role}
                  conn={c}
                  onChange={replace}
                  onDeleted={() => update((l) => l.filter((x) => x.id !== c.id))}
                />
              ))}
            </div>
          )
        }
      </LoadView>
    </section>
  );
}
