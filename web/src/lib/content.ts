/// Typed calls of the interview-content API (issue 5, http/API.md "Interview content"): the
/// question and challenge library with versions and review, skills, job interview templates,
/// proposals generated from a job's description, and the per-organization LLM settings. JSON
/// field names are those of actors/domain/content_service.hpp; item and template bodies are the
/// shapes documented in actors/domain/content.hpp. Every call goes through lib/http.ts (CSRF,
/// problem+json). Parsing is lenient: optional fields may be null or absent.

import { ProblemError, request } from './http';

// ---- enums (copies of actors/domain/content.hpp) -------------------------------------------

export const KINDS = ['behavioral', 'technical', 'system_design', 'coding'] as const;
export const KIND_LABELS: Record<string, string> = {
  behavioral: 'Behavioral',
  technical: 'Technical',
  system_design: 'System design',
  coding: 'Coding challenge',
};
export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export const SENIORITIES = ['intern', 'junior', 'mid', 'senior', 'staff_plus'] as const;
export const SENIORITY_LABELS: Record<string, string> = {
  intern: 'Intern',
  junior: 'Junior',
  mid: 'Mid',
  senior: 'Senior',
  staff_plus: 'Staff+',
};
export const CATEGORIES = ['engineering', 'data', 'product', 'design', 'sales', 'support', 'marketing', 'operations'] as const;
export const LANGUAGES = ['python', 'javascript', 'typescript', 'java', 'go', 'cpp', 'csharp', 'ruby', 'rust', 'kotlin', 'swift', 'sql'] as const;
export const TEST_IO = ['stdin_stdout', 'json'] as const;

export const ITEM_STATES = ['draft', 'in_review', 'changes_requested', 'approved', 'archived'] as const;
export const ITEM_STATE_LABELS: Record<string, string> = {
  draft: 'Draft',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  archived: 'Archived',
};
export const TEMPLATE_STATE_LABELS: Record<string, string> = {
  draft: 'Draft',
  pending_approval: 'Pending approval',
  approved: 'Approved',
  superseded: 'Superseded',
};

export function stateBadge(state: string): string {
  switch (state) {
    case 'approved':
      return 'badge badge--ok';
    case 'in_review':
    case 'pending_approval':
      return 'badge badge--info';
    case 'changes_requested':
      return 'badge badge--warn';
    case 'archived':
    case 'superseded':
      return 'badge badge--muted';
    default:
      return 'badge badge--muted';
  }
}

export function label(map: Record<string, string>, v: string): string {
  return map[v] ?? v;
}

// ---- shapes -------------------------------------------------------------------------------

export interface TestCase {
  name: string;
  input: string;
  expected_output: string;
  visible: boolean;
  weight: number;
}

export interface CodingSpec {
  io: string;
  languages: string[];
  starter_code: Record<string, string>;
  test_cases: TestCase[];
}

export interface Rubric {
  strong: string;
  acceptable: string;
  weak: string;
}

export interface ItemBody {
  kind: string;
  title: string;
  prompt: string;
  rubric: Rubric;
  expected_minutes: number;
  difficulty: string;
  skills: string[];
  seniorities: string[];
  categories: string[];
  coding?: CodingSpec;
}

export interface ItemVersion {
  number: number;
  state: string;
  body: ItemBody;
  author_id: string;
  author_name: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  origin: string;
  created_at: string;
  updated_at: string;
}

export interface ItemView {
  id: string;
  job_id: string | null;
  variant_of: string | null;
  latest: ItemVersion;
  approved_version: number | null;
  versions: { number: number; state: string }[];
  version: number;
}

export interface ItemSummary {
  id: string;
  latest_version: number;
  approved_version: number | null;
  state: string;
  kind: string;
  title: string;
  difficulty: string;
  expected_minutes: number;
  skills: string[];
  seniorities: string[];
  categories: string[];
  author_id: string;
  author_name: string;
  job_id: string | null;
  origin: string;
  updated_at: string;
  version: number;
}

export interface ItemFilter {
  q?: string;
  skill?: string;
  seniority?: string;
  category?: string;
  kind?: string;
  state?: string;
  author?: string;
  job_id?: string;
  include_archived?: boolean;
  limit?: number;
  cursor?: string | null;
}

export interface ItemPage {
  items: ItemSummary[];
  next_cursor: string | null;
  total: number | null;
}

export interface Comment {
  id: number;
  item_version: number;
  author_id: string;
  author_name: string;
  text: string;
  created_at: string;
}

export interface Skill {
  slug: string;
  label: string;
  synonyms: string[];
  category: string;
  custom: boolean;
}

export interface ImportResult {
  created: number;
  skipped: number;
  item_ids: string[];
}

export interface TemplateEntry {
  item_id: string;
  item_version: number;
  time_limit_minutes: number;
  weight: number;
  /** Display only (from the server's entry view). */
  item_state?: string;
  body?: ItemBody | null;
  candidate?: CandidateItem | null;
}

export interface TemplateSection {
  title: string;
  items: TemplateEntry[];
}

export interface TemplateVersion {
  number: number;
  state: string;
  instructions: string;
  sections: TemplateSection[];
  total_minutes: number;
  blocking: string[];
  saved_by: string;
  submitted_by: string | null;
  approved_by: string | null;
  approved_at: string | null;
  updated_at: string;
}

export interface TemplateView {
  id: string;
  job_id: string;
  latest: TemplateVersion;
  approved_version: number | null;
  approved_version_id: string | null;
  versions: { number: number; state: string }[];
  version: number;
}

export interface TemplateBody {
  instructions: string;
  sections: { title: string; items: { item_id: string; item_version: number; time_limit_minutes: number; weight: number }[] }[];
}

/// What a candidate sees of an item (domain::candidate_view): no rubric, no hidden tests.
export interface CandidateItem {
  kind: string;
  title: string;
  prompt: string;
  expected_minutes: number;
  coding?: {
    io: string;
    languages: string[];
    starter_code: Record<string, string>;
    test_cases: { name: string; input: string; expected_output: string }[];
    hidden_test_count: number;
  };
}

export interface ProposalSkill {
  slug: string;
  label: string;
  mentions: number;
  required: boolean;
  evidence: string[];
}

export interface ProposalEntry {
  source: 'library' | 'generated';
  item_id?: string;
  item_version?: number;
  generated_index?: number;
  section: string;
  time_limit_minutes: number;
  weight: number;
  covers: string[];
  body: ItemBody | null;
}

export interface ProposalGenerated {
  body: ItemBody;
  origin: string;
  rule: string;
}

export interface CoverageRow {
  skill: string;
  label: string;
  required: boolean;
  covered: boolean;
  by: string[];
}

export interface Proposal {
  profile: { skills: ProposalSkill[]; seniority: string; years: number | null; category: string; level_reason: string };
  entries: ProposalEntry[];
  generated: ProposalGenerated[];
  coverage: CoverageRow[];
  total_minutes: number;
  llm: { used: boolean; model: string | null; dropped: { title: string; reasons: string[] }[] };
}

export interface ApplyEntryLibrary {
  item_id: string;
  item_version: number;
  time_limit_minutes: number;
  weight: number;
}
export interface ApplyEntryGenerated {
  generated: ItemBody;
  origin: string;
  rule: string;
  time_limit_minutes: number;
  weight: number;
}
export interface ProposalApplyBody {
  instructions: string;
  submit_generated: boolean;
  sections: { title: string; items: (ApplyEntryLibrary | ApplyEntryGenerated)[] }[];
}

export interface LlmSettings {
  enabled: boolean;
  base_url: string;
  model: string;
  has_api_key: boolean;
  timeout_seconds: number;
  version: number;
}

export interface LlmSettingsPatch {
  enabled?: boolean;
  base_url?: string;
  model?: string;
  api_key?: string;
  timeout_seconds?: number;
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
function listOf(d: unknown, ...keys: string[]): unknown[] {
  if (Array.isArray(d)) return d;
  const o = obj(d);
  for (const k of keys) if (Array.isArray(o[k])) return o[k] as unknown[];
  return [];
}

/// An item body as the server sent it (missing parts filled with empty values).
export function toBody(raw: unknown): ItemBody {
  const o = obj(raw);
  const r = obj(o.rubric);
  const body: ItemBody = {
    kind: str(o.kind, 'technical'),
    title: str(o.title),
    prompt: str(o.prompt),
    rubric: { strong: str(r.strong), acceptable: str(r.acceptable), weak: str(r.weak) },
    expected_minutes: num(o.expected_minutes, 10),
    difficulty: str(o.difficulty, 'medium'),
    skills: strList(o.skills),
    seniorities: strList(o.seniorities),
    categories: strList(o.categories),
  };
  if (o.coding && typeof o.coding === 'object') {
    const c = obj(o.coding);
    const sc = obj(c.starter_code);
    body.coding = {
      io: str(c.io, 'stdin_stdout'),
      languages: strList(c.languages),
      starter_code: Object.fromEntries(Object.entries(sc).map(([k, v]) => [k, str(v)])),
      test_cases: listOf(c.test_cases).map((t) => {
        const x = obj(t);
        return { name: str(x.name), input: str(x.input), expected_output: str(x.expected_output), visible: x.visible !== false, weight: num(x.weight, 1) };
      }),
    };
  }
  return body;
}

/// The versions list: [[n, state], ...] or [{number, state}, ...].
function toVersions(v: unknown): { number: number; state: string }[] {
  return listOf(v).map((x) => (Array.isArray(x) ? { number: num(x[0]), state: str(x[1]) } : { number: num(obj(x).number), state: str(obj(x).state) }));
}

export function toItemVersion(raw: unknown): ItemVersion {
  const o = obj(raw);
  return {
    number: num(o.number, 1),
    state: str(o.state),
    body: toBody(o.body),
    author_id: str(o.author_id),
    author_name: str(o.author_name),
    reviewed_by: optStr(o.reviewed_by),
    reviewed_at: optStr(o.reviewed_at),
    origin: str(o.origin),
    created_at: str(o.created_at),
    updated_at: str(o.updated_at),
  };
}

export function toItemView(raw: unknown): ItemView {
  const o = obj(obj(raw).item ?? raw);
  return {
    id: str(o.id),
    job_id: optStr(o.job_id),
    variant_of: optStr(o.variant_of),
    latest: toItemVersion(o.latest),
    approved_version: optNum(o.approved_version),
    versions: toVersions(o.versions),
    version: num(o.version, 1),
  };
}

export function toItemSummary(raw: unknown): ItemSummary {
  const o = obj(raw);
  return {
    id: str(o.id),
    latest_version: num(o.latest_version, 1),
    approved_version: optNum(o.approved_version),
    state: str(o.state),
    kind: str(o.kind),
    title: str(o.title),
    difficulty: str(o.difficulty),
    expected_minutes: num(o.expected_minutes),
    skills: strList(o.skills),
    seniorities: strList(o.seniorities),
    categories: strList(o.categories),
    author_id: str(o.author_id),
    author_name: str(o.author_name),
    job_id: optStr(o.job_id),
    origin: str(o.origin),
    updated_at: str(o.updated_at),
    version: num(o.version, 1),
  };
}

function toCandidate(raw: unknown): CandidateItem | null {
  if (!raw || typeof raw !== 'object') return null;
  const o = obj(raw);
  const out: CandidateItem = { kind: str(o.kind), title: str(o.title), prompt: str(o.prompt), expected_minutes: num(o.expected_minutes) };
  if (o.coding && typeof o.coding === 'object') {
    const c = obj(o.coding);
    const tests = listOf(c.test_cases ?? c.visible_test_cases).map((t) => ({ name: str(obj(t).name), input: str(obj(t).input), expected_output: str(obj(t).expected_output) }));
    out.coding = {
      io: str(c.io),
      languages: strList(c.languages),
      starter_code: Object.fromEntries(Object.entries(obj(c.starter_code)).map(([k, v]) => [k, str(v)])),
      test_cases: tests,
      hidden_test_count: num(c.hidden_test_count ?? c.hidden_tests ?? c.hidden_count),
    };
  }
  return out;
}

/// What a candidate sees of a body, computed locally (mirrors domain::candidate_view): no
/// rubric, visible test cases only (without weights), the number of hidden ones.
export function candidateView(b: ItemBody): CandidateItem {
  const out: CandidateItem = { kind: b.kind, title: b.title, prompt: b.prompt, expected_minutes: b.expected_minutes };
  if (b.coding) {
    out.coding = {
      io: b.coding.io,
      languages: [...b.coding.languages],
      starter_code: { ...b.coding.starter_code },
      test_cases: b.coding.test_cases.filter((t) => t.visible).map((t) => ({ name: t.name, input: t.input, expected_output: t.expected_output })),
      hidden_test_count: b.coding.test_cases.filter((t) => !t.visible).length,
    };
  }
  return out;
}

function toTemplateVersion(raw: unknown): TemplateVersion {
  const o = obj(raw);
  return {
    number: num(o.number, 1),
    state: str(o.state, 'draft'),
    instructions: str(o.instructions),
    sections: listOf(o.sections).map((s) => {
      const so = obj(s);
      return {
        title: str(so.title),
        items: listOf(so.items).map((e) => {
          const eo = obj(e);
          const body = eo.body && typeof eo.body === 'object' ? toBody(eo.body) : null;
          return {
            item_id: str(eo.item_id),
            item_version: num(eo.item_version, 1),
            time_limit_minutes: num(eo.time_limit_minutes, 10),
            weight: num(eo.weight, 1),
            item_state: str(eo.item_state),
            body,
            candidate: toCandidate(eo.candidate) ?? (body ? candidateView(body) : null),
          };
        }),
      };
    }),
    total_minutes: num(o.total_minutes),
    blocking: strList(o.blocking),
    saved_by: str(o.saved_by),
    submitted_by: optStr(o.submitted_by),
    approved_by: optStr(o.approved_by),
    approved_at: optStr(o.approved_at),
    updated_at: str(o.updated_at),
  };
}

export function toTemplateView(raw: unknown): TemplateView {
  const o = obj(obj(raw).template ?? raw);
  return {
    id: str(o.id),
    job_id: str(o.job_id),
    latest: toTemplateVersion(o.latest),
    approved_version: optNum(o.approved_version),
    approved_version_id: optStr(o.approved_version_id),
    versions: toVersions(o.versions),
    version: num(o.version, 1),
  };
}

export function toProposal(raw: unknown): Proposal {
  const o = obj(obj(raw).proposal ?? raw);
  const p = obj(o.profile);
  const l = obj(o.llm);
  return {
    profile: {
      skills: listOf(p.skills).map((s) => {
        const so = obj(s);
        return { slug: str(so.slug), label: str(so.label, str(so.slug)), mentions: num(so.mentions), required: so.required === true, evidence: strList(so.evidence) };
      }),
      seniority: str(p.seniority),
      years: optNum(p.years),
      category: str(p.category),
      level_reason: str(p.level_reason),
    },
    entries: listOf(o.entries).map((e) => {
      const eo = obj(e);
      return {
        source: eo.source === 'generated' ? 'generated' : 'library',
        item_id: optStr(eo.item_id) ?? undefined,
        item_version: optNum(eo.item_version) ?? undefined,
        generated_index: optNum(eo.generated_index) ?? undefined,
        section: str(eo.section, 'Interview'),
        time_limit_minutes: num(eo.time_limit_minutes, 10),
        weight: num(eo.weight, 1),
        covers: strList(eo.covers),
        body: eo.body && typeof eo.body === 'object' ? toBody(eo.body) : null,
      };
    }),
    generated: listOf(o.generated).map((g) => {
      const go = obj(g);
      return { body: toBody(go.body), origin: str(go.origin), rule: str(go.rule) };
    }),
    coverage: listOf(o.coverage).map((c) => {
      const co = obj(c);
      return { skill: str(co.skill), label: str(co.label, str(co.skill)), required: co.required === true, covered: co.covered === true, by: listOf(co.by).map((b) => (typeof b === 'string' ? b : str(obj(b).title, str(obj(b).item_id)))) };
    }),
    total_minutes: num(o.total_minutes),
    llm: {
      used: l.used === true,
      model: optStr(l.model),
      dropped: listOf(l.dropped).map((d) => ({ title: str(obj(d).title), reasons: strList(obj(d).reasons) })),
    },
  };
}

export function toLlmSettings(raw: unknown): LlmSettings {
  const o = obj(obj(raw).settings ?? raw);
  return {
    enabled: o.enabled === true,
    base_url: str(o.base_url),
    model: str(o.model),
    has_api_key: o.has_api_key === true,
    timeout_seconds: num(o.timeout_seconds, 30),
    version: num(o.version, 1),
  };
}

// ---- validation (a copy of the rules of domain::parse_item_body; the server decides) -------

export interface FieldProblem {
  path: string;
  message: string;
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const SKILL_SLUG = /^[a-z0-9][a-z0-9+#.-]{0,49}$/;

function len(s: string): number {
  return [...s].length;
}

function checkText(out: FieldProblem[], path: string, v: string, min: number, max: number, noControl = false) {
  const n = len(v);
  if (n < min || n > max) out.push({ path, message: min > 0 ? `must be ${min}..${max} characters` : `must be at most ${max} characters` });
  else if (noControl && CONTROL.test(v)) out.push({ path, message: 'must not contain control characters' });
}

/// Multi-line text (prompt, rubric, starter code): no control characters but tab and newlines.
const CONTROL_MULTILINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function checkBlock(out: FieldProblem[], path: string, v: string, min: number, max: number) {
  const before = out.length;
  checkText(out, path, v, min, max);
  if (out.length > before) return;
  if (min > 0 && v.trim() === '') out.push({ path, message: 'must not be blank' });
  else if (CONTROL_MULTILINE.test(v)) out.push({ path, message: 'must not contain control characters' });
}

function checkInt(out: FieldProblem[], path: string, v: number, min: number, max: number) {
  if (!Number.isInteger(v) || v < min || v > max) out.push({ path, message: `must be a whole number ${min}..${max}` });
}

function checkList(out: FieldProblem[], path: string, v: string[], allowed: readonly string[] | null, min: number, max: number) {
  if (v.length < min || v.length > max) out.push({ path, message: `choose ${min}..${max}` });
  const seen = new Set<string>();
  v.forEach((x, i) => {
    if (allowed && !allowed.includes(x)) out.push({ path: `${path}/${i}`, message: `unknown value "${x}"` });
    if (seen.has(x)) out.push({ path: `${path}/${i}`, message: `"${x}" is listed twice` });
    seen.add(x);
  });
}

/// Every problem of a body (same paths as the server: "/title", "/coding/test_cases/2/input").
export function validateItemBody(b: ItemBody): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (!(KINDS as readonly string[]).includes(b.kind)) out.push({ path: '/kind', message: 'unknown kind' });
  checkText(out, '/title', b.title, 1, 200, true);
  if (b.title.trim() === '' && len(b.title) > 0) out.push({ path: '/title', message: 'must not be blank' });
  checkBlock(out, '/prompt', b.prompt, 1, 20000);
  checkBlock(out, '/rubric/strong', b.rubric.strong, 1, 5000);
  checkBlock(out, '/rubric/acceptable', b.rubric.acceptable, 1, 5000);
  checkBlock(out, '/rubric/weak', b.rubric.weak, 1, 5000);
  checkInt(out, '/expected_minutes', b.expected_minutes, 1, 240);
  if (!(DIFFICULTIES as readonly string[]).includes(b.difficulty)) out.push({ path: '/difficulty', message: 'must be easy, medium or hard' });
  checkList(out, '/skills', b.skills, null, 1, 20);
  b.skills.forEach((s, i) => {
    if (!SKILL_SLUG.test(s)) out.push({ path: `/skills/${i}`, message: `"${s}" is not a skill name (lower-case letters, digits, + # . -)` });
  });
  checkList(out, '/seniorities', b.seniorities, SENIORITIES, 1, 5);
  checkList(out, '/categories', b.categories, CATEGORIES, 1, 4);
  if (b.kind === 'coding') {
    if (!b.coding) out.push({ path: '/coding', message: 'a coding challenge needs languages and test cases' });
    else validateCoding(out, b.coding);
  } else if (b.coding) {
    out.push({ path: '/coding', message: 'only coding challenges have a coding part' });
  }
  return out;
}

function validateCoding(out: FieldProblem[], c: CodingSpec) {
  if (!(TEST_IO as readonly string[]).includes(c.io)) out.push({ path: '/coding/io', message: 'must be stdin_stdout or json' });
  checkList(out, '/coding/languages', c.languages, LANGUAGES, 1, 12);
  for (const [lang, code] of Object.entries(c.starter_code)) {
    if (!c.languages.includes(lang)) out.push({ path: `/coding/starter_code/${lang}`, message: `${lang} is not an allowed language` });
    checkBlock(out, `/coding/starter_code/${lang}`, code, 0, 20000);
  }
  const tc = c.test_cases;
  if (tc.length < 1 || tc.length > 50) out.push({ path: '/coding/test_cases', message: 'needs 1..50 test cases' });
  else {
    if (!tc.some((t) => t.visible)) out.push({ path: '/coding/test_cases', message: 'needs at least one visible test case' });
    if (!tc.some((t) => !t.visible)) out.push({ path: '/coding/test_cases', message: 'needs at least one hidden test case' });
  }
  const names = new Set<string>();
  tc.forEach((t, i) => {
    const p = `/coding/test_cases/${i}`;
    checkText(out, `${p}/name`, t.name, 1, 100, true);
    if (len(t.name) > 0 && t.name.trim() === '') out.push({ path: `${p}/name`, message: 'must not be blank' });
    if (names.has(t.name)) out.push({ path: `${p}/name`, message: `the name "${t.name}" is used twice` });
    names.add(t.name);
    checkText(out, `${p}/input`, t.input, 0, 100000);
    checkText(out, `${p}/expected_output`, t.expected_output, 0, 100000);
    checkInt(out, `${p}/weight`, t.weight, 1, 100);
    if (c.io === 'json') {
      for (const f of ['input', 'expected_output'] as const) {
        try {
          JSON.parse(t[f]);
        } catch {
          out.push({ path: `${p}/${f}`, message: 'is not valid JSON' });
        }
      }
    }
  });
}

/// The body to send: the coding part only for coding challenges; starter code only for allowed
/// languages and non-empty.
export function cleanBody(b: ItemBody): ItemBody {
  const out: ItemBody = {
    kind: b.kind,
    title: b.title,
    prompt: b.prompt,
    rubric: { ...b.rubric },
    expected_minutes: b.expected_minutes,
    difficulty: b.difficulty,
    skills: b.skills,
    seniorities: b.seniorities,
    categories: b.categories,
  };
  if (b.kind === 'coding' && b.coding) {
    out.coding = {
      io: b.coding.io,
      languages: b.coding.languages,
      starter_code: Object.fromEntries(Object.entries(b.coding.starter_code).filter(([k, v]) => b.coding!.languages.includes(k) && v !== '')),
      test_cases: b.coding.test_cases.map((t) => ({ ...t })),
    };
  }
  return out;
}

export function emptyBody(kind = 'technical'): ItemBody {
  const b: ItemBody = {
    kind,
    title: '',
    prompt: '',
    rubric: { strong: '', acceptable: '', weak: '' },
    expected_minutes: 15,
    difficulty: 'medium',
    skills: [],
    seniorities: ['mid'],
    categories: ['engineering'],
  };
  if (kind === 'coding') b.coding = emptyCoding();
  return b;
}

export function emptyCoding(): CodingSpec {
  return {
    io: 'stdin_stdout',
    languages: ['python'],
    starter_code: {},
    test_cases: [
      { name: 'example', input: '', expected_output: '', visible: true, weight: 1 },
      { name: 'hidden 1', input: '', expected_output: '', visible: false, weight: 1 },
    ],
  };
}

/// The field problems in a 422 answer: its `detail` ("path: message; path: message", from
/// domain::describe) split into parts. Empty when it is not a validation problem.
export function problemsOf(e: unknown): FieldProblem[] {
  if (!(e instanceof ProblemError) || e.status !== 422) return [];
  return parseProblemDetail(e.detail ?? '');
}

function normPath(p: string): string {
  if (!p) return '';
  return p.startsWith('/') ? p : `/${p}`;
}

/// "title: must be 1..200 characters; /coding/test_cases/2/input: is not valid JSON" -> problems.
/// A part without a recognizable path is kept with path "".
export function parseProblemDetail(detail: string): FieldProblem[] {
  if (!detail) return [];
  const body = detail.replace(/^[^:;]*invalid[^:;]*:\s*(?=\/?[a-z_]+[/:])/i, '');
  return body
    .split(/;\s+/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^(\/?[a-z_][a-z0-9_]*(?:\/[A-Za-z0-9_+#.-]+)*):\s*(.+)$/.exec(part);
      // describe() names the body itself "body".
      return m ? { path: m[1] === 'body' ? '' : normPath(m[1]), message: m[2] } : { path: '', message: part };
    });
}

/// Problems at `path` or below it ("/coding/test_cases" also shows "/coding/test_cases/1/name"
/// only when `deep`).
export function problemsAt(list: FieldProblem[], path: string, deep = false): FieldProblem[] {
  return list.filter((p) => p.path === path || (deep && p.path.startsWith(path + '/')));
}

// ---- diff input ----------------------------------------------------------------------------

/// A body as ordered (label, text) fields for the review diff.
export function bodyFields(b: ItemBody): [string, string][] {
  const f: [string, string][] = [
    ['Title', b.title],
    ['Kind', label(KIND_LABELS, b.kind)],
    ['Prompt', b.prompt],
    ['Rubric: strong', b.rubric.strong],
    ['Rubric: acceptable', b.rubric.acceptable],
    ['Rubric: weak', b.rubric.weak],
    ['Expected minutes', String(b.expected_minutes)],
    ['Difficulty', b.difficulty],
    ['Skills', b.skills.join(', ')],
    ['Seniorities', b.seniorities.map((s) => label(SENIORITY_LABELS, s)).join(', ')],
    ['Categories', b.categories.join(', ')],
  ];
  if (b.coding) {
    f.push(['Input format', b.coding.io]);
    f.push(['Languages', b.coding.languages.join(', ')]);
    for (const lang of Object.keys(b.coding.starter_code).sort()) f.push([`Starter code (${lang})`, b.coding.starter_code[lang]]);
    f.push([
      'Test cases',
      b.coding.test_cases
        .map((t) => `${t.name} [${t.visible ? 'visible' : 'hidden'}, weight ${t.weight}]\n  input: ${t.input.replace(/\n/g, '\\n')}\n  expected: ${t.expected_output.replace(/\n/g, '\\n')}`)
        .join('\n'),
    ]);
  }
  return f;
}

// ---- calls ---------------------------------------------------------------------------------

const S = { sessionRequired: true } as const;

function orgPath(orgId: string, rest: string): string {
  return `/api/v1/orgs/${encodeURIComponent(orgId)}${rest}`;
}
function itemPath(orgId: string, id: string, rest = ''): string {
  return orgPath(orgId, `/content/items/${encodeURIComponent(id)}${rest}`);
}
function templatePath(orgId: string, jobId: string, rest = ''): string {
  return orgPath(orgId, `/jobs/${encodeURIComponent(jobId)}/template${rest}`);
}
function ifMatch(version: number | null | undefined): Record<string, string> {
  return version === null || version === undefined ? {} : { 'If-Match': `"v${version}"` };
}

/// The query string of GET content/items: only the filters that are set, in a fixed order.
export function itemsQuery(f: ItemFilter): string {
  const q = new URLSearchParams();
  if (f.q && f.q.trim()) q.set('q', f.q.trim());
  for (const k of ['kind', 'skill', 'seniority', 'category', 'state', 'author', 'job_id'] as const) {
    const v = f[k];
    if (v) q.set(k, v);
  }
  if (f.include_archived) q.set('include_archived', 'true');
  if (f.limit) q.set('limit', String(f.limit));
  if (f.cursor) q.set('cursor', f.cursor);
  return q.toString();
}

export async function listItems(orgId: string, f: ItemFilter, signal?: AbortSignal): Promise<ItemPage> {
  const qs = itemsQuery(f);
  const res = await request('GET', orgPath(orgId, `/content/items${qs ? `?${qs}` : ''}`), { ...S, signal });
  const o = obj(res.data);
  return { items: listOf(res.data, 'items').map(toItemSummary), next_cursor: optStr(o.next_cursor), total: optNum(o.total) };
}

export async function getItem(orgId: string, id: string, version?: number | null, signal?: AbortSignal): Promise<ItemView> {
  const qs = version ? `?version=${version}` : '';
  const res = await request('GET', itemPath(orgId, id, qs), { ...S, signal });
  return toItemView(res.data);
}

export async function createItem(orgId: string, body: ItemBody): Promise<ItemView> {
  const res = await request('POST', orgPath(orgId, '/content/items'), { ...S, body: cleanBody(body) });
  return toItemView(res.data);
}

export async function updateItem(orgId: string, id: string, body: ItemBody, version?: number): Promise<ItemView> {
  const res = await request('PATCH', itemPath(orgId, id), { ...S, body: cleanBody(body), headers: ifMatch(version) });
  return toItemView(res.data);
}

export async function transitionItem(orgId: string, id: string, event: string, comment?: string, version?: number): Promise<ItemView> {
  const body: Record<string, string> = { event };
  if (comment && comment.trim()) body.comment = comment.trim();
  const res = await request('POST', itemPath(orgId, id, '/transitions'), { ...S, body, headers: ifMatch(version) });
  return toItemView(res.data);
}

export async function listComments(orgId: string, id: string, signal?: AbortSignal): Promise<Comment[]> {
  const res = await request('GET', itemPath(orgId, id, '/comments'), { ...S, signal });
  return listOf(res.data, 'comments', 'items').map((raw) => {
    const o = obj(raw);
    return { id: num(o.id), item_version: num(o.item_version, 1), author_id: str(o.author_id), author_name: str(o.author_name), text: str(o.text), created_at: str(o.created_at) };
  });
}

export async function addComment(orgId: string, id: string, text: string): Promise<void> {
  await request('POST', itemPath(orgId, id, '/comments'), { ...S, body: { text } });
}

export async function createVariant(orgId: string, id: string, fromVersion: number, jobId: string, body: ItemBody): Promise<ItemView> {
  const res = await request('POST', itemPath(orgId, id, '/variants'), { ...S, body: { from_version: fromVersion, job_id: jobId, body: cleanBody(body) } });
  return toItemView(res.data);
}

function toImportResult(raw: unknown): ImportResult {
  const o = obj(raw);
  return { created: num(o.created), skipped: num(o.skipped), item_ids: strList(o.item_ids) };
}

export async function loadStarterLibrary(orgId: string): Promise<ImportResult> {
  const res = await request('POST', orgPath(orgId, '/content/library/starter'), S);
  return toImportResult(res.data);
}

export async function exportLibrary(orgId: string): Promise<unknown> {
  const res = await request('GET', orgPath(orgId, '/content/library/export'), S);
  return res.data;
}

export async function importLibrary(orgId: string, doc: unknown): Promise<ImportResult> {
  const res = await request('POST', orgPath(orgId, '/content/library/import'), { ...S, body: doc });
  return toImportResult(res.data);
}

export async function listSkills(orgId: string, signal?: AbortSignal): Promise<Skill[]> {
  const res = await request('GET', orgPath(orgId, '/content/skills'), { ...S, signal });
  return listOf(res.data, 'skills', 'items').map((raw) => {
    const o = obj(raw);
    return { slug: str(o.slug), label: str(o.label, str(o.slug)), synonyms: strList(o.synonyms), category: str(o.category), custom: o.custom === true };
  });
}

export async function addSkill(orgId: string, s: { slug: string; label: string; synonyms: string[]; category: string }): Promise<void> {
  await request('POST', orgPath(orgId, '/content/skills'), { ...S, body: s });
}

/// The job's template, or null when it has none yet (404).
export async function getTemplate(orgId: string, jobId: string, version?: number | null, signal?: AbortSignal): Promise<TemplateView | null> {
  try {
    const res = await request('GET', templatePath(orgId, jobId, version ? `?version=${version}` : ''), { ...S, signal });
    return toTemplateView(res.data);
  } catch (e) {
    if (e instanceof ProblemError && e.status === 404) return null;
    throw e;
  }
}

export async function saveTemplate(orgId: string, jobId: string, body: TemplateBody, version?: number | null): Promise<TemplateView> {
  const res = await request('PUT', templatePath(orgId, jobId), { ...S, body, headers: ifMatch(version) });
  return toTemplateView(res.data);
}

export async function transitionTemplate(orgId: string, jobId: string, event: string, version?: number | null): Promise<TemplateView> {
  const res = await request('POST', templatePath(orgId, jobId, '/transitions'), { ...S, body: { event }, headers: ifMatch(version) });
  return toTemplateView(res.data);
}

export async function proposeTemplate(orgId: string, jobId: string, targetMinutes: number, useLlm: boolean): Promise<Proposal> {
  const res = await request('POST', templatePath(orgId, jobId, '/proposal'), { ...S, body: { target_minutes: targetMinutes, use_llm: useLlm } });
  return toProposal(res.data);
}

export async function applyProposal(orgId: string, jobId: string, body: ProposalApplyBody, version?: number | null): Promise<TemplateView> {
  const res = await request('POST', templatePath(orgId, jobId, '/proposal/apply'), { ...S, body, headers: ifMatch(version) });
  return toTemplateView(res.data);
}

export async function getLlmSettings(orgId: string, signal?: AbortSignal): Promise<LlmSettings> {
  const res = await request('GET', orgPath(orgId, '/content/llm-settings'), { ...S, signal });
  return toLlmSettings(res.data);
}

export async function updateLlmSettings(orgId: string, patch: LlmSettingsPatch, version?: number): Promise<LlmSettings> {
  const res = await request('PATCH', orgPath(orgId, '/content/llm-settings'), { ...S, body: patch, headers: ifMatch(version) });
  return toLlmSettings(res.data);
}

// ---- template helpers ----------------------------------------------------------------------

/// The body to PUT from an editable template (display fields dropped).
export function templateBody(instructions: string, sections: TemplateSection[]): TemplateBody {
  return {
    instructions,
    sections: sections.map((s) => ({
      title: s.title,
      items: s.items.map((e) => ({ item_id: e.item_id, item_version: e.item_version, time_limit_minutes: e.time_limit_minutes, weight: e.weight })),
    })),
  };
}

export function sumMinutes(sections: { items: { time_limit_minutes: number }[] }[]): number {
  return sections.reduce((n, s) => n + s.items.reduce((m, e) => m + (Number.isFinite(e.time_limit_minutes) ? e.time_limit_minutes : 0), 0), 0);
}

/// Client-side checks of a template body (domain::validate_template_body's rules).
export function validateTemplate(instructions: string, sections: TemplateSection[]): string[] {
  const out: string[] = [];
  if (len(instructions) > 10000) out.push('Instructions: at most 10000 characters.');
  if (sections.length < 1 || sections.length > 20) out.push('A template has 1..20 sections.');
  const count = sections.reduce((n, s) => n + s.items.length, 0);
  if (count < 1 || count > 60) out.push('A template has 1..60 questions in all.');
  const seen = new Set<string>();
  sections.forEach((s, i) => {
    if (len(s.title.trim()) < 1 || len(s.title) > 120) out.push(`Section ${i + 1}: the title must be 1..120 characters.`);
    if (s.items.length === 0 && count > 0) out.push(`Section ${i + 1} (“${s.title}”) has no questions: add some or remove it.`);
    s.items.forEach((e) => {
      if (seen.has(e.item_id)) out.push(`"${e.body?.title ?? e.item_id}" is in the template twice.`);
      seen.add(e.item_id);
      if (!Number.isInteger(e.time_limit_minutes) || e.time_limit_minutes < 1 || e.time_limit_minutes > 240)
        out.push(`"${e.body?.title ?? e.item_id}": the time limit must be 1..240 minutes.`);
      if (!Number.isInteger(e.weight) || e.weight < 1 || e.weight > 100) out.push(`"${e.body?.title ?? e.item_id}": the weight must be 1..100.`);
    });
  });
  const total = sumMinutes(sections);
  if (count > 0 && (total < 5 || total > 480)) out.push(`The total time must be 5..480 minutes (now ${total}).`);
  return out;
}

/// Moves element i of a list by delta (-1 up, +1 down); a copy, unchanged at the ends.
export function move<T>(list: T[], i: number, delta: number): T[] {
  const j = i + delta;
  if (i < 0 || i >= list.length || j < 0 || j >= list.length) return list;
  const out = [...list];
  [out[i], out[j]] = [out[j], out[i]];
  return out;
}
