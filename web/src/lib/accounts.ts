/// Typed calls of the recruiter API (http/API.md, issue 3: people and access).
/// Every call goes through lib/http.ts (CSRF header, problem+json errors).

import { request, setCsrfToken } from './http';

// ---- shapes --------------------------------------------------------------------------------

export interface SessionOrg {
  id: string;
  slug: string;
  name: string;
  role: string;
}

export interface Session {
  user: { id: string; email: string; display_name: string };
  orgs: SessionOrg[];
  active_org: string | null;
  expires_at?: string;
  csrf_token?: string;
}

export interface Member {
  user_id: string;
  email: string;
  display_name: string;
  role: string;
  joined_at: string;
}

export interface TeamInvitation {
  id: string;
  email: string;
  role: string;
  status: string; // pending | accepted | revoked | expired
  invited_by: string;
  created_at: string;
  expires_at: string;
  sends: number;
}

export interface InvitationPreview {
  org_name: string;
  org_slug: string;
  email: string;
  role: string;
  account_exists: boolean;
  expires_at: string;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: string;
  created_by: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface SsoSettings {
  enabled: boolean;
  issuer: string;
  client_id: string;
  client_secret_set: boolean;
  allowed_domains: string[];
  default_role: string;
  sso_required: boolean;
}

export type SsoUpdate = Omit<SsoSettings, 'client_secret_set'> & { client_secret?: string };

export interface Organization {
  id: string;
  name: string;
  slug: string;
  time_zone: string;
  logo_url: string | null;
  primary_color: string;
  accent_color: string;
  status?: string;
  version?: number;
}

export interface OrgSettingsPatch {
  name?: string;
  time_zone?: string;
  logo_url?: string | null;
  primary_color?: string;
  accent_color?: string;
}

export interface AuditEntry {
  id: number | string;
  at: string;
  actor: { kind: string; id: string };
  action: string;
  target: string;
  outcome: string;
  ip?: string | null;
  user_agent?: string | null;
  request_id?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditFilters {
  action?: string;
  actor_kind?: string;
  outcome?: string;
  since?: string;
  until?: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  next_cursor: string | null;
}

export interface Mail {
  id: number | string;
  kind?: string;
  to: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  status?: string;
  created_at: string;
  sent_at?: string | null;
}

// ---- helpers -------------------------------------------------------------------------------

const V1 = '/api/v1';
const S = { sessionRequired: true } as const;

function orgPath(orgId: string, rest = ''): string {
  return `${V1}/orgs/${encodeURIComponent(orgId)}${rest}`;
}

/// Every answer that carries session JSON refreshes the CSRF token we send.
function takeSession(s: Session): Session {
  setCsrfToken(s.csrf_token);
  return { ...s, orgs: Array.isArray(s.orgs) ? s.orgs : [], active_org: s.active_org ?? null };
}

// ---- public routes -------------------------------------------------------------------------

export interface SignupInput {
  org_name: string;
  org_slug: string;
  email: string;
  display_name: string;
  password: string;
}

export async function signup(input: SignupInput): Promise<Session> {
  return takeSession((await request<Session>('POST', `${V1}/signup`, { body: input })).data);
}

export async function login(email: string, password: string): Promise<Session> {
  return takeSession((await request<Session>('POST', `${V1}/session`, { body: { email, password } })).data);
}

export async function requestPasswordReset(email: string): Promise<void> {
  await request('POST', `${V1}/password-reset`, { body: { email } });
}

export async function confirmPasswordReset(token: string, password: string): Promise<void> {
  await request('POST', `${V1}/password-reset/confirm`, { body: { token, password } });
}

export async function previewInvitation(token: string): Promise<InvitationPreview> {
  return (await request<InvitationPreview>('POST', `${V1}/team-invitations/preview`, { body: { token } })).data;
}

export async function acceptInvitation(token: string, password: string, displayName?: string): Promise<Session> {
  const body: Record<string, string> = { token, password };
  if (displayName !== undefined) body.display_name = displayName;
  return takeSession((await request<Session>('POST', `${V1}/team-invitations/accept`, { body })).data);
}

/// Where "Continue with SSO" sends the browser (a full navigation: the server answers 302).
export function ssoStartUrl(slug: string): string {
  return `${V1}/sso/start?org=${encodeURIComponent(slug)}`;
}

// ---- session routes ------------------------------------------------------------------------

export async function getSession(signal?: AbortSignal): Promise<Session> {
  // Not sessionRequired: the provider handles this 401 itself (it is how "signed out" looks).
  return takeSession((await request<Session>('GET', `${V1}/session`, { signal })).data);
}

export async function logout(): Promise<void> {
  await request('DELETE', `${V1}/session`);
  setCsrfToken(null);
}

export async function logoutEverywhere(): Promise<void> {
  await request('POST', `${V1}/session/revoke-all`);
  setCsrfToken(null);
}

export async function switchOrg(orgId: string): Promise<Session> {
  return takeSession((await request<Session>('PUT', `${V1}/session/org`, { ...S, body: { org_id: orgId } })).data);
}

/// 401 here means "the current password is wrong", not "signed out".
export async function changePassword(current: string, next: string): Promise<void> {
  await request('POST', `${V1}/password`, { body: { current_password: current, new_password: next } });
}

// ---- organization routes -------------------------------------------------------------------

/// The organization JSON nests branding ({branding: {logo_url, primary_color, accent_color}},
/// http/json/organization_json.cpp); flat fields are accepted too.
function toOrganization(raw: Record<string, unknown>): Organization {
  const b = (raw.branding && typeof raw.branding === 'object' ? raw.branding : raw) as Record<string, unknown>;
  const s = (v: unknown, d = '') => (typeof v === 'string' ? v : d);
  return {
    id: s(raw.id),
    name: s(raw.name),
    slug: s(raw.slug),
    time_zone: s(raw.time_zone, 'UTC'),
    logo_url: typeof b.logo_url === 'string' ? b.logo_url : null,
    primary_color: s(b.primary_color, '#1f4b99'),
    accent_color: s(b.accent_color, '#f2a541'),
    status: typeof raw.status === 'string' ? raw.status : undefined,
    version: typeof raw.version === 'number' ? raw.version : undefined,
  };
}

function etagOf(headers: Headers, org: Organization): string | null {
  return headers.get('ETag') ?? (org.version !== undefined ? `"v${org.version}"` : null);
}

export async function getOrganization(orgId: string, signal?: AbortSignal) {
  const res = await request<Record<string, unknown>>('GET', orgPath(orgId), { ...S, signal });
  const org = toOrganization(res.data);
  return { org, etag: etagOf(res.headers, org) };
}

/// The PATCH body as parse_org_patch reads it: branding fields nested under "branding".
export function toOrgPatchBody(p: OrgSettingsPatch): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (p.name !== undefined) body.name = p.name;
  if (p.time_zone !== undefined) body.time_zone = p.time_zone;
  const branding: Record<string, unknown> = {};
  if (p.logo_url !== undefined) branding.logo_url = p.logo_url;
  if (p.primary_color !== undefined) branding.primary_color = p.primary_color;
  if (p.accent_color !== undefined) branding.accent_color = p.accent_color;
  if (Object.keys(branding).length) body.branding = branding;
  return body;
}

export async function updateOrganization(orgId: string, patch: OrgSettingsPatch, etag: string | null) {
  const headers: Record<string, string> = {};
  if (etag) headers['If-Match'] = etag;
  const res = await request<Record<string, unknown>>('PATCH', orgPath(orgId), {
    ...S,
    headers,
    body: toOrgPatchBody(patch),
  });
  const org = toOrganization(res.data);
  return { org, etag: etagOf(res.headers, org) };
}

export async function listMembers(orgId: string, signal?: AbortSignal): Promise<Member[]> {
  const res = await request<{ members?: Member[] }>('GET', orgPath(orgId, '/members'), { ...S, signal });
  return res.data?.members ?? [];
}

export async function changeMemberRole(orgId: string, userId: string, role: string): Promise<Member> {
  const res = await request<Member | { member: Member }>('PATCH', orgPath(orgId, `/members/${encodeURIComponent(userId)}`), {
    ...S,
    body: { role },
  });
  const d = res.data as Record<string, unknown>;
  return (d && typeof d.member === 'object' ? d.member : d) as Member;
}

export async function removeMember(orgId: string, userId: string): Promise<void> {
  await request('DELETE', orgPath(orgId, `/members/${encodeURIComponent(userId)}`), S);
}

function unwrap<T>(d: unknown, key: string): T {
  const o = d as Record<string, unknown>;
  return (o && typeof o[key] === 'object' && o[key] !== null ? o[key] : o) as T;
}

export async function listInvitations(orgId: string, signal?: AbortSignal): Promise<TeamInvitation[]> {
  const res = await request<{ invitations?: TeamInvitation[] }>('GET', orgPath(orgId, '/team-invitations'), { ...S, signal });
  return res.data?.invitations ?? [];
}

export async function createInvitation(orgId: string, email: string, role: string): Promise<TeamInvitation> {
  const res = await request('POST', orgPath(orgId, '/team-invitations'), { ...S, body: { email, role } });
  return unwrap<TeamInvitation>(res.data, 'invitation');
}

export async function resendInvitation(orgId: string, id: string): Promise<TeamInvitation> {
  const res = await request('POST', orgPath(orgId, `/team-invitations/${encodeURIComponent(id)}/resend`), S);
  return unwrap<TeamInvitation>(res.data, 'invitation');
}

export async function revokeInvitation(orgId: string, id: string): Promise<void> {
  await request('DELETE', orgPath(orgId, `/team-invitations/${encodeURIComponent(id)}`), S);
}

export async function listApiKeys(orgId: string, signal?: AbortSignal): Promise<ApiKey[]> {
  const res = await request<{ api_keys?: ApiKey[] }>('GET', orgPath(orgId, '/api-keys'), { ...S, signal });
  return res.data?.api_keys ?? [];
}

export async function createApiKey(
  orgId: string,
  input: { name: string; role: string; expires_at?: string },
): Promise<{ api_key: ApiKey; secret: string }> {
  const res = await request<{ api_key: ApiKey; secret: string }>('POST', orgPath(orgId, '/api-keys'), { ...S, body: input });
  return res.data;
}

export async function revokeApiKey(orgId: string, id: string): Promise<void> {
  await request('DELETE', orgPath(orgId, `/api-keys/${encodeURIComponent(id)}`), S);
}

function toSso(d: Record<string, unknown>): SsoSettings {
  return {
    enabled: d.enabled === true,
    issuer: typeof d.issuer === 'string' ? d.issuer : '',
    client_id: typeof d.client_id === 'string' ? d.client_id : '',
    client_secret_set: d.client_secret_set === true,
    allowed_domains: Array.isArray(d.allowed_domains) ? d.allowed_domains.filter((x) => typeof x === 'string') : [],
    default_role: typeof d.default_role === 'string' ? d.default_role : 'viewer',
    sso_required: d.sso_required === true,
  };
}

export async function getSso(orgId: string, signal?: AbortSignal): Promise<SsoSettings> {
  const res = await request<Record<string, unknown>>('GET', orgPath(orgId, '/sso'), { ...S, signal });
  return toSso(res.data ?? {});
}

export async function putSso(orgId: string, s: SsoUpdate): Promise<SsoSettings> {
  const res = await request<Record<string, unknown>>('PUT', orgPath(orgId, '/sso'), { ...S, body: s });
  return toSso(res.data ?? {});
}

export async function listAudit(
  orgId: string,
  filters: AuditFilters,
  cursor?: string | null,
  signal?: AbortSignal,
): Promise<AuditPage> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
  if (cursor) q.set('cursor', cursor);
  const qs = q.toString();
  const res = await request<Record<string, unknown>>('GET', orgPath(orgId, `/audit${qs ? `?${qs}` : ''}`), {
    ...S,
    signal,
  });
  const d = res.data ?? {};
  // The contract says "entries"; the first audit route answered "items". Read either.
  const list = (Array.isArray(d.entries) ? d.entries : Array.isArray(d.items) ? d.items : []) as AuditEntry[];
  return { entries: list, next_cursor: typeof d.next_cursor === 'string' && d.next_cursor ? d.next_cursor : null };
}

export async function listMailbox(orgId: string, signal?: AbortSignal): Promise<Mail[]> {
  const res = await request<{ messages?: Mail[] }>('GET', orgPath(orgId, '/dev-mailbox?limit=100'), { ...S, signal });
  return res.data?.messages ?? [];
}
