import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ORG_A, expectCsrf, heading, json, problem, renderSignedIn } from './api_helpers';

const base = `/api/v1/orgs/${ORG_A.id}`;

function body(over: Record<string, unknown> = {}) {
  return {
    kind: 'technical',
    title: 'Explain MVCC',
    prompt: 'How does **PostgreSQL** implement MVCC?',
    rubric: { strong: 'Talks about xmin/xmax', acceptable: 'Knows snapshots', weak: 'Vague' },
    expected_minutes: 15,
    difficulty: 'medium',
    skills: ['postgresql'],
    seniorities: ['mid', 'senior'],
    categories: ['engineering'],
    ...over,
  };
}

function summary(id: string, over: Record<string, unknown> = {}) {
  return {
    id,
    latest_version: 1,
    approved_version: null,
    state: 'in_review',
    kind: 'technical',
    title: `Item ${id}`,
    difficulty: 'medium',
    expected_minutes: 15,
    skills: ['postgresql'],
    seniorities: ['mid'],
    categories: ['engineering'],
    author_id: 'u-other',
    author_name: 'Olga Other',
    job_id: null,
    origin: 'manual',
    updated_at: '2026-11-26T10:00:00Z',
    version: 3,
    ...over,
  };
}

function itemView(id: string, over: { latest?: Record<string, unknown>; [k: string]: unknown } = {}) {
  const { latest, ...rest } = over;
  return {
    id,
    job_id: null,
    variant_of: null,
    latest: {
      number: 1,
      state: 'in_review',
      body: body(),
      author_id: 'u-other',
      author_name: 'Olga Other',
      reviewed_by: null,
      reviewed_at: null,
      origin: 'manual',
      created_at: '2026-11-26T09:00:00Z',
      updated_at: '2026-11-26T10:00:00Z',
      ...latest,
    },
    approved_version: null,
    versions: [[1, 'in_review']],
    version: 3,
    ...rest,
  };
}

function jobDetail(over: Record<string, unknown> = {}) {
  return {
    summary: {
      id: 'j-1',
      connection_id: 'c-1',
      vendor: 'greenhouse',
      external_id: '4001',
      title: 'Backend Engineer',
      ats_status: 'open',
      posting_state: 'draft',
      department: 'Engineering',
      location: 'Berlin',
      applications: 4,
      has_local_edits: false,
      updated_at: '2026-11-26T10:00:00Z',
    },
    description_html: '<p>Postgres and Go</p>',
    requirements: '',
    opened_at: null,
    closed_at: null,
    overridden_fields: [],
    conflicts: [],
    stages: [],
    shortlist_stage_id: null,
    version: 1,
    ...over,
  };
}

describe('library', () => {
  it('lists items, filters (only mine sends my user id) and loads more', async () => {
    const { api } = renderSignedIn('/app/library', 'recruiter', {
      [`GET ${base}/content/items`]: [
        json(200, { items: [summary('i1', { state: 'approved', approved_version: 1 })], next_cursor: 'c2', total: 2 }),
        json(200, { items: [summary('i2')], next_cursor: null }),
        json(200, { items: [summary('i3', { author_id: 'u-me' })], next_cursor: null, total: 1 }),
      ],
      [`GET ${base}/content/skills`]: json(200, { skills: [{ slug: 'postgresql', label: 'PostgreSQL', synonyms: ['postgres'], category: 'data', custom: false }] }),
    });
    expect(await heading('Library')).toBeTruthy();
    expect(await screen.findByText('Item i1')).toBeTruthy();
    expect(screen.getByTestId('library-count').textContent).toBe('2 items');
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('Item i2')).toBeTruthy();
    expect(api.calls.some((c) => c.url.includes('cursor=c2'))).toBe(true);

    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'coding' } });
    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'mvcc' } });
    fireEvent.click(screen.getByLabelText('Only mine'));
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(await screen.findByText('Item i3')).toBeTruthy();
    const last = api.find('GET', `${base}/content/items`).at(-1)!;
    expect(last.url).toContain('q=mvcc');
    expect(last.url).toContain('kind=coding');
    expect(last.url).toContain('author=u-me');
  });

  it('an empty library offers the starter library', async () => {
    const { api } = renderSignedIn('/app/library', 'owner', {
      [`GET ${base}/content/items`]: [json(200, { items: [], next_cursor: null, total: 0 }), json(200, { items: [summary('s1')], next_cursor: null, total: 1 })],
      [`GET ${base}/content/skills`]: json(200, []),
      [`POST ${base}/content/library/starter`]: json(200, { created: 124, skipped: 0, item_ids: [] }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Load the starter library' }));
    expect(await screen.findByText(/Loaded 124 items/)).toBeTruthy();
    expect(await screen.findByText('Item s1')).toBeTruthy();
    expectCsrf(api.find('POST', `${base}/content/library/starter`)[0]);
  });

  it('viewers get no create buttons', async () => {
    renderSignedIn('/app/library', 'viewer', {
      [`GET ${base}/content/items`]: json(200, { items: [], next_cursor: null }),
      [`GET ${base}/content/skills`]: json(200, []),
    });
    expect(await screen.findByTestId('library-empty')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load the starter library' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'New question' })).toBeNull();
  });
});

describe('item editor', () => {
  it('client validation marks fields and sends nothing', async () => {
    const { api } = renderSignedIn('/app/library/new', 'recruiter', { [`GET ${base}/content/skills`]: json(200, []) });
    expect(await heading('New question')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Create draft' }));
    expect(await screen.findByText(/Fix \d+ problems before saving/)).toBeTruthy();
    const title = screen.getByTestId('item-title-input');
    expect(title.getAttribute('aria-invalid')).toBe('true');
    expect(within(screen.getByTestId('problem-list')).getByText('/title')).toBeTruthy();
    expect(api.find('POST', `${base}/content/items`)).toHaveLength(0);
  });

  it('a coding challenge: test cases table, server problems next to the fields, candidate preview without hidden tests', async () => {
    const { api } = renderSignedIn('/app/library/new?kind=coding', 'recruiter', {
      [`GET ${base}/content/skills`]: json(200, []),
      [`POST ${base}/content/items`]: problem(422, 'title: must be 1..200 characters; /coding/test_cases/1/expected_output: does not parse as JSON'),
    });
    expect(await heading('New coding challenge')).toBeTruthy();
    fireEvent.change(screen.getByTestId('item-title-input'), { target: { value: 'Two sum' } });
    fireEvent.change(screen.getByTestId('item-prompt-input'), { target: { value: 'Find two numbers.' } });
    fireEvent.change(screen.getByLabelText('A strong answer'), { target: { value: 'O(n) with a hash map' } });
    fireEvent.change(screen.getByLabelText('An acceptable answer'), { target: { value: 'O(n log n)' } });
    fireEvent.change(screen.getByLabelText('A weak answer'), { target: { value: 'O(n^2)' } });
    fireEvent.change(screen.getByTestId('item-skills-input'), { target: { value: 'python, algorithms' } });
    fireEvent.change(screen.getByLabelText('Test 1 input'), { target: { value: '1 2' } });
    fireEvent.change(screen.getByLabelText('Test 1 expected output'), { target: { value: '3' } });
    fireEvent.change(screen.getByLabelText('Test 2 input'), { target: { value: 'SECRET-INPUT' } });
    fireEvent.change(screen.getByLabelText('Test 2 expected output'), { target: { value: 'SECRET-OUT' } });
    fireEvent.change(screen.getByLabelText('Starter code (python)'), { target: { value: 'def solve():\n    pass' } });

    const preview = screen.getByTestId('candidate-preview');
    expect(preview.textContent).toContain('Two sum');
    expect(preview.textContent).toContain('One more test is hidden.');
    expect(preview.textContent).not.toContain('SECRET');
    expect(preview.textContent).not.toContain('hash map');

    fireEvent.click(screen.getByRole('button', { name: 'Create draft' }));
    expect(await screen.findByText('The server refused the item:')).toBeTruthy();
    const post = api.find('POST', `${base}/content/items`)[0];
    expectCsrf(post);
    const sent = post.body as { kind: string; coding: { test_cases: { visible: boolean }[]; starter_code: Record<string, string> }; skills: string[] };
    expect(sent.kind).toBe('coding');
    expect(sent.skills).toEqual(['python', 'algorithms']);
    expect(sent.coding.test_cases.map((t) => t.visible)).toEqual([true, false]);
    expect(sent.coding.starter_code.python).toContain('def solve');
    // The server's problem sits under the test case's field.
    const cell = screen.getByLabelText('Test 2 expected output').closest('td')!;
    expect(cell.textContent).toContain('does not parse as JSON');
    expect(screen.getByTestId('item-title-input').closest('.field')!.textContent).toContain('must be 1..200 characters');
  });

  it('a prompt with <img onerror>, <script> and a javascript: link never runs', async () => {
    const w = window as unknown as { __hwPwned?: number };
    delete w.__hwPwned;
    const evil = 'Hi <img src=x onerror="window.__hwPwned=1"> <script>window.__hwPwned=2</script> [x](javascript:window.__hwPwned=3)';
    renderSignedIn('/app/library/i9', 'viewer', {
      [`GET ${base}/content/items/i9`]: json(200, itemView('i9', { latest: { body: body({ prompt: evil, title: '<b>t</b>' }) } })),
      [`GET ${base}/content/items/i9/comments`]: json(200, []),
    });
    const prompt = await screen.findByTestId('item-prompt');
    expect(prompt.querySelector('img')).toBeTruthy();
    expect(prompt.innerHTML).not.toMatch(/onerror|<script|javascript:/i);
    prompt.querySelectorAll('a').forEach((a) => fireEvent.click(a));
    for (const p of screen.getAllByTestId('candidate-prompt')) expect(p.innerHTML).not.toMatch(/onerror|<script|javascript:/i);
    // The title is text, never HTML.
    expect(screen.getByTestId('item-title').textContent).toBe('<b>t</b>');
    await new Promise((r) => setTimeout(r, 20));
    expect(w.__hwPwned).toBeUndefined();
  });

  it('editing an approved version says it creates a new version and sends If-Match', async () => {
    const approved = itemView('i5', { latest: { state: 'approved', author_id: 'u-me' }, approved_version: 1, versions: [[1, 'approved']], version: 7 });
    const { api } = renderSignedIn('/app/library/i5', 'recruiter', {
      [`GET ${base}/content/items/i5`]: json(200, approved),
      [`GET ${base}/content/items/i5/comments`]: json(200, []),
      [`GET ${base}/content/skills`]: json(200, []),
      [`PATCH ${base}/content/items/i5`]: json(200, itemView('i5', { latest: { number: 2, state: 'draft', author_id: 'u-me' }, approved_version: 1, versions: [[2, 'draft'], [1, 'approved']], version: 8 })),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Edit (new version)' }));
    expect(screen.getByText(/saving creates version 2 as a draft/)).toBeTruthy();
    fireEvent.change(screen.getByTestId('item-title-input'), { target: { value: 'Explain MVCC well' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save as a new draft version' }));
    expect(await screen.findByText('Saved version 2 (Draft).')).toBeTruthy();
    const patch = api.find('PATCH', `${base}/content/items/i5`)[0];
    expect(patch.headers.get('If-Match')).toBe('"v7"');
    expect((patch.body as { title: string }).title).toBe('Explain MVCC well');
  });
});

describe('review queue', () => {
  it('lists items in review and marks my own', async () => {
    const { api } = renderSignedIn('/app/review', 'hiring_manager', {
      [`GET ${base}/content/items`]: json(200, { items: [summary('r1'), summary('r2', { author_id: 'u-me', author_name: 'Me Myself' })], next_cursor: null }),
    });
    expect(await screen.findByText('Item r1')).toBeTruthy();
    expect(api.find('GET', `${base}/content/items`)[0].url).toContain('state=in_review');
    const mine = screen.getByText('Item r2').closest('tr')!;
    expect(mine.textContent).toContain('yours');
  });

  it('shows the diff against the approved version and approves with If-Match', async () => {
    const latest = itemView('r1', {
      latest: { number: 2, body: body({ prompt: 'How does **PostgreSQL** implement MVCC and vacuum?' }) },
      approved_version: 1,
      versions: [
        [2, 'in_review'],
        [1, 'approved'],
      ],
      version: 5,
    });
    const v1 = itemView('r1', { latest: { number: 1, state: 'approved' }, approved_version: 1, version: 5 });
    const { api } = renderSignedIn('/app/review/r1', 'hiring_manager', {
      [`GET ${base}/content/items/r1?version=1`]: json(200, v1),
      [`GET ${base}/content/items/r1`]: json(200, latest),
      [`GET ${base}/content/items/r1/comments`]: json(200, []),
      [`POST ${base}/content/items/r1/transitions`]: json(200, itemView('r1', { latest: { number: 2, state: 'approved' }, approved_version: 2, version: 6 })),
    });
    const diff = await screen.findByTestId('diff');
    expect(diff.textContent).toContain('Prompt');
    expect(diff.querySelector('ins')!.textContent).toContain('vacuum');
    expect(diff.textContent).not.toContain('Title');
    expect(screen.getByTestId('rubric').textContent).toContain('xmin/xmax');
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    expect(await screen.findByText('Approved version 2.')).toBeTruthy();
    const post = api.find('POST', `${base}/content/items/r1/transitions`)[0];
    expectCsrf(post);
    expect(post.body).toEqual({ event: 'approve' });
    expect(post.headers.get('If-Match')).toBe('"v5"');
  });

  it('request changes needs a comment', async () => {
    const { api } = renderSignedIn('/app/review/r1', 'recruiter', {
      [`GET ${base}/content/items/r1`]: json(200, itemView('r1')),
      [`GET ${base}/content/items/r1/comments`]: json(200, []),
      [`POST ${base}/content/items/r1/transitions`]: json(200, itemView('r1', { latest: { state: 'changes_requested' } })),
    });
    const btn = await screen.findByRole('button', { name: 'Request changes' });
    expect((btn as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText(/Comment \(required/), { target: { value: 'Add a rubric for vacuum' } });
    expect((btn as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(btn);
    expect(await screen.findByText('Changes requested. The author sees your comment.')).toBeTruthy();
    expect(api.find('POST', `${base}/content/items/r1/transitions`)[0].body).toEqual({ event: 'request_changes', comment: 'Add a rubric for vacuum' });
  });

  it("the author's own item: approve is disabled with the reason, and the server's 403 is shown when tried", async () => {
    renderSignedIn('/app/review/r2', 'owner', {
      [`GET ${base}/content/items/r2`]: json(200, itemView('r2', { latest: { author_id: 'u-me', author_name: 'Me Myself' } })),
      [`GET ${base}/content/items/r2/comments`]: json(200, []),
      [`POST ${base}/content/items/r2/transitions`]: problem(403, 'you cannot review your own item'),
    });
    const approve = await screen.findByRole('button', { name: 'Approve' });
    expect((approve as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('own-item-reason').textContent).toContain('another reviewer has to approve it');
    fireEvent.click(screen.getByRole('button', { name: 'Try approving anyway' }));
    const alert = await screen.findByText('you cannot review your own item');
    expect(alert.closest('[role="alert"]')!.textContent).toContain('Refused:');
  });
});

const TEMPLATE = {
  id: 't-1',
  job_id: 'j-1',
  latest: {
    number: 1,
    state: 'draft',
    instructions: 'Be **concise**.',
    sections: [
      {
        title: 'Warm-up',
        items: [
          { item_id: 'a', item_version: 1, time_limit_minutes: 10, weight: 1, item_state: 'approved', body: body({ title: 'Alpha' }), candidate: null },
          { item_id: 'b', item_version: 2, time_limit_minutes: 20, weight: 2, item_state: 'in_review', body: body({ title: 'Beta' }), candidate: null },
        ],
      },
    ],
    total_minutes: 30,
    blocking: ['Beta v2 is in_review'],
    saved_by: 'u-me',
    updated_at: '2026-11-26T10:00:00Z',
  },
  approved_version: null,
  versions: [[1, 'draft']],
  version: 4,
};

describe('template builder', () => {
  it('shows blocking reasons, reorders with the keyboard-reachable buttons, adds from the library and saves with If-Match', async () => {
    const { api } = renderSignedIn('/app/jobs/j-1/template', 'hiring_manager', {
      [`GET ${base}/jobs/j-1`]: json(200, jobDetail()),
      [`GET ${base}/jobs/j-1/template`]: json(200, TEMPLATE),
      [`GET ${base}/content/items`]: json(200, { items: [summary('c', { state: 'approved', approved_version: 3, title: 'Gamma', expected_minutes: 25 })], next_cursor: null }),
      [`GET ${base}/content/items/c?version=3`]: json(200, itemView('c', { latest: { number: 3, state: 'approved', body: body({ title: 'Gamma' }) } })),
      [`PUT ${base}/jobs/j-1/template`]: json(200, { ...TEMPLATE, version: 5 }),
    });
    expect(await screen.findByText('Beta v2 is in_review')).toBeTruthy();
    expect(screen.getByTestId('total-minutes').textContent).toBe('30 minutes');
    // Beta up: now first.
    fireEvent.click(screen.getByRole('button', { name: 'Move Beta up' }));
    const order = () => [...document.querySelectorAll('[data-entry]')].map((e) => e.getAttribute('data-entry'));
    expect(order()).toEqual(['b', 'a']);
    expect((screen.getByRole('button', { name: 'Submit for approval' }) as HTMLButtonElement).disabled).toBe(true);
    // Add Gamma from the approved library.
    fireEvent.click(await screen.findByRole('button', { name: 'Add Gamma' }));
    await waitFor(() => expect(order()).toEqual(['b', 'a', 'c']));
    expect(screen.getByTestId('total-minutes').textContent).toBe('55 minutes');
    expect(api.find('GET', `${base}/content/items`)[0].url).toContain('state=approved');
    fireEvent.change(screen.getByLabelText('Weight of Alpha'), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save template' }));
    expect(await screen.findByText(/Saved version 1/)).toBeTruthy();
    const put = api.find('PUT', `${base}/jobs/j-1/template`)[0];
    expectCsrf(put);
    expect(put.headers.get('If-Match')).toBe('"v4"');
    expect(put.body).toEqual({
      instructions: 'Be **concise**.',
      sections: [
        {
          title: 'Warm-up',
          items: [
            { item_id: 'b', item_version: 2, time_limit_minutes: 20, weight: 2 },
            { item_id: 'a', item_version: 1, time_limit_minutes: 10, weight: 5 },
            { item_id: 'c', item_version: 3, time_limit_minutes: 25, weight: 1 },
          ],
        },
      ],
    });
  });

  it('the candidate preview shows instructions and questions without rubrics', async () => {
    renderSignedIn('/app/jobs/j-1/template', 'viewer', {
      [`GET ${base}/jobs/j-1`]: json(200, jobDetail()),
      [`GET ${base}/jobs/j-1/template`]: json(200, TEMPLATE),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Preview as the candidate' }));
    const preview = screen.getByTestId('candidate-preview');
    expect(preview.querySelector('strong')!.textContent).toBe('concise');
    expect(preview.textContent).toContain('Alpha');
    expect(preview.textContent).not.toContain('xmin/xmax');
    expect(screen.queryByRole('button', { name: 'Save template' })).toBeNull();
  });

  it('approving a pending template; a refusal is shown', async () => {
    const pending = { ...TEMPLATE, latest: { ...TEMPLATE.latest, state: 'pending_approval', blocking: [] } };
    const { api } = renderSignedIn('/app/jobs/j-1/template', 'owner', {
      [`GET ${base}/jobs/j-1`]: json(200, jobDetail()),
      [`GET ${base}/jobs/j-1/template`]: json(200, pending),
      [`GET ${base}/content/items`]: json(200, { items: [], next_cursor: null }),
      [`POST ${base}/jobs/j-1/template/transitions`]: [
        problem(409, 'Beta v2 is in_review'),
        json(200, { ...pending, latest: { ...pending.latest, state: 'approved' }, approved_version: 1, version: 5 }),
      ],
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Approve template' }));
    expect(await screen.findByText('Beta v2 is in_review')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Approve template' }));
    expect(await screen.findByText(/Template approved/)).toBeTruthy();
    expect(screen.getByTestId('approved-template-version').textContent).toBe('v1');
    expect(api.find('POST', `${base}/jobs/j-1/template/transitions`)[1].body).toEqual({ event: 'approve' });
  });

  it('a job without a template starts an empty draft', async () => {
    renderSignedIn('/app/jobs/j-1/template', 'recruiter', {
      [`GET ${base}/jobs/j-1`]: json(200, jobDetail()),
      [`GET ${base}/jobs/j-1/template`]: problem(404, 'no template'),
      [`GET ${base}/content/items`]: json(200, { items: [], next_cursor: null }),
    });
    expect(await screen.findByText('No template yet')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save template' }));
    expect(await screen.findByTestId('template-problems')).toBeTruthy();
  });
});

const PROPOSAL = {
  profile: {
    skills: [
      { slug: 'postgresql', label: 'PostgreSQL', mentions: 3, required: true, evidence: ['Postgres'] },
      { slug: 'go', label: 'Go', mentions: 2, required: true, evidence: ['Go'] },
    ],
    seniority: 'senior',
    years: 5,
    category: 'engineering',
    level_reason: 'title says Senior',
  },
  entries: [
    { source: 'library', item_id: 'a', item_version: 1, section: 'Technical', time_limit_minutes: 15, weight: 2, covers: ['postgresql'], body: body({ title: 'Alpha' }) },
    { source: 'generated', generated_index: 0, section: 'Technical', time_limit_minutes: 20, weight: 1, covers: ['go'], body: body({ title: 'Go concurrency' }) },
  ],
  generated: [{ body: body({ title: 'Go concurrency', skills: ['go'] }), origin: 'generated from job j-1 by rule go.concurrency', rule: 'go.concurrency' }],
  coverage: [
    { skill: 'postgresql', label: 'PostgreSQL', required: true, covered: true, by: ['Alpha'] },
    { skill: 'go', label: 'Go', required: true, covered: true, by: ['Go concurrency'] },
  ],
  total_minutes: 35,
  llm: { used: false, dropped: [] },
};

describe('template proposal', () => {
  it('proposes, shows coverage, removing an entry uncovers its skill, applies and goes to the template', async () => {
    const { api } = renderSignedIn('/app/jobs/j-1/template/propose', 'hiring_manager', {
      [`GET ${base}/jobs/j-1`]: json(200, jobDetail()),
      [`POST ${base}/jobs/j-1/template/proposal`]: json(200, PROPOSAL),
      [`GET ${base}/jobs/j-1/template`]: [problem(404, 'no template'), json(200, TEMPLATE)],
      [`POST ${base}/jobs/j-1/template/proposal/apply`]: json(200, TEMPLATE),
      [`GET ${base}/content/items`]: json(200, { items: [], next_cursor: null }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Propose' }));
    expect(await screen.findByTestId('profile-seniority')).toBeTruthy();
    expect(api.find('POST', `${base}/jobs/j-1/template/proposal`)[0].body).toEqual({ target_minutes: 60, use_llm: false });
    const goRow = () => document.querySelector('[data-coverage="go"]')!;
    expect(goRow().textContent).toContain('Go concurrency');
    fireEvent.click(screen.getByRole('button', { name: 'Remove Go concurrency' }));
    expect(goRow().textContent).toContain('not covered');
    fireEvent.click(screen.getByRole('button', { name: 'Keep Go concurrency' }));
    fireEvent.change(screen.getByLabelText('Time limit of Alpha'), { target: { value: '25' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply to the template' }));
    expect(await screen.findByText(/Proposal applied/)).toBeTruthy();
    expect(window.location.pathname).toBe('/app/jobs/j-1/template');
    const apply = api.find('POST', `${base}/jobs/j-1/template/proposal/apply`)[0];
    expectCsrf(apply);
    const sent = apply.body as { submit_generated: boolean; sections: { title: string; items: Record<string, unknown>[] }[] };
    expect(sent.submit_generated).toBe(true);
    expect(sent.sections).toHaveLength(1);
    expect(sent.sections[0].title).toBe('Technical');
    expect(sent.sections[0].items[0]).toEqual({ item_id: 'a', item_version: 1, time_limit_minutes: 25, weight: 2 });
    expect(sent.sections[0].items[1]).toMatchObject({ origin: 'generated from job j-1 by rule go.concurrency', rule: 'go.concurrency', time_limit_minutes: 20 });
    expect((sent.sections[0].items[1].generated as { title: string }).title).toBe('Go concurrency');
  });
});

describe('navigation and job link', () => {
  it('the job page links to its interview template', async () => {
    renderSignedIn('/app/jobs/j-1', 'viewer', { [`GET ${base}/jobs/j-1`]: json(200, jobDetail()) });
    const link = await screen.findByRole('link', { name: 'Interview template' });
    expect(link.getAttribute('href')).toBe('/app/jobs/j-1/template');
  });

  it('viewers cannot open the proposal page', async () => {
    const { api } = renderSignedIn('/app/jobs/j-1/template/propose', 'viewer');
    expect(await heading("You don't have access")).toBeTruthy();
    expect(api.calls.map((c) => c.path)).toEqual(['/api/v1/session']);
  });
});

describe('job-specific wording', () => {
  it('creates a variant for the job, submits it for review and swaps it into the template', async () => {
    const variant = itemView('v-1', { job_id: 'j-1', variant_of: 'a@v1', latest: { number: 1, state: 'draft', author_id: 'u-me', body: body({ title: 'Alpha for Backend' }) }, version: 1 });
    const submitted = { ...variant, latest: { ...variant.latest, state: 'in_review' }, version: 2 };
    const { api } = renderSignedIn('/app/jobs/j-1/template', 'recruiter', {
      [`GET ${base}/jobs/j-1`]: json(200, jobDetail()),
      [`GET ${base}/jobs/j-1/template`]: json(200, TEMPLATE),
      [`GET ${base}/content/items`]: json(200, { items: [], next_cursor: null }),
      [`POST ${base}/content/items/a/variants`]: json(201, variant),
      [`POST ${base}/content/items/v-1/transitions`]: json(200, submitted),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Job-specific wording for Alpha' }));
    const group = screen.getByRole('group', { name: 'Job-specific wording for Alpha' });
    fireEvent.change(within(group).getByLabelText('Title'), { target: { value: 'Alpha for Backend' } });
    fireEvent.click(within(group).getByRole('button', { name: 'Create the variant' }));
    expect(await screen.findByText(/Created a job-specific variant/)).toBeTruthy();
    const post = api.find('POST', `${base}/content/items/a/variants`)[0];
    expect(post.body).toMatchObject({ from_version: 1, job_id: 'j-1', body: { title: 'Alpha for Backend' } });
    expect(api.find('POST', `${base}/content/items/v-1/transitions`)[0].body).toEqual({ event: 'submit' });
    expect(document.querySelector('[data-entry="v-1"]')).toBeTruthy();
    expect(document.querySelector('[data-entry="a"]')).toBeNull();
  });
});

describe('blocking reasons', () => {
  it('name items by title where the page knows them', async () => {
    const { withTitles } = await import('../src/pages/TemplateBuilderPage');
    const id = '2fb808e8-e15e-4437-b302-e80f4228abe9';
    const e = { item_id: id, item_version: 1, time_limit_minutes: 10, weight: 1, body: null, candidate: { kind: 'technical', title: 'Kubernetes rollouts', prompt: '', expected_minutes: 10 } };
    expect(withTitles(`item ${id} v1 is in_review`, [e])).toBe('“Kubernetes rollouts” v1 is in_review');
    expect(withTitles('item 9ec7e2bc-e121-455d-ba91-7be2ce1151cc v1 is in_review', [e])).toBe('item 9ec7e2bc-e121-455d-ba91-7be2ce1151cc v1 is in_review');
  });
});

describe('LLM settings', () => {
  it('saves with If-Match; the key is write-only (empty keeps it, the box removes it)', async () => {
    const s = { enabled: false, base_url: '', model: '', has_api_key: true, timeout_seconds: 30, version: 2 };
    const { api } = renderSignedIn('/app/library/llm-settings', 'admin', {
      [`GET ${base}/content/llm-settings`]: json(200, s),
      [`PATCH ${base}/content/llm-settings`]: [json(200, { ...s, enabled: true, base_url: 'https://llm.example/v1', model: 'm1', version: 3 }), json(200, { ...s, has_api_key: false, version: 4 })],
    });
    expect(await heading('LLM settings')).toBeTruthy();
    expect(await screen.findByText('A key is stored. Leave empty to keep it.')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Use an LLM for proposals'));
    fireEvent.change(screen.getByLabelText('Base URL'), { target: { value: 'https://llm.example/v1' } });
    fireEvent.change(screen.getByLabelText('Model'), { target: { value: 'm1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    const first = api.find('PATCH', `${base}/content/llm-settings`)[0];
    expectCsrf(first);
    expect(first.headers.get('If-Match')).toBe('"v2"');
    expect(first.body).toEqual({ enabled: true, base_url: 'https://llm.example/v1', model: 'm1', timeout_seconds: 30 });
    fireEvent.click(await screen.findByLabelText('Remove the stored key'));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.find('PATCH', `${base}/content/llm-settings`)).toHaveLength(2));
    expect((api.find('PATCH', `${base}/content/llm-settings`)[1].body as { api_key: string }).api_key).toBe('');
  });

  it('is not offered to recruiters', async () => {
    renderSignedIn('/app/library/llm-settings', 'recruiter');
    expect(await heading("You don't have access")).toBeTruthy();
  });
});
