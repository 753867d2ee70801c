import { useState } from 'react';
import { FormError, useAction } from '../components/Forms';
import { EmptyPanel } from '../components/Lists';
import { SignInCta } from '../components/SignInCta';
import { roleLabel } from '../lib/permissions';
import { useSession } from '../lib/session';

export function OrganizationsPage() {
  const { session, activeOrg, switchOrg } = useSession();
  const { busy, error, run } = useAction();
  const [pending, setPending] = useState<string | null>(null);

  if (!session) {
    return (
      <section>
        <h1 className="page-title">Organizations</h1>
        <div className="panel panel--empty">
          <p>Sign in to see the organizations you belong to.</p>
          <SignInCta loginTo="/login?next=/organizations" />
        </div>
      </section>
    );
  }

  return (
    <section>
      <h1 className="page-title">Organizations</h1>
      <p className="lede">The organizations you belong to. Pages act on the active one.</p>
      <FormError error={error} />
      {session.orgs.length === 0 ? (
        <EmptyPanel>You are not a member of any organization.</EmptyPanel>
      ) : (
        <ul className="panel org-list">
          {session.orgs.map((o) => {
            const active = o.id === activeOrg?.id;
            return (
              <li key={o.id} className="org-list__item">
                <div>
                  <div className="check__label">{o.name}</div>
                  <div className="muted">
                    <code>{o.slug}</code> · {roleLabel(o.role)}
                  </div>
                </div>
                {active ? (
                  <span className="badge badge--ok">Active</span>
                ) : (
                  <button
                    type="button"
                    className="button button--ghost"
                    disabled={busy}
                    aria-label={`Switch to ${o.name}`}
                    onClick={() => {
                      setPending(o.id);
                      void run(() => switchOrg(o.id)).finally(() => setPending(null));
                    }}
                  >
                    {pending === o.id ? 'Switching…' : 'Switch'}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
