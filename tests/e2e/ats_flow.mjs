#!/usr/bin/env node
// ATS integration (issue 4) through the SPA, against the real server and a fake Greenhouse
// (tests/support/fake_ats_main.cpp: `hw_fake_ats --vendor=greenhouse --control --wall-clock`), to
// which the server must point (HIREWIRE_ATS_GREENHOUSE_API_URL / _TOKEN_URL; browser_test.sh does):
//   1. sign up (new organization, its owner)
//   2. Integrations > Connect an ATS > Greenhouse with the fake's OAuth client; the success step
//      shows the webhook URL and the generated secret: register both in the fake (control API)
//   3. Test connection -> connected; Done; Sync now -> the fake's jobs appear in Jobs
//   4. open a job, choose a shortlist stage, open its candidate pipeline (names shown to the owner)
//   5. move an application to the shortlist stage IN THE FAKE and flush its webhooks: the card moves
//      to that column without a reload, and a "reached shortlist stage" event is listed
//   6. a viewer (invited, accepted in a second browser context) sees the pipeline without any
//      candidate name, and no Integrations
//   node tests/e2e/ats_flow.mjs --base-url http://127.0.0.1:8080 --fake-url http://127.0.0.1:9999 --out-dir build
// Every wait is bounded (--timeout for UI steps, --sync-timeout for sync/webhook effects); polling
// loops re-check on a short interval and fail at their deadline. Screenshots OUT_DIR/e2e-ats-*.png;
// on failure OUT_DIR/e2e-ats-failure.png. Exit 0 when every step passed, 1 otherwise.

import { join } from 'node:path';

import * as lib from './lib.mjs';
import { api, chromium, expect, h1, ok } from './lib.mjs';

const { args, base, timeout } = lib.parseCommonArgs({
  ...lib.OUT_DIR_OPTION,
  ...lib.FAKE_ATS_OPTIONS,
  'seed-jobs': { type: 'string', default: '3' },
});
const outDir = lib.outDirOf(args);
const fakeUrl = lib.fakeUrlOf(args);
const syncTimeout = Number(args['sync-timeout']);
const seedJobs = Number(args['seed-jobs']);

const run = lib.runId();
const PASSWORD = 'teal-otter-harbor-83';
const owner = { name: 'Olga Owner', email: `ats-owner-${run}@example.test` };
const viewer = { name: 'Vera Viewer', email: `ats-viewer-${run}@example.test` };
const orgName = `E2E ATS ${run}`;
const CONNECTION = 'Greenhouse E2E';

// Refusals this flow provokes on purpose (the viewer's no-access check asks nothing, but a
// session probe on a public page may answer 401).
const EXPECTED_HTTP_ERRORS = lib.httpErrors([401, 403]);

let browser;
const pageErrors = [];
let current; // the page of the step running, for the failure screenshot

const shot = (page, name) => lib.screenshot(page, join(outDir, `e2e-ats-${name}.png`));

async function newPage() {
  const page = await lib.newPage(browser, timeout, pageErrors, (text) => EXPECTED_HTTP_ERRORS.test(text));
  current = page;
  return page;
}

/// The fake's control API (plain HTTP from Node).
async function control(method, path, body) {
  const r = await fetch(`${fakeUrl}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  expect(r.ok, `fake ${method} ${path} answered ${r.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

const until = (page, what, probe, ms = syncTimeout, every = 500) => lib.until(page, what, probe, ms, every);

const onBase = (url) => lib.onBase(base, url);

try {
  browser = await chromium.launch(lib.launchOptions(args.chromium));
  const page = await newPage();

  // 1. Sign up.
  const org = await lib.signUp(page, base, orgName, owner, PASSWORD);
  ok(`signed up ${owner.email} as owner of ${orgName}`);

  // 2. Connect Greenhouse.
  const orgNav = page.getByRole('navigation', { name: 'Organization' });
  await orgNav.getByRole('link', { name: 'Integrations' }).click();
  await h1(page, 'Integrations');
  await page.getByRole('link', { name: 'Connect an ATS' }).click();
  await h1(page, 'Connect an ATS');
  const form = page.getByRole('form', { name: 'Connect an ATS' });
  await form.getByLabel('Greenhouse', { exact: true }).check();
  await form.getByLabel('Connection name').fill(CONNECTION);
  await form.getByLabel('Client ID').fill(args['client-id']);
  await form.getByLabel('Client secret').fill(args['client-secret']);
  await form.getByRole('button', { name: 'Connect' }).click();
  const setup = page.getByRole('region', { name: 'Webhook setup' });
  await setup.waitFor();
  const webhookUrl = await setup.getByTestId('webhook-url').inputValue();
  const secret = await setup.getByTestId('webhook-secret').inputValue();
  expect(/\/webhooks\/greenhouse\/[^/]+$/.test(new URL(webhookUrl).pathname), `webhook URL ${webhookUrl}`);
  expect(secret.length >= 16, 'the generated webhook secret is shown');
  const steps = await setup.getByTestId('webhook-instructions').innerText();
  expect(steps.includes('Configure > Dev Center > Web Hooks'), 'Greenhouse instructions name Configure > Dev Center > Web Hooks');
  expect((await page.content()).includes(args['client-secret']) === false, 'the client secret is not in the page');
  ok(`connected: webhook URL ${webhookUrl}, secret shown once (${secret.length} chars)`);
  await shot(page, '1-webhook-setup');
  if (new URL(webhookUrl).origin !== new URL(base).origin) {
    console.log(`note: the webhook URL names ${new URL(webhookUrl).origin}, not ${base}; registering the same path on ${base}`);
  }
  const reg = await control('POST', '/_control/add_webhook_endpoint', { url: onBase(webhookUrl), secret });
  expect(reg?.ok === true, `registering the endpoint in the fake: ${JSON.stringify(reg)}`);
  ok('registered the webhook URL and secret in the fake Greenhouse');

  // 3. Test, then sync.
  await page.getByRole('region', { name: 'Connection test' }).getByRole('button', { name: 'Test connection' }).click();
  const result = page.getByTestId('test-result');
  await result.waitFor({ timeout: syncTimeout });
  expect((await result.getAttribute('data-ok')) === 'true', `connection test: ${await result.innerText()}`);
  await page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor();
  ok(`connection test passed: ${(await result.innerText()).trim()}`);
  await page.getByRole('button', { name: 'Done' }).click();
  await h1(page, 'Integrations');
  expect((await page.content()).includes(secret) === false, 'the webhook secret is gone after Done');
  const card = page.locator(`[data-connection="${CONNECTION}"]`);
  await card.locator('[data-testid="connection-state"][data-state="connected"]').waitFor();
  await card.getByRole('button', { name: 'Sync now' }).click();
  ok('Sync now');

  await orgNav.getByRole('link', { name: 'Jobs' }).click();
  await h1(page, 'Jobs');
  const rows = page.locator('tr[data-job-id]');
  await until(page, `${seedJobs} jobs in the Jobs list`, async () => {
    if ((await rows.count()) >= seedJobs) return true;
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('tr[data-job-id], .panel--empty, .state--error').first().waitFor();
    return (await rows.count()) >= seedJobs;
  });
  ok(`${await rows.count()} jobs imported and listed`);
  await shot(page, '2-jobs');

  // The dashboard counts them too (it refreshes itself while open).
  await orgNav.getByRole('link', { name: 'Integrations' }).click();
  await h1(page, 'Integrations');
  await until(page, `the dashboard to count ${seedJobs} jobs`, async () => (await card.locator('[data-count="jobs"]').innerText()).trim() === String(seedJobs));
  ok(`dashboard: ${seedJobs} jobs, ${(await card.locator('[data-count="applications"]').innerText()).trim()} applications`);
  await shot(page, '3-dashboard');

  // 4. A job, its shortlist stage, its pipeline.
  await orgNav.getByRole('link', { name: 'Jobs' }).click();
  await h1(page, 'Jobs');
  const firstJob = rows.first();
  await firstJob.waitFor();
  const jobId = await firstJob.getAttribute('data-job-id');
  await firstJob.getByRole('link').first().click();
  await page.getByTestId('job-title').waitFor();
  const jobTitle = (await page.getByTestId('job-title').innerText()).trim();
  const stageSelect = page.getByRole('form', { name: 'Choose the shortlist stage' }).getByLabel('Stage');
  const stageOptions = await stageSelect.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, label: o.textContent })));
  const stages = stageOptions.filter((o) => o.value);
  expect(stages.length >= 2, `job ${jobTitle} has stages: ${JSON.stringify(stageOptions)}`);
  // The latest stage that some application of the job is not in yet (so one can move into it).
  const apps = await until(page, `applications of job ${jobTitle} imported`, async () => {
    const r = await api(page, 'GET', `/api/v1/orgs/${org.id}/jobs/${jobId}/applications?limit=500`);
    expect(r.status === 200, `GET applications answered ${r.status}: ${JSON.stringify(r.body)}`);
    const list = Array.isArray(r.body) ? r.body : (r.body?.applications ?? []);
    return list.length > 0 ? list : null;
  });
  const shortlist = [...stages].reverse().find((s) => apps.some((a) => String(a.stage?.id) !== s.value));
  expect(shortlist, `a stage not every application is in: ${JSON.stringify(apps.map((a) => a.stage))}`);
  await stageSelect.selectOption(shortlist.value);
  await page.getByRole('button', { name: 'Save shortlist stage' }).click();
  await page.getByText(`Shortlist stage: ${shortlist.label}.`).waitFor();
  ok(`job “${jobTitle}”: shortlist stage “${shortlist.label}” (${shortlist.value})`);
  await shot(page, '4-job');

  await page.getByRole('link', { name: 'Candidate pipeline' }).click();
  await h1(page, `Pipeline: ${jobTitle}`);
  await page.waitForURL(`${base}/app/jobs/${jobId}/pipeline`);
  const cards = page.locator('.app-card');
  // Applications may still be importing: the page refreshes itself every few seconds.
  await until(page, 'application cards on the pipeline', async () => (await cards.count()) > 0);
  const names = (await page.locator('.app-card__name').allInnerTexts()).map((s) => s.trim());
  const realNames = names.filter((n) => !n.startsWith('Candidate #'));
  expect(realNames.length > 0, `the owner sees candidate names: ${names.join(', ')}`);
  ok(`pipeline: ${names.length} applications, names shown to the owner`);
  const column = page.locator(`.pipeline__col[data-stage-id="${shortlist.value}"]`);
  await column.waitFor();
  const candidates = page.locator(`.pipeline__col:not([data-stage-id="${shortlist.value}"]) .app-card`);
  await candidates.first().waitFor();
  // An active application (a rejected one may not raise a stage event), the oldest by id.
  const active = candidates.filter({ has: page.locator('.badge', { hasText: /^active$/ }) });
  const pool = (await active.count()) > 0 ? active : candidates;
  const ids = await pool.evaluateAll((els) => els.map((e) => e.getAttribute('data-application')));
  const oldest = ids.map((x) => String(x)).sort((x, y) => Number(x) - Number(y) || x.localeCompare(y))[0];
  const mover = page.locator(`.app-card[data-application="${oldest}"]`);
  const externalId = await mover.getAttribute('data-application');
  const applicationId = await mover.getAttribute('data-application-id');
  const moverName = (await mover.locator('.app-card__name').innerText()).trim();
  await shot(page, '5-pipeline-before');

  // 5. The ATS moves it; the webhook brings it here.
  await control('POST', '/_control/move_application', { application_id: Number(externalId), stage_id: Number(shortlist.value) });
  const flushed = await control('POST', '/_control/flush_webhooks', {});
  const deliveries = Array.isArray(flushed) ? flushed : (flushed?.deliveries ?? []);
  expect(deliveries.length > 0, `the fake delivered the stage change: ${JSON.stringify(flushed)}`);
  expect(deliveries.every((d) => d.status === 200), `webhook deliveries answered: ${JSON.stringify(deliveries)}`);
  ok(`moved application ${externalId} (${moverName}) to “${shortlist.label}” in the fake; ${deliveries.length} webhook(s) answered 200`);
  await column.locator(`.app-card[data-application="${externalId}"]`).waitFor({ timeout: syncTimeout });
  ok('the card moved to the shortlist column without a reload');
  await page.locator(`[data-testid="stage-events"] li[data-application-id="${applicationId}"]`).waitFor({ timeout: syncTimeout });
  const eventText = await page.locator(`[data-testid="stage-events"] li[data-application-id="${applicationId}"]`).innerText();
  expect(eventText.includes(`reached shortlist stage “${shortlist.label}”`), `stage event: ${eventText}`);
  ok(`stage event listed: ${eventText.trim()}`);
  await shot(page, '6-pipeline-after');

  // 6. A viewer: invited through the API, accepted in a second browser context.
  const vpage = await newPage();
  await lib.inviteAndAccept(page, vpage, { base, orgId: org.id, person: viewer, role: 'viewer', password: PASSWORD, ms: syncTimeout });
  ok(`signed in as ${viewer.email} (viewer) in a second browser context`);
  const vnav = await vpage.getByRole('navigation', { name: 'Organization' }).getByRole('link').allInnerTexts();
  expect(vnav.includes('Jobs') && !vnav.includes('Integrations'), `a viewer's organization navigation: ${vnav.join(', ')}`);
  await vpage.goto(`${base}/app/jobs/${jobId}/pipeline`, { waitUntil: 'load' });
  await h1(vpage, `Pipeline: ${jobTitle}`);
  const vcards = vpage.locator('.app-card');
  await until(vpage, 'application cards for the viewer', async () => (await vcards.count()) > 0);
  const vnames = (await vpage.locator('.app-card__name').allInnerTexts()).map((s) => s.trim());
  expect(vnames.every((n) => /^Candidate #\S+$/.test(n)), `a viewer sees candidate names: ${vnames.join(', ')}`);
  const vtext = await vpage.locator('main').innerText();
  const leaked = realNames.filter((n) => vtext.includes(n));
  expect(leaked.length === 0, `the viewer's page shows names: ${leaked.join(', ')}`);
  expect(!/@/.test(await vpage.locator('.pipeline').innerText()), 'the viewer sees e-mail addresses');
  const vapi = await api(vpage, 'GET', `/api/v1/orgs/${org.id}/jobs/${jobId}/applications?limit=500`);
  expect(vapi.status === 200, `GET applications as a viewer answered ${vapi.status}`);
  const withPii = (vapi.body?.applications ?? []).filter((a) => a.candidate?.first_name || a.candidate?.last_name || a.candidate?.email);
  expect(withPii.length === 0, `the API sent PII to a viewer for ${withPii.length} applications`);
  ok(`the viewer sees ${vnames.length} cards as “Candidate #…”; the API sent no names or e-mails`);
  await shot(vpage, '7-viewer-pipeline');
  await vpage.goto(`${base}/app/integrations`, { waitUntil: 'load' });
  await h1(vpage, "You don't have access");
  ok('a viewer opening /app/integrations sees "You don\'t have access"');

  expect(pageErrors.length === 0, `errors in the page:\n  ${pageErrors.join('\n  ')}`);
  ok('no unexpected errors in the page console');
  console.log('PASS: ATS flow');
} catch (e) {
  await lib.reportFailure(e, pageErrors, current, join(outDir, 'e2e-ats-failure.png'));
} finally {
  await browser?.close().catch(() => {});
}
