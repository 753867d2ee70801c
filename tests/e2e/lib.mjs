// Shared by the browser end-to-end scripts that browser_test.sh runs (status_page, accounts_flow,
// ats_flow, content_flow): Debian's Chromium through playwright-core, the command line, step
// checks, in-page API calls and the failure report.

import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// playwright-core is a dev dependency of web/, so resolve it from there.
export const { chromium } = createRequire(join(root, 'web/package.json'))('playwright-core');

/// Parses --base-url, --chromium, --timeout and the script's own `options` (parseArgs form).
/// Returns the values, `base` (the base URL without a trailing slash) and `timeout` in ms.
export function parseCommonArgs(options = {}) {
  const { values } = parseArgs({
    options: {
      'base-url': { type: 'string', default: 'http://127.0.0.1:8080' },
      chromium: { type: 'string', default: process.env.HW_CHROMIUM ?? '/usr/bin/chromium' },
      timeout: { type: 'string', default: '15000' },
      ...options,
    },
  });
  return { args: values, base: values['base-url'].replace(/\/+$/, ''), timeout: Number(values.timeout) };
}

/// --out-dir (screenshots), created when missing.
export const OUT_DIR_OPTION = { 'out-dir': { type: 'string', default: join(root, 'build') } };
export function outDirOf(args) {
  mkdirSync(args['out-dir'], { recursive: true });
  return args['out-dir'];
}

/// The fake Greenhouse (hw_fake_ats) options of the ATS and content flows.
export const FAKE_ATS_OPTIONS = {
  'fake-url': { type: 'string' },
  'sync-timeout': { type: 'string', default: '90000' },
  'client-id': { type: 'string', default: 'gh-client-id' },
  'client-secret': { type: 'string', default: 'gh-client-secret' },
};
/// --fake-url without a trailing slash; exits with status 2 when it is missing.
export function fakeUrlOf(args) {
  const url = (args['fake-url'] ?? '').replace(/\/+$/, '');
  if (!url) {
    console.error('FAIL: --fake-url (the base_url hw_fake_ats printed) is required');
    process.exit(2);
  }
  return url;
}

/// chromium.launch / launchPersistentContext options: headless, no sandbox, no background traffic.
export function launchOptions(executablePath) {
  return {
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 60000,
  };
}

/// A suffix that makes this run's e-mails and names unique.
export function runId() {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

export function ok(msg) {
  console.log(`ok: ${msg}`);
}
export function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}

/// Browsers log every 4xx resource load as a console error; a flow lists the statuses it provokes.
export function httpErrors(statuses) {
  return new RegExp(`Failed to load resource: the server responded with a status of (${statuses.join('|')})\\b`);
}

/// Records the page's uncaught errors, and its console errors that `skip(text)` does not accept,
/// into `errors`.
export function watchPage(page, errors, skip = () => false) {
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !skip(m.text())) errors.push(`console: ${m.text()}`);
  });
}

/// A page in a new browser context (its own cookies) of `browser`, watched as by watchPage.
export async function newPage(browser, timeout, errors, skip) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  ctx.setDefaultTimeout(timeout);
  const page = await ctx.newPage();
  watchPage(page, errors, skip);
  return page;
}

export async function h1(page, name) {
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/// Calls the API from inside the page (its cookies), with the CSRF token of its session.
export async function api(page, method, path, body) {
  return page.evaluate(
    async ([m, p, b]) => {
      const headers = { Accept: 'application/json' };
      if (m !== 'GET') {
        const s = await fetch('/api/v1/session', { headers });
        const token = (await s.json()).csrf_token;
        headers['Content-Type'] = 'application/json';
        if (token) headers['X-CSRF-Token'] = token;
      }
      const r = await fetch(p, { method: m, headers, body: b === undefined ? undefined : JSON.stringify(b) });
      let json = null;
      try {
        json = await r.json();
      } catch {
        json = null;
      }
      return { status: r.status, body: json };
    },
    [method, path, body],
  );
}

/// Signs up through the SPA (a new organization `orgName`, its owner `owner` {name, email}) and
/// returns the owner's organization from GET /api/v1/session.
export async function signUp(page, base, orgName, owner, password) {
  await page.goto(`${base}/app/signup`, { waitUntil: 'load' });
  await h1(page, 'Create your organization');
  const signup = page.getByRole('form', { name: 'Sign up' });
  await signup.getByLabel('Organization name').fill(orgName);
  await signup.getByLabel('Your name').fill(owner.name);
  await signup.getByLabel('E-mail').fill(owner.email);
  await signup.getByLabel('Password').fill(password);
  await signup.getByRole('button', { name: 'Create organization' }).click();
  await page.waitForURL(`${base}/app/`);
  await page.getByRole('banner').getByRole('link', { name: owner.name }).waitFor();
  const session = await api(page, 'GET', '/api/v1/session');
  const org = session.body?.orgs?.find((o) => o.role === 'owner');
  expect(org, `the owner's session has the new org: ${JSON.stringify(session.body?.orgs)}`);
  return org;
}

/// Invites `person` {name, email} as `role` through the API of `page` (an admin's), finds the mail
/// in the dev mailbox (within `ms`) and accepts it in `other`, a page of another browser context,
/// with `password`: `other` ends signed in as `person`.
export async function inviteAndAccept(page, other, { base, orgId, person, role, password, ms }) {
  const O = `/api/v1/orgs/${orgId}`;
  const inv = await api(page, 'POST', `${O}/team-invitations`, { email: person.email, role });
  expect(inv.status === 201 || inv.status === 200, `inviting ${person.email} as ${role} answered ${inv.status}: ${JSON.stringify(inv.body)}`);
  const link = await until(
    page,
    `the invitation mail to ${person.email}`,
    async () => {
      const box = await api(page, 'GET', `${O}/dev-mailbox?limit=100`);
      const mail = (box.body?.messages ?? []).find((m) => m.to === person.email || String(m.to).includes(person.email));
      const m = mail && /https?:\/\/\S*accept-invitation\S*/.exec(mail.text_body ?? '');
      return m ? m[0] : null;
    },
    ms,
  );
  await other.goto(onBase(base, link), { waitUntil: 'load' });
  const accept = other.getByRole('form', { name: 'Accept the invitation' });
  await accept.getByLabel('Your name').fill(person.name);
  await accept.getByLabel('Choose a password').fill(password);
  await accept.getByRole('button', { name: 'Accept invitation' }).click();
  await other.waitForURL(`${base}/app/`);
  await other.getByRole('banner').getByRole('link', { name: person.name }).waitFor();
}

/// Re-checks `probe` until it returns a truthy value; fails with `what` after `ms`.
export async function until(page, what, probe, ms, every = 500) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    expect(Date.now() < deadline, `timed out after ${ms} ms waiting for ${what}`);
    await page.waitForTimeout(every);
  }
}

/// The same path on `base` when a link or URL names another origin (http.public-origin).
export function onBase(base, url) {
  const u = new URL(url, base);
  return `${base}${u.pathname}${u.search}${u.hash}`;
}

/// Saves a full-page screenshot to `path` and says so.
export async function screenshot(page, path) {
  await page.screenshot({ path, fullPage: true });
  ok(`screenshot ${path}`);
}

/// The catch block of a flow: prints the failure and the page errors, saves a screenshot of
/// `page` (when there is one) to `path`, and sets exit status 1.
export async function reportFailure(e, errors, page, path) {
  console.error(`FAIL: ${e?.message ?? e}`);
  if (errors.length) console.error(`page errors:\n  ${errors.join('\n  ')}`);
  if (page) {
    await page.screenshot({ path, fullPage: true }).catch(() => {});
    console.error(`failure screenshot: ${path} (page ${page.url()})`);
  }
  process.exitCode = 1;
}
