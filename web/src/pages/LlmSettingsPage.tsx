import { useState, type FormEvent } from 'react';
import { Field, FormError, FormStatus, SubmitActions, useAction } from '../components/Forms';
import { LoadView } from '../components/Lists';
import * as content from '../lib/content';
import type { LlmSettings, LlmSettingsPatch } from '../lib/content';
import { Link } from '../lib/router';
import { useActiveOrg } from '../lib/session';
import { useLoad } from '../lib/useLoad';

/// The organization's optional LLM provider for generating questions (admins): an
/// OpenAI-compatible chat-completions endpoint, off by default. The API key is write-only.
export function LlmSettingsPage() {
  const { org } = useActiveOrg();
  const { state, reload, update } = useLoad((signal) => content.getLlmSettings(org.id, signal), [org.id]);
  // Kept here: the form starts afresh (keyed) from every answer.
  const [status, setStatus] = useState<string | null>(null);
  return (
    <section>
      <p className="crumbs">
        <Link to="/library">Library</Link> /
      </p>
      <div className="page-head">
        <h1 className="page-title">LLM settings</h1>
      </div>
      <p className="lede">
        Optional: an OpenAI-compatible endpoint that drafts questions for skills the library does not cover. Its drafts pass the same quality
        filters and need the same approval as any other item. Job descriptions are sent to this endpoint when a proposal asks for it.
      </p>
      <LoadView state={state} loading="Loading the settings…" errorTitle="Could not load the LLM settings" onRetry={reload}>
        {(s) => <LlmForm key={s.version} settings={s} status={status} setStatus={setStatus} onSaved={(n) => update(() => n)} />}
      </LoadView>
    </section>
  );
}

function LlmForm({
  settings,
  status,
  setStatus,
  onSaved,
}: {
  settings: LlmSettings;
  status: string | null;
  setStatus: (s: string | null) => void;
  onSaved: (s: LlmSettings) => void;
}) {
  const { org } = useActiveOrg();
  const [v, setV] = useState({ enabled: settings.enabled, base_url: settings.base_url, model: settings.model, timeout: String(settings.timeout_seconds), api_key: '', clear_key: false });
  const act = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setStatus(null);
    const t = Number(v.timeout);
    if (!Number.isInteger(t) || t < 1 || t > 120) {
      act.setError('The timeout must be 1..120 seconds.');
      return;
    }
    if (v.enabled && !/^https?:\/\//i.test(v.base_url.trim())) {
      act.setError('The base URL must start with https:// (or http:// for a local endpoint).');
      return;
    }
    const patch: LlmSettingsPatch = { enabled: v.enabled, base_url: v.base_url.trim(), model: v.model.trim(), timeout_seconds: t };
    if (v.clear_key) patch.api_key = '';
    else if (v.api_key) patch.api_key = v.api_key;
    const s = await act.run(() => content.updateLlmSettings(org.id, patch, settings.version));
    if (s) {
      setStatus('Saved.');
      onSaved(s);
    }
  };
  const set = (k: 'base_url' | 'model' | 'timeout' | 'api_key') => (e: { target: { value: string } }) => setV((d) => ({ ...d, [k]: e.target.value }));

  return (
    <form className="panel form" onSubmit={submit} aria-label="LLM settings">
      <div className="field field--check">
        <label>
          <input type="checkbox" checked={v.enabled} onChange={(e) => setV((d) => ({ ...d, enabled: e.target.checked }))} /> Use an LLM for proposals
        </label>
      </div>
      <Field label="Base URL" value={v.base_url} onChange={set('base_url')} placeholder="https://api.example.com/v1" hint="chat/completions is appended." />
      <Field label="Model" value={v.model} onChange={set('model')} />
      <Field label="Timeout (seconds)" type="number" min={1} max={120} value={v.timeout} onChange={set('timeout')} />
      <Field
        label="API key"
        type="password"
        autoComplete="off"
        value={v.api_key}
        onChange={set('api_key')}
        disabled={v.clear_key}
        hint={settings.has_api_key ? 'A key is stored. Leave empty to keep it.' : 'No key stored.'}
      />
      {settings.has_api_key && (
        <div className="field field--check">
          <label>
            <input type="checkbox" checked={v.clear_key} onChange={(e) => setV((d) => ({ ...d, clear_key: e.target.checked }))} /> Remove the stored key
          </label>
        </div>
      )}
      <FormStatus message={status} />
      <FormError error={act.error} />
      <SubmitActions busy={act.busy} busyText="Saving…">
        Save
      </SubmitActions>
    </form>
  );
}
