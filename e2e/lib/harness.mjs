// Shared setup for the browser tests: one `finsam demo` and one Chromium per test file, fresh browser
// contexts per test, and small helpers for logging in, reading pages, running axe and reading e-mails.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { before, after, test as nodeTest } from 'node:test';
import { chromium } from 'playwright-core';
import { simpleParser } from 'mailparser';
import { useApp, DEMO_PASSWORD, E2E_DIR, ARTIFACTS_DIR } from './app.mjs';

export { DEMO_PASSWORD };

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');

export const SCREENSHOTS_DIR = path.join(E2E_DIR, 'screenshots');
export const CHROMIUM_PATH = process.env.FINSAM_E2E_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Per-test time limit. Generous: a debug build hashes passwords slowly. */
const TEST_TIMEOUT_MS = 180_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Collapses runs of whitespace and trims. */
export const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim();

const slug = (s) =>
  s
    .normalize('NFKD')
    .replace(/[^\w-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

/**
 * Sets up one test file: starts `finsam demo` and Chromium before its tests and stops both after.
 * Returns { app, test, newContext, newPage }. Use the returned `test` instead of node:test's: it
 * closes the test's browser contexts afterwards and, on failure, saves screenshots of the open pages
 * and prints the server's last output.
 */
export function useSuite(name) {
  const app = useApp(name);
  let browser = null;
  let contexts = [];

  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  });
  after(async () => {
    await browser?.close();
  });

  /**
   * A fresh browser context (no cookies) with baseURL set to the app. bypassCSP defaults to true so that
   * axe can be injected; the CSP test passes { bypassCSP: false } to see the policy at work.
   */
  async function newContext(options = {}) {
    const ctx = await browser.newContext({
      baseURL: app.baseURL,
      locale: 'sv-SE',
      timezoneId: 'Europe/Stockholm',
      viewport: { width: 1280, height: 900 },
      bypassCSP: true,
      ...options,
    });
    ctx.setDefaultTimeout(20_000);
    ctx.setDefaultNavigationTimeout(60_000);
    contexts.push(ctx);
    return ctx;
  }

  async function newPage(options) {
    const ctx = await newContext(options);
    return ctx.newPage();
  }

  function test(title, fn) {
    return nodeTest(title, { timeout: TEST_TIMEOUT_MS }, async (t) => {
      try {
        await fn(t);
      } catch (err) {
        await saveFailureScreenshots(`${name}-${slug(title)}`, contexts);
        console.error(`\n[${name}] "${title}" failed: ${err?.message}\n${app.logTail()}`);
        throw err;
      } finally {
        const open = contexts;
        contexts = [];
        await Promise.allSettled(open.map((c) => c.close()));
      }
    });
  }

  return { app, test, newContext, newPage };
}

async function saveFailureScreenshots(prefix, contexts) {
  try {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    let i = 0;
    for (const ctx of contexts) {
      for (const page of ctx.pages()) {
        i += 1;
        const file = path.join(ARTIFACTS_DIR, `${prefix}-FAILED-${i}.png`);
        await page.screenshot({ path: file, fullPage: true, timeout: 5_000 }).catch(() => {});
        console.error(`[screenshot] ${file} (${page.url()})`);
      }
    }
  } catch {
    /* diagnostics only */
  }
}

/** Saves a full-page screenshot as e2e/screenshots/<name>.png. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}

/**
 * Clicks something that submits a form or follows a link, and waits until the resulting page has loaded.
 * Returns the final main-frame response (after redirects), so its status can be checked.
 */
export async function clickAndWait(page, locator) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
  return response;
}

/** The path of the page's current URL. */
export const pathOf = (page) => new URL(page.url()).pathname;

/** Fills in and submits the login form, without judging the outcome. Returns the final response. */
export async function submitLogin(page, email, password) {
  await page.goto('/login');
  await page.getByLabel('E-postadress', { exact: true }).fill(email);
  await page.getByLabel('Lösenord', { exact: true }).fill(password);
  return clickAndWait(page, page.getByRole('button', { name: 'Logga in', exact: true }));
}

/** Logs in and asserts that the browser left the login page. */
export async function login(page, email, password = DEMO_PASSWORD) {
  const response = await submitLogin(page, email, password);
  if (pathOf(page).startsWith('/login')) {
    const alert = await page
      .getByRole('alert')
      .allTextContents()
      .catch(() => []);
    assert.fail(
      `login as ${email} stayed on ${page.url()} (status ${response?.status()}; alert: ${JSON.stringify(alert)})`,
    );
  }
  return response;
}

/** The text of the page's only h1. */
export async function h1Text(page) {
  const h1 = page.locator('h1');
  await h1.first().waitFor();
  const texts = await h1.allTextContents();
  assert.equal(texts.length, 1, `expected exactly one h1 on ${page.url()}, found ${JSON.stringify(texts)}`);
  return norm(texts[0]);
}

/** Asserts the page's only h1 reads exactly `expected`. */
export async function expectH1(page, expected) {
  assert.equal(await h1Text(page), expected, `h1 on ${page.url()}`);
}

/**
 * The rows of the table that belongs to the h2 with the given text: the table inside the h2's
 * <section> (or parent element), or else the first table after the h2. Each row is a list of its
 * cells' texts (th and td); header rows (in <thead>, or made only of column headers) are left out.
 */
export async function tableUnderHeading(page, heading) {
  await page.getByRole('heading', { level: 2, name: heading, exact: true }).waitFor();
  const rows = await page.evaluate((heading) => {
    const n = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
    const h2 = [...document.querySelectorAll('h2')].find((h) => n(h.textContent) === heading);
    if (!h2) return null;
    const container = h2.closest('section') ?? h2.parentElement;
    let table = container?.querySelector('table') ?? null;
    if (!table) {
      const all = [...document.querySelectorAll('table')];
      table = all.find((t) => h2.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING) ?? null;
    }
    if (!table) return null;
    return [...table.rows]
      .filter((r) => r.parentElement?.tagName !== 'THEAD')
      .filter((r) => ![...r.cells].every((c) => c.tagName === 'TH' && c.getAttribute('scope') !== 'row'))
      .map((r) => [...r.cells].map((c) => n(c.textContent)));
  }, heading);
  assert.ok(rows, `no table found under the h2 "${heading}" on ${page.url()}`);
  return rows;
}

/** The members table's rows (see tableUnderHeading). */
export const memberRows = (page) => tableUnderHeading(page, 'Medlemmar');

/** Asserts that the members table has a row for `name`, with an organisationsnummer in it. */
export function expectMember(rows, name) {
  const row = rows.find((cells) => cells.some((c) => c === name)) ?? rows.find((cells) => cells.some((c) => c.includes(name)));
  assert.ok(row, `member "${name}" not in the members table: ${JSON.stringify(rows)}`);
  assert.ok(
    row.some((c) => /\b\d{6}-?\d{4}\b/.test(c)),
    `the row for "${name}" has no organisationsnummer: ${JSON.stringify(row)}`,
  );
  return row;
}

/** Asserts that `name` appears nowhere in the page's visible text. */
export async function expectNotOnPage(page, name) {
  const text = norm(await page.locator('body').innerText());
  assert.ok(!text.includes(name), `"${name}" must not be shown on ${page.url()}`);
}

/**
 * Runs axe-core on the page and fails on violations of impact "serious" or "critical".
 * The context must have been made with bypassCSP (the default of newContext), since the script is inline.
 */
export async function expectNoSeriousAxeViolations(page, label = page.url()) {
  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((node) => ({ target: node.target.join(' '), summary: node.failureSummary })),
    }));
  });
  const serious = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious
    .map((v) => `- [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((x) => `    ${x.target}: ${x.summary}`).join('\n')}`)
    .join('\n');
  assert.equal(serious.length, 0, `axe found serious/critical violations on ${label}:\n${report}`);
  const minor = result.filter((v) => !serious.includes(v));
  if (minor.length > 0) {
    console.log(`[axe] ${label}: minor/moderate: ${minor.map((v) => `${v.id} (${v.impact})`).join(', ')}`);
  }
}

/**
 * Waits (up to `timeoutMs`) for an .eml file in the app's outbox addressed to `to`, and returns it parsed
 * with mailparser (so quoted-printable and base64 bodies are decoded) plus its file name.
 */
export async function waitForEmail(app, to, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  const wanted = to.toLowerCase();
  const seen = new Map(); // file name -> parsed mail
  for (;;) {
    let names = [];
    try {
      names = await readdir(app.outboxDir);
    } catch (err) {
      if (err.code !== 'ENOENT') throw err;
    }
    // `{id}.eml`; files starting with a dot are half-written temporaries.
    for (const file of names.filter((f) => f.endsWith('.eml') && !f.startsWith('.')).sort()) {
      if (!seen.has(file)) {
        const mail = await simpleParser(await readFile(path.join(app.outboxDir, file)));
        seen.set(file, mail);
      }
      const mail = seen.get(file);
      const addresses = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [])
        .flatMap((a) => a.value)
        .map((a) => (a.address ?? '').toLowerCase());
      if (addresses.includes(wanted)) return { file, mail };
    }
    if (Date.now() > deadline) {
      assert.fail(
        `no e-mail to ${to} in ${app.outboxDir} within ${timeoutMs / 1000} s (files: ${JSON.stringify([...seen.keys()])})`,
      );
    }
    await sleep(250);
  }
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Finds `{base}{pathPrefix}{token}` in a parsed mail's text (or, failing that, its HTML). */
export function findLink(mail, base, pathPrefix) {
  const re = new RegExp(`${escapeRe(base)}${escapeRe(pathPrefix)}[^\\s<>"'()\\[\\]]+`);
  for (const body of [mail.text, typeof mail.html === 'string' ? mail.html : '']) {
    const m = body?.match(re);
    if (m) return m[0].replace(/&amp;/g, '&').replace(/[.,;:!?]+$/, '');
  }
  return null;
}
