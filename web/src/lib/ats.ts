/// Typed calls of the ATS integration API (issue 4, http/API.md "ATS integration"): connections
/// and their health, the integration log, imported jobs with local edits, applications per job.
/// JSON field names are those of the view structs in actors/domain/ats_service.hpp. Every call
/// goes through lib/http.ts (CSRF header, problem+json errors). Parsing is lenient: a list may
/// come bare or wrapped ({"connections": [...]}), optional fields may be null or absent.

import DOMPurify from 'dompurify';
import { request } from './http';

// ---- shapes --------------------------------------------------------------------------------

export type Vendor = 'greenhouse' | 'lever';
export type ConnectionState = 'pending' | 'connected' | 'degraded' | 'failing' | 'disconnected';

export interface ConnectionCounts {
  jobs: number;
  candidates: number;
  applications: number;
  webhooks_received: number;
  webhooks_duplicate: number;
  webhooks_rejected: number;
}

export interface ConnectionSettings {
  sync_interval_minutes: number;
}

export interface AtsConnection {
  id: string;
  vendor: string;
  name: string;
  state: string;
  state_reason: string;
  consecutive_failures: number;
  last_sync_at: string | null;
  last_success_at: string | null;
  last_error_at: string | null;
  last_error: string | null;
  next_sync_at: string | null;
  syncing: boolean;
  has_credentials: boolean;
  has_webhook_secret: boolean;
  credential_fields: string[];
  webhook_url: string;
  settings: ConnectionSettings;
  counts: ConnectionCounts;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface ConnectionCreated {
  connection: AtsConnection;
  /** Greenhouse: the generated webhook secret, shown once. Absent for Lever. */
  webhook_secret: string | null;
}

export interface ConnectionCreate {
  vendor: Vendor;
  name: string;
  credentials: Record<string, string>;
  settings: ConnectionSettings;
}

export interface ConnectionPatch {
  name?: string;
  /** Replaces the whole credential set. */
  credentials?: Record<string, string>;
  settings?: ConnectionSettings;
  rotate_webhook_secret?: boolean;
}

export interface TestResult {
  ok: boolean;
  detail: string;
  connection: AtsConnection | null;
}

export interface HistoryEntry {
  at: string;
  from: string | null;
  to: string;
  event: string;
  consecutive_failures: number;
  reason: string;
}

export interface LogEntry {
  id: number;
  at: string;
  direction: string;
  endpoint: string;
  status: number | null;
  duration_ms: number;
  error: string | null;
}

export interface LogPage {
  entries: LogEntry[];
  next_before_id: number | null;
}

export interface Stage {
  id: string;
  name: string;
  sort_order: number | null;
}

export interface JobSummary {
  id: string;
  connection_id: string;
  vendor: string;
  external_id: string;
  title: string;
  ats_status: string;
  posting_state: string;
  department: string;
  location: string;
  applications: number;
  has_local_edits: boolean;
  updated_at: string;
}

export interface JobDetail extends JobSummary {
  description_html: string;
  requirements: string;
  opened_at: string | null;
  closed_at: string | null;
  overridden_fields: string[];
  conflicts: string[];
  stages: Stage[];
  shortlist_stage_id: string | null;
  version: number;
  /** When the server lists the recruiter events the posting FSM allows now, they win over the
   *  local copy of the table (RECRUITER_EVENTS). */
  allowed_events: string[] | null;
}

export interface JobFilter {
  connection?: string;
  state?: string;
  ats_status?: string;
  q?: string;
  limit?: number;
  cursor?: string | null;
}

export interface JobPage {
  jobs: JobSummary[];
  next_cursor: string | null;
}

/// The fields a recruiter may edit locally (job_edit).
export type JobField = 'title' | 'department' | 'location' | 'description_html' | 'requirements';
export const JOB_FIELDS: JobField[] = ['title', 'department', 'location', 'description_html', 'requirements'];
export const JOB_FIELD_LABELS: Record<JobField, string> = {
  title: 'Title',
  department: 'Department',
  location: 'Location',
  description_html: 'Description',
  requirements: 'Requirements',
};

export interface JobEdit {
  title?: string;
  department?: string;
  location?: string;
  description_html?: string;
  requirements?: string;
  revert?: string[];
  /** A stage id of the job, or null to clear. */
  shortlist_stage_id?: string | null;
}

export interface Candidate {
  id: string;
  external_id: string;
  anonymized: boolean;
  can_email: boolean;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
}

export interface Application {
  id: string;
  external_id: string;
  status: string;
  stage: Stage;
  candidate: Candidate;
  updated_at: string;
}

export interface ApplicationFilter {
  stage?: string;
  status?: string;
  limit?: number;
  cursor?: string | null;
}

export interface ApplicationPage {
  applications: Application[];
  next_cursor: string | null;
}

export interface StageEvent {
  id: number;
  job_id: string;
  application_id: string;
  stage_id: string;
  stage_name: string;
  status: string;
  at: string;
}

// ---- vendors -------------------------------------------------------------------------------

export interface CredentialField {
  key: string;
  label: string;
  secret: boolean;
  required: boolean;
  hint?: string;
}

export interface VendorInfo {
  id: Vendor;
  label: string;
  fields: CredentialField[];
  /** True when hirewire generates the webhook secret (shown once); false when the vendor does. */
  generatesWebhookSecret: boolean;
}

export const VENDORS: VendorInfo[] = [
  {
    id: 'greenhouse',
    label: 'Greenhouse',
    generatesWebhookSecret: true,
    fields: [
      { key: 'client_id', label: 'Client ID', secret: false, required: true, hint: 'From Configure > Dev Center > API Credentials (Harvest v3 OAuth client).' },
      { key: 'client_secret', label: 'Client secret', secret: true, required: true },
      {
        key: 'sub',
        label: 'Act as user ID (optional)',
        secret: false,
        required: false,
        hint: 'The Greenhouse user id writes are made on behalf of (the token’s “sub”). Empty: the credential’s default.',
      },
    ],
  },
  {
    id: 'lever',
    label: 'Lever',
    generatesWebhookSecret: false,
    fields: [
      { key: 'api_key', label: 'API key', secret: true, required: true, hint: 'From Settings > Integrations and API > API Credentials.' },
      {
        key: 'webhook_signature_token',
        label: 'Webhook signature token (optional)',
        secret: true,
        required: false,
        hint: 'Lever shows it after you add our webhook URL (Settings > Integrations and API > Webhooks). You can add it after connecting.',
      },
    ],
  },
];

export function vendorInfo(v: string): VendorInfo | undefined {
  return VENDORS.find((x) => x.id === v);
}

export function vendorLabel(v: string): string {
  return vendorInfo(v)?.label ?? v;
}

/// Greenhouse web hook events to enable (Configure > Dev Center > Web Hooks), with the action
/// name each delivers (actors/domain/ats_webhook_hint.hpp maps these).
export const GREENHOUSE_EVENTS: { label: string; action: string }[] = [
  { label: 'Candidate has changed stage', action: 'candidate_stage_change' },
  { label: 'Candidate has submitted application', action: 'new_candidate_application' },
  { label: 'Application updated', action: 'application_updated' },
  { label: 'Candidate or Prospect rejected', action: 'reject_candidate' },
  { label: 'Candidate or Prospect unrejected', action: 'unreject_candidate' },
  { label: 'Candidate has been hired', action: 'hire_candidate' },
  { label: 'Candidate has been unhired', action: 'unhire_candidate' },
  { label: 'Delete application', action: 'delete_application' },
  { label: 'Candidate or Prospect updated', action: 'update_candidate' },
  { label: 'Delete candidate', action: 'delete_candidate' },
  { label: 'Merge candidate', action: 'merge_candidate' },
  { label: 'Candidate anonymized', action: 'candidate_anonymized' },
  { label: 'Job created / Job updated / Job approved', action: 'job_created, job_updated, job_approved' },
  { label: 'Job deleted', action: 'job_deleted' },
  { label: 'Job post created / updated / deleted', action: 'job_post_created, job_post_updated, job_post_deleted' },
];

/// Lever webhook events to enable (Settings > Integrations and API > Webhooks).
export const LEVER_EVENTS = ['Application created', 'Candidate stage change', 'Candidate archive state change', 'Candidate hired', 'Candidate deleted'];

export const STATE_LABELS: Record<string, string> = {
  pending: 'Pending',
  connected: 'Connected',
  degraded: 'Degraded',
  failing: 'Failing',
  disconnected: 'Disconnected',
};

/// The badge class of a connection state.
export function stateBadgeClass(state: string): string {
  switch (state) {
    case 'connected':
      return 'badge badge--ok';
    case 'degraded':
      return 'badge badge--warn';
    case 'failing':
      return 'badge badge--fail';
    case 'pending':
      return 'badge badge--info';
    default:
      return 'badge badge--muted';
  }
}

// ---- the job posting FSM -------------------------------------------------------------------

export const POSTING_STATES = ['imported', 'draft', 'ready', 'open', 'closed', 'archived'] as const;
export const POSTING_STATE_LABELS: Record<string, string> = {
  imported: 'Imported',
  draft: 'Draft',
  ready: 'Ready',
  open: 'Open',
  closed: 'Closed',
  archived: 'Archived',
};
export const ATS_STATUSES = ['draft', 'open', 'closed'] as const;

/// The recruiter rows of job_posting_table (actors/domain/job_posting_fsm.hpp): from -> event ->
/// to. A COPY, pinned by test/jobs.test.tsx which parses the C++ table. The server decides.
export const RECRUITER_EDGES: { from: string; event: string; to: string }[] = [
  { from: 'imported', event: 'claim', to: 'draft' },
  { from: 'draft', event: 'mark_ready', to: 'ready' },
  { from: 'ready', event: 'revise', to: 'draft' },
  { from: 'ready', event: 'open', to: 'open' },
  { from: 'open', event: 'close', to: 'closed' },
  { from: 'closed', event: 'reopen', to: 'draft' },
  { from: 'imported', event: 'archive', to: 'archived' },
  { from: 'closed', event: 'archive', to: 'archived' },
];

export const EVENT_LABELS: Record<string, string> = {
  claim: 'Claim as draft',
  mark_ready: 'Mark ready',
  revise: 'Back to draft',
  open: 'Open for invitations',
  close: 'Close',
  reopen: 'Reopen',
  archive: 'Archive',
};

/// The events a recruiter may send for a job now: the server's list when it gave one, else the
/// local copy of the table for the job's posting state.
export function allowedEvents(job: Pick<JobDetail, 'posting_state' | 'allowed_events'>): string[] {
  if (job.allowed_events) return job.allowed_events;
  return RECRUITER_EDGES.filter((e) => e.from === job.posting_state).map((e) => e.event);
}

// ---- vendor HTML -----------------------------------------------------------------------------

let hooked = false;

/// Vendor HTML (job descriptions) made safe to render: DOMPurify with the HTML profile only (no
/// SVG / MathML), no scripts, styles, forms, frames or event handlers; links open in a new tab
/// without an opener. The only input that ever reaches dangerouslySetInnerHTML.
export function sanitizeVendorHtml(html: string | null | undefined): string {
  if (!html) return '';
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.nodeName === 'A' && node.getAttribute('href')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
    });
    hooked = true;
  }
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'link', 'meta', 'base'],
    FORBID_ATTR: ['style', 'srcset'],
    ALLOW_DATA_ATTR: false,
  });
}

/// True when the text looks like HTML (requirements may be plain text).
export function looksLikeHtml(s: string): boolean {
  return /<[a-z][\s\S]*>/i.test(s);
}

// ---- parsing -------------------------------------------------------------------------------

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}
function str(v: unknown, d = ''): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : d;
}
function optStr(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}
function num(v: unknown, d = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : d;
}
function optNum(v: unknown): number | null {
  return v === null || v === undefined || v === '' ? null : Number.isFinite(Number(v)) ? Number(v) : null;
}
function strList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x) => typeof x === 'string' || typeof x === 'number').map(String) : [];
}
/// The list under one of `keys`, or the body itself when it is an array.
function listOf(d: unknown, ...keys: string[]): unknown[] {
  if (Array.isArray(d)) return d;
  const o = obj(d);
  for (const k of keys) if (Array.isArray(o[k])) return o[k] as unknown[];
  return [];
}
/// The object under `key` when present (a wrapped answer), else the body.
function unwrap(d: unknown, key: string): Obj {
  const o = obj(d);
  return o[key] && typeof o[key] === 'object' && !Array.isArray(o[key]) ? obj(o[key]) : o;
}

export function toConnection(raw: unknown): AtsConnection {
  const o = obj(raw);
  const c = obj(o.counts);
  const s = obj(o.settings);
  return {
    id: str(o.id),
    vendor: str(o.vendor),
    name: str(o.name),
    state: str(o.state, 'pending'),
    state_reason: str(o.state_reason),
    consecutive_failures: num(o.consecutive_failures),
    last_sync_at: optStr(o.last_sync_at),
    last_success_at: optStr(o.last_success_at),
    last_error_at: optStr(o.last_error_at),
    last_error: optStr(o.last_error),
    next_sync_at: optStr(o.next_sync_at),
    syncing: o.syncing === true,
    has_credentials: o.has_credentials === true,
    has_webhook_secret: o.has_webhook_secret === true,
    credential_fields: strList(o.credential_fields),
    webhook_url: str(o.webhook_url),
    settings: { sync_interval_minutes: num(s.sync_interval_minutes, 60) },
    counts: {
      jobs: num(c.jobs),
      candidates: num(c.candidates),
      applications: num(c.applications),
      webhooks_received: num(c.webhooks_received),
      webhooks_duplicate: num(c.webhooks_duplicate),
      webhooks_rejected: num(c.webhooks_rejected),
    },
    created_at: str(o.created_at),
    updated_at: str(o.updated_at),
    version: num(o.version, 1),
  };
}

function toCreated(d: unknown): ConnectionCreated {
  const o = obj(d);
  const conn = o.connection && typeof o.connection === 'object' ? o.connection : o;
  return { connection: toConnection(conn), webhook_secret: optStr(o.webhook_secret) };
}

function toStage(raw: unknown): Stage {
  const o = obj(raw);
  return { id: str(o.id), name: str(o.name), sort_order: optNum(o.sort_order) };
}

export function toJobSummary(raw: unknown): JobSummary {
  const o = obj(raw);
  return {
    id: str(o.id),
    connection_id: str(o.connection_id),
    vendor: str(o.vendor),
    external_id: str(o.external_id),
    title: str(o.title),
    ats_status: str(o.ats_status),
    posting_state: str(o.posting_state),
    department: str(o.department),
    location: str(o.location),
    applications: num(o.applications),
    has_local_edits: o.has_local_edits === true,
    updated_at: str(o.updated_at),
  };
}

/// job_detail nests its summary ({"summary": {...}, ...}); a flat object is read too.
export function toJobDetail(raw: unknown): JobDetail {
  const top = unwrap(raw, 'job');
  const o = { ...top, ...obj(top.summary) };
  return {
    ...toJobSummary(o),
    description_html: str(o.description_html),
    requirements: str(o.requirements),
    opened_at: optStr(o.opened_at),
    closed_at: optStr(o.closed_at),
    overridden_fields: strList(o.overridden_fields),
    conflicts: strList(o.conflicts),
    stages: listOf(o.stages).map(toStage),
    shortlist_stage_id: optStr(o.shortlist_stage_id),
    version: num(o.version, 1),
    allowed_events: Array.isArray(o.allowed_events) ? strList(o.allowed_events) : null,
  };
}

function toCandidate(raw: unknown): Candidate {
  const o = obj(raw);
  return {
    id: str(o.id),
    external_id: str(o.external_id),
    anonymized: o.anonymized === true,
    can_email: o.can_email !== false,
    first_name: optStr(o.first_name),
    last_name: optStr(o.last_name),
    email: optStr(o.email),
  };
}

function toApplication(raw: unknown): Application {
  const o = obj(raw);
  return {
    id: str(o.id),
    external_id: str(o.external_id),
    status: str(o.status),
    stage: toStage(o.stage),
    candidate: toCandidate(o.candidate),
    updated_at: str(o.updated_at),
  };
}

/// What a card shows for a candidate: the name (and e-mail) only when the API sent them (roles
/// with candidate.pii_read) and `pii` allows them, else "Candidate #<external id>".
export function candidateLabel(c: Candidate, pii = true): { name: string; email: string | null } {
  if (!pii) return { name: `Candidate #${c.external_id || c.id}`, email: null };
  const name = [c.first_name, c.last_name].filter(Boolean).join(' ').trim();
  if (name) return { name, email: c.email };
  if (c.email) return { name: c.email, email: null };
  return { name: `Candidate #${c.external_id || c.id}`, email: null };
}

/// Stages in pipeline order: sort_order, then the vendor's order.
export function orderedStages(stages: Stage[]): Stage[] {
  return stages
    .map((s, i) => ({ s, i }))
    .sort((a, b) => (a.s.sort_order ?? Number.MAX_SAFE_INTEGER) - (b.s.sort_order ?? Number.MAX_SAFE_INTEGER) || a.i - b.i)
    .map((x) => x.s);
}

/// Applications grouped by stage in the job's stage order; stages an application names but the job
/// does not list come last, in order of appearance.
export function groupByStage(stages: Stage[], apps: Application[]): { stage: Stage; applications: Application[] }[] {
  const cols = orderedStages(stages).map((stage) => ({ stage, applications: [] as Application[] }));
  const byId = new Map(cols.map((c) => [c.stage.id, c]));
  for (const a of apps) {
    let col = byId.get(a.stage.id);
    if (!col) {
      col = { stage: a.stage.id ? a.stage : { id: '', name: 'No stage', sort_order: null }, applications: [] };
      byId.set(col.stage.id, col);
      cols.push(col);
    }
    col.applications.push(a);
  }
  return cols;
}

// ---- calls ---------------------------------------------------------------------------------

const S = { sessionRequired: true } as const;

function orgPath(orgId: string, rest: string): string {
  return `/api/v1/orgs/${encodeURIComponent(orgId)}${rest}`;
}
function connPath(orgId: string, id: string, rest = ''): string {
  return orgPath(orgId, `/ats/connections/${encodeURIComponent(id)}${rest}`);
}
function jobPath(orgId: string, id: string, rest = ''): string {
  return orgPath(orgId, `/jobs/${encodeURIComponent(id)}${rest}`);
}
function ifMatch(version: number | null | undefined): Record<string, string> {
  return version === null || version === undefined ? {} : { 'If-Match': `"v${version}"` };
}

export async function listConnections(orgId: string, signal?: AbortSignal): Promise<AtsConnection[]> {
  const res = await request('GET', orgPath(orgId, '/ats/connections'), { ...S, signal });
  return listOf(res.data, 'connections', 'items').map(toConnection);
}

export async function getConnection(orgId: string, id: string, signal?: AbortSignal): Promise<AtsConnection> {
  const res = await request('GET', connPath(orgId, id), { ...S, signal });
  return toConnection(unwrap(res.data, 'connection'));
}

export async function createConnection(orgId: string, input: ConnectionCreate): Promise<ConnectionCreated> {
  const res = await request('POST', orgPath(orgId, '/ats/connections'), { ...S, body: input });
  return toCreated(res.data);
}

export async function updateConnection(orgId: string, id: string, patch: ConnectionPatch, version?: number): Promise<ConnectionCreated> {
  const res = await request('PATCH', connPath(orgId, id), { ...S, body: patch, headers: ifMatch(version) });
  return toCreated(res.data);
}

export async function disconnectConnection(orgId: string, id: string): Promise<AtsConnection> {
  const res = await request('POST', connPath(orgId, id, '/disconnect'), S);
  return toConnection(unwrap(res.data, 'connection'));
}

export async function deleteConnection(orgId: string, id: string): Promise<void> {
  await request('DELETE', connPath(orgId, id), S);
}

export async function testConnection(orgId: string, id: string): Promise<TestResult> {
  const res = await request('POST', connPath(orgId, id, '/test'), S);
  const o = obj(res.data);
  return {
    ok: o.ok === true,
    detail: str(o.detail),
    connection: o.connection && typeof o.connection === 'object' ? toConnection(o.connection) : null,
  };
}

export async function syncNow(orgId: string, id: string): Promise<AtsConnection> {
  const res = await request('POST', connPath(orgId, id, '/sync'), S);
  return toConnection(unwrap(res.data, 'connection'));
}

export async function connectionHistory(orgId: string, id: string, signal?: AbortSignal): Promise<HistoryEntry[]> {
  const res = await request('GET', connPath(orgId, id, '/history'), { ...S, signal });
  return listOf(res.data, 'history', 'entries', 'items').map((raw) => {
    const o = obj(raw);
    return {
      at: str(o.at),
      from: optStr(o.from),
      to: str(o.to),
      event: str(o.event),
      consecutive_failures: num(o.consecutive_failures),
      reason: str(o.reason),
    };
  });
}

export async function integrationLog(
  orgId: string,
  id: string,
  opts: { limit?: number; before?: number | null } = {},
  signal?: AbortSignal,
): Promise<LogPage> {
  const q = new URLSearchParams();
  if (opts.limit) q.set('limit', String(opts.limit));
  if (opts.before !== undefined && opts.before !== null) q.set('before', String(opts.before));
  const qs = q.toString();
  const res = await request('GET', connPath(orgId, id, `/log${qs ? `?${qs}` : ''}`), { ...S, signal });
  const o = obj(res.data);
  return {
    entries: listOf(res.data, 'entries', 'items').map((raw) => {
      const e = obj(raw);
      return {
        id: num(e.id),
        at: str(e.at),
        direction: str(e.direction),
        endpoint: str(e.endpoint),
        status: optNum(e.status),
        duration_ms: num(e.duration_ms),
        error: optStr(e.error),
      };
    }),
    // http/ answers "next_before"; the service struct calls it next_before_id.
    next_before_id: optNum(o.next_before ?? o.next_before_id),
  };
}

/// The query string of GET jobs: only the filters that are set, in a fixed order.
export function jobsQuery(f: JobFilter): string {
  const q = new URLSearchParams();
  if (f.connection) q.set('connection', f.connection);
  if (f.state) q.set('state', f.state);
  if (f.ats_status) q.set('ats_status', f.ats_status);
  if (f.q && f.q.trim()) q.set('q', f.q.trim());
  if (f.limit) q.set('limit', String(f.limit));
  if (f.cursor) q.set('cursor', f.cursor);
  return q.toString();
}

export async function listJobs(orgId: string, f: JobFilter, signal?: AbortSignal): Promise<JobPage> {
  const qs = jobsQuery(f);
  const res = await request('GET', orgPath(orgId, `/jobs${qs ? `?${qs}` : ''}`), { ...S, signal });
  const o = obj(res.data);
  return { jobs: listOf(res.data, 'jobs', 'items').map(toJobSummary), next_cursor: optStr(o.next_cursor) };
}

export async function getJob(orgId: string, id: string, signal?: AbortSignal): Promise<JobDetail> {
  const res = await request('GET', jobPath(orgId, id), { ...S, signal });
  return toJobDetail(res.data);
}

export async function updateJob(orgId: string, id: string, edit: JobEdit, version?: number): Promise<JobDetail> {
  const res = await request('PATCH', jobPath(orgId, id), { ...S, body: edit, headers: ifMatch(version) });
  return toJobDetail(res.data);
}

export async function transitionJob(orgId: string, id: string, event: string, version?: number): Promise<JobDetail> {
  const res = await request('POST', jobPath(orgId, id, '/transitions'), { ...S, body: { event }, headers: ifMatch(version) });
  return toJobDetail(res.data);
}

export async function listApplications(orgId: string, jobId: string, f: ApplicationFilter = {}, signal?: AbortSignal): Promise<ApplicationPage> {
  const q = new URLSearchParams();
  if (f.stage) q.set('stage', f.stage);
  if (f.status) q.set('status', f.status);
  if (f.limit) q.set('limit', String(f.limit));
  if (f.cursor) q.set('cursor', f.cursor);
  const qs = q.toString();
  const res = await request('GET', jobPath(orgId, jobId, `/applications${qs ? `?${qs}` : ''}`), { ...S, signal });
  const o = obj(res.data);
  return { applications: listOf(res.data, 'applications', 'items').map(toApplication), next_cursor: optStr(o.next_cursor) };
}

/// Every application of a job (pages of 500, at most `maxPages` of them).
export async function allApplications(orgId: string, jobId: string, signal?: AbortSignal, maxPages = 10): Promise<{ applications: Application[]; truncated: boolean }> {
  const all: Application[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < maxPages; i++) {
    const page: ApplicationPage = await listApplications(orgId, jobId, { limit: 500, cursor }, signal);
    all.push(...page.applications);
    cursor = page.next_cursor;
    if (!cursor) return { applications: all, truncated: false };
  }
  return { applications: all, truncated: true };
}

export async function listStageEvents(orgId: string, jobId: string, signal?: AbortSignal): Promise<StageEvent[]> {
  const res = await request('GET', jobPath(orgId, jobId, '/stage-events'), { ...S, signal });
  return listOf(res.data, 'stage_events', 'events', 'items').map((raw) => {
    const o = obj(raw);
    return {
      id: num(o.id),
      job_id: str(o.job_id),
      application_id: str(o.application_id),
      stage_id: str(o.stage_id),
      stage_name: str(o.stage_name),
      status: str(o.status),
      at: str(o.at),
    };
  });
}
