#!/usr/bin/env node
// Drives Debian's Chromium (playwright-core, no downloaded browser) through the SPA as a person
// would: open the site root, land on /app/, see the shell, go to Status, see every check OK.
//   node tests/e2e/status_page.mjs --base-url http://127.0.0.1:8080 --screenshot build/e2e-status.png
// Exit 0 when every step passed, 1 otherwise (with build/e2e-failure.png when it got that far).

import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { chromium, expect, launchOptions, ok, parseCommonArgs, reportFailure, root, watchPage } from './lib.mjs';

const { args, base, timeout } = parseCommonArgs({
  screenshot: { type: 'string', default: join(root, 'build/e2e-status.png') },
});

const CHECKS = ['database', 'migrations_current', 'supervisors_ok'];

const userDataDir = mkdtempSync(join(tmpdir(), 'hw-e2e-chromium-'));
let context;
let page;
const pageErrors = [];

try {
  // launchPersistentContext owns --user-data-dir (Playwright refuses it in args).
  context = await chromium.launchPersistentContext(userDataDir, {
    ...launchOptions(args.chromium),
    viewport: { width: 1200, height: 800 },
  });
  context.setDefaultTimeout(timeout);
  page = context.pages()[0] ?? (await context.newPage());
  watchPage(page, pageErrors);

  // 1. The site root redirects to the SPA.
  const res = await page.goto(`${base}/`, { waitUntil: 'load' });
  expect(res && res.ok(), `GET / ended with HTTP ${res?.status()}`);
  expect(new URL(page.url()).pathname === '/app/', `/ should redirect to /app/, got ${page.url()}`);
  ok(`/ redirected to ${page.url()}`);

  // 2. The shell renders: header with the product name, navigation, the start page.
  const banner = page.getByRole('banner');
  await banner.waitFor();
  expect((await banner.innerText()).includes('hirewire'), 'header lacks the product name');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Status' }).waitFor();
  await nav.getByRole('link', { name: 'Organizations' }).waitFor();
  const h1 = page.getByRole('heading', { level: 1 });
  expect((await h1.innerText()) === 'Welcome to hirewire', `unexpected start page: ${await h1.innerText()}`);
  ok('app shell rendered (header, navigation, start page)');

  // 3. Client-side navigation to the Status page, which reads /readyz.
  const readyz = page.waitForResponse((r) => new URL(r.url()).pathname === '/readyz');
  await nav.getByRole('link', { name: 'Status' }).click();
  await page.waitForURL(`${base}/app/status`);
  const readyzRes = await readyz;
  expect(readyzRes.status() === 200, `/readyz answered ${readyzRes.status()}: ${await readyzRes.text()}`);
  await assertAllChecksOk(page);
  ok('Status page: all checks OK');

  mkdirSync(dirname(args.screenshot), { recursive: true });
  await page.screenshot({ path: args.screenshot, fullPage: true });
  ok(`screenshot ${args.screenshot}`);

  // 4. A deep link (reload on a client-side route) is served the SPA too.
  const deep = await page.goto(`${base}/app/status`, { waitUntil: 'load' });
  expect(deep && deep.ok(), `GET /app/status ended with HTTP ${deep?.status()}`);
  await assertAllChecksOk(page);
  ok('deep link /app/status works');

  // 5. The other page renders.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organizations' }).click();
  await page.getByRole('heading', { level: 1, name: 'Organizations' }).waitFor();
  ok('Organizations page rendered');

  expect(pageErrors.length === 0, `errors in the page:\n  ${pageErrors.join('\n  ')}`);
  ok('no errors in the page console');
  console.log('PASS: status page');
} catch (e) {
  await reportFailure(e, pageErrors, page, join(dirname(args.screenshot), 'e2e-failure.png'));
} finally {
  await context?.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}

async function assertAllChecksOk(page) {
  const summary = page.getByTestId('readiness-summary');
  await summary.waitFor();
  const text = await summary.innerText();
  expect(text.includes('All systems ready'), `readiness summary says: ${text}`);
  for (const key of CHECKS) {
    const row = page.locator(`[data-check="${key}"]`);
    await row.waitFor();
    const okAttr = await row.getAttribute('data-ok');
    const badge = (await row.locator('.badge').innerText()).trim();
    expect(okAttr === 'true' && /^ok$/i.test(badge), `check ${key}: data-ok=${okAttr} badge=${badge}`);
  }
}
