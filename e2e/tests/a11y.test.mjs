// Accessibility: axe-core finds no serious or critical violations on the main pages.

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
  DEMO_PASSWORD,
} from '../lib/harness.mjs';

const { test, newPage } = useSuite('a11y');

test('axe: /login', async () => {
  const page = await newPage();
  await page.goto('/login');
  await expectH1(page, 'Logga in');
  await expectNoSeriousAxeViolations(page, '/login');
});

test('axe: /login after a failed login', async () => {
  const page = await newPage();
  await page.goto('/login');
  await page.getByLabel('E-postadress', { exact: true }).fill('ingen.alls@finsam.example');
  await page.getByLabel('Lösenord', { exact: true }).fill('inte-det-har-losenordet-9');
  await clickAndWait(page, page.getByRole('button', { name: 'Logga in', exact: true }));
  await page.getByRole('alert').first().waitFor();
  await expectNoSeriousAxeViolations(page, '/login (failed)');
});

test('axe: /t as forbundschef', async () => {
  const page = await newPage();
  await login(page, 'forbundschef@finsam.example');
  assert.match(pathOf(page), /^\/t\/?$/);
  await expectH1(page, 'Välj förbund');
  await expectNoSeriousAxeViolations(page, '/t');
});

test('axe: /admin as platform admin', async () => {
  const page = await newPage();
  await login(page, 'admin@finsam.example');
  assert.equal(pathOf(page), '/admin');
  await expectH1(page, 'Plattformsadministration');
  await expectNoSeriousAxeViolations(page, '/admin');
});

test('axe: /konto/losenord, empty and with validation errors', async () => {
  const page = await newPage();
  await login(page, 'styrelse@hoglandet.example');
  await page.goto('/konto/losenord');
  await expectH1(page, 'Byt lösenord');
  const fields = {
    'Nuvarande lösenord': 'current_password',
    'Nytt lösenord': 'password',
    'Upprepa lösenordet': 'password_confirm',
  };
  for (const [label, name] of Object.entries(fields)) {
    assert.equal(await page.getByLabel(label, { exact: true }).getAttribute('name'), name, `field "${label}"`);
  }
  await page.getByRole('button', { name: 'Spara lösenord', exact: true }).waitFor();
  await screenshot(page, 'konto-losenord');
  await expectNoSeriousAxeViolations(page, '/konto/losenord');

  // Two new passwords that differ: the form comes back with errors, which must be accessible too.
  await page.getByLabel('Nuvarande lösenord', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByLabel('Nytt lösenord', { exact: true }).fill('blåbärssoppa-vasaloppet-77');
  await page.getByLabel('Upprepa lösenordet', { exact: true }).fill('lingonsylt-engelbrekt-31');
  await clickAndWait(page, page.getByRole('button', { name: 'Spara lösenord', exact: true }));
  assert.equal(pathOf(page), '/konto/losenord', 'a rejected change stays on the form');
  const summary = norm((await page.getByRole('alert').allInnerTexts()).join(' '));
  assert.ok(summary.length > 0, 'the error summary (role="alert") is shown');
  await screenshot(page, 'konto-losenord-errors');
  await expectNoSeriousAxeViolations(page, '/konto/losenord (errors)');
});
