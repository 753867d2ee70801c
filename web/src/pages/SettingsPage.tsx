import { useMemo, useState, type FormEvent } from 'react';
import { Field, FormError, FormStatus, SubmitActions, useAction } from '../components/Forms';
import { LoadView } from '../components/Lists';
import * as accounts from '../lib/accounts';
import type { Organization, OrgSettingsPatch } from '../lib/accounts';
import { ProblemError } from '../lib/http';
import { useActiveOrg, useSession } from '../lib/session';
import { useLoad } from '../lib/useLoad';

function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
}

/// Organization settings (org.update_settings): name, time zone, branding. The PATCH carries
/// If-Match with the ETag of the GET, so two admins editing at once do not overwrite each other.
export function SettingsPage() {
  const { org } = useActiveOrg();
  const { state, reload } = useLoad((signal) => accounts.getOrganization(org.id, signal), [org.id]);
  return (
    <section>
      <h1 className="page-title">Organization settings</h1>
      <LoadView state={state} loading="Loading settings…" errorTitle="Could not load the settings" onRetry={reload}>
        {(data) => <SettingsForm key={data.etag ?? 'x'} initial={data.org} etag={data.etag} onReload={reload} />}
      </LoadView>
    </section>
  );
}

function SettingsForm({ initial, etag: initialEtag, onReload }: { initial: Organization; etag: string | null; onReload: () => void }) {
  const { refresh } = useSession();
  const [saved, setSaved] = useState(initial);
  const [etag, setEtag] = useState(initialEtag);
  const [name, setName] = useState(initial.name);
  const [tz, setTz] = useState(initial.time_zone);
  const [logo, setLogo] = useState(initial.logo_url ?? '');
  const [primary, setPrimary] = useState(initial.primary_color);
  const [accent, setAccent] = useState(initial.accent_color);
  const [status, setStatus] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const { busy, error, setError, run } = useAction();
  const zones = useMemo(timeZones, []);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setStatus(null);
    setStale(false);
    const patch: OrgSettingsPatch = {};
    if (name.trim() !== saved.name) patch.name = name.trim();
    if (tz.trim() !== saved.time_zone) patch.time_zone = tz.trim();
    const logoValue = logo.trim() === '' ? null : logo.trim();
    if (logoValue !== saved.logo_url) patch.logo_url = logoValue;
    if (primary.toLowerCase() !== saved.primary_color.toLowerCase()) patch.primary_color = primary.toLowerCase();
    if (accent.toLowerCase() !== saved.accent_color.toLowerCase()) patch.accent_color = accent.toLowerCase();
    if (Object.keys(patch).length === 0) {
      setError(null);
      setStatus('Nothing changed.');
      return;
    }
    const res = await run(async () => {
      try {
        return await accounts.updateOrganization(saved.id, patch, etag);
      } catch (err) {
        if (err instanceof ProblemError && (err.status === 412 || (err.status === 409 && etag))) setStale(true);
        throw err;
      }
    });
    if (!res) return;
    setSaved(res.org);
    setEtag(res.etag);
    setStatus('Settings saved.');
    if (patch.name !== undefined) refresh(); // the header shows the name
  };

  return (
    <form className="panel form" onSubmit={onSubmit} aria-label="Organization settings">
      <Field label="Name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      <Field
        label="Time zone"
        required
        list="time-zones"
        value={tz}
        onChange={(e) => setTz(e.target.value)}
        hint="An IANA name such as Europe/Berlin. Used for interview times and e-mails."
      />
      <datalist id="time-zones">
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <Field
        label="Logo URL"
        type="url"
        placeholder="https://example.com/logo.png"
        value={logo}
        onChange={(e) => setLogo(e.target.value)}
        hint="An https address. Empty: no logo."
      />
      {logo.startsWith('https://') && <img className="logo-preview" src={logo} alt="Logo preview" />}
      <div className="form__row">
        <Field label="Primary colour" type="color" value={primary} onChange={(e) => setPrimary(e.target.value)} hint={primary} />
        <Field label="Accent colour" type="color" value={accent} onChange={(e) => setAccent(e.target.value)} hint={accent} />
      </div>
      <FormError error={error} title={stale ? 'Someone else changed these settings since you opened this page.' : undefined} />
      {stale && (
        <button type="button" className="button button--ghost" onClick={onReload}>
          Reload the current settings
        </button>
      )}
      <FormStatus message={status} />
      <SubmitActions busy={busy} busyText="Saving…">
        Save settings
      </SubmitActions>
    </form>
  );
}
