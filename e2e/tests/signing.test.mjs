// Digital signing: the kansli sends a finished årsredovisning for signing from its version page (a plain
// HTML form with a row per signer; a wrong e-mail address is named at its field). Each signer gets an
// e-mail with a personal link, opens the document without an account, asks for a code by e-mail and signs
// or declines with it (one signer does it all without JavaScript). A decline stops the round and the
// kansli starts a new one with the same signers; when all have signed, the document is sealed, the
// kansli sends it to the members' registrators (the PDF attached), and anyone can check the sealed file
// (or its reference number) on the public /verify page, while a file with one byte changed is refused.
//
// The tests share one app and run in order: each builds on the round the one before left behind.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';
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
  findLink,
} from '../lib/harness.mjs';
import { expectErrorSummary, expectFieldError } from '../lib/forms.mjs';

const { app, test, newPage } = useSuite('signing');

const KANSLI = 'kansli@hoglandet.example';
const DOCS = '/t/hoglandet/dokument';
const VERSION_PATH = /^\/t\/hoglandet\/dokument\/versioner\/(\d+)$/;
const START_PATH = /^\/t\/hoglandet\/dokument\/versioner\/(\d+)\/underskrift$/;
const ROUND_PATH = /^\/t\/hoglandet\/underskrifter\/(\d+)$/;
const TITLE = 'Årsredovisning 2024';
const INVITATION_SUBJECT = `Underskrift begärs: ${TITLE}`;
const CODE_SUBJECT = `Din kod för att underteckna ${TITLE}`;
const DECLINED_SUBJECT = `Underskriften avböjdes: ${TITLE}`;
const REFERENCE = /^[0-9A-HJKMNP-TV-Z]{10}$/; // Crockford base32, ten characters

const SIGNERS = [
  { name: 'Anna Andersson', email: 'anna@eksjo.example', title: 'Ordförande', organisation: 'Eksjö kommun' },
  { name: 'Bo Bengtsson', email: 'bo@nassjo.example', title: 'Vice ordförande', organisation: 'Nässjö kommun' },
  { name: 'Cecilia Carlsson', email: 'cecilia@rjl.example', title: 'Ledamot', organisation: 'Region Jönköpings län' },
];
const [ANNA, BO, CECILIA] = SIGNERS;
const MESSAGE = 'Årsredovisningen för 2024 är klar. Skriv gärna under före styrelsemötet.';
const DECLINE_REASON = 'Not 12 saknar jämförelsetal för 2023.';

const REGISTRATORS = [
  'registrator@forsakringskassan.example',
  'registrator@arbetsformedlingen.example',
  'registrator@rjl.example',
  'registrator@aneby.example',
  'registrator@eksjo.example',
  'registrator@nassjo.example',
  'registrator@savsjo.example',
  'registrator@tranas.example',
  'registrator@vetlanda.example',
];

/** How long a rendering (the årsredovisning, then the sealed copy) may take in a debug build. */
const RENDER_TIMEOUT_MS = 90_000;
/** How long an e-mail may take to land in the outbox. */
const MAIL_TIMEOUT_MS = 30_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** A date `days` from today in Stockholm, as YYYY-MM-DD. */
const stockholmDate = (days) =>
  new Date(Date.now() + days * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
const DEADLINE = stockholmDate(10);

// Shared between the tests, in order.
const shared = {
  versionPath: null, // the årsredovisning's version page
  versionSha: null, // the SHA-256 of its PDF
  firstRoundPath: null,
  firstReference: null,
  firstDeclined: false, // the first round was declined and offers a new one
  secondRoundPath: null,
  reference: null, // the sealed round's reference number
  sealedBytes: null, // the sealed PDF
};

// ---------------------------------------------------------------------------------------------------
// The outbox

const parsed = new Map(); // file name -> { file, raw, mail }

/** Every e-mail in the outbox, oldest first (the files are named by the outbox row's id, zero-padded). */
async function outbox() {
  let names = [];
  try {
    names = await readdir(app.outboxDir);
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  // Files starting with a dot are half-written temporaries.
  for (const file of names.filter((f) => f.endsWith('.eml') && !f.startsWith('.')).sort()) {
    if (!parsed.has(file)) {
      const raw = await readFile(path.join(app.outboxDir, file));
      parsed.set(file, { file, raw: raw.toString('latin1'), mail: await simpleParser(raw) });
    }
  }
  return [...parsed.values()].sort((a, b) => a.file.localeCompare(b.file));
}

const addressesOf = (mail) =>
  (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [])
    .flatMap((a) => a.value)
    .map((a) => (a.address ?? '').toLowerCase());

/** The e-mails to `to` whose subject starts with `subject`, oldest first. */
async function mailsTo(to, subject) {
  return (await outbox()).filter(
    (m) => addressesOf(m.mail).includes(to.toLowerCase()) && (m.mail.subject ?? '').startsWith(subject),
  );
}

/** Waits until at least `count` e-mails to `to` with the subject have arrived; returns the newest. */
async function waitForMail(to, subject, count = 1) {
  const deadline = Date.now() + MAIL_TIMEOUT_MS;
  for (;;) {
    const found = await mailsTo(to, subject);
    if (found.length >= count) return found[found.length - 1];
    if (Date.now() > deadline) {
      const all = (await outbox()).map((m) => `${m.file} ${addressesOf(m.mail).join(',')}: ${m.mail.subject}`);
      assert.fail(`no e-mail #${count} "${subject}…" to ${to} within ${MAIL_TIMEOUT_MS / 1000} s; outbox:\n${all.join('\n')}`);
    }
    await sleep(250);
  }
}

// ---------------------------------------------------------------------------------------------------
// Reading pages

/** The rows of a `table.facts` as { header: value }. */
async function facts(page) {
  const rows = await page.locator('main table.facts tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector('th')?.textContent ?? '', tr.querySelector('td')?.textContent ?? '']),
  );
  return Object.fromEntries(rows.map(([k, v]) => [norm(k), norm(v)]));
}

/** The body rows of the first table after the h2 `heading` (not necessarily in the same section). */
async function tableAfterHeading(page, heading) {
  await page.getByRole('heading', { level: 2, name: heading, exact: true }).waitFor();
  return page.evaluate((heading) => {
    const n = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
    const h2 = [...document.querySelectorAll('h2')].find((h) => n(h.textContent) === heading);
    const table = [...document.querySelectorAll('table')].find(
      (t) => h2.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING,
    );
    return [...table.tBodies[0].rows].map((r) => [...r.cells].map((c) => n(c.textContent)));
  }, heading);
}

/** The content of the page's <meta http-equiv="refresh">, or null. */
const metaRefresh = (page) =>
  page.evaluate(() => document.querySelector('meta[http-equiv="refresh" i]')?.getAttribute('content') ?? null);

const statusText = async (page) => norm((await page.getByRole('status').allInnerTexts()).join(' '));

/** Fills the start form's signer rows with `signers` and empties every other row completely. */
async function fillSigners(page, signers) {
  const rows = await page.locator('input[name^="name_"]').count();
  assert.ok(rows >= signers.length, `the form has ${rows} signer rows, at least ${signers.length} needed`);
  for (let i = 0; i < rows; i += 1) {
    const s = signers[i] ?? { name: '', email: '', title: '', organisation: '' };
    for (const field of ['name', 'email', 'title', 'organisation']) {
      await page.locator(`[id="${field}_${i}"]`).fill(s[field]);
    }
  }
}

/** The signer rows of the start form as they are filled in, leaving out empty rows. */
async function typedSigners(page) {
  const rows = await page.locator('input[name^="name_"]').count();
  const out = [];
  for (let i = 0; i < rows; i += 1) {
    const row = {};
    for (const field of ['name', 'email', 'title', 'organisation']) {
      row[field] = await page.locator(`[id="${field}_${i}"]`).inputValue();
    }
    if (Object.values(row).some((v) => v.trim() !== '')) out.push(row);
  }
  return out;
}

/**
 * Checks the kansli's round page: its heading, status, reference and each signer's status (a list in
 * the order of SIGNERS). Returns the facts.
 */
async function expectRound(page, status, signerStatuses) {
  await expectH1(page, `Underskrift: ${TITLE}`);
  const f = await facts(page);
  assert.ok(f.Status?.startsWith(status), `round status "${f.Status}" (expected "${status}"): ${JSON.stringify(f)}`);
  assert.match(f.Referensnummer ?? '', REFERENCE, JSON.stringify(f));
  const rows = await tableUnderHeading(page, 'Undertecknare');
  assert.deepEqual(
    rows.map((r) => [r[0], r[1]]),
    SIGNERS.map((s) => [s.name, s.email]),
    `the signers, in order: ${JSON.stringify(rows)}`,
  );
  rows.forEach((r, i) => {
    assert.equal(r[2], `${SIGNERS[i].title}, ${SIGNERS[i].organisation}`, JSON.stringify(r));
    assert.ok(r[3].startsWith(signerStatuses[i]), `${SIGNERS[i].name}: "${r[3]}" (expected "${signerStatuses[i]}")`);
  });
  return { facts: f, rows };
}

// ---------------------------------------------------------------------------------------------------
// The signer

/**
 * Presses a button of the signer's page with the keyboard and waits for the page it leads to. Chromium's
 * PDF viewer in the page's frame swallows the first mouse click on the page (the form is not sent), so
 * the signer's page is used with the keyboard, as a keyboard user would.
 */
async function pressAndWait(page, locator) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.press('Enter')]);
  return response;
}

/** Selects a radio button with the keyboard (see pressAndWait). */
async function choose(radio) {
  await radio.focus();
  if (!(await radio.isChecked())) await radio.press('Space');
  assert.ok(await radio.isChecked(), `${await radio.getAttribute('id')} is chosen`);
}

/** The six-digit code of the newest code e-mail to `to` once there are `count` of them. */
async function codeFor(to, count) {
  const { file, mail } = await waitForMail(to, CODE_SUBJECT, count);
  const m = (mail.text ?? '').match(/^Kod: (\d{6})$/m);
  assert.ok(m, `a line "Kod: 123456" in ${file}:\n${mail.text}`);
  return m[1];
}

/**
 * One signer's whole visit in a fresh browser context: the newest invitation's link, the document,
 * a code by e-mail, and the decision. Options: `declineWith` (a reason), `javaScript`, `axe` (run axe on
 * the page), `fetchPdf` (fetch the frame's PDF and compare it), `wrongCodeFirst`, `withoutReasonFirst`
 * (decline without a reason first), `invitation` (how
 * many invitations the signer must have had; the newest is used), `others` (the other signers' expected
 * statuses, by name).
 */
async function signerVisit(signer, opts = {}) {
  const { declineWith = null, javaScript = true, axe = false, wrongCodeFirst = false, withoutReasonFirst = false, invitation = 1 } = opts;
  const label = `${signer.name}${javaScript ? '' : ' (no JavaScript)'}`;
  const { file, mail } = await waitForMail(signer.email, INVITATION_SUBJECT, invitation);
  assert.equal(mail.subject, INVITATION_SUBJECT, `subject of ${file}`);
  assert.ok((mail.text ?? '').includes(MESSAGE), `${file} carries the kansli's message:\n${mail.text}`);
  const link = findLink(mail, app.baseURL, '/sign/');
  assert.ok(link, `no ${app.baseURL}/sign/… link in ${file}:\n${mail.text}`);
  const token = new URL(link).pathname.slice('/sign/'.length);

  const page = await newPage(javaScript ? {} : { javaScriptEnabled: false });
  let response = await page.goto(link);
  assert.equal(response.status(), 200, `${label}: the link opens`);
  await expectH1(page, `Underskrift: ${TITLE}`);
  const intro = norm(await page.locator('main > p').first().innerText());
  assert.ok(intro.includes(signer.name) && intro.includes(DEADLINE), `${label}: the page greets the signer: "${intro}"`);

  // The document: shown in a frame, from the signer's link, the very version the kansli made.
  const frame = page.locator('iframe');
  assert.equal(await frame.count(), 1, 'the document is shown in a frame');
  assert.equal(await frame.getAttribute('src'), `/sign/${token}/pdf`);
  assert.ok(norm(await frame.getAttribute('title')).includes(TITLE), 'the frame has a title');
  const shownSha = norm(await page.locator('main code.hash').innerText());
  assert.equal(shownSha, shared.versionSha, `${label}: the page shows the version's SHA-256`);
  if (opts.fetchPdf) {
    const pdf = await page.request.get(`/sign/${token}/pdf`);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.equal(sha256(await pdf.body()), shared.versionSha, `${label}: the link serves the version's PDF`);
  }

  // Everyone who signs, with "(du)" beside the signer.
  const signerRows = await tableUnderHeading(page, 'Undertecknare');
  assert.deepEqual(
    signerRows.map((r) => r[0]),
    SIGNERS.map((s) => (s === signer ? `${s.name} (du)` : s.name)),
    `${label}: the list of signers`,
  );
  for (const [name, status] of Object.entries(opts.others ?? {})) {
    const row = signerRows.find((r) => r[0].startsWith(name));
    assert.equal(row?.[3], status, `${label}: ${name}'s status on the page: ${JSON.stringify(row)}`);
  }
  if (axe) {
    await expectNoSeriousAxeViolations(page, `/sign/… (${label})`);
    await screenshot(page, 'signing-signer');
  }

  // 1. A code by e-mail.
  const codesBefore = (await mailsTo(signer.email, CODE_SUBJECT)).length;
  response = await pressAndWait(page, page.getByRole('button', { name: 'Skicka kod till min e-post', exact: true }));
  assert.equal(response.status(), 200, `${label}: asking for a code`);
  const notice = await statusText(page);
  assert.ok(notice.includes('En kod har skickats'), `${label}: the page says a code was sent: "${notice}"`);
  assert.equal(await page.getByRole('button', { name: 'Skicka en ny kod', exact: true }).count(), 1, 'the button now offers a new code');
  const code = await codeFor(signer.email, codesBefore + 1);

  const codeField = () => page.getByLabel('Kod från e-postmeddelandet', { exact: true });
  const decide = async ({ withCode, decline, reason }) => {
    await codeField().fill(withCode);
    await choose(page.getByLabel(decline ? 'Jag avböjer att skriva under' : 'Jag har läst dokumentet och skriver under det', { exact: true }));
    await page.getByLabel('Skäl om du avböjer', { exact: true }).fill(reason ?? '');
    return pressAndWait(page, page.getByRole('button', { name: 'Skicka mitt beslut', exact: true }));
  };

  if (wrongCodeFirst) {
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    response = await decide({ withCode: wrong, decline: declineWith !== null, reason: declineWith });
    assert.equal(response.status(), 422, `${label}: a wrong code is refused`);
    await expectErrorSummary(page);
    await expectFieldError(codeField(), 'Fel kod');
    if (axe) {
      await expectNoSeriousAxeViolations(page, `/sign/… (${label}, wrong code)`);
      await screenshot(page, 'signing-signer-wrong-code');
    }
  }
  if (withoutReasonFirst) {
    response = await decide({ withCode: code, decline: true, reason: '' });
    assert.equal(response.status(), 422, `${label}: declining without a reason is refused`);
    await expectErrorSummary(page);
    await expectFieldError(page.getByLabel('Skäl om du avböjer', { exact: true }), 'Skriv varför du avböjer');
  }

  // 2. The decision, with the right code.
  response = await decide({ withCode: code, decline: declineWith !== null, reason: declineWith });
  assert.equal(response.status(), 200, `${label}: the decision is taken`);
  await expectH1(page, declineWith === null ? 'Du har skrivit under' : 'Du har avböjt');
  const done = await statusText(page);
  assert.ok(done.length > 0, `${label}: the page confirms the decision`);
  if (axe) await screenshot(page, declineWith === null ? 'signing-signed' : 'signing-declined');
  return { link, token };
}

// ---------------------------------------------------------------------------------------------------

test('signing: the kansli sends the årsredovisning 2024 for signing; a wrong e-mail address is named at its field', async () => {
  const page = await newPage();
  await login(page, KANSLI);
  let response = await page.goto(DOCS);
  assert.equal(response.status(), 200);
  await page.getByLabel('Dokument', { exact: true }).selectOption({ label: 'Årsredovisning' });
  await page.getByLabel('År', { exact: true }).fill('2024');
  await page.getByRole('checkbox', { name: /^Utkast/ }).uncheck();
  response = await clickAndWait(page, page.getByRole('button', { name: 'Skapa dokumentet', exact: true }));
  assert.equal(response.status(), 200);
  assert.match(pathOf(page), VERSION_PATH, 'the form leads to the new version');
  const versionPath = pathOf(page);

  // The version page refreshes itself until the PDF is made; load it again until it is.
  const started = Date.now();
  while ((await page.getByRole('link', { name: 'Visa dokumentet', exact: true }).count()) === 0) {
    assert.equal(await page.locator('main [role="alert"]').count(), 0, `${versionPath} failed: ${await page.locator('main').innerText()}`);
    assert.ok(Date.now() - started < RENDER_TIMEOUT_MS, `${versionPath} not ready after ${RENDER_TIMEOUT_MS / 1000} s`);
    await sleep(1_000);
    response = await page.goto(versionPath);
    assert.equal(response.status(), 200);
  }
  console.log(`[signing] ${versionPath} ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  shared.versionPath = versionPath;
  const versionFacts = await facts(page);
  shared.versionSha = versionFacts['SHA-256 för PDF-filen'];
  assert.match(shared.versionSha ?? '', /^[0-9a-f]{64}$/, JSON.stringify(versionFacts));

  // The start form, with signers proposed from the board.
  response = await clickAndWait(page, page.getByRole('link', { name: 'Skicka för underskrift', exact: true }));
  assert.equal(response.status(), 200);
  assert.match(pathOf(page), START_PATH);
  assert.equal(pathOf(page), `${versionPath}/underskrift`);
  const startPath = pathOf(page);
  await expectH1(page, 'Skicka för underskrift');
  const proposed = await typedSigners(page);
  assert.ok(proposed.length > 0 && proposed[0].name.trim() !== '', `signers are proposed: ${JSON.stringify(proposed)}`);
  console.log(`[signing] proposed signers: ${proposed.map((s) => `${s.name} <${s.email}>`).join('; ')}`);
  assert.match(await page.getByLabel('Sista dag för underskrift', { exact: true }).inputValue(), /^\d{4}-\d{2}-\d{2}$/, 'a deadline is proposed');
  await expectNoSeriousAxeViolations(page, `${startPath} (proposed)`);
  await screenshot(page, 'signing-start');

  // A wrong e-mail address: 422, the message at the field, everything typed kept.
  const typo = 'bo-at-nassjo.example';
  await fillSigners(page, [ANNA, { ...BO, email: typo }, CECILIA]);
  await page.getByLabel('Sista dag för underskrift', { exact: true }).fill(DEADLINE);
  await page.getByLabel('Meddelande till undertecknarna', { exact: true }).fill(MESSAGE);
  await page.getByLabel(/^Skriv under i tur och ordning/).uncheck();
  await page.getByLabel(/^Skicka det förseglade dokumentet till medlemmarnas registratorer/).uncheck();
  response = await clickAndWait(page, page.getByRole('button', { name: 'Skicka för underskrift', exact: true }));
  assert.equal(response.status(), 422, 'a wrong address is refused');
  assert.equal(pathOf(page), startPath);
  const summary = await expectErrorSummary(page);
  assert.ok(summary.includes('Ange en giltig e-postadress.'), `the summary: "${summary}"`);
  await expectFieldError(page.locator('[id="email_1"]'), 'Ange en giltig e-postadress.');
  assert.deepEqual(await typedSigners(page), [ANNA, { ...BO, email: typo }, CECILIA], 'the signers typed are kept, the empty rows left out');
  assert.equal(await page.getByLabel('Sista dag för underskrift', { exact: true }).inputValue(), DEADLINE, 'the deadline is kept');
  assert.equal(await page.getByLabel('Meddelande till undertecknarna', { exact: true }).inputValue(), MESSAGE, 'the message is kept');
  assert.equal(await mailsTo(ANNA.email, INVITATION_SUBJECT).then((m) => m.length), 0, 'nobody was invited');
  await expectNoSeriousAxeViolations(page, `${startPath} (with errors)`);
  await screenshot(page, 'signing-start-error');

  // Put right, the round starts and every signer is invited.
  await fillSigners(page, SIGNERS);
  response = await clickAndWait(page, page.getByRole('button', { name: 'Skicka för underskrift', exact: true }));
  assert.equal(response.status(), 200);
  assert.match(pathOf(page), ROUND_PATH, 'the form leads to the round');
  shared.firstRoundPath = pathOf(page);
  const { facts: f } = await expectRound(page, 'Pågår', ['Inbjuden', 'Inbjuden', 'Inbjuden']);
  shared.firstReference = f.Referensnummer;
  assert.equal(f['Sista dag'], DEADLINE, JSON.stringify(f));
  assert.equal(f.Ordning, 'Alla samtidigt', JSON.stringify(f));
  assert.equal(f.Meddelande, MESSAGE, JSON.stringify(f));
  assert.equal(await page.getByRole('link', { name: 'Starta en ny omgång' }).count(), 0, 'nothing to restart');
  const events = await tableUnderHeading(page, 'Händelser');
  assert.ok(events.some((e) => e[1] === 'Underskriften startades'), `the events: ${JSON.stringify(events)}`);
  await expectNoSeriousAxeViolations(page, `${shared.firstRoundPath} (pending)`);
  await screenshot(page, 'signing-round-pending');

  for (const s of SIGNERS) await waitForMail(s.email, INVITATION_SUBJECT);

  // The version now has a round under way: its start form says so instead of offering a second one.
  response = await page.goto(startPath);
  assert.equal(response.status(), 200);
  assert.equal(await page.getByRole('button', { name: 'Skicka för underskrift' }).count(), 0, 'no second round while one is under way');
  assert.equal(await page.locator(`main a[href="${shared.firstRoundPath}"]`).count(), 1, 'the form links to the round under way');
});

test('signing: two sign (one without JavaScript, one after a wrong code) and one declines with a reason; the round stops', async () => {
  assert.ok(shared.firstRoundPath, 'the first test started a round');
  await signerVisit(ANNA, { axe: true, wrongCodeFirst: true, fetchPdf: true });
  await signerVisit(BO, { javaScript: false, others: { [ANNA.name]: 'Har skrivit under', [CECILIA.name]: 'Inbjuden' } });
  const { link: cecilia } = await signerVisit(CECILIA, { declineWith: DECLINE_REASON, withoutReasonFirst: true });

  // The kansli is told, with the reason.
  const { file, mail } = await waitForMail(KANSLI, DECLINED_SUBJECT);
  assert.ok((mail.text ?? '').includes(DECLINE_REASON), `${file} gives the reason:\n${mail.text}`);
  assert.ok(findLink(mail, app.baseURL, '/t/hoglandet/underskrifter/'), `${file} links to the round:\n${mail.text}`);

  // The round page: declined, with the reason, and a new round offered.
  const page = await newPage();
  await login(page, KANSLI);
  const response = await page.goto(shared.firstRoundPath);
  assert.equal(response.status(), 200);
  const { rows } = await expectRound(page, 'Avböjd', ['Har skrivit under', 'Har skrivit under', 'Avböjd']);
  assert.ok(rows[2][3].includes(DECLINE_REASON), `Cecilia's row gives the reason: ${JSON.stringify(rows[2])}`);
  assert.match(rows[0][4], /\d{4}-\d{2}-\d{2}/, `Anna's row has the time she signed: ${JSON.stringify(rows[0])}`);
  const events = await tableUnderHeading(page, 'Händelser');
  const declined = events.find((e) => e[1] === 'Avböjde');
  assert.ok(declined, `a decline in the events: ${JSON.stringify(events)}`);
  assert.ok(declined[2].includes(CECILIA.name) && declined[3].includes(DECLINE_REASON), JSON.stringify(declined));
  assert.ok(events.some((e) => e[1] === 'Fel kod'), `the wrong code is in the events: ${JSON.stringify(events)}`);
  assert.equal(events.filter((e) => e[1] === 'Skrev under').length, 2, JSON.stringify(events));
  assert.equal(await page.getByRole('link', { name: 'Starta en ny omgång', exact: true }).count(), 1);
  assert.equal(await page.getByRole('heading', { name: 'Skicka till medlemmarna' }).count(), 0, 'nothing to send');
  await expectNoSeriousAxeViolations(page, `${shared.firstRoundPath} (declined)`);
  await screenshot(page, 'signing-round-declined');
  shared.firstDeclined = true;

  // The links of a stopped round no longer work.
  const late = await newPage();
  const gone = await late.goto(cecilia);
  assert.equal(gone.status(), 410, 'a link of a declined round is gone');
  await expectH1(late, 'Underskrift');
  assert.equal(await late.getByRole('button', { name: 'Skicka mitt beslut' }).count(), 0);
});

test('signing: a new round with the same signers; all three sign and the document is sealed', async (t) => {
  assert.ok(shared.firstDeclined, 'the first round was declined');
  const page = await newPage();
  await login(page, KANSLI);
  await page.goto(shared.firstRoundPath);
  let response = await clickAndWait(page, page.getByRole('link', { name: 'Starta en ny omgång', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), `${shared.firstRoundPath}/ny-omgang`);
  await expectH1(page, 'Skicka för underskrift');
  assert.deepEqual(await typedSigners(page), SIGNERS, 'the same signers are filled in');
  assert.equal(await page.getByLabel('Meddelande till undertecknarna', { exact: true }).inputValue(), MESSAGE, 'the message is kept');
  assert.match(await page.getByLabel('Sista dag för underskrift', { exact: true }).inputValue(), /^\d{4}-\d{2}-\d{2}$/, 'a new deadline is proposed');
  await page.getByLabel('Sista dag för underskrift', { exact: true }).fill(DEADLINE);
  response = await clickAndWait(page, page.getByRole('button', { name: 'Skicka för underskrift', exact: true }));
  assert.equal(response.status(), 200);
  assert.match(pathOf(page), ROUND_PATH);
  assert.notEqual(pathOf(page), shared.firstRoundPath, 'a new round');
  shared.secondRoundPath = pathOf(page);
  const { facts: f } = await expectRound(page, 'Pågår', ['Inbjuden', 'Inbjuden', 'Inbjuden']);
  assert.notEqual(f.Referensnummer, shared.firstReference, 'the new round has a reference of its own');
  shared.reference = f.Referensnummer;
  // The round page would link "Föregående omgång" to the declined round, but the new round is started
  // through the same form as a first one and does not know its predecessor (previous_round_id is never
  // set).
  await t.test('the new round links to the declined one', async () => {
    const back = page.getByRole('link', { name: 'Föregående omgång', exact: true });
    assert.equal(await back.count(), 1, 'a link "Föregående omgång"');
    assert.equal(await back.getAttribute('href'), shared.firstRoundPath);
  });

  // Each signer uses the second (the newest) invitation.
  await signerVisit(ANNA, { invitation: 2 });
  await signerVisit(BO, { invitation: 2, javaScript: false });
  await signerVisit(CECILIA, { invitation: 2, others: { [ANNA.name]: 'Har skrivit under', [BO.name]: 'Har skrivit under' } });

  // The round page refreshes itself while the sealed copy is made.
  const started = Date.now();
  response = await page.goto(shared.secondRoundPath);
  assert.equal(response.status(), 200);
  const sealedLink = page.getByRole('link', { name: 'Visa det förseglade dokumentet', exact: true });
  if ((await sealedLink.count()) === 0) {
    const status = (await facts(page)).Status;
    assert.ok(status.includes('förseglas'), `while sealing the page says so: "${status}"`);
    const refresh = await metaRefresh(page);
    assert.ok(refresh !== null && /^\s*5\b/.test(refresh), `while sealing the page refreshes itself: "${refresh}"`);
    // Waits through the page's own refreshes.
    await sealedLink.waitFor({ timeout: RENDER_TIMEOUT_MS });
    await page.waitForLoadState('load');
  }
  console.log(`[signing] sealed ${((Date.now() - started) / 1000).toFixed(1)} s after the last signature`);
  assert.equal(await metaRefresh(page), null, 'a sealed round does not refresh itself');
  const sealed = await expectRound(page, 'Underskriven och förseglad', ['Har skrivit under', 'Har skrivit under', 'Har skrivit under']);
  const sha = sealed.facts['SHA-256 för det förseglade dokumentet'];
  assert.match(sha ?? '', /^[0-9a-f]{64}$/, JSON.stringify(sealed.facts));
  assert.notEqual(sha, shared.versionSha, 'the sealed copy is a new file');
  assert.equal(sealed.facts.Kontroll, `${app.baseURL}/verify/${shared.reference}`, JSON.stringify(sealed.facts));
  assert.equal(await page.getByRole('link', { name: 'Starta en ny omgång' }).count(), 0, 'nothing to restart');
  const events = await tableUnderHeading(page, 'Händelser');
  for (const what of ['Underskriften startades', 'Alla har skrivit under', 'Förseglad']) {
    assert.ok(events.some((e) => e[1] === what), `"${what}" in the events: ${JSON.stringify(events)}`);
  }

  const href = await sealedLink.getAttribute('href');
  assert.match(href, /^\/t\/hoglandet\/dokument\/versioner\/\d+\/pdf$/);
  const pdf = await page.request.get(href);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  const bytes = await pdf.body();
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.equal(sha256(bytes), sha, 'the sealed PDF has the SHA-256 shown');
  shared.sealedBytes = bytes;

  // The audit trail, for the records: a PDF from the link under Händelser.
  const trailLink = page.getByRole('link', { name: 'Ladda ner signeringsloggen (PDF)', exact: true });
  const trail = await page.request.get(await trailLink.getAttribute('href'));
  assert.equal(trail.status(), 200);
  assert.equal(trail.headers()['content-type'], 'application/pdf');
  assert.match(trail.headers()['content-disposition'], /signeringslogg-/);
  assert.equal((await trail.body()).subarray(0, 5).toString('latin1'), '%PDF-');

  await page.getByRole('heading', { level: 2, name: 'Skicka till medlemmarna', exact: true }).waitFor();
  await expectNoSeriousAxeViolations(page, `${shared.secondRoundPath} (sealed)`);
  await screenshot(page, 'signing-round-sealed');
});

test('signing: the kansli sends the sealed document to the nine members’ registrators, attached', async () => {
  assert.ok(shared.sealedBytes, 'the second round was sealed');
  const page = await newPage();
  await login(page, KANSLI);
  await page.goto(shared.secondRoundPath);
  const section = page.locator('section').filter({ has: page.getByRole('heading', { level: 2, name: 'Skicka till medlemmarna', exact: true }) });
  assert.equal(await section.locator('table').count(), 0, 'nothing sent yet');
  const response = await clickAndWait(page, section.getByRole('button', { name: 'Skicka det förseglade dokumentet', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), shared.secondRoundPath);

  let rows = await tableUnderHeading(page, 'Skicka till medlemmarna');
  assert.deepEqual(rows.map((r) => r[0].split(' ')[0]).sort(), [...REGISTRATORS].sort(), `the recipients: ${JSON.stringify(rows)}`);
  assert.ok(rows.every((r) => r[1] === 'Bilaga'), `all as an attachment: ${JSON.stringify(rows)}`);

  for (const to of REGISTRATORS) {
    const { file, raw, mail } = await waitForMail(to, '');
    assert.ok(raw.includes('Content-Disposition: attachment'), `${file} has an attachment`);
    assert.match(raw, /filename\*?[^=\s]*="?[^"\s;]*\.pdf"?/i, `${file} names a .pdf file`);
    assert.equal(mail.attachments.length, 1, `${file}: one attachment`);
    const [a] = mail.attachments;
    assert.ok(a.filename?.endsWith('.pdf'), `${file}: the attachment is "${a.filename}"`);
    assert.equal(a.contentType, 'application/pdf', `${file}: content type`);
    assert.ok(a.content.equals(shared.sealedBytes), `${file}: the attachment is the sealed PDF`);
    assert.ok((mail.text ?? '').includes(shared.reference), `${file} gives the reference:\n${mail.text}`);
    assert.ok((mail.text ?? '').includes(`${app.baseURL}/verify`), `${file} tells how to check the file:\n${mail.text}`);
    assert.equal((await mailsTo(to, '')).length, 1, `${to} gets one e-mail`);
  }
  console.log(`[signing] the sealed PDF went to ${REGISTRATORS.length} registrators`);

  // The table follows the sending.
  const deadline = Date.now() + MAIL_TIMEOUT_MS;
  while (!rows.every((r) => r[2] === 'Skickat')) {
    assert.ok(Date.now() < deadline, `not all sent: ${JSON.stringify(rows)}`);
    await sleep(500);
    await page.goto(shared.secondRoundPath);
    rows = await tableUnderHeading(page, 'Skicka till medlemmarna');
  }
  assert.ok(rows.every((r) => r[3] === '1' && /\d{4}-\d{2}-\d{2}/.test(r[4])), `one attempt each, with a time: ${JSON.stringify(rows)}`);
  await expectNoSeriousAxeViolations(page, `${shared.secondRoundPath} (distributed)`);
  await screenshot(page, 'signing-round-distributed');
});

test('signing: anyone checks the sealed PDF at /verify; a changed byte is not confirmed; the reference shows the facts', async (t) => {
  assert.ok(shared.sealedBytes, 'the second round was sealed');
  const page = await newPage(); // not logged in
  let response = await page.goto('/verify');
  assert.equal(response.status(), 200);
  await expectH1(page, 'Kontrollera ett underskrivet dokument');
  await expectNoSeriousAxeViolations(page, '/verify');
  await screenshot(page, 'signing-verify');

  const upload = async (buffer) => {
    await page.getByLabel('PDF-fil', { exact: true }).setInputFiles({ name: 'arsredovisning-2024.pdf', mimeType: 'application/pdf', buffer });
    return clickAndWait(page, page.getByRole('button', { name: 'Kontrollera filen', exact: true }));
  };
  const expectGenuine = async (label) => {
    await page.getByRole('heading', { level: 2, name: 'Dokumentet är äkta', exact: true }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Dokumentet kunde inte bekräftas' }).count(), 0);
    const f = await facts(page);
    assert.equal(f.Referensnummer, shared.reference, `${label}: ${JSON.stringify(f)}`);
    assert.equal(f.Dokument, TITLE, `${label}: ${JSON.stringify(f)}`);
    assert.ok((f.Förbund ?? '').includes('Höglandet'), `${label}: ${JSON.stringify(f)}`);
    assert.match(f.Förseglat ?? '', /\d{4}-\d{2}-\d{2}/, `${label}: ${JSON.stringify(f)}`);
    const signers = await tableAfterHeading(page, 'Undertecknare');
    assert.deepEqual(
      signers.map((r) => r.slice(0, 3)).sort(),
      SIGNERS.map((s) => [s.name, s.title, s.organisation]).sort(),
      `${label}: the signers`,
    );
    const text = await page.locator('main').innerText();
    assert.ok(!SIGNERS.some((s) => text.includes(s.email)), `${label}: no e-mail addresses are shown`);
  };

  // The sealed file is genuine.
  response = await upload(shared.sealedBytes);
  assert.equal(response.status(), 200);
  await expectGenuine('the sealed file');
  await expectNoSeriousAxeViolations(page, '/verify (genuine)');
  await screenshot(page, 'signing-verify-genuine');

  // One byte changed: not confirmed.
  response = await clickAndWait(page, page.getByRole('link', { name: 'Kontrollera ett annat dokument', exact: true }));
  assert.equal(pathOf(page), '/verify');
  const changed = Buffer.from(shared.sealedBytes);
  changed[changed.length >> 1] ^= 0x01;
  response = await upload(changed);
  assert.ok(response.status() < 500, `a changed file answers ${response.status()}`);
  await page.getByRole('heading', { level: 2, name: 'Dokumentet kunde inte bekräftas', exact: true }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Dokumentet är äkta' }).count(), 0);
  assert.equal(await page.locator('main table').count(), 0, 'no facts for a changed file');
  await expectNoSeriousAxeViolations(page, '/verify (not confirmed)');
  await screenshot(page, 'signing-verify-changed');

  // The reference, typed the way people do (lower case, a dash), shows the same facts.
  await page.goto('/verify');
  const typed = `${shared.reference.slice(0, 5)}-${shared.reference.slice(5)}`.toLowerCase();
  await page.getByLabel('Referensnummer', { exact: true }).fill(typed);
  response = await clickAndWait(page, page.getByRole('button', { name: 'Visa uppgifterna', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), `/verify/${shared.reference}`);
  await expectGenuine('by reference');
  await expectNoSeriousAxeViolations(page, `/verify/${shared.reference}`);

  // Sent without a file (a client that ignores `required`), the form comes back with its message, but
  // without the CSRF token in its action (`/verify?csrf_token=`), so the file chosen next is refused
  // with 403.
  await t.test('after "Välj en PDF-fil" the form still checks a file', async () => {
    await page.goto('/verify');
    await page.getByLabel('PDF-fil', { exact: true }).evaluate((input) => input.removeAttribute('required'));
    const empty = await clickAndWait(page, page.getByRole('button', { name: 'Kontrollera filen', exact: true }));
    assert.equal(empty.status(), 422);
    assert.ok((await page.getByRole('alert').innerText()).includes('Välj en PDF-fil att kontrollera.'));
    const again = await upload(shared.sealedBytes);
    assert.equal(again.status(), 200, `the next upload answers ${again.status()}`);
    await page.getByRole('heading', { level: 2, name: 'Dokumentet är äkta', exact: true }).waitFor({ timeout: 2_000 });
  });

  // The declined round's reference stands for no sealed document.
  response = await page.goto(`/verify/${shared.firstReference}`);
  assert.equal(response.status(), 404);
  await page.getByRole('heading', { level: 2, name: 'Dokumentet kunde inte bekräftas', exact: true }).waitFor();
});
