// Indikatorenkäter: the kansli adds a survey (its scale and questions typed one per line), enters an
// insats's answer counts in a table of number cells, and the styrelse reads the counts. Plain HTML
// forms: a bad line or a bad cell answers 422 with the message at the field and what was typed kept.

import assert from 'node:assert/strict';
import {
  useSuite,
  login,
  expectH1,
  expectNoSeriousAxeViolations,
  clickAndWait,
  pathOf,
  norm,
  screenshot,
} from '../lib/harness.mjs';
import { expectErrorSummary, expectFieldError, expectVisibleLabels } from '../lib/forms.mjs';

const { test, newPage } = useSuite('surveys');

const KANSLI = 'kansli@hoglandet.example';
const STYRELSE = 'styrelse@hoglandet.example';
const SURVEYS = '/t/hoglandet/enkater';

let resultsPath = null; // the SE-Höglandet 2024 results page, found by the kansli's test

test('survey: the kansli adds a survey; a line without its number is named and kept', async () => {
  const page = await newPage();
  await login(page, KANSLI);
  let response = await page.goto(SURVEYS);
  assert.equal(response.status(), 200);
  await expectH1(page, 'Indikatorenkäter');
  await page.getByRole('heading', { level: 2, name: /Nationella indikatorer/ }).waitFor();
  await expectNoSeriousAxeViolations(page, SURVEYS);

  response = await clickAndWait(page, page.getByRole('link', { name: 'Lägg till enkät', exact: true }));
  assert.equal(response.status(), 200);
  await expectH1(page, 'Ny enkät');
  await expectVisibleLabels(page);
  await page.getByLabel('Nyckel', { exact: true }).fill('samverkan-2025');
  await page.getByLabel('Namn', { exact: true }).fill('Samverkansenkät 2025');
  await page.getByLabel('Svarsskala', { exact: true }).fill('Inte alls\nDelvis\nHelt');
  const questions = page.getByLabel('Frågor', { exact: true });
  await questions.fill('1: Fungerar samverkan?\nFörtroende för parterna');
  response = await clickAndWait(page, page.getByRole('button', { name: 'Spara enkäten', exact: true }));
  assert.equal(response.status(), 422);
  const summary = await expectErrorSummary(page);
  assert.ok(summary.includes('Rad 2'), `the summary names the line: "${summary}"`);
  await expectFieldError(questions, 'Rad 2');
  assert.equal(await questions.inputValue(), '1: Fungerar samverkan?\nFörtroende för parterna', 'what was typed is kept');
  await expectNoSeriousAxeViolations(page, 'survey form (with errors)');
  await screenshot(page, 'survey-form-error');

  await questions.fill('1: Fungerar samverkan?\n2: Har du förtroende för parterna?');
  response = await clickAndWait(page, page.getByRole('button', { name: 'Spara enkäten', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), SURVEYS);
  await page.getByRole('heading', { level: 2, name: 'Samverkansenkät 2025', exact: true }).waitFor();
});

test('survey: the kansli enters SE-Höglandet’s counts for 2024; a bad cell is named', async () => {
  const page = await newPage();
  await login(page, KANSLI);
  let response = await page.goto('/t/hoglandet/insatser');
  response = await clickAndWait(page, page.getByRole('link', { name: 'SE-Höglandet', exact: true }));
  assert.equal(response.status(), 200);
  const insatsPath = pathOf(page);
  resultsPath = `${insatsPath}/enkater/2024`;
  response = await page.goto(resultsPath);
  assert.equal(response.status(), 200);
  await expectH1(page, 'Indikatorenkät 2024: SE-Höglandet');

  const section = page.locator('section').filter({ has: page.getByRole('heading', { level: 2, name: /Nationella indikatorer/ }) });
  // Every cell is named by its question and answer option.
  const cell = section.getByLabel('Fråga 1, Alltid', { exact: true });
  assert.equal(await cell.count(), 1);
  await section.getByLabel('Fråga 1, Ofta', { exact: true }).fill('22');
  await section.getByLabel('Fråga 1, För det mesta', { exact: true }).fill('30');
  await cell.fill('tjugo');
  response = await clickAndWait(page, section.getByRole('button', { name: /^Spara resultaten/ }));
  assert.equal(response.status(), 422);
  await expectErrorSummary(page);
  const badCell = page.locator('section').filter({ has: page.getByRole('heading', { level: 2, name: /Nationella indikatorer/ }) }).getByLabel('Fråga 1, Alltid', { exact: true });
  await expectFieldError(badCell, 'heltal');
  assert.equal(await badCell.inputValue(), 'tjugo');
  await expectNoSeriousAxeViolations(page, `${resultsPath} (with errors)`);

  await badCell.fill('20');
  response = await clickAndWait(page, page.locator('section').filter({ has: page.getByRole('heading', { level: 2, name: /Nationella indikatorer/ }) }).getByRole('button', { name: /^Spara resultaten/ }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), resultsPath);
  const row = page.getByRole('row').filter({ hasText: 'Får du stöd på ett sätt som är till stor nytta för dig?' });
  assert.equal(norm(await row.locator('td').last().innerText()), '72', 'the number who answered question 1');
  await screenshot(page, 'survey-results-kansli');
  await expectNoSeriousAxeViolations(page, resultsPath);
});

test('survey: the styrelse reads the counts, without a form', async () => {
  assert.ok(resultsPath, 'the kansli’s test found the results page');
  const page = await newPage();
  await login(page, STYRELSE);
  const response = await page.goto(resultsPath);
  assert.equal(response.status(), 200);
  assert.equal(await page.locator('main input:not([type="hidden"])').count(), 0, 'no count fields');
  assert.equal(await page.getByRole('button', { name: /^Spara/ }).count(), 0);
  const row = page.getByRole('row').filter({ hasText: 'Får du stöd på ett sätt som är till stor nytta för dig?' });
  const cells = (await row.locator('td').allInnerTexts()).map(norm);
  assert.deepEqual(cells, ['0', '0', '0', '22', '30', '20', '72'], 'an empty cell beside filled ones is 0');
  await expectNoSeriousAxeViolations(page, `${resultsPath} (styrelse)`);
  await screenshot(page, 'survey-results-styrelse');
});
