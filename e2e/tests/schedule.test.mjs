// Årshjul: the yearly cycle. The kansli sees when each document is made and what the schedule has done,
// moves a date (31 February is refused next to the field, in Swedish, with what was typed kept) and runs
// a document now. "Kör nu" for the same document and year again only answers that it has already run,
// with a link to the document. The styrelse sees the schedule without the forms; a coach cannot see it.
// All of it is plain HTML (no JavaScript needed), with axe checks on each state.
//
// The tests share one app and run in order: the first moves the årsredovisning to 3 February, the second
// runs Höglandet's årsredovisning 2024, and the styrelse's test sees that run.

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

const { test, newPage } = useSuite('schedule');

const KANSLI = 'kansli@hoglandet.example';
const STYRELSE = 'styrelse@hoglandet.example';
const COACH = 'coach@hoglandet.example';

const HOME = '/t/hoglandet';
const PAGE = '/t/hoglandet/arshjul';

/** The fieldset of an entry's day in the edit form ("Årsredovisning: körs"). */
const entry = (page, label) => page.getByRole('group', { name: `${label}: körs`, exact: true });

test('årshjul: the kansli reads the schedule, and a date that does not exist is refused at its field', async () => {
  const page = await newPage();
  await login(page, KANSLI);
  await page.goto(HOME);
  await clickAndWait(page, page.getByRole('link', { name: 'Årshjul', exact: true }));
  assert.equal(pathOf(page), PAGE);
  await expectH1(page, 'Årshjul');

  const rows = await tableUnderHeading(page, 'Schemat');
  const byDoc = Object.fromEntries(rows.map((r) => [r[0], r.slice(1)]));
  assert.deepEqual(Object.keys(byDoc), ['Årsredovisning', 'Delårsrapport', 'Verksamhetsplan med budget', 'Påminnelser om underskrift']);
  assert.equal(byDoc['Årsredovisning'][0], '1 februari (förra årets)');
  assert.equal(byDoc['Årsredovisning'][1], 'Underskrift senast 31 mars');
  assert.equal(byDoc['Verksamhetsplan med budget'][0], '1 oktober (nästa års)');
  assert.equal(byDoc['Verksamhetsplan med budget'][1], 'Styrelsens beslut senast 30 november');
  assert.equal(byDoc['Påminnelser om underskrift'][0], 'Varje dag');
  assert.ok(/Inga körningar ännu/.test(norm(await page.locator('main').innerText())), 'no runs yet');
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, `${PAGE} (kansli)`);
  await screenshot(page, 'schedule-kansli');

  // 31 February.
  const annual = entry(page, 'Årsredovisning');
  await annual.getByLabel('Dag', { exact: true }).fill('31');
  await annual.getByLabel('Månad', { exact: true }).selectOption({ label: 'februari' });
  let response = await clickAndWait(page, page.getByRole('button', { name: 'Spara årshjulet', exact: true }));
  assert.equal(response.status(), 422);
  assert.equal(pathOf(page), PAGE);
  const summary = await expectErrorSummary(page);
  assert.ok(summary.includes('31 februari finns inte'), `the summary: "${summary}"`);
  const day = entry(page, 'Årsredovisning').getByLabel('Dag', { exact: true });
  await expectFieldError(day, 'februari har 28 dagar');
  assert.equal(await day.inputValue(), '31', 'what was typed is kept');
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, `${PAGE} (31 februari refused)`);
  await screenshot(page, 'schedule-date-refused');

  // 3 February saves, and the table says so.
  await day.fill('3');
  response = await clickAndWait(page, page.getByRole('button', { name: 'Spara årshjulet', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), PAGE);
  const status = norm((await page.getByRole('status').allInnerTexts()).join(' '));
  assert.ok(status.includes('Årshjulet är sparat.'), `status: "${status}"`);
  const after = await tableUnderHeading(page, 'Schemat');
  assert.equal(after[0][1], '3 februari (förra årets)', JSON.stringify(after));
});

test('årshjul: Kör nu makes the årsredovisning once; the second time it answers with a link, and nothing more', async () => {
  const page = await newPage();
  await login(page, KANSLI);
  await page.goto(PAGE);
  const year = page.getByLabel('Årsredovisning: år', { exact: true });
  await year.fill('2024');
  let response = await clickAndWait(page, page.getByRole('button', { name: 'Kör nu – Årsredovisning', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), PAGE);
  const status = norm((await page.getByRole('status').allInnerTexts()).join(' '));
  assert.ok(status.includes('Årsredovisningen för 2024 är beställd.'), `status: "${status}"`);
  assert.ok(status.includes('Underskrift senast 31 mars 2025'), `the deadline of the cycle: "${status}"`);
  const link = page.getByRole('status').getByRole('link', { name: 'Se dokumentet', exact: true });
  const href = await link.getAttribute('href');
  assert.match(href, /^\/t\/hoglandet\/dokument\/versioner\/\d+$/);
  const runs = await tableUnderHeading(page, 'Senaste körningarna');
  assert.equal(runs.length, 1, JSON.stringify(runs));
  assert.equal(runs[0][0], 'Årsredovisning');
  assert.equal(runs[0][1], '2024');
  assert.equal(runs[0][2], 'Beställt Kör nu');
  await expectNoSeriousAxeViolations(page, `${PAGE} (after Kör nu)`);
  await screenshot(page, 'schedule-run-now');

  // Again: nothing new is made; the page says it has run, and links to the same document.
  await page.getByLabel('Årsredovisning: år', { exact: true }).fill('2024');
  response = await clickAndWait(page, page.getByRole('button', { name: 'Kör nu – Årsredovisning', exact: true }));
  assert.equal(response.status(), 409);
  const alert = await alertText(page);
  assert.ok(alert.includes('Årsredovisning 2024 har redan körts'), `alert: "${alert}"`);
  assert.equal(await page.getByRole('alert').getByRole('link', { name: 'Se dokumentet', exact: true }).getAttribute('href'), href);
  assert.equal((await tableUnderHeading(page, 'Senaste körningarna')).length, 1, 'still one run');
  await expectNoSeriousAxeViolations(page, `${PAGE} (already run)`);
  await screenshot(page, 'schedule-already-run');

  // The link leads to the version, which the render worker makes.
  await clickAndWait(page, page.getByRole('alert').getByRole('link', { name: 'Se dokumentet', exact: true }));
  assert.equal(pathOf(page), href);
  await expectH1(page, 'Årsredovisning 2024, version 1');

  // A year that is not a year is named at its field.
  await page.goto(PAGE);
  const vp = page.getByLabel('Verksamhetsplan med budget: år', { exact: true });
  await vp.fill('nästa år');
  response = await clickAndWait(page, page.getByRole('button', { name: 'Kör nu – Verksamhetsplan med budget', exact: true }));
  assert.equal(response.status(), 422);
  await expectErrorSummary(page);
  await expectFieldError(page.getByLabel('Verksamhetsplan med budget: år', { exact: true }), 'fyra siffror');
  assert.equal(await page.getByLabel('Verksamhetsplan med budget: år', { exact: true }).inputValue(), 'nästa år');
});

test('årshjul: the styrelse reads the schedule and its runs without the forms; a coach may not see it', async () => {
  const page = await newPage();
  await login(page, STYRELSE);
  let response = await page.goto(PAGE);
  assert.equal(response.status(), 200);
  await expectH1(page, 'Årshjul');
  assert.equal(await page.getByRole('button', { name: 'Spara årshjulet' }).count(), 0, 'no edit form');
  assert.equal(await page.getByRole('button', { name: /^Kör nu/ }).count(), 0, 'no Kör nu');
  const runs = await tableUnderHeading(page, 'Senaste körningarna');
  assert.equal(runs[0][0], 'Årsredovisning');
  assert.equal(await page.getByRole('link', { name: 'Se dokumentet – Årsredovisning 2024', exact: true }).count(), 1);
  await expectNoSeriousAxeViolations(page, `${PAGE} (styrelse)`);

  const coach = await newPage();
  await login(coach, COACH);
  response = await coach.goto(PAGE);
  assert.equal(response.status(), 403);
});
