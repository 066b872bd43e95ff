// Documents: the kansli asks for an årsredovisning (or a meeting's minnesanteckningar) from a plain HTML
// form; the version's page refreshes itself while the PDF is made in the background, then links to the
// PDF (inline, or as a download) and shows where it came from (SHA-256 of the PDF, the input and the
// template). The year's checks stop an årsredovisning unless it is a draft, and the page says so. The
// styrelse reads the documents without the form; a coach may not see them.
//
// The tests share one app and run in order: the first renders Höglandet's årsredovisning 2024 and the
// styrelse's test reads that version.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  useSuite,
  login,
  expectH1,
  tableUnderHeading,
  expectNoSeriousAxeViolations,
  clickAndWait,
  pathOf,
  norm,
  screenshot,
} from '../lib/harness.mjs';
import { alertText, expectErrorSummary, expectFieldError, expectVisibleLabels } from '../lib/forms.mjs';

const { test, newPage } = useSuite('documents');

const KANSLI = 'kansli@hoglandet.example';
const STYRELSE = 'styrelse@hoglandet.example';
const COACH = 'coach@hoglandet.example';
const SV_KANSLI = 'kansli@sodra-vatterbygden.example';

const DOCS = '/t/hoglandet/dokument';
const SV_DOCS = '/t/sodra-vatterbygden/dokument';
const VERSION_PATH = /^\/t\/hoglandet\/dokument\/versioner\/(\d+)$/;
const SV_VERSION_PATH = /^\/t\/sodra-vatterbygden\/dokument\/versioner\/(\d+)$/;
const SV_MEETINGS = '/t/sodra-vatterbygden/moten';
const DRAFT_REASON = 'För beredningsgruppen';

/** How long a rendering may take in a debug build before the test gives up. */
const RENDER_TIMEOUT_MS = 90_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let hoglandetVersionPath = null; // Höglandet's årsredovisning 2024, version 1, for the styrelse's test

/** The content of the page's <meta http-equiv="refresh">, or null. */
const metaRefresh = (page) =>
  page.evaluate(() => document.querySelector('meta[http-equiv="refresh" i]')?.getAttribute('content') ?? null);

/**
 * Waits until the version at `path` is no longer queued or rendering, by loading the page again every
 * second. While it is pending the page must refresh itself (meta refresh, 3 s) and say so in role=status.
 * Returns 'ready' or 'failed', with the page left on the version's page.
 */
async function waitForVersion(page, path) {
  const deadline = Date.now() + RENDER_TIMEOUT_MS;
  const started = Date.now();
  for (;;) {
    const response = await page.goto(path);
    assert.equal(response.status(), 200, `${path} answers 200`);
    const ready = await page.getByRole('link', { name: 'Visa dokumentet', exact: true }).count();
    const failed = await page.locator('main [role="alert"]').count();
    if (ready > 0 || failed > 0) {
      assert.equal(await metaRefresh(page), null, `${path}: a finished version does not refresh itself`);
      console.log(`[documents] ${path} ${ready > 0 ? 'ready' : 'failed'} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return ready > 0 ? 'ready' : 'failed';
    }
    const refresh = await metaRefresh(page);
    assert.ok(refresh !== null && /^\s*3\b/.test(refresh), `${path}: a pending version refreshes itself (meta refresh "${refresh}")`);
    const status = norm((await page.getByRole('status').allInnerTexts()).join(' '));
    assert.ok(/uppdateras av sig själv/.test(status), `${path}: a pending version says so: "${status}"`);
    if (Date.now() > deadline) {
      assert.fail(`${path} still pending after ${RENDER_TIMEOUT_MS / 1000} s ("${status}")`);
    }
    await sleep(1_000);
  }
}

/** The provenance table's rows as { header: value }. */
async function provenance(page) {
  const rows = await tableUnderHeading(page, 'Uppgifter om versionen');
  return Object.fromEntries(rows.map((cells) => [cells[0], cells.slice(1).join(' ')]));
}

/** Asserts the version page links to its PDF inline and as a download, and that both answer a PDF. */
async function expectPdfLinks(page) {
  const view = page.getByRole('link', { name: 'Visa dokumentet', exact: true });
  const download = page.getByRole('link', { name: 'Ladda ner PDF', exact: true });
  assert.equal(await view.count(), 1, 'one link "Visa dokumentet"');
  assert.equal(await download.count(), 1, 'one link "Ladda ner PDF"');
  const viewHref = await view.getAttribute('href');
  const downloadHref = await download.getAttribute('href');
  assert.equal(new URL(downloadHref, page.url()).searchParams.get('ladda_ner'), '1', `download link: ${downloadHref}`);

  // page.request shares the context's cookies, so this is the logged-in user fetching the PDF.
  const inline = await page.request.get(viewHref);
  assert.equal(inline.status(), 200, `${viewHref} answers 200`);
  assert.equal(inline.headers()['content-type'], 'application/pdf', `${viewHref} content-type`);
  const body = await inline.body();
  assert.equal(body.subarray(0, 5).toString('latin1'), '%PDF-', `${viewHref} is a PDF (${body.length} bytes)`);
  assert.match(inline.headers()['content-disposition'] ?? '', /^inline\b/, `${viewHref} is shown inline`);

  const attached = await page.request.get(downloadHref);
  assert.equal(attached.status(), 200, `${downloadHref} answers 200`);
  assert.equal(attached.headers()['content-type'], 'application/pdf', `${downloadHref} content-type`);
  const disposition = attached.headers()['content-disposition'] ?? '';
  assert.match(disposition, /^attachment\b/, `${downloadHref} is a download: "${disposition}"`);
  assert.match(disposition, /filename="[^"]+\.pdf"/, `${downloadHref} names a .pdf file: "${disposition}"`);
  const same = await attached.body();
  assert.ok(same.equals(body), 'the download is the same file as the inline PDF');
  return { viewHref, downloadHref, bytes: body };
}

/** Fills in and submits the documents form; returns the response. */
async function requestDocument(page, { kind = 'Årsredovisning', year = '2024', draft = false, reason = '' } = {}) {
  await page.getByLabel('Dokument', { exact: true }).selectOption({ label: kind });
  await page.getByLabel('År', { exact: true }).fill(year);
  const box = page.getByRole('checkbox', { name: /^Utkast/ });
  if (draft) await box.check();
  else await box.uncheck();
  await page.getByLabel('Skäl till utkastet', { exact: true }).fill(reason);
  return clickAndWait(page, page.getByRole('button', { name: 'Skapa dokumentet', exact: true }));
}

/** The rows of the versions table under the h3 `title`, as lists of cell texts. */
async function versionRows(page, title) {
  const heading = page.getByRole('heading', { level: 3, name: title, exact: true });
  assert.equal(await heading.count(), 1, `the list has the document "${title}"`);
  return page.evaluate((title) => {
    const n = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
    const h3 = [...document.querySelectorAll('h3')].find((h) => n(h.textContent) === title);
    let el = h3.nextElementSibling;
    while (el && el.tagName !== 'TABLE') el = el.nextElementSibling;
    // The cells' visible text: the link's visually-hidden " av {title}" is for screen readers.
    const visible = (c) => {
      const copy = c.cloneNode(true);
      copy.querySelectorAll('.visually-hidden').forEach((x) => x.remove());
      return n(copy.textContent);
    };
    return [...el.tBodies[0].rows].map((r) => [...r.cells].map(visible));
  }, title);
}

test('documents: the kansli renders Höglandet’s årsredovisning 2024 and gets the PDF with its provenance', async () => {
  const page = await newPage();
  await login(page, KANSLI);
  let response = await page.goto(DOCS);
  assert.equal(response.status(), 200);
  await expectH1(page, 'Dokument');
  await page.getByRole('heading', { level: 2, name: 'Skapa ett dokument', exact: true }).waitFor();
  const kinds = (await page.getByLabel('Dokument', { exact: true }).locator('option').allTextContents()).map(norm);
  assert.deepEqual(kinds, ['Årsredovisning', 'Delårsrapport', 'Verksamhetsplan med budget']);
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, `${DOCS} (kansli, empty)`);
  await screenshot(page, 'documents-list-empty');

  response = await requestDocument(page, { year: '2024' });
  assert.equal(response.status(), 200);
  assert.match(pathOf(page), VERSION_PATH, 'the form leads to the new version');
  const versionPath = pathOf(page);
  await expectH1(page, 'Årsredovisning 2024, version 1');

  assert.equal(await waitForVersion(page, versionPath), 'ready', `${versionPath} is ready`);
  hoglandetVersionPath = versionPath;
  await expectH1(page, 'Årsredovisning 2024, version 1');
  const facts = await provenance(page);
  assert.equal(facts.Status, 'Klar', JSON.stringify(facts));
  assert.match(facts['SHA-256 för PDF-filen'] ?? '', /^[0-9a-f]{64}$/, `the PDF's SHA-256: ${JSON.stringify(facts)}`);
  assert.match(facts['SHA-256 för underlaget (JSON)'] ?? '', /^[0-9a-f]{64}$/, `the input's SHA-256: ${JSON.stringify(facts)}`);
  assert.match(facts['SHA-256 för mallen'] ?? '', /^[0-9a-f]{64}$/, `the template's SHA-256: ${JSON.stringify(facts)}`);
  assert.match(facts.Sidor ?? '', /^[1-9]\d*$/, `a page count: ${JSON.stringify(facts)}`);
  assert.ok(!('Utkast' in facts), 'not a draft');

  const { bytes } = await expectPdfLinks(page);
  assert.equal(createHash('sha256').update(bytes).digest('hex'), facts['SHA-256 för PDF-filen'], 'the PDF has the SHA-256 shown');
  await expectNoSeriousAxeViolations(page, `${versionPath} (ready)`);
  await screenshot(page, 'documents-version-ready');

  await clickAndWait(page, page.getByRole('link', { name: 'Alla dokument', exact: true }));
  assert.equal(pathOf(page), DOCS);
  const rows = await versionRows(page, 'Årsredovisning 2024');
  assert.equal(rows.length, 1, JSON.stringify(rows));
  assert.equal(rows[0][0], 'Version 1');
  assert.equal(rows[0][1], 'Klar');
  assert.equal(await page.locator('a[href="' + versionPath + '"]').count(), 1, 'the list links to the version');
  assert.equal(await metaRefresh(page), null, 'nothing pending, so the list does not refresh itself');
  await expectNoSeriousAxeViolations(page, `${DOCS} (kansli, one version)`);
  await screenshot(page, 'documents-list-kansli');
});

test('documents: a year that is not a number is refused at the field and kept', async () => {
  const page = await newPage();
  await login(page, KANSLI);
  await page.goto(DOCS);
  const response = await requestDocument(page, { year: 'tjugo' });
  assert.equal(response.status(), 422);
  assert.equal(pathOf(page), DOCS);
  await expectH1(page, 'Dokument');
  const summary = await expectErrorSummary(page);
  assert.ok(summary.includes('fyra siffror'), `the summary: "${summary}"`);
  const year = page.getByLabel('År', { exact: true });
  await expectFieldError(year, 'fyra siffror');
  assert.equal(await year.inputValue(), 'tjugo', 'what was typed is kept');
  assert.equal(await page.getByLabel('Dokument', { exact: true }).inputValue(), 'arsredovisning', 'the kind is kept');
  await expectNoSeriousAxeViolations(page, `${DOCS} (with errors)`);
  await screenshot(page, 'documents-form-error');
  // Nothing was made.
  const rows = await versionRows(page, 'Årsredovisning 2024');
  assert.equal(rows.length, 1, `still one version: ${JSON.stringify(rows)}`);
});

test('documents: the year’s checks stop Södra Vätterbygden’s årsredovisning; a draft with a reason is made', async () => {
  const page = await newPage();
  await login(page, SV_KANSLI);
  let response = await page.goto(SV_DOCS);
  assert.equal(response.status(), 200);
  await expectH1(page, 'Dokument');

  response = await requestDocument(page, { year: '2024' });
  assert.equal(response.status(), 200);
  assert.match(pathOf(page), SV_VERSION_PATH);
  const failedPath = pathOf(page);
  assert.equal(await waitForVersion(page, failedPath), 'failed', `${failedPath} fails without accounts`);
  const alert = await alertText(page);
  assert.ok(alert.includes('Dokumentet kunde inte skapas'), `the alert: "${alert}"`);
  assert.ok(alert.includes('kontroller'), `the alert names the checks: "${alert}"`);
  assert.equal(await page.getByRole('link', { name: 'Visa dokumentet' }).count(), 0, 'no PDF link');
  const failedFacts = await provenance(page);
  assert.equal(failedFacts.Status, 'Misslyckades', JSON.stringify(failedFacts));
  assert.ok(!('SHA-256 för PDF-filen' in failedFacts), 'no PDF hash for a failed version');
  const pdf = await page.request.get(`${failedPath}/pdf`);
  assert.ok(pdf.status() >= 400, `the failed version's PDF answers ${pdf.status()}`);
  await expectNoSeriousAxeViolations(page, `${failedPath} (failed)`);
  await screenshot(page, 'documents-version-failed');

  await page.goto(SV_DOCS);
  response = await requestDocument(page, { year: '2024', draft: true, reason: DRAFT_REASON });
  assert.equal(response.status(), 200);
  assert.match(pathOf(page), SV_VERSION_PATH);
  const draftPath = pathOf(page);
  assert.notEqual(draftPath, failedPath);
  await expectH1(page, 'Årsredovisning 2024, version 2');
  assert.equal(await waitForVersion(page, draftPath), 'ready', `${draftPath}: the draft is made`);
  const facts = await provenance(page);
  assert.equal(facts.Utkast, DRAFT_REASON, JSON.stringify(facts));
  assert.match(facts['SHA-256 för PDF-filen'] ?? '', /^[0-9a-f]{64}$/, JSON.stringify(facts));
  await expectPdfLinks(page);
  await expectNoSeriousAxeViolations(page, `${draftPath} (draft)`);
  await screenshot(page, 'documents-version-draft');

  await page.goto(SV_DOCS);
  const rows = await versionRows(page, 'Årsredovisning 2024');
  assert.equal(rows.length, 2, JSON.stringify(rows));
  const failedRow = rows.find((r) => r[0] === 'Version 1');
  const draftRow = rows.find((r) => r[0] === 'Version 2');
  assert.ok(failedRow && draftRow, JSON.stringify(rows));
  assert.equal(failedRow[1], 'Misslyckades');
  assert.ok(failedRow[4].includes('kontroller'), `the failed row says why: ${JSON.stringify(failedRow)}`);
  assert.equal(draftRow[1], 'Klar');
  assert.ok(draftRow[4].includes(`Utkast: ${DRAFT_REASON}`), `the draft row: ${JSON.stringify(draftRow)}`);
  await expectNoSeriousAxeViolations(page, `${SV_DOCS} (failed and draft)`);
  await screenshot(page, 'documents-list-draft');
});

test('documents: the kansli makes the medlemssamråd’s minnesanteckningar from the meeting’s page', async () => {
  const page = await newPage();
  await login(page, SV_KANSLI);
  let response = await page.goto(SV_MEETINGS);
  assert.equal(response.status(), 200);
  const samrad = page.locator('main table tr', { hasText: '2024-02-23' }).getByRole('link');
  assert.equal(await samrad.count(), 1, 'the medlemssamråd of 2024-02-23 is listed');
  const meetingTitle = norm(await samrad.innerText());
  response = await clickAndWait(page, samrad);
  assert.equal(response.status(), 200);
  await page.getByRole('heading', { level: 2, name: 'Minnesanteckningar', exact: true }).waitFor();
  const button = page.getByRole('button', { name: 'Skapa minnesanteckningar som PDF', exact: true });
  assert.equal(await button.count(), 1);

  response = await clickAndWait(page, button);
  assert.equal(response.status(), 200);
  assert.match(pathOf(page), SV_VERSION_PATH, 'the button leads to the new version');
  const versionPath = pathOf(page);
  await expectH1(page, 'Minnesanteckningar, version 1');
  assert.equal(await waitForVersion(page, versionPath), 'ready', `${versionPath}: the minutes are made`);
  const facts = await provenance(page);
  assert.match(facts['SHA-256 för PDF-filen'] ?? '', /^[0-9a-f]{64}$/, JSON.stringify(facts));
  await expectPdfLinks(page);
  await expectNoSeriousAxeViolations(page, `${versionPath} (minutes)`);
  await screenshot(page, 'documents-version-minutes');

  await page.goto(SV_DOCS);
  const rows = await versionRows(page, `Minnesanteckningar ${meetingTitle} 2024-02-23`);
  assert.deepEqual(
    rows.map((r) => r.slice(0, 2)),
    [['Version 1', 'Klar']],
    `the minutes are listed under their meeting: ${JSON.stringify(rows)}`,
  );
});

test('documents: the styrelse reads the list and the version without the form; a coach gets 403', async () => {
  assert.ok(hoglandetVersionPath, 'the kansli’s test made a version');
  const page = await newPage();
  await login(page, STYRELSE);
  let response = await page.goto(DOCS);
  assert.equal(response.status(), 200);
  await expectH1(page, 'Dokument');
  assert.equal(await page.getByRole('heading', { name: 'Skapa ett dokument' }).count(), 0, 'no form heading');
  assert.equal(await page.getByRole('button', { name: 'Skapa dokumentet' }).count(), 0, 'no button');
  assert.equal(await page.locator('main form, main select, main input:not([type="hidden"])').count(), 0, 'no form');
  const rows = await versionRows(page, 'Årsredovisning 2024');
  assert.deepEqual(rows.map((r) => r.slice(0, 2)), [['Version 1', 'Klar']]);
  await expectNoSeriousAxeViolations(page, `${DOCS} (styrelse)`);
  await screenshot(page, 'documents-list-styrelse');

  response = await clickAndWait(page, page.locator(`main a[href="${hoglandetVersionPath}"]`));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), hoglandetVersionPath);
  await expectH1(page, 'Årsredovisning 2024, version 1');
  await expectPdfLinks(page);
  assert.equal(await page.locator('main form').count(), 0, 'no form on the version page');
  await expectNoSeriousAxeViolations(page, `${hoglandetVersionPath} (styrelse)`);

  const coach = await newPage();
  await login(coach, COACH);
  response = await coach.goto(DOCS);
  assert.equal(response.status(), 403, 'a coach may not read the documents');
  response = await coach.goto(hoglandetVersionPath);
  assert.equal(response.status(), 403, 'a coach may not read a version');
  const pdf = await coach.request.get(`${hoglandetVersionPath}/pdf`);
  assert.equal(pdf.status(), 403, 'a coach may not fetch the PDF');
  assert.ok(!(pdf.headers()['content-type'] ?? '').includes('pdf'), 'no PDF for the coach');
});

test('documents: the kansli sets the organisationsnummer (a wrong one is named at its field) and sees the logo form', async () => {
  const page = await newPage();
  await login(page, KANSLI);
  let response = await page.goto(DOCS);
  response = await clickAndWait(page, page.getByRole('link', { name: /organisationsnummer och logotyp/ }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), '/t/hoglandet/logotyp');
  await expectH1(page, 'Förbundet på dokumenten');
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, '/t/hoglandet/logotyp');

  const orgnr = page.getByLabel('Förbundets organisationsnummer', { exact: true });
  const fromName = page.getByLabel('Avsändarnamn på e-post', { exact: true });
  const replyTo = page.getByLabel('Svar till (e-postadress)', { exact: true });
  await orgnr.fill('222000-1718');
  await fromName.fill('Samordningsförbundet Höglandet');
  await replyTo.fill('kansliet@');
  response = await clickAndWait(page, page.getByRole('button', { name: 'Spara uppgifterna', exact: true }));
  assert.equal(response.status(), 422);
  await expectErrorSummary(page);
  await expectFieldError(page.getByLabel('Förbundets organisationsnummer', { exact: true }), 'kontrollsiffra');
  await expectFieldError(page.getByLabel('Svar till (e-postadress)', { exact: true }), 'e-postadress');
  // What was typed is kept, the name too.
  assert.equal(await page.getByLabel('Förbundets organisationsnummer', { exact: true }).inputValue(), '222000-1718');
  assert.equal(await page.getByLabel('Avsändarnamn på e-post', { exact: true }).inputValue(), 'Samordningsförbundet Höglandet');
  assert.equal(await page.getByLabel('Svar till (e-postadress)', { exact: true }).inputValue(), 'kansliet@');
  await expectNoSeriousAxeViolations(page, '/t/hoglandet/logotyp (with errors)');

  await page.getByLabel('Förbundets organisationsnummer', { exact: true }).fill('2220001719');
  await page.getByLabel('Svar till (e-postadress)', { exact: true }).fill('Kansli@Hoglandet.example');
  response = await clickAndWait(page, page.getByRole('button', { name: 'Spara uppgifterna', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(await page.getByLabel('Förbundets organisationsnummer', { exact: true }).inputValue(), '222000-1719');
  assert.equal(await page.getByLabel('Avsändarnamn på e-post', { exact: true }).inputValue(), 'Samordningsförbundet Höglandet');
  assert.equal(await page.getByLabel('Svar till (e-postadress)', { exact: true }).inputValue(), 'kansli@hoglandet.example');
  // The logo upload is a labelled file field.
  const file = page.getByLabel('Ladda upp en logotyp', { exact: true });
  assert.equal(await file.getAttribute('type'), 'file');
  await screenshot(page, 'documents-profile');
});
