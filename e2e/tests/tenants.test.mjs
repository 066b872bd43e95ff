// Tenant pages: what a kansli sees of its own förbund, switching förbund, and no peeking at another's.

import assert from 'node:assert/strict';
import {
  useSuite,
  login,
  expectH1,
  memberRows,
  expectMember,
  expectNotOnPage,
  expectNoSeriousAxeViolations,
  clickAndWait,
  pathOf,
  screenshot,
} from '../lib/harness.mjs';

const { test, newPage } = useSuite('tenants');

const SODRA = 'Samordningsförbundet Södra Vätterbygden';
const HOGLANDET = 'Höglandets samordningsförbund';
const FINNVEDEN = 'Finnvedens samordningsförbund';

test('kansli@hoglandet sees Höglandet and its members, and nothing of Södra Vätterbygden', async () => {
  const page = await newPage();
  await login(page, 'kansli@hoglandet.example');
  assert.equal(pathOf(page), '/t/hoglandet', 'an account with one förbund lands on its page');
  await expectH1(page, HOGLANDET);

  const rows = await memberRows(page);
  expectMember(rows, 'Eksjö kommun');
  expectMember(rows, 'Försäkringskassan');
  for (const other of ['Habo kommun', 'Jönköpings kommun', 'Mullsjö kommun', 'Vaggeryds kommun', 'Gnosjö kommun']) {
    assert.ok(!rows.some((cells) => cells.some((c) => c.includes(other))), `${other} must not be a member here`);
    await expectNotOnPage(page, other);
  }

  // A kansli also sees who has which role.
  await page.getByRole('heading', { level: 2, name: 'Roller', exact: true }).waitFor();

  // Header: one förbund only, so no "Byt förbund"; but "Byt lösenord" and "Logga ut".
  assert.equal(await page.getByRole('link', { name: 'Byt förbund' }).count(), 0, '"Byt förbund" only with several förbund');
  const href = await page.getByRole('link', { name: 'Byt lösenord' }).first().getAttribute('href');
  assert.equal(new URL(href, page.url()).pathname, '/konto/losenord');
  await page.getByRole('button', { name: 'Logga ut', exact: true }).waitFor();

  await screenshot(page, 'tenant-hoglandet');
  await expectNoSeriousAxeViolations(page, '/t/hoglandet');
});

test('forbundschef picks a förbund on /t and switches with "Byt förbund"', async () => {
  const page = await newPage();
  await login(page, 'forbundschef@finsam.example');
  assert.match(pathOf(page), /^\/t\/?$/, 'an account with several förbund lands on /t');
  await expectH1(page, 'Välj förbund');
  await page.getByRole('link', { name: SODRA }).first().waitFor();
  await page.getByRole('link', { name: FINNVEDEN }).first().waitFor();
  assert.equal(await page.getByRole('link', { name: HOGLANDET }).count(), 0, 'not a member of Höglandet');
  await screenshot(page, 'tenant-picker');

  await clickAndWait(page, page.getByRole('link', { name: SODRA }).first());
  assert.equal(pathOf(page), '/t/sodra-vatterbygden');
  await expectH1(page, SODRA);
  let rows = await memberRows(page);
  expectMember(rows, 'Habo kommun');
  expectMember(rows, 'Jönköpings kommun');
  await expectNotOnPage(page, 'Gnosjö kommun');
  await screenshot(page, 'tenant-sodra-vatterbygden');

  await clickAndWait(page, page.getByRole('link', { name: 'Byt förbund' }).first());
  assert.match(pathOf(page), /^\/t\/?$/);
  await expectH1(page, 'Välj förbund');

  await clickAndWait(page, page.getByRole('link', { name: FINNVEDEN }).first());
  assert.equal(pathOf(page), '/t/finnveden');
  await expectH1(page, FINNVEDEN);
  rows = await memberRows(page);
  expectMember(rows, 'Gnosjö kommun');
  expectMember(rows, 'Värnamo kommun');
  for (const other of ['Habo kommun', 'Jönköpings kommun', 'Mullsjö kommun', 'Vaggeryds kommun']) {
    await expectNotOnPage(page, other);
  }
  await screenshot(page, 'tenant-finnveden');
});

test('kansli@hoglandet gets 404 for /t/finnveden', async () => {
  const page = await newPage();
  await login(page, 'kansli@hoglandet.example');
  const response = await page.goto('/t/finnveden');
  assert.equal(response.status(), 404);
  await expectNotOnPage(page, 'Gnosjö kommun');
  await expectNotOnPage(page, FINNVEDEN);
});
