import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
// The C++ posting FSM, read as text: the recruiter rows copied in src/lib/ats.ts must match it.
import fsm from '../../actors/domain/job_posting_fsm.hpp?raw';
import { RECRUITER_EDGES, allowedEvents, groupByStage, jobsQuery, sanitizeVendorHtml, type Application } from '../src/lib/ats';
import { ORG_A, expectCsrf, heading, json, problem, renderSignedIn } from './api_helpers';

const base = `/api/v1/orgs/${ORG_A.id}`;

const STAGES = [
  { id: '30', name: 'Offer', sort_order: 3 },
  { id: '10', name: 'Application Review', sort_order: 0 },
  { id: '20', name: 'Phone Screen', sort_order: 1 },
  { id: '25', name: 'Onsite', sort_order: 2 },
];

function summary(over: Record<string, unknown> = {}) {
  return {
    id: 'j-1',
    connection_id: 'c-1',
    vendor: 'greenhouse',
    external_id: '4001',
    title: 'Backend Engineer',
    ats_status: 'open',
    posting_state: 'imported',
    department: 'Engineering',
    location: 'Berlin',
    applications: 4,
    has_local_edits: false,
    updated_at: '2026-11-26T10:00:00Z',
    ...over,
  };
}

function detail(over: Record<string, unknown> = {}, sum: Record<string, unknown> = {}) {
  return {
    summary: summary(sum),
    description_html: '<p>Build <strong>things</strong>.</p>',
    requirements: 'Go or C++\n5 years',
    opened_at: '2026-11-01T00:00:00Z',
    closed_at: null,
    overridden_fields: [],
    conflicts: [],
    stages: STAGES,
    shortlist_stage_id: null,
    version: 1,
    ...over,
  };
}

function app(id: string, stageId: string, name: [string, string] | null, over: Record<string, unknown> = {}) {
  const stage = STAGES.find((s) => s.id === stageId)!;
  return {
    id: `a-${id}`,
    external_id: id,
    status: 'active',
    stage,
    candidate: {
      id: `cand-${id}`,
      external_id: `c${id}`,
      anonymized: false,
      can_email: true,
      first_name: name ? name[0] : null,
      last_name: name ? name[1] : null,
      email: name ? `${name[0].toLowerCase()}@example.test` : null,
    },
    updated_at: '2026-11-26T10:00:00Z',
    ...over,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('job posting FSM copy', () => {
  it('RECRUITER_EDGES are exactly the recruiter rows of job_posting_table', () => {
    const re = /\{job_posting_state::(\w+),\s*job_posting_event::(\w+),\s*job_posting_state::(\w+),\s*(by_\w+)\}/g;
    const rows = [...fsm.matchAll(re)];
    expect(rows.length).toBeGreaterThan(8);
    const cpp = rows
      .filter((m) => m[4] === 'by_recruiter' || m[4] === 'by_either')
      .map((m) => `${m[1]}-${m[2]}->${m[3]}`)
      .sort();
    expect(RECRUITER_EDGES.map((e) => `${e.from}-${e.event}->${e.to}`).sort()).toEqual(cpp);
  });

  it('the server list of allowed events wins over the local copy', () => {
    expect(allowedEvents({ posting_state: 'imported', allowed_events: null })).toEqual(['claim', 'archive']);
    expect(allowedEvents({ posting_state: 'imported', allowed_events: ['archive'] })).toEqual(['archive']);
    expect(allowedEvents({ posting_state: 'archived', allowed_events: null })).toEqual([]);
  });
});

describe('vendor HTML sanitizer', () => {
  it('strips scripts, event handlers and javascript: links, keeps formatting', () => {
    const dirty =
      '<p onclick="alert(1)">Hi <strong>there</strong></p><img src="x" onerror="window.__pwned=1"><script>window.__pwned=2</script>' +
      '<a href="javascript:alert(3)">bad</a><a href="https://example.com/jobs">good</a><iframe src="https://evil"></iframe>' +
      '<style>body{display:none}</style><svg><script>alert(4)</script></svg><form action="/x"><input name="p"></form>';
    const clean = sanitizeVendorHtml(dirty);
    expect(clean).not.toMatch(/onerror|onclick|<script|javascript:|<iframe|<style|<svg|<form|<input/i);
    expect(clean).toContain('<strong>there</strong>');
    expect(clean).toContain('href="https://example.com/jobs"');
    expect(clean).toContain('rel="noopener noreferrer nofollow"');
    expect(clean).toContain('target="_blank"');
    expect(sanitizeVendorHtml(null)).toBe('');
  });

  it('the job page renders the description without the injected <img onerror> or <script>', async () => {
    const evil = '<p>Join us</p><img src="x" onerror="window.__pwned=1"><script>window.__pwned=2</script><b onmouseover="alert(1)">bold</b>';
    renderSignedIn('/app/jobs/j-1', 'viewer', {
      [`GET ${base}/jobs/j-1`]: json(200, detail({ description_html: evil, requirements: '<ul><li>Rust</li></ul><script>x()</script>' })),
    });
    const desc = await screen.findByTestId('job-description');
    expect(desc.textContent).toContain('Join us');
    expect(desc.querySelector('script')).toBeNull();
    expect(desc.querySelector('[onerror]')).toBeNull();
    expect(desc.querySelector('[onmouseover]')).toBeNull();
    expect(desc.innerHTML).not.toMatch(/onerror|onmouseover|<script/i);
    const req = screen.getByTestId('job-requirements');
    expect(req.querySelector('li')!.textContent).toBe('Rust');
    expect(req.querySelector('script')).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
    expect(document.querySelectorAll('main script')).toHaveLength(0);
  });
});

describe('Jobs list', () => {
  it('jobsQuery sends only the filters that are set', () => {
    expect(jobsQuery({})).toBe('');
    expect(jobsQuery({ connection: 'c-1', state: 'open', ats_status: 'closed', q: '  eng ', limit: 50, cursor: 'abc' })).toBe(
      'connection=c-1&state=open&ats_status=closed&q=eng&limit=50&cursor=abc',
    );
    expect(jobsQuery({ q: '   ', state: '' })).toBe('');
  });

  it('filters build the query, "Load more" passes the cursor', async () => {
    const { api } = renderSignedIn('/app/jobs', 'recruiter', {
      [`GET ${base}/ats/connections`]: json(200, { connections: [{ id: 'c-1', vendor: 'greenhouse', name: 'GH EU', state: 'connected' }] }),
      [`GET ${base}/jobs?limit=50`]: json(200, { jobs: [summary(), summary({ id: 'j-2', title: 'Designer', has_local_edits: true })], next_cursor: null }),
      [`GET ${base}/jobs?connection=c-1&state=open&ats_status=open&q=back+end&limit=50`]: json(200, { jobs: [summary({ posting_state: 'open' })], next_cursor: 'cur-2' }),
      [`GET ${base}/jobs?connection=c-1&state=open&ats_status=open&q=back+end&limit=50&cursor=cur-2`]: json(200, { jobs: [summary({ id: 'j-3', title: 'SRE', posting_state: 'open' })], next_cursor: null }),
    });
    expect(await heading('Jobs')).toBeTruthy();
    await waitFor(() => expect(document.querySelector('[data-job="Designer"]')).toBeTruthy());
    expect(document.querySelector('[data-job="Designer"]')!.textContent).toContain('Edited locally');
    expect(document.querySelector('[data-job="Backend Engineer"]')!.textContent).toContain('GH EU');
    await waitFor(() => expect(screen.getByRole('option', { name: 'GH EU' })).toBeTruthy());

    const form = screen.getByRole('form', { name: 'Job filters' });
    fireEvent.change(within(form).getByLabelText('Connection'), { target: { value: 'c-1' } });
    fireEvent.change(within(form).getByLabelText('Posting state'), { target: { value: 'open' } });
    fireEvent.change(within(form).getByLabelText('ATS status'), { target: { value: 'open' } });
    fireEvent.change(within(form).getByLabelText('Search titles'), { target: { value: 'back end' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(document.querySelector('[data-job="Designer"]')).toBeNull());
    expect(api.calls.some((c) => c.url === `${base}/jobs?connection=c-1&state=open&ats_status=open&q=back+end&limit=50`)).toBe(true);

    fireEvent.click(await screen.findByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(document.querySelector('[data-job="SRE"]')).toBeTruthy());
    expect(document.querySelector('[data-job="Backend Engineer"]')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('a viewer lists jobs without the connection filter (no ats.read) and reaches no ATS route', async () => {
    const { api } = renderSignedIn('/app/jobs', 'viewer', { [`GET ${base}/jobs`]: json(200, { jobs: [summary()] }) });
    await waitFor(() => expect(document.querySelector('[data-job="Backend Engineer"]')).toBeTruthy());
    expect(screen.queryByLabelText('Connection')).toBeNull();
    expect(api.calls.some((c) => c.path.includes('/ats/'))).toBe(false);
  });
});

describe('Job detail', () => {
  it('transition buttons follow the FSM answer (POST with CSRF and If-Match)', async () => {
    const { api } = renderSignedIn('/app/jobs/j-1', 'recruiter', {
      [`GET ${base}/jobs/j-1`]: json(200, detail()),
      [`POST ${base}/jobs/j-1/transitions`]: [json(200, detail({ version: 2 }, { posting_state: 'draft' })), json(200, detail({ version: 3 }, { posting_state: 'ready' }))],
    });
    const region = await screen.findByRole('region', { name: 'Posting state' });
    const buttons = () => within(within(region).getByTestId('transitions')).getAllByRole('button').map((b) => b.textContent);
    expect(buttons()).toEqual(['Claim as draft', 'Archive']);

    fireEvent.click(within(region).getByRole('button', { name: 'Claim as draft' }));
    await waitFor(() => expect(buttons()).toEqual(['Mark ready']));
    const first = api.find('POST', `${base}/jobs/j-1/transitions`)[0];
    expectCsrf(first);
    expect(first.body).toEqual({ event: 'claim' });
    expect(first.headers.get('If-Match')).toBe('"v1"');
    expect(screen.getByText('Posting state: Draft.')).toBeTruthy();

    fireEvent.click(within(region).getByRole('button', { name: 'Mark ready' }));
    await waitFor(() => expect(buttons()).toEqual(['Back to draft', 'Open for invitations']));
    expect(api.find('POST', `${base}/jobs/j-1/transitions`)[1].headers.get('If-Match')).toBe('"v2"');
  });

  it('a refused transition (409) or a stale version (412) shows the detail and offers a reload', async () => {
    const { api } = renderSignedIn('/app/jobs/j-1', 'recruiter', {
      [`GET ${base}/jobs/j-1`]: [json(200, detail()), json(200, detail({ version: 5 }, { posting_state: 'draft' }))],
      [`POST ${base}/jobs/j-1/transitions`]: problem(412, 'the job changed since version 1'),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Claim as draft' }));
    expect(await screen.findByText('the job changed since version 1')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Reload the job' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Mark ready' })).toBeTruthy());
    expect(api.find('GET', `${base}/jobs/j-1`)).toHaveLength(2);
  });

  it('a viewer gets no transition buttons, no edit, and sees the shortlist stage as text', async () => {
    renderSignedIn('/app/jobs/j-1', 'viewer', { [`GET ${base}/jobs/j-1`]: json(200, detail({ shortlist_stage_id: '20' })) });
    await screen.findByTestId('job-title');
    expect(screen.queryByTestId('transitions')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Edit job details' })).toBeNull();
    expect(screen.getByTestId('shortlist-stage').textContent).toBe('Phone Screen');
  });

  it('local edits show "edited locally"; a conflict says the ATS changed it, with Revert', async () => {
    const { api } = renderSignedIn('/app/jobs/j-1', 'recruiter', {
      [`GET ${base}/jobs/j-1`]: json(200, detail({ overridden_fields: ['title', 'location'], conflicts: ['title'] }, { title: 'Senior Backend Engineer', has_local_edits: true })),
      [`PATCH ${base}/jobs/j-1`]: json(200, detail({ overridden_fields: ['location'], conflicts: [], version: 2 }, { title: 'Backend Engineer (ATS)' })),
    });
    expect((await screen.findByTestId('job-title')).textContent).toBe('Senior Backend Engineer');
    const titleFlags = document.querySelector('[data-field-flags="title"]') as HTMLElement;
    expect(titleFlags.textContent).toContain('edited locally');
    expect(titleFlags.textContent).toContain('ATS changed this since your edit');
    expect(document.querySelector('[data-field-flags="location"]')!.textContent).toContain('edited locally');
    expect(document.querySelector('[data-field-flags="location"]')!.textContent).not.toContain('ATS changed');
    expect(screen.getByTestId('conflicts').textContent).toContain('The ATS changed Title since your edit');

    fireEvent.click(within(titleFlags).getByRole('button', { name: 'Revert to the ATS value' }));
    await waitFor(() => expect(screen.getByTestId('job-title').textContent).toBe('Backend Engineer (ATS)'));
    const call = api.find('PATCH', `${base}/jobs/j-1`)[0];
    expectCsrf(call);
    expect(call.body).toEqual({ revert: ['title'] });
    expect(call.headers.get('If-Match')).toBe('"v1"');
    expect(document.querySelector('[data-field-flags="title"]')).toBeNull();
    expect(screen.queryByTestId('conflicts')).toBeNull();
  });

  it('the edit form sends only changed fields', async () => {
    const { api } = renderSignedIn('/app/jobs/j-1', 'owner', {
      [`GET ${base}/jobs/j-1`]: json(200, detail()),
      [`PATCH ${base}/jobs/j-1`]: json(200, detail({ overridden_fields: ['location'], version: 2 }, { location: 'Remote', has_local_edits: true })),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Edit job details' }));
    const form = screen.getByRole('form', { name: 'Edit job details' });
    fireEvent.change(within(form).getByLabelText('Location'), { target: { value: 'Remote' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(document.querySelector('[data-field-flags="location"]')).toBeTruthy());
    expect(api.find('PATCH', `${base}/jobs/j-1`)[0].body).toEqual({ location: 'Remote' });
  });

  it('the shortlist picker lists the job stages in order and saves the choice', async () => {
    const { api } = renderSignedIn('/app/jobs/j-1', 'recruiter', {
      [`GET ${base}/jobs/j-1`]: json(200, detail()),
      [`PATCH ${base}/jobs/j-1`]: json(200, detail({ shortlist_stage_id: '25', version: 2 })),
    });
    const select = (await screen.findByLabelText('Stage')) as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['None', 'Application Review', 'Phone Screen', 'Onsite', 'Offer']);
    fireEvent.change(select, { target: { value: '25' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save shortlist stage' }));
    expect(await screen.findByText('Shortlist stage: Onsite.')).toBeTruthy();
    expect(api.find('PATCH', `${base}/jobs/j-1`)[0].body).toEqual({ shortlist_stage_id: '25' });
    // "None" clears it with null.
    fireEvent.change(select, { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save shortlist stage' }));
    await waitFor(() => expect(api.find('PATCH', `${base}/jobs/j-1`)).toHaveLength(2));
    expect(api.find('PATCH', `${base}/jobs/j-1`)[1].body).toEqual({ shortlist_stage_id: null });
  });
});

describe('Candidate pipeline', () => {
  it('groupByStage orders columns by sort_order and appends unknown stages', () => {
    const apps = [app('1', '30', null), app('2', '10', null)] as unknown as Application[];
    const stray = { ...apps[0], id: 'a-9', stage: { id: '99', name: 'Archived stage', sort_order: null } };
    const cols = groupByStage(STAGES, [...apps, stray]);
    expect(cols.map((c) => c.stage.name)).toEqual(['Application Review', 'Phone Screen', 'Onsite', 'Offer', 'Archived stage']);
    expect(cols.map((c) => c.applications.length)).toEqual([1, 0, 0, 1, 1]);
  });

  const routes = (apps: unknown[], events: unknown[] = [], shortlist: string | null = '25') => ({
    [`GET ${base}/jobs/j-1`]: json(200, detail({ shortlist_stage_id: shortlist })),
    [`GET ${base}/jobs/j-1/applications`]: json(200, { applications: apps, next_cursor: null }),
    [`GET ${base}/jobs/j-1/stage-events`]: json(200, { stage_events: events }),
  });

  function column(name: string): HTMLElement {
    return screen.getByRole('region', { name: `Stage ${name}` });
  }

  it('groups application cards by stage in stage order, names shown to a recruiter, stage events listed', async () => {
    renderSignedIn(
      '/app/jobs/j-1/pipeline',
      'recruiter',
      routes(
        [app('1', '10', ['Ada', 'Lovelace']), app('2', '25', ['Grace', 'Hopper']), app('3', '10', ['Alan', 'Turing'], { status: 'rejected' })],
        [{ id: 5, job_id: 'j-1', application_id: 'a-2', stage_id: '25', stage_name: 'Onsite', status: 'pending', at: '2026-11-26T10:05:00Z' }],
      ),
    );
    await screen.findByTestId('pipeline');
    const names = [...document.querySelectorAll('.pipeline__col')].map((c) => c.getAttribute('data-stage-name'));
    expect(names).toEqual(['Application Review', 'Phone Screen', 'Onsite', 'Offer']);
    expect(within(column('Application Review')).getAllByRole('listitem').map((li) => li.querySelector('.app-card__name')!.textContent)).toEqual([
      'Ada Lovelace',
      'Alan Turing',
    ]);
    expect(within(column('Onsite')).getByText('Grace Hopper')).toBeTruthy();
    expect(within(column('Onsite')).getByText('grace@example.test')).toBeTruthy();
    expect(column('Onsite').textContent).toContain('Shortlist');
    expect(within(column('Phone Screen')).queryAllByRole('listitem')).toHaveLength(0);
    expect(within(column('Application Review')).getByText('rejected')).toBeTruthy();
    const ev = screen.getByTestId('stage-events');
    expect(ev.textContent).toContain('Grace Hopper reached shortlist stage “Onsite”');
  });

  it('a viewer sees no candidate names or e-mails, even if the API sent them', async () => {
    renderSignedIn(
      '/app/jobs/j-1/pipeline',
      'viewer',
      routes([app('1', '10', null), app('2', '25', ['Grace', 'Hopper'])], [
        { id: 5, job_id: 'j-1', application_id: 'a-2', stage_id: '25', stage_name: 'Onsite', status: 'pending', at: '2026-11-26T10:05:00Z' },
      ]),
    );
    await screen.findByTestId('pipeline');
    expect(within(column('Application Review')).getByText('Candidate #c1')).toBeTruthy();
    expect(within(column('Onsite')).getByText('Candidate #c2')).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/Grace|Hopper|example\.test/);
    expect(screen.getByTestId('stage-events').textContent).toContain('Candidate #c2 reached shortlist stage');
  });

  it('polls every 5 s while visible: a webhook-driven stage change appears without reload', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const before = [app('1', '10', ['Ada', 'Lovelace'])];
    const after = [app('1', '25', ['Ada', 'Lovelace'])];
    const { api } = renderSignedIn('/app/jobs/j-1/pipeline', 'owner', {
      ...routes([]),
      [`GET ${base}/jobs/j-1/applications`]: [json(200, { applications: before }), json(200, { applications: after })],
      [`GET ${base}/jobs/j-1/stage-events`]: [
        json(200, { stage_events: [] }),
        json(200, { stage_events: [{ id: 1, job_id: 'j-1', application_id: 'a-1', stage_id: '25', stage_name: 'Onsite', status: 'pending', at: '2026-11-26T10:05:00Z' }] }),
      ],
    });
    await screen.findByTestId('pipeline');
    expect(within(column('Application Review')).getByText('Ada Lovelace')).toBeTruthy();
    const loads = () => api.find('GET', `${base}/jobs/j-1/applications`).length;
    expect(loads()).toBe(1);

    // Hidden: no polling.
    const vis = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5100);
    });
    expect(loads()).toBe(1);

    vis.mockReturnValue('visible');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5100);
    });
    await waitFor(() => expect(within(column('Onsite')).getByText('Ada Lovelace')).toBeTruthy());
    expect(within(column('Application Review')).queryByText('Ada Lovelace')).toBeNull();
    expect(screen.getByTestId('stage-events').textContent).toContain('Ada Lovelace reached shortlist stage “Onsite”');
    expect(loads()).toBe(2);
  });

  it('a refresh button reloads on demand', async () => {
    const { api } = renderSignedIn('/app/jobs/j-1/pipeline', 'owner', routes([app('1', '10', ['Ada', 'Lovelace'])]));
    await screen.findByTestId('pipeline');
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(api.find('GET', `${base}/jobs/j-1/applications`).length).toBe(2));
  });
});

describe('navigation', () => {
  it('Jobs is current on a job page', async () => {
    renderSignedIn('/app/jobs/j-1', 'viewer', { [`GET ${base}/jobs/j-1`]: json(200, detail()) });
    const nav = await screen.findByRole('navigation', { name: 'Organization' });
    expect(within(nav).getByRole('link', { name: 'Jobs' }).getAttribute('aria-current')).toBe('page');
  });
});
