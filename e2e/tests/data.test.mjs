// The förbund's own data: insatser with their måluppfyllelse, meetings, the budget and the year's accounts.
// Each form is plain HTML (no JavaScript needed), refuses bad input with a 422 page that keeps what was
// typed, and has a visible label on every field; the styrelse and a coach read what they may read.
//
// The tests share one app and run in order: the insats test assesses 2025's goals of SE-Höglandet, the
// meeting test adds a meeting to Södra Vätterbygden, the budget test raises its Kansli cost for 2026 and
// the accounts test leaves Höglandet's 2024 cash one krona off, so nothing later may rely on those values.

import assert from 'node:assert/strict';
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

const { test, newPage } = useSuite('data');

const KANSLI = 'kansli@hoglandet.example';
const STYRELSE = 'styrelse@hoglandet.example';
const COACH = 'coach@hoglandet.example';
const SV_KANSLI = 'kansli@sodra-vatterbygden.example';

const INSATSER = '/t/hoglandet/insatser';
const INSATS_PATH = /^\/t\/hoglandet\/insatser\/(\d+)$/;
const HOGLANDET_YEAR = '/t/hoglandet/ar/2024';
const ACCOUNTS = `${HOGLANDET_YEAR}/rakenskaper`;
const MEETINGS = '/t/sodra-vatterbygden/moten';
const NEW_MEETING = `${MEETINGS}/ny`;
const MEETING_PATH = /^\/t\/sodra-vatterbygden\/moten\/(\d+)$/;
const SV_YEAR = '/t/sodra-vatterbygden/ar/2024';
const BUDGET = `${SV_YEAR}/budget`;
const BUDGET_HEADING = 'Budget 2024 och plan 2025–2026';


/** Asserts that `group` (a fieldset) has exactly one field labelled `label`, of the given tag (and type). */
async function expectField(group, label, tag, type = null, what = '') {
  const field = group.getByLabel(label, { exact: true });
  assert.equal(await field.count(), 1, `${what}: one field "${label}"`);
  assert.equal(await field.evaluate((el) => el.tagName), tag, `${what}: "${label}" is a ${tag}`);
  if (type) assert.equal(await field.getAttribute('type'), type, `${what}: "${label}" has type ${type}`);
  return field;
}

/**
 * A Swedish amount as the app writes it ("2 009 909,70", "−79 676") in öre. Spaces of any kind group
 * the thousands, a comma separates the öre, and the minus may be U+2212.
 */
function parseKronor(text) {
  const s = norm(text).replace(/[\s\u00a0\u202f]/g, '').replace('\u2212', '-');
  assert.match(s, /^-?\d+(,\d{1,2})?$/, `"${text}" is an amount in Swedish format`);
  const [whole, frac = ''] = s.replace('-', '').split(',');
  const ore = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return s.startsWith('-') ? -ore : ore;
}

/** Öre written the Swedish way: "2 009 910,70", or "1 010 000" when there are no öre. */
function formatKronor(ore) {
  const sign = ore < 0 ? '\u2212' : '';
  const abs = Math.abs(ore);
  const kronor = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  const rest = abs % 100;
  return `${sign}${kronor}${rest === 0 ? '' : `,${String(rest).padStart(2, '0')}`}`;
}

/** The links of the insatser list, as { name: path }. */
async function insatsLinks(page) {
  const links = await page
    .locator('main table a')
    .evaluateAll((as) => as.map((a) => [a.textContent.replace(/\s+/g, ' ').trim(), a.getAttribute('href')]));
  return Object.fromEntries(links);
}

/** The Kontroller section of a year page: its alert or status line, and its items. */
async function checks(page) {
  await page.getByRole('heading', { level: 2, name: 'Kontroller', exact: true }).waitFor();
  const section = page.locator('section[aria-labelledby="kontroller"]');
  return {
    alert: norm((await section.getByRole('alert').allInnerTexts()).join(' ')),
    status: norm((await section.getByRole('status').allInnerTexts()).join(' ')),
    items: (await section.locator('li').allInnerTexts()).map(norm),
  };
}

// --- Insatser ------------------------------------------------------------------------------------------

let insatsIds = null; // { name: path } from the kansli's list, for the coach's test

test('insats: the kansli assesses the first goal for 2025 and comes back on 2025’s assessment', async () => {
  const page = await newPage();
  await login(page, KANSLI);
  let response = await page.goto(INSATSER);
  assert.equal(response.status(), 200);
  await expectH1(page, 'Insatser');
  insatsIds = await insatsLinks(page);
  assert.ok(insatsIds['SE-Höglandet'], `SE-Höglandet in the list: ${JSON.stringify(insatsIds)}`);
  assert.ok(insatsIds['Uppdrag Samverkan'], `Uppdrag Samverkan in the list: ${JSON.stringify(insatsIds)}`);

  response = await clickAndWait(page, page.getByRole('link', { name: 'SE-Höglandet', exact: true }));
  assert.equal(response.status(), 200);
  assert.match(pathOf(page), INSATS_PATH);
  const path = pathOf(page);
  await expectH1(page, 'SE-Höglandet');

  const main = page.locator('main');
  const name = await expectField(main, 'Namn', 'INPUT', 'text', path);
  assert.equal(await name.inputValue(), 'SE-Höglandet');
  assert.equal(await (await expectField(main, 'Typ', 'SELECT', null, path)).inputValue(), 'individinriktad');
  await expectField(main, 'Ansvarig medlem', 'SELECT', null, path);
  await expectField(main, 'Utförare', 'INPUT', 'text', path);
  await expectField(main, 'Period från', 'INPUT', 'date', path);
  await expectField(main, 'Period till', 'INPUT', 'date', path);
  await expectField(main, 'Målgrupp', 'TEXTAREA', null, path);
  await expectField(main, 'Beskrivning', 'TEXTAREA', null, path);
  const goals = await expectField(main, 'Mål', 'TEXTAREA', null, path);
  const goalLines = (await goals.inputValue()).split('\n').map(norm).filter(Boolean);
  assert.ok(goalLines.length >= 2, `SE-Höglandet has goals: ${JSON.stringify(goalLines)}`);
  const firstGoal = goalLines[0];

  const year2024 = page.getByRole('group', { name: '2024', exact: true });
  assert.equal(await year2024.count(), 1, 'a fieldset for 2024');
  for (const label of ['År', 'Beviljat', 'Budget', 'Utfall']) await expectField(year2024, label, 'INPUT', 'text', '2024');
  assert.equal(await year2024.getByLabel('År', { exact: true }).inputValue(), '2024');
  assert.equal(await year2024.getByLabel('Budget', { exact: true }).inputValue(), '3 980 000');

  // The GET form "Bedöm år" shows 2024's assessment as the demo has it.
  const assessYear = page.getByLabel('Bedöm år', { exact: true });
  await assessYear.fill('2024');
  response = await clickAndWait(page, page.getByRole('button', { name: 'Visa', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), path);
  assert.equal(new URL(page.url()).searchParams.get('ar'), '2024');
  await page.getByRole('heading', { level: 2, name: 'Måluppfyllelse 2024', exact: true }).waitFor();
  const firstGoalGroup = page.getByRole('group', { name: firstGoal, exact: true });
  assert.equal(await firstGoalGroup.count(), 1, `a fieldset for the goal "${firstGoal}"`);
  const status = await expectField(firstGoalGroup, 'Bedömning', 'SELECT', null, firstGoal);
  const options = (await status.locator('option').allTextContents()).map(norm);
  assert.deepEqual(options, ['Inte bedömt', 'Uppfyllt', 'Delvis uppfyllt', 'Ej uppfyllt']);
  assert.equal(await status.inputValue(), 'uppfyllt', 'the demo assessed 2024’s first goal as Uppfyllt');
  await expectField(firstGoalGroup, 'Kommentar', 'INPUT', 'text', firstGoal);
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, `${path}?ar=2024 (kansli)`);

  // 2025: the first goal is Delvis uppfyllt.
  response = await page.goto(`${path}?ar=2025`);
  assert.equal(response.status(), 200);
  await page.getByRole('heading', { level: 2, name: 'Måluppfyllelse 2025', exact: true }).waitFor();
  assert.equal(await status.inputValue(), '', '2025 is not assessed yet');
  const comment = 'Halvvägs: 30 % gick till arbete eller studier.';
  await status.selectOption({ label: 'Delvis uppfyllt' });
  await firstGoalGroup.getByLabel('Kommentar', { exact: true }).fill(comment);
  response = await clickAndWait(page, page.getByRole('button', { name: 'Spara måluppfyllelsen', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), path, 'saved, back on the insats');
  await expectH1(page, 'SE-Höglandet');
  const rows = await tableUnderHeading(page, 'Måluppfyllelse');
  assert.ok(
    rows.some((c) => c[0] === '2025' && c[1] === firstGoal && c[2] === 'Delvis uppfyllt' && c[3] === comment),
    `2025's assessment is listed: ${JSON.stringify(rows)}`,
  );
  assert.ok(
    rows.some((c) => c[0] === '2024' && c[1] === firstGoal && c[2] === 'Uppfyllt'),
    `2024's assessment is kept: ${JSON.stringify(rows)}`,
  );
  // The page comes back on the year just assessed (2025 happens to be the default year too, so the URL is
  // what tells whether the year was kept).
  await page.getByRole('heading', { level: 2, name: 'Måluppfyllelse 2025', exact: true }).waitFor();
  assert.equal(await status.inputValue(), 'delvis_uppfyllt', 'the choice is shown selected');
  assert.equal(await firstGoalGroup.getByLabel('Kommentar', { exact: true }).inputValue(), comment);
  assert.equal(new URL(page.url()).searchParams.get('ar'), '2025', `back on 2025's assessment: ${page.url()}`);
});

test('insats: "tio" as a budget is refused on its field, the typed values kept, nothing saved', async () => {
  const page = await newPage();
  await login(page, KANSLI);
  const path = insatsIds?.['SE-Höglandet'] ?? '/t/hoglandet/insatser/3';
  let response = await page.goto(path);
  assert.equal(response.status(), 200);
  await expectH1(page, 'SE-Höglandet');
  const year2024 = page.getByRole('group', { name: '2024', exact: true });
  const budget2024 = year2024.getByLabel('Budget', { exact: true });
  const budgetBefore = await budget2024.inputValue();
  assert.equal(budgetBefore, '3 980 000');
  const utfall2024 = year2024.getByLabel('Utfall', { exact: true });
  const utfallBefore = await utfall2024.inputValue();

  // "tio" as 2024's budget.
  await budget2024.fill('tio');
  response = await clickAndWait(page, page.getByRole('button', { name: 'Spara', exact: true }));
  assert.equal(response.status(), 422, '"tio" is refused');
  assert.equal(pathOf(page), path);
  await expectH1(page, 'SE-Höglandet');
  const summary = await expectErrorSummary(page);
  assert.ok(summary.includes('Ange ett belopp i kronor'), `the error summary: "${summary}"`);
  await expectFieldError(budget2024, 'Ange ett belopp i kronor');
  assert.equal(await budget2024.inputValue(), 'tio', 'the typed value is kept');
  assert.equal(await utfall2024.inputValue(), utfallBefore, 'the other amounts are kept');
  const invalid = await page.locator('[aria-invalid="true"]').evaluateAll((els) => els.map((e) => e.id));
  assert.equal(invalid.length, 1, `only the one Budget field is marked: ${JSON.stringify(invalid)}`);
  await screenshot(page, 'insats-error');
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, `${path} (with errors)`);

  response = await page.goto(path);
  assert.equal(response.status(), 200);
  assert.equal(await budget2024.inputValue(), budgetBefore, 'the refused budget was not saved');
});

test('insats: the styrelse reads SE-Höglandet without a form; a coach reads only its own insats', async () => {
  const se = insatsIds?.['SE-Höglandet'] ?? '/t/hoglandet/insatser/3';
  const other = insatsIds?.['Uppdrag Samverkan'];
  assert.ok(other, 'the kansli’s list named Uppdrag Samverkan (the first test must have run)');

  const page = await newPage();
  await login(page, STYRELSE);
  let response = await page.goto(INSATSER);
  assert.equal(response.status(), 200);
  await expectH1(page, 'Insatser');
  response = await clickAndWait(page, page.getByRole('link', { name: 'SE-Höglandet', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), se);
  await expectH1(page, 'SE-Höglandet');
  assert.equal(await page.getByLabel('Namn', { exact: true }).inputValue(), 'SE-Höglandet');
  const fields = page.locator('main').locator('input:not([type="hidden"]), select, textarea');
  assert.ok((await fields.count()) > 0, 'the styrelse sees the insats’s fields');
  const enabled = await fields.evaluateAll((els) => els.filter((e) => !e.matches(':disabled')).map((e) => e.id || e.name));
  assert.deepEqual(enabled, [], 'every field is disabled for the styrelse');
  assert.equal(await page.getByRole('button', { name: /^Spara/ }).count(), 0, 'no "Spara" button');
  const rows = await tableUnderHeading(page, 'Måluppfyllelse');
  assert.ok(rows.some((c) => c[0] === '2025' && c[2] === 'Delvis uppfyllt'), `the styrelse reads 2025's assessment: ${JSON.stringify(rows)}`);
  await screenshot(page, 'insats-styrelse');
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, `${se} (styrelse)`);

  const coach = await newPage();
  await login(coach, COACH);
  response = await coach.goto(INSATSER);
  assert.equal(response.status(), 200);
  const coachLinks = await insatsLinks(coach);
  assert.deepEqual(Object.keys(coachLinks), ['SE-Höglandet'], 'a coach lists only its own insats');
  response = await coach.goto(se);
  assert.equal(response.status(), 200);
  await expectH1(coach, 'SE-Höglandet');
  const coachEnabled = await coach
    .locator('main')
    .locator('input:not([type="hidden"]), select, textarea')
    .evaluateAll((els) => els.filter((e) => !e.matches(':disabled')).map((e) => e.id || e.name));
  assert.deepEqual(coachEnabled, [], 'the coach reads SE-Höglandet, it does not edit');
  assert.equal(await coach.getByRole('button', { name: /^Spara/ }).count(), 0, 'no "Spara" button for the coach');
  response = await coach.goto(other);
  assert.equal(response.status(), 404, `the coach gets 404 for Uppdrag Samverkan (${other})`);
  const text = norm(await coach.locator('body').innerText());
  assert.ok(!text.includes('Uppdrag Samverkan'), 'the 404 page does not name the insats');
});

// --- Meetings ------------------------------------------------------------------------------------------

test('meetings: the medlemssamråd is listed; a new meeting without a place is refused, with one it saves', async () => {
  const page = await newPage();
  await login(page, SV_KANSLI);
  let response = await page.goto(MEETINGS);
  assert.equal(response.status(), 200);
  await expectH1(page, 'Möten');
  const samrad = page.locator('main table tr', { hasText: '2024-02-23' }).getByRole('link');
  assert.equal(await samrad.count(), 1, 'the medlemssamråd of 2024-02-23 is listed');
  response = await clickAndWait(page, samrad);
  assert.equal(response.status(), 200);
  assert.match(pathOf(page), MEETING_PATH);
  const h1 = norm(await page.locator('h1').innerText());
  assert.ok(h1.includes('medlemssamråd') && h1.includes('2024-02-23'), `the meeting's h1: "${h1}"`);
  assert.equal(await page.locator('h1').count(), 1);
  const justerare = page.getByRole('group', { name: '§ 2 Val av justerare', exact: true });
  assert.equal(await justerare.count(), 1, 'the item "§ 2 Val av justerare"');
  assert.ok(
    (await justerare.getByLabel('Beslut', { exact: true }).inputValue()).includes('Therese Petersson'),
    'the decision of § 2 names the justerare',
  );
  await page.getByRole('heading', { level: 2, name: 'Justering', exact: true }).waitFor();
  assert.equal(await page.getByLabel('Mötesordförande', { exact: true }).inputValue(), 'Johanna Buchalle');
  assert.equal(await page.getByLabel('Sekreterare', { exact: true }).count(), 1);
  assert.equal(await page.getByLabel('Justerare', { exact: true }).count(), 1);
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, `${pathOf(page)} (medlemssamråd)`);

  // A new meeting.
  await page.goto(MEETINGS);
  response = await clickAndWait(page, page.getByRole('link', { name: 'Nytt möte', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), NEW_MEETING);
  await expectH1(page, 'Nytt möte');
  const items = page.locator('form fieldset fieldset');
  const titles = await items.evaluateAll((fs) => fs.map((f) => f.querySelector('input[name^="title_"]')?.value ?? ''));
  assert.deepEqual(titles.filter(Boolean), ['Mötets öppnande', 'Val av justerare'], 'the usual items are prefilled');
  const main = page.locator('main');
  await expectField(main, 'Typ av möte', 'SELECT', null, NEW_MEETING);
  const date = await expectField(main, 'Datum', 'INPUT', 'date', NEW_MEETING);
  const place = await expectField(main, 'Plats', 'INPUT', 'text', NEW_MEETING);
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, `${NEW_MEETING} (clean)`);

  const fillItem = async () => {
    const item = page.getByRole('group', { name: 'Ny punkt', exact: true }).first();
    await item.getByLabel('Nummer', { exact: true }).fill('3');
    await item.getByLabel('Rubrik', { exact: true }).fill('Budget 2025');
    await item.getByLabel('Beslut', { exact: true }).fill('Styrelsen fastställer budgeten.');
  };
  await date.fill('2025-03-14');
  await fillItem();
  response = await clickAndWait(page, page.getByRole('button', { name: 'Spara mötet', exact: true }));
  assert.equal(response.status(), 422, 'a meeting without a place is refused');
  assert.equal(pathOf(page), MEETINGS, 'the refused form is shown where it was posted');
  await expectH1(page, 'Nytt möte');
  const summary = await expectErrorSummary(page);
  assert.ok(summary.includes('Plats saknas.'), `the error summary: "${summary}"`);
  await expectFieldError(place, 'Plats saknas.');
  assert.equal(await date.inputValue(), '2025-03-14', 'the typed date is kept');
  const kept = page.getByRole('group', { name: '§ 3 Budget 2025', exact: true });
  assert.equal(await kept.count(), 1, 'the typed item is kept');
  assert.equal(await kept.getByLabel('Beslut', { exact: true }).inputValue(), 'Styrelsen fastställer budgeten.');
  await screenshot(page, 'meeting-error');
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, `${NEW_MEETING} (with errors)`);

  await place.fill('Jönköping');
  response = await clickAndWait(page, page.getByRole('button', { name: 'Spara mötet', exact: true }));
  assert.equal(response.status(), 200);
  assert.match(pathOf(page), MEETING_PATH, 'saved, on the new meeting’s page');
  const meetingPath = pathOf(page);
  assert.equal(await page.locator('h1').count(), 1);
  assert.ok(norm(await page.locator('h1').innerText()).includes('2025-03-14'), 'the h1 names the date');
  assert.equal(await page.getByLabel('Plats', { exact: true }).inputValue(), 'Jönköping');
  const saved = page.getByRole('group', { name: '§ 3 Budget 2025', exact: true });
  assert.equal(await saved.count(), 1, 'the new item is saved');
  assert.equal(await saved.getByLabel('Beslut', { exact: true }).inputValue(), 'Styrelsen fastställer budgeten.');
  for (const t of ['§ 1 Mötets öppnande', '§ 2 Val av justerare']) {
    assert.equal(await page.getByRole('group', { name: t, exact: true }).count(), 1, `the item "${t}" is saved`);
  }
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, `${meetingPath} (new meeting)`);

  await page.goto(MEETINGS);
  const listed = page.locator('main table tr', { hasText: '2025-03-14' });
  assert.equal(await listed.count(), 1, 'the new meeting is listed');
  assert.ok(norm(await listed.innerText()).includes('Jönköping'));
  assert.equal(await listed.getByRole('link').getAttribute('href'), meetingPath);
});

// --- Budget --------------------------------------------------------------------------------------------

test('budget: 100 000 more for Kansli in 2026 lowers that year’s balanserat resultat by 100 000', async () => {
  const page = await newPage();
  await login(page, SV_KANSLI);

  let response = await page.goto(SV_YEAR);
  assert.equal(response.status(), 200);
  const columns = (await page.locator('section[aria-labelledby="budget"] thead th').allTextContents()).map(norm);
  const col2026 = columns.indexOf('2026');
  assert.ok(col2026 > 0, `a column for 2026: ${JSON.stringify(columns)}`);
  const result2026 = async () => {
    const rows = await tableUnderHeading(page, BUDGET_HEADING);
    const row = rows.find((c) => c[0] === 'Prel. balanserat resultat');
    assert.ok(row, `"Prel. balanserat resultat" in the budget table: ${JSON.stringify(rows)}`);
    return row[col2026];
  };
  const before = await result2026();
  assert.equal(before, '20 324', 'the demo’s balanserat resultat for 2026');

  response = await page.goto(BUDGET);
  assert.equal(response.status(), 200);
  await expectH1(page, BUDGET_HEADING);
  const lines = page.locator('form fieldset').filter({ has: page.locator('input[name^="label_"]') });
  const count = await lines.count();
  assert.ok(count > 10, `the budget has lines: ${count}`);
  for (let i = 0; i < count; i += 1) {
    const line = lines.nth(i);
    const what = `budget line ${i}`;
    await expectField(line, 'Benämning', 'INPUT', 'text', what);
    await expectField(line, 'Del', 'SELECT', null, what);
    await expectField(line, 'Betalande medlem', 'SELECT', null, what);
    await expectField(line, 'Insats', 'SELECT', null, what);
    for (const label of ['Budget 2023', 'Prognos 2023', 'Budget 2024', 'Plan 2025', 'Plan 2026']) {
      await expectField(line, label, 'INPUT', 'text', what);
    }
  }
  const jonkoping = page.getByRole('group', { name: 'Jönköpings kommun', exact: true });
  assert.equal(await jonkoping.count(), 1, 'a line for Jönköpings kommun');
  assert.equal(await jonkoping.getByLabel('Budget 2024', { exact: true }).inputValue(), '2 238 400');
  assert.equal(await jonkoping.getByLabel('Betalande medlem', { exact: true }).inputValue(), 'jonkoping');
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, `${BUDGET} (clean)`);

  const kansli = page.getByRole('group', { name: 'Kansli', exact: true });
  assert.equal(await kansli.count(), 1, 'a line "Kansli"');
  const plan2026 = kansli.getByLabel('Plan 2026', { exact: true });
  const planBefore = parseKronor(await plan2026.inputValue());
  const planAfter = formatKronor(planBefore + 100_000_00);
  await plan2026.fill(planAfter);
  response = await clickAndWait(page, page.getByRole('button', { name: 'Spara budgeten', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), SV_YEAR, 'saved, back on the year page');
  const after = await result2026();
  assert.equal(parseKronor(after), parseKronor(before) - 100_000_00, `2026: ${before} → ${after}`);
  assert.equal(after, '\u221279 676', 'a negative result is written with a real minus sign');
  await screenshot(page, 'budget-saved');

  await page.goto(BUDGET);
  assert.equal(await plan2026.inputValue(), planAfter, 'the form shows the saved amount');
});

// --- Accounts ------------------------------------------------------------------------------------------

test('accounts: saved unchanged all 8 checks hold; one krona more in the bank fails a check; the styrelse gets 403', async () => {
  const page = await newPage();
  await login(page, KANSLI);
  let response = await page.goto(ACCOUNTS);
  assert.equal(response.status(), 200);
  await expectH1(page, 'Räkenskaper 2024');
  const headings = (await page.locator('h2').allTextContents()).map(norm);
  for (const h of ['Resultaträkning', 'Fordringar', 'Kortfristiga skulder', 'Kassa, eget kapital och personal', 'Investeringar']) {
    assert.ok(headings.includes(h), `an h2 "${h}": ${JSON.stringify(headings)}`);
  }
  const lines = page.locator('form fieldset').filter({ has: page.locator('input[name^="label_"]') });
  const count = await lines.count();
  assert.ok(count > 10, `the Resultaträkning has lines: ${count}`);
  for (let i = 0; i < count; i += 1) {
    const line = lines.nth(i);
    const what = `Resultaträkning line ${i}`;
    await expectField(line, 'Benämning', 'INPUT', 'text', what);
    await expectField(line, 'Del', 'SELECT', null, what);
    await expectField(line, 'Klass (kostnader)', 'SELECT', null, what);
    await expectField(line, 'Betalande medlem', 'SELECT', null, what);
    await expectField(line, 'Insats', 'SELECT', null, what);
    for (const label of ['Budget 2024', 'Utfall 2024', 'Utfall 2023']) await expectField(line, label, 'INPUT', 'text', what);
    await expectField(line, 'Intäkten betalar administration', 'INPUT', 'checkbox', what);
  }
  const ovriga = page.getByRole('group', { name: 'Övriga ersättningar och intäkter', exact: true });
  assert.equal(await ovriga.count(), 1, 'a line "Övriga ersättningar och intäkter"');
  assert.ok(await ovriga.getByLabel('Intäkten betalar administration', { exact: true }).isChecked());
  const checked = await lines.evaluateAll((fs) =>
    fs.filter((f) => f.querySelector('input[type="checkbox"]')?.checked).map((f) => f.querySelector('legend')?.textContent.trim()),
  );
  assert.deepEqual(checked, ['Övriga ersättningar och intäkter'], 'only that line pays administration');
  const kassa = page.getByLabel('Kassa och bank 2024-12-31', { exact: true });
  const kassaBefore = await kassa.inputValue();
  assert.equal(kassaBefore, '2 009 909,70');
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, `${ACCOUNTS} (clean)`);

  // Saved unchanged: the year still adds up.
  response = await clickAndWait(page, page.getByRole('button', { name: 'Spara räkenskaperna', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), HOGLANDET_YEAR, 'saved, back on the year page');
  await expectH1(page, 'Höglandets samordningsförbund 2024');
  let c = await checks(page);
  assert.equal(c.status, 'Alla 8 kontroller håller.', `the checks after saving unchanged: ${JSON.stringify(c)}`);
  assert.equal(c.alert, '', 'no alert');
  assert.equal(c.items.length, 8);

  // One krona more in the bank.
  await page.goto(ACCOUNTS);
  assert.equal(await kassa.inputValue(), kassaBefore, 'saving unchanged changed nothing');
  const kassaAfter = formatKronor(parseKronor(kassaBefore) + 100);
  assert.equal(kassaAfter, '2 009 910,70');
  await kassa.fill(kassaAfter);
  response = await clickAndWait(page, page.getByRole('button', { name: 'Spara räkenskaperna', exact: true }));
  assert.equal(response.status(), 200, 'figures that do not add up are saved anyway');
  assert.equal(pathOf(page), HOGLANDET_YEAR);
  c = await checks(page);
  const failing = c.items.filter((t) => t.startsWith('Håller inte'));
  assert.ok(failing.length >= 1, `a failing check: ${JSON.stringify(c)}`);
  assert.match(c.alert, new RegExp(`^${failing.length} av 8 kontroller håller inte`), `the alert: ${JSON.stringify(c)}`);
  assert.ok(
    failing.some((t) => t.includes('Tillgångarna') || t.includes('likvida medel')),
    `the balance or cash flow check fails: ${JSON.stringify(failing)}`,
  );
  await screenshot(page, 'accounts-check-fails');
  await page.goto(ACCOUNTS);
  assert.equal(await kassa.inputValue(), kassaAfter, 'the form shows the saved amount');

  const styrelse = await newPage();
  await login(styrelse, STYRELSE);
  response = await styrelse.goto(ACCOUNTS);
  assert.equal(response.status(), 403, 'the styrelse may not open the accounts form');
  assert.equal(await styrelse.locator('textarea, select, input:not([type="hidden"])').count(), 0, 'no form for the styrelse');
});
