#!/usr/bin/env node
// Interview content (issue 5) through the SPA, against the real server and a fake Greenhouse
// (hw_fake_ats --vendor=greenhouse --control; browser_test.sh starts it and points the server at it):
//   1. sign up (the owner); connect the fake Greenhouse and sync (API: the UI of that is ats_flow's)
//   2. invite a hiring manager, who accepts in a second browser context
//   3. the owner opens an imported job, writes its description (the fake's seeded jobs say only
//      "Join us"), claims it, and "Mark ready" is refused: no approved interview template
//   4. Interview template > Propose from the job description > coverage table > Apply: the
//      generated questions are drafts in the review queue, authored by the owner
//   5. the owner opening one of them in review: Approve is disabled with the reason, and trying
//      anyway shows the server's refusal
//   6. the hiring manager approves every generated draft; the owner submits the template; the
//      hiring manager approves it
//   7. "Mark ready" now succeeds: the job is ready to invite
//   8. script injection: an item whose prompt carries <img onerror> and <script> setting a window
//      flag is previewed and saved; the flag stays unset and no handler is in the DOM
//   node tests/e2e/content_flow.mjs --base-url http://127.0.0.1:8080 --fake-url http://127.0.0.1:9999 --out-dir build
// Screenshots OUT_DIR/e2e-content-*.png; on failure OUT_DIR/e2e-content-failure.png. Exit 0 when
// every step passed, 1 otherwise.

import { join } from 'node:path';

import * as lib from './lib.mjs';
import { api, chromium, expect, h1, ok } from './lib.mjs';

const { args, base, timeout } = lib.parseCommonArgs({
  ...lib.OUT_DIR_OPTION,
  ...lib.FAKE_ATS_OPTIONS,
});
const outDir = lib.outDirOf(args);
const fakeUrl = lib.fakeUrlOf(args);
const syncTimeout = Number(args['sync-timeout']);

const run = lib.runId();
const PASSWORD = 'amber-lynx-meadow-61';
const owner = { name: 'Otto Owner', email: `content-owner-${run}@example.test` };
const manager = { name: 'Hana Manager', email: `content-hm-${run}@example.test` };
const orgName = `E2E Content ${run}`;

const DESCRIPTION =
  '<p>We are hiring a <b>Senior Backend Engineer</b> with 6+ years of experience building services.</p>' +
  '<h3>Requirements</h3><ul><li>Strong Go and PostgreSQL (query tuning, indexing)</li>' +
  '<li>Kubernetes (k8s) and Docker in production</li><li>Redis for caching</li></ul>';
const REQUIREMENTS = 'Go, PostgreSQL, Kubernetes, Docker, Redis. 6+ years.';

// Refusals this flow provokes on purpose: 403 (own item), 409/422 (mark ready and template
// transitions refused), 404 (no template yet; the injected <img src=x>), 401 (session probes).
const EXPECTED_HTTP_ERRORS = lib.httpErrors([401, 403, 404, 409, 412, 422]);

// While the script-injection step runs, Chromium reports the payload's inline handlers as CSP
// violations when the sanitizer PARSES the text (into an inert document: nothing runs there, and
// the server's CSP would block them anyway). Those reports are counted, not failures.
const CSP_REPORT = /violates the following Content Security Policy directive/;
let injectionStep = false;
let cspReports = 0;

let browser;
const pageErrors = [];
let current;

const shot = (page, name) => lib.screenshot(page, join(outDir, `e2e-content-${name}.png`));

async function newPage() {
  const page = await lib.newPage(browser, timeout, pageErrors, (text) => {
    if (EXPECTED_HTTP_ERRORS.test(text)) return true;
    if (!injectionStep || !CSP_REPORT.test(text)) return false;
    cspReports++;
    return true;
  });
  page.on('dialog', (d) => {
    pageErrors.push(`a dialog opened: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  current = page;
  return page;
}

const until = (page, what, probe, ms = syncTimeout, every = 500) => lib.until(page, what, probe, ms, every);

/// The item ids a template version references (any section).
function templateItemIds(t) {
  const latest = (t?.template ?? t)?.latest;
  return (latest?.sections ?? []).flatMap((s) => (s.items ?? []).map((e) => e.item_id));
}

/// The flag the injected payloads would set, and any event-handler attribute in the page.
async function injectionState(page) {
  return page.evaluate(() => ({
    flag: window.__hwInjected ?? null,
    handlers: document.querySelectorAll('[onerror],[onload],[onclick],[onmouseover]').length,
    scripts: [...document.querySelectorAll('main script')].length,
  }));
}

try {
  browser = await chromium.launch(lib.launchOptions(args.chromium));
  const page = await newPage();

  // 1. Sign up; connect the fake Greenhouse and sync.
  const org = await lib.signUp(page, base, orgName, owner, PASSWORD);
  const O = `/api/v1/orgs/${org.id}`;
  ok(`signed up ${owner.email} as owner of ${orgName}`);

  const created = await api(page, 'POST', `${O}/ats/connections`, {
    vendor: 'greenhouse',
    name: 'Greenhouse content E2E',
    credentials: { client_id: args['client-id'], client_secret: args['client-secret'] },
    settings: { sync_interval_minutes: 60 },
  });
  expect(created.status === 201 || created.status === 200, `connecting the fake Greenhouse answered ${created.status}: ${JSON.stringify(created.body)}`);
  const connectionId = created.body?.connection?.id ?? created.body?.id;
  const tested = await api(page, 'POST', `${O}/ats/connections/${connectionId}/test`);
  expect(tested.status === 200 && tested.body?.ok === true, `the connection test answered ${tested.status}: ${JSON.stringify(tested.body)}`);
  const synced = await api(page, 'POST', `${O}/ats/connections/${connectionId}/sync`);
  expect(synced.status < 300, `sync answered ${synced.status}: ${JSON.stringify(synced.body)}`);
  const job = await until(page, 'an imported open job', async () => {
    const r = await api(page, 'GET', `${O}/jobs?limit=50`);
    const jobs = Array.isArray(r.body) ? r.body : (r.body?.jobs ?? []);
    return jobs.find((j) => (j.summary ?? j).ats_status === 'open') ?? null;
  });
  const jobId = (job.summary ?? job).id;
  ok(`the fake Greenhouse is connected and synced: job ${jobId}`);

  // 2. A hiring manager (a second user) joins through an invitation.
  const hm = await newPage();
  await lib.inviteAndAccept(page, hm, { base, orgId: org.id, person: manager, role: 'hiring_manager', password: PASSWORD, ms: syncTimeout });
  const hmNav = await hm.getByRole('navigation', { name: 'Organization' }).getByRole('link').allInnerTexts();
  expect(hmNav.includes('Library') && hmNav.includes('Review queue'), `a hiring manager's navigation: ${hmNav.join(', ')}`);
  ok(`${manager.email} joined as hiring manager (second browser context)`);
  current = page;

  // 3. The job: a description with skills, claimed; mark ready is refused without a template.
  await page.goto(`${base}/app/jobs/${jobId}`, { waitUntil: 'load' });
  await page.getByTestId('job-title').waitFor();
  const jobTitle = (await page.getByTestId('job-title').innerText()).trim();
  await page.getByRole('button', { name: 'Edit job details' }).click();
  const edit = page.getByRole('form', { name: 'Edit job details' });
  await edit.getByLabel('Description (HTML)').fill(DESCRIPTION);
  await edit.getByLabel('Requirements').fill(REQUIREMENTS);
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Saved. Edited fields keep your version across syncs.').waitFor();
  const transitions = page.getByTestId('transitions');
  if (await transitions.getByRole('button', { name: 'Claim as draft' }).count()) {
    await transitions.getByRole('button', { name: 'Claim as draft' }).click();
    await page.locator('[data-posting-state="draft"]').first().waitFor();
  }
  await page.locator('[data-posting-state="draft"]').first().waitFor();
  const markReady = transitions.getByRole('button', { name: 'Mark ready' });
  if (await markReady.count()) {
    await markReady.click();
    const refusal = page.locator('.form-error[role="alert"]').filter({ hasText: /\S/ }).first();
    await refusal.waitFor();
    expect((await page.locator('[data-posting-state="ready"]').count()) === 0, 'the job became ready without an approved template');
    ok(`“${jobTitle}”: Mark ready refused before a template is approved (“${(await refusal.innerText()).trim()}”)`);
  } else {
    // The server's list of allowed events leaves it out: ask anyway.
    const r = await api(page, 'POST', `${O}/jobs/${jobId}/transitions`, { event: 'mark_ready' });
    expect(r.status >= 400 && r.status < 500, `mark_ready without a template answered ${r.status}: ${JSON.stringify(r.body)}`);
    ok(`“${jobTitle}”: Mark ready is not offered, and the API refuses it (${r.status}: ${r.body?.detail ?? ''})`);
  }
  await shot(page, '1-ready-refused');

  // 4. Propose a template from the description, inspect coverage, apply.
  await page.getByRole('link', { name: 'Interview template' }).click();
  await h1(page, `Interview template: ${jobTitle}`);
  await page.getByRole('link', { name: 'Propose from the job description' }).click();
  await h1(page, `Propose a template for ${jobTitle}`);
  await page.getByRole('button', { name: 'Propose' }).click();
  await page.getByTestId('profile-seniority').waitFor();
  const coverage = page.getByRole('region', { name: 'Coverage' });
  const covRows = coverage.locator('tr[data-coverage]');
  await covRows.first().waitFor();
  const covered = await covRows.evaluateAll((rs) => rs.map((r) => `${r.getAttribute('data-coverage')}: ${r.querySelector('td:nth-child(3)')?.textContent}`));
  const skills = await covRows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-coverage')));
  expect(skills.includes('postgresql') && skills.includes('kubernetes'), `the proposal found the job's skills: ${skills.join(', ')}`);
  const generated = page.locator('[data-source="generated"]');
  const nGenerated = await generated.count();
  expect(nGenerated > 0, 'the proposal has generated drafts (the library has no approved items yet)');
  ok(`proposal: coverage ${covered.join('; ')}; ${nGenerated} generated drafts`);
  await shot(page, '2-proposal');
  await page.getByRole('button', { name: 'Apply to the template' }).click();
  await page.waitForURL(`${base}/app/jobs/${jobId}/template?applied=1`);
  await page.getByText(/Proposal applied/).waitFor();
  await page.getByTestId('blocking').waitFor();
  const tpl = await api(page, 'GET', `${O}/jobs/${jobId}/template`);
  expect(tpl.status === 200, `GET template answered ${tpl.status}`);
  const itemIds = templateItemIds(tpl.body);
  expect(itemIds.length > 0, `the applied template references items: ${JSON.stringify(tpl.body)}`);
  ok(`applied: template draft with ${itemIds.length} items; blocked until they are approved`);
  await shot(page, '3-template-draft');

  // Submitting now is refused (its items are not approved).
  const submit = page.getByRole('button', { name: 'Submit for approval' });
  await submit.click();
  await page.locator('.form-error[role="alert"]').filter({ hasText: /\S/ }).first().waitFor();
  ok('submitting the template with unapproved items is refused');

  // The drafts are in the review queue.
  await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Review queue' }).click();
  await h1(page, 'Review queue');
  for (const id of itemIds) await page.locator(`tr[data-item-id="${id}"]`).waitFor();
  ok(`the ${itemIds.length} generated drafts are in the review queue`);

  // 5. The author cannot approve their own item.
  await page.locator(`tr[data-item-id="${itemIds[0]}"]`).getByRole('link').first().click();
  await page.getByTestId('own-item-reason').waitFor();
  const origin = (await page.getByTestId('item-origin').innerText()).trim();
  expect(/generated from job/.test(origin), `a generated item records its origin: ${origin}`);
  expect(await page.getByRole('button', { name: 'Approve', exact: true }).isDisabled(), 'Approve is disabled on the author’s own item');
  await page.getByRole('button', { name: 'Try approving anyway' }).click();
  const own = page.getByRole('region', { name: 'Decision' }).locator('.form-error[role="alert"]');
  await own.filter({ hasText: 'Refused:' }).waitFor();
  ok(`the author approving their own item is refused: “${(await own.innerText()).trim()}”`);
  await shot(page, '4-own-item-refused');

  // 6. The hiring manager approves every draft, then the template.
  current = hm;
  for (const id of itemIds) {
    await hm.goto(`${base}/app/review/${id}`, { waitUntil: 'load' });
    await hm.getByTestId('review-prompt').waitFor();
    await hm.getByRole('button', { name: 'Approve', exact: true }).click();
    await hm.getByText(/^Approved version \d+\.$/).waitFor();
  }
  ok(`the hiring manager approved ${itemIds.length} items`);
  await shot(hm, '5-approved');

  current = page;
  await page.goto(`${base}/app/jobs/${jobId}/template`, { waitUntil: 'load' });
  await h1(page, `Interview template: ${jobTitle}`);
  expect((await page.getByTestId('blocking').count()) === 0, 'nothing blocks the template once its items are approved');
  await page.getByRole('button', { name: 'Submit for approval' }).click();
  await page.getByText('Submitted for approval.').waitFor();
  ok('the owner submitted the template');

  current = hm;
  await hm.goto(`${base}/app/jobs/${jobId}/template`, { waitUntil: 'load' });
  await h1(hm, `Interview template: ${jobTitle}`);
  await hm.getByRole('button', { name: 'Preview as the candidate' }).click();
  const preview = hm.getByTestId('candidate-preview');
  await preview.waitFor();
  expect(!(await preview.innerText()).includes('Rubric'), 'the candidate preview shows no rubric');
  await hm.getByRole('button', { name: 'Back to editing' }).click();
  await hm.getByRole('button', { name: 'Approve template' }).click();
  await hm.getByText(/Template approved/).waitFor();
  expect((await hm.getByTestId('approved-template-version').innerText()).trim() === 'v1', 'the template has an approved version');
  ok('the hiring manager approved the template');
  await shot(hm, '6-template-approved');

  // 7. Ready to invite.
  current = page;
  await page.goto(`${base}/app/jobs/${jobId}`, { waitUntil: 'load' });
  await page.getByTestId('job-title').waitFor();
  await page.getByTestId('transitions').getByRole('button', { name: 'Mark ready' }).click();
  await page.locator('[data-posting-state="ready"]').first().waitFor({ timeout: syncTimeout });
  ok('Mark ready succeeds: the job is ready to invite');
  await shot(page, '7-job-ready');

  // 8. Script injection in a prompt never runs.
  const PAYLOAD =
    'Explain **indexes**.\n\n<img src=x onerror="window.__hwInjected=1">\n\n<script>window.__hwInjected=2</script>\n\n' +
    '<a href="javascript:window.__hwInjected=3">click</a> <svg onload="window.__hwInjected=4"></svg>';
  injectionStep = true;
  await page.goto(`${base}/app/library/new`, { waitUntil: 'load' });
  await h1(page, 'New question');
  const editor = page.getByRole('form', { name: 'Item editor' });
  await editor.getByTestId('item-title-input').fill('Injection probe');
  await editor.getByTestId('item-prompt-input').fill(PAYLOAD);
  await editor.getByLabel('A strong answer').fill('Names B-trees and selectivity.');
  await editor.getByLabel('An acceptable answer').fill('Knows indexes speed up reads.');
  await editor.getByLabel('A weak answer').fill('No idea.');
  await editor.getByTestId('item-skills-input').fill('postgres');
  await page.getByTestId('candidate-preview').getByTestId('candidate-prompt').locator('img').waitFor({ state: 'attached' });
  await page.waitForTimeout(300);
  let st = await injectionState(page);
  expect(st.flag === null && st.handlers === 0 && st.scripts === 0, `the editor preview ran the payload: ${JSON.stringify(st)}`);
  await editor.getByRole('button', { name: 'Create draft' }).click();
  await page.getByTestId('item-prompt').waitFor();
  await page.getByTestId('item-prompt').locator('img').waitFor({ state: 'attached' });
  const promptLink = page.getByTestId('item-prompt').getByRole('link', { name: 'click' });
  if (await promptLink.count()) await promptLink.click({ timeout: 2000 }).catch(() => {});
  await page.waitForTimeout(300);
  st = await injectionState(page);
  expect(st.flag === null && st.handlers === 0 && st.scripts === 0, `the item page ran the payload: ${JSON.stringify(st)}`);
  const skillsShown = await page.locator('dt:text-is("Skills") + dd .tag').allInnerTexts();
  injectionStep = false;
  ok(
    `script injection: the prompt's <img onerror>, <script>, javascript: link and <svg onload> did not run ` +
      `(${cspReports} CSP reports from parsing; skills stored: ${skillsShown.join(', ')})`,
  );
  await shot(page, '8-injection');

  expect(pageErrors.length === 0, `errors in the page:\n  ${pageErrors.join('\n  ')}`);
  ok('no unexpected errors in the page console');
  console.log('PASS: content flow');
} catch (e) {
  await lib.reportFailure(e, pageErrors, current, join(outDir, 'e2e-content-failure.png'));
} finally {
  await browser?.close().catch(() => {});
}
