#!/usr/bin/env node
// People and access (issue 3) through the SPA, as people would do it, against the real server:
//   1. sign up (new organization, its owner)
//   2. invite a teammate as recruiter and another as viewer
//   3. open the invitation mail in the dev mailbox, follow its link, set name + password:
//      signed in as the recruiter
//   4. the viewer accepts too, and cannot reach admin screens (/app/api-keys, /app/invitations
//      show "You don't have access"; the API answers 403)
//   5. sign out: a reload shows the sign-in page and GET /api/v1/session answers 401
//   node tests/e2e/accounts_flow.mjs --base-url http://127.0.0.1:8080 --out-dir build
// Needs the dev mailbox transport (smtp.url empty) and cookies the browser accepts on plain HTTP
// (see web/README.md). Screenshots: OUT_DIR/e2e-accounts-*.png; on failure
// OUT_DIR/e2e-accounts-failure.png. Exit 0 when every step passed, 1 otherwise.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as lib from './lib.mjs';
import { chromium, expect, ok } from './lib.mjs';

const { args, base, timeout } = lib.parseCommonArgs({
  ...lib.OUT_DIR_OPTION,
  'mail-timeout': { type: 'string', default: '30000' },
});
const outDir = lib.outDirOf(args);
const mailTimeout = Number(args['mail-timeout']);

const run = lib.runId();
const PASSWORD = 'purple-giraffe-volcano-47';
const owner = { name: 'Olivia Owner', email: `owner-${run}@example.test` };
const recruiter = { name: 'Rita Recruiter', email: `recruiter-${run}@example.test` };
const viewer = { name: 'Victor Viewer', email: `viewer-${run}@example.test` };
const orgName = `E2E Acme ${run}`;

// Refusals this flow provokes on purpose; browsers log every 4xx resource load as a console error.
const EXPECTED_HTTP_ERRORS = lib.httpErrors([401, 403]);

const userDataDir = mkdtempSync(join(tmpdir(), 'hw-e2e-accounts-'));
let context;
let page;
const pageErrors = [];

const shot = (name) => lib.screenshot(page, join(outDir, `e2e-accounts-${name}.png`));
const h1 = (name) => lib.h1(page, name);

/// GET from inside the page (same origin, the page's cookies).
const api = (method, path) => lib.api(page, method, path);

async function signedInAs(person) {
  await page.getByRole('banner').getByRole('link', { name: person.name }).waitFor();
  const s = await api('GET', '/api/v1/session');
  expect(s.status === 200, `GET /api/v1/session answered ${s.status} for ${person.email}`);
  expect(s.body?.user?.email === person.email, `signed in as ${s.body?.user?.email}, expected ${person.email}`);
  return s.body;
}

async function signOut() {
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${base}/app/login`);
  await h1('Sign in');
}

async function logIn(person) {
  await page.goto(`${base}/app/login`, { waitUntil: 'load' });
  await h1('Sign in');
  const form = page.getByRole('form', { name: 'Sign in with password' });
  await form.getByLabel('E-mail').fill(person.email);
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await signedInAs(person);
}

async function invite(email, role) {
  const form = page.getByRole('form', { name: 'Invite a teammate' });
  await form.getByLabel('E-mail').fill(email);
  await form.getByLabel('Role').selectOption(role);
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await page.getByText(`Invitation sent to ${email}.`).waitFor();
  const row = page.locator(`[data-invitation="${email}"]`);
  await row.waitFor();
  expect(/pending/i.test(await row.innerText()), `invitation row for ${email}: ${await row.innerText()}`);
}

/// Opens the dev mailbox, waits for the invitation mail to `email` (the e-mail worker sends it
/// asynchronously), opens it and returns the acceptance link from its text body.
async function invitationLink(email) {
  await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Dev mailbox' }).click();
  await h1('Dev mailbox');
  const item = page.locator('.mail-list__item').filter({ hasText: email });
  const deadline = Date.now() + mailTimeout;
  while ((await item.count()) === 0) {
    expect(Date.now() < deadline, `no mail to ${email} in the dev mailbox after ${mailTimeout} ms`);
    await page.waitForTimeout(500);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('.mailbox, .state').first().waitFor();
  }
  await item.first().click();
  const text = page.getByTestId('mail-text');
  await text.waitFor();
  const link = text.locator('a[href*="accept-invitation"]').first();
  await link.waitFor();
  const href = await link.getAttribute('href');
  expect(href && /[#?&]token=/.test(href), `the invitation link has no token: ${href}`);
  return { link, href };
}

/// Follows the link as the newcomer would (a click). If the server's public origin differs from
/// the address this test uses, goes to the same path on our base URL instead.
async function followLink({ link, href }) {
  const u = new URL(href, base);
  if (u.origin === new URL(base).origin) {
    await link.click();
  } else {
    console.log(`note: the mail links to ${u.origin}, not ${base}; following the same path on ${base}`);
    await page.goto(`${base}${u.pathname}${u.search}${u.hash}`, { waitUntil: 'load' });
  }
  await page.waitForURL((url) => url.pathname === '/app/accept-invitation');
}

async function accept(person, role) {
  await page.getByRole('heading', { level: 1, name: `Join ${orgName}` }).waitFor();
  const shown = (await page.getByTestId('invited-email').innerText()).trim();
  expect(shown === person.email, `the invitation shows ${shown}, expected ${person.email}`);
  expect((await page.locator('main').innerText()).includes(role), `the invitation does not show the role ${role}`);
  const form = page.getByRole('form', { name: 'Accept the invitation' });
  await form.getByLabel('Your name').fill(person.name);
  await form.getByLabel('Choose a password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Accept invitation' }).click();
  await page.waitForURL(`${base}/app/`);
  return signedInAs(person);
}

async function expectNoAccess(path) {
  await page.goto(`${base}/app${path}`, { waitUntil: 'load' });
  await h1("You don't have access");
  await page.getByTestId('no-access').waitFor();
}

try {
  context = await chromium.launchPersistentContext(userDataDir, {
    ...lib.launchOptions(args.chromium),
    viewport: { width: 1200, height: 900 },
  });
  context.setDefaultTimeout(timeout);
  page = context.pages()[0] ?? (await context.newPage());
  lib.watchPage(page, pageErrors, (text) => EXPECTED_HTTP_ERRORS.test(text));

  // 1. Sign up.
  await page.goto(`${base}/app/signup`, { waitUntil: 'load' });
  await h1('Create your organization');
  const signup = page.getByRole('form', { name: 'Sign up' });
  await signup.getByLabel('Organization name').fill(orgName);
  const slug = await signup.getByLabel('Organization short name').inputValue();
  expect(/^[a-z0-9-]{3,}$/.test(slug), `derived slug ${slug}`);
  await signup.getByLabel('Your name').fill(owner.name);
  await signup.getByLabel('E-mail').fill(owner.email);
  await signup.getByLabel('Password').fill(PASSWORD);
  await signup.getByRole('button', { name: 'Create organization' }).click();
  await page.waitForURL(`${base}/app/`);
  const ownerSession = await signedInAs(owner);
  const org = ownerSession.orgs.find((o) => o.slug === slug);
  expect(org && org.role === 'owner', `the new org ${slug} with role owner is in the session: ${JSON.stringify(ownerSession.orgs)}`);
  ok(`signed up ${owner.email} as owner of ${orgName} (${slug})`);
  await shot('1-signed-up');

  // 2. Invite a recruiter and a viewer.
  await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Invitations' }).click();
  await h1('Invitations');
  await invite(recruiter.email, 'recruiter');
  await invite(viewer.email, 'viewer');
  ok('invited a recruiter and a viewer');
  await shot('2-invitations');

  // 3. The recruiter's mail, its link, acceptance.
  const recruiterLink = await invitationLink(recruiter.email);
  ok(`found the invitation mail to ${recruiter.email}: ${recruiterLink.href.replace(/token=[^&]+/, 'token=…')}`);
  await shot('3-mailbox');
  await followLink(recruiterLink);
  const recruiterSession = await accept(recruiter, 'Recruiter');
  const recOrg = recruiterSession.orgs.find((o) => o.slug === slug);
  expect(recOrg?.role === 'recruiter', `the recruiter's role in ${slug}: ${recOrg?.role}`);
  ok(`accepted: signed in as ${recruiter.email} (recruiter)`);
  const recNav = await page.getByRole('navigation', { name: 'Organization' }).getByRole('link').allInnerTexts();
  expect(recNav.join(',') === 'Jobs,Library,Review queue,Integrations,Members', `a recruiter's organization navigation: ${recNav.join(', ')}`);
  await shot('4-recruiter');
  await signOut();
  // The teammate's account works on its own: sign in with the password chosen on acceptance.
  await logIn(recruiter);
  ok(`signed in again as ${recruiter.email} with the password set on acceptance`);
  await signOut();

  // 4. The viewer: the owner opens the mailbox again, the viewer accepts in this browser.
  await logIn(owner);
  const viewerLink = await invitationLink(viewer.email);
  await followLink(viewerLink);
  await accept(viewer, 'Viewer');
  ok(`accepted: signed in as ${viewer.email} (viewer)`);
  const viewNav = await page.getByRole('navigation', { name: 'Organization' }).getByRole('link').allInnerTexts();
  expect(!viewNav.some((l) => /API keys|Invitations|SSO|Settings|Audit|mailbox/i.test(l)), `a viewer sees admin links: ${viewNav.join(', ')}`);
  await expectNoAccess('/api-keys');
  await shot('5-viewer-no-access');
  await expectNoAccess('/invitations');
  await expectNoAccess('/audit');
  ok("a viewer navigating to /app/api-keys, /app/invitations, /app/audit sees \"You don't have access\"");
  await page.goto(`${base}/app/members`, { waitUntil: 'load' });
  await h1('Members');
  await page.locator(`[data-member="${owner.email}"]`).waitFor();
  expect((await page.locator('main select').count()) === 0, 'a viewer gets role selects on the members page');
  expect((await page.getByRole('button', { name: /^(Remove|Leave)$/ }).count()) === 0, 'a viewer gets remove buttons');
  ok('a viewer sees the member list without management actions');
  const denied = await api('GET', `/api/v1/orgs/${org.id}/api-keys`);
  expect(denied.status === 403, `GET api-keys as a viewer answered ${denied.status}, expected 403`);
  ok('the API refuses the viewer too (403)');

  // 5. Sign out ends the session.
  await signOut();
  await page.reload({ waitUntil: 'load' });
  await h1('Sign in');
  const gone = await api('GET', '/api/v1/session');
  expect(gone.status === 401, `GET /api/v1/session after sign-out answered ${gone.status}, expected 401`);
  await page.goto(`${base}/app/members`, { waitUntil: 'load' });
  await h1('Sign in');
  ok('signed out: reload shows the sign-in page, GET /api/v1/session answers 401');
  await shot('6-signed-out');

  expect(pageErrors.length === 0, `errors in the page:\n  ${pageErrors.join('\n  ')}`);
  ok('no unexpected errors in the page console');
  console.log('PASS: accounts flow');
} catch (e) {
  await lib.reportFailure(e, pageErrors, page, join(outDir, 'e2e-accounts-failure.png'));
} finally {
  await context?.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}
