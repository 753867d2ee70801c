import { describe, expect, it } from 'vitest';
// The C++ enums, read as text: the copies in src/lib/content.ts must match them.
import contentHpp from '../../actors/domain/content.hpp?raw';
import {
  CATEGORIES,
  DIFFICULTIES,
  KINDS,
  LANGUAGES,
  SENIORITIES,
  bodyFields,
  candidateView,
  emptyBody,
  itemsQuery,
  move,
  parseProblemDetail,
  toItemView,
  validateItemBody,
  validateTemplate,
  type ItemBody,
} from '../src/lib/content';
import { diffFields, diffText } from '../src/lib/diff';
import { renderMarkdown } from '../src/lib/markdown';

function validBody(over: Partial<ItemBody> = {}): ItemBody {
  return {
    ...emptyBody('technical'),
    title: 'Index a table',
    prompt: 'How would you **index** this?',
    rubric: { strong: 's', acceptable: 'a', weak: 'w' },
    skills: ['postgresql'],
    ...over,
  };
}

describe('markdown sanitizer', () => {
  it('renders Markdown', () => {
    const html = renderMarkdown('# Title\n\nSome **bold** and `code`.\n\n- a\n- b');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<li>a</li>');
  });

  it('neutralizes <img onerror>, <script>, javascript: links and event handlers', () => {
    const evil = [
      'Hello <img src=x onerror="window.__pwned=1">',
      '<script>window.__pwned=2</script>',
      '[click](javascript:window.__pwned=3)',
      '<a href="javascript:alert(1)">raw link</a>',
      '<a href="JaVaScRiPt:alert(1)">mixed case</a>',
      '<p onclick="alert(1)" onmouseover="alert(2)">p</p>',
      '<iframe src="https://evil.example"></iframe><svg onload="alert(1)"><script>alert(1)</script></svg>',
      '<style>body{display:none}</style><form action="/x"><input name="p"></form>',
      '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
      '[ok](https://example.com/docs)',
    ].join('\n\n');
    const html = renderMarkdown(evil);
    expect(html).not.toMatch(/onerror|onclick|onmouseover|onload|<script|javascript:|<iframe|<svg|<style|<form|<input|data:text/i);
    expect(html).toContain('href="https://example.com/docs"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
    expect(html).toContain('<img src="x"');

    // Inserted into the DOM, nothing runs.
    const w = window as unknown as { __pwned?: number };
    delete w.__pwned;
    const box = document.createElement('div');
    box.innerHTML = html;
    document.body.appendChild(box);
    box.querySelectorAll('a').forEach((a) => a.click());
    expect(w.__pwned).toBeUndefined();
    expect(box.querySelector('script,[onerror],[onclick]')).toBeNull();
    for (const a of box.querySelectorAll('a')) expect(a.getAttribute('href') ?? '').not.toMatch(/^\s*(javascript|data):/i);
    box.remove();
  });

  it('empty input renders nothing', () => {
    expect(renderMarkdown('')).toBe('');
    expect(renderMarkdown(null)).toBe('');
  });
});

describe('diff', () => {
  it('marks changed lines and the words in them', () => {
    const lines = diffText('one\ntwo three\nfour', 'one\ntwo 3\nfour\nfive');
    expect(lines.map((l) => `${l.kind}:${l.text}`)).toEqual(['same:one', 'del:two three', 'add:two 3', 'same:four', 'add:five']);
    const del = lines[1].words!;
    expect(del.filter((w) => w.kind === 'del').map((w) => w.text.trim())).toEqual(['three']);
    const add = lines[2].words!;
    expect(add.filter((w) => w.kind === 'add').map((w) => w.text.trim())).toEqual(['3']);
  });

  it('diffs bodies field by field', () => {
    const a = validBody();
    const b = validBody({ prompt: 'How would you **partition** this?', skills: ['postgresql', 'sql'] });
    const d = diffFields(bodyFields(a), bodyFields(b));
    expect(d.filter((f) => f.changed).map((f) => f.field)).toEqual(['Prompt', 'Skills']);
    expect(d.find((f) => f.field === 'Title')!.changed).toBe(false);
    expect(diffText('', 'new').map((l) => l.kind)).toEqual(['add']);
  });
});

describe('item body rules (copy of domain::parse_item_body)', () => {
  it('enums match content.hpp', () => {
    const en = (name: string) => {
      const m = new RegExp(`enum class ${name}[^{]*\\{([^}]*)\\}`).exec(contentHpp);
      return m![1].split(',').map((s) => s.trim()).filter(Boolean);
    };
    expect([...KINDS]).toEqual(en('content_kind'));
    expect([...DIFFICULTIES]).toEqual(en('difficulty'));
    expect([...SENIORITIES]).toEqual(en('seniority'));
    expect([...CATEGORIES]).toEqual(en('job_category'));
    const langs = /supported_languages\[\] = \{([^}]*)\}/.exec(contentHpp)![1].match(/"([a-z]+)"/g)!.map((s) => s.slice(1, -1));
    expect([...LANGUAGES]).toEqual(langs);
  });

  it('a valid body has no problems', () => {
    expect(validateItemBody(validBody())).toEqual([]);
  });

  it('lists every problem with its path', () => {
    const b = validBody({ title: '', prompt: '', expected_minutes: 0, skills: [], seniorities: ['guru'], rubric: { strong: '', acceptable: 'a', weak: 'w' } });
    const paths = validateItemBody(b).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['/title', '/prompt', '/expected_minutes', '/skills', '/seniorities/0', '/rubric/strong']));
  });

  it('coding challenges: languages, starter code, visible and hidden tests, json io', () => {
    const b = validBody({ kind: 'coding' });
    expect(validateItemBody(b).map((p) => p.path)).toContain('/coding');
    b.coding = {
      io: 'json',
      languages: ['python', 'cobol'],
      starter_code: { go: 'package main' },
      test_cases: [
        { name: 't', input: '[1,2]', expected_output: 'not json', visible: true, weight: 1 },
        { name: 't', input: '{}', expected_output: '3', visible: true, weight: 0 },
      ],
    };
    const paths = validateItemBody(b).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/coding/languages/1',
        '/coding/starter_code/go',
        '/coding/test_cases',
        '/coding/test_cases/0/expected_output',
        '/coding/test_cases/1/name',
        '/coding/test_cases/1/weight',
      ]),
    );
    const ok = validBody({ kind: 'coding' });
    ok.coding = {
      io: 'stdin_stdout',
      languages: ['python'],
      starter_code: { python: 'def f(): pass' },
      test_cases: [
        { name: 'a', input: '1', expected_output: '1', visible: true, weight: 1 },
        { name: 'b', input: '2', expected_output: '2', visible: false, weight: 3 },
      ],
    };
    expect(validateItemBody(ok)).toEqual([]);
    expect(validateItemBody({ ...validBody(), coding: ok.coding }).map((p) => p.path)).toEqual(['/coding']);
  });

  it('the candidate view has no rubric and no hidden tests', () => {
    const b = validBody({ kind: 'coding' });
    b.coding = {
      io: 'stdin_stdout',
      languages: ['python'],
      starter_code: {},
      test_cases: [
        { name: 'shown', input: '1', expected_output: '1', visible: true, weight: 1 },
        { name: 'secret', input: 'SECRET-IN', expected_output: 'SECRET-OUT', visible: false, weight: 5 },
      ],
    };
    const c = candidateView(b);
    const text = JSON.stringify(c);
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('rubric');
    expect(text).not.toContain('weight');
    expect(c.coding!.hidden_test_count).toBe(1);
  });

  it('parses the server detail into field problems', () => {
    expect(parseProblemDetail('title: must be 1..200 characters; /coding/test_cases/2/input: is not valid JSON; something else')).toEqual([
      { path: '/title', message: 'must be 1..200 characters' },
      { path: '/coding/test_cases/2/input', message: 'is not valid JSON' },
      { path: '', message: 'something else' },
    ]);
  });
});

describe('API shapes', () => {
  it('versions come as pairs or objects', () => {
    const v = toItemView({ id: 'i', latest: { number: 2, state: 'draft', body: validBody() }, versions: [[2, 'draft'], [1, 'approved']], approved_version: 1, version: 5 });
    expect(v.versions).toEqual([
      { number: 2, state: 'draft' },
      { number: 1, state: 'approved' },
    ]);
    const w = toItemView({ id: 'i', latest: {}, versions: [{ number: 1, state: 'approved' }] });
    expect(w.versions).toEqual([{ number: 1, state: 'approved' }]);
    expect(w.approved_version).toBeNull();
  });

  it('query string carries only set filters', () => {
    expect(itemsQuery({ q: '  sql ', kind: 'coding', state: '', include_archived: true, cursor: 'c1', limit: 25 })).toBe('q=sql&kind=coding&include_archived=true&limit=25&cursor=c1');
  });

  it('template rules and reorder', () => {
    const e = (id: string, m: number) => ({ item_id: id, item_version: 1, time_limit_minutes: m, weight: 1 });
    expect(validateTemplate('', [{ title: 'A', items: [e('x', 10)] }])).toEqual([]);
    expect(validateTemplate('', [{ title: '', items: [e('x', 2), e('x', 1)] }]).length).toBe(3);
    expect(move([1, 2, 3], 0, -1)).toEqual([1, 2, 3]);
    expect(move([1, 2, 3], 0, 1)).toEqual([2, 1, 3]);
    expect(move([1, 2, 3], 2, -1)).toEqual([1, 3, 2]);
  });
});
