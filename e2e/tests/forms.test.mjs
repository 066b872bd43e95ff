// The kansli's forms: a member, the year's texts and settings, and the seats of the styrelse. Each is plain
// HTML (no JavaScript needed), refuses bad input with a 422 page that keeps what was typed, and has a
// visible label on every field; the styrelse reads the organisation page.
//
// The tests share one app and run in order: the settings test changes 2024's socioekonomi figures and the
// seats test adds a seat to the styrelse, so nothing later may rely on the demo's values for those.

import assert from 'node:assert/strict';
import {
  useSuite,
  login,
  expectH1,
  tableUnderHeading,
  memberRows,
  expectNoSeriousAxeViolations,
  clickAndWait,
  pathOf,
  norm,
  screenshot,
} from '../lib/harness.mjs';
import { alertText, expectErrorSummary, expectFieldError, expectVisibleLabels } from '../lib/forms.mjs';

const { test, newPage } = useSuite('forms');

const KANSLI = 'kansli@hoglandet.example';
const STYRELSE = 'styrelse@hoglandet.example';
const COACH = 'coach@hoglandet.example';
const OTHER_KANSLI = 'kansli@finnveden.example';

const HOME = '/t/hoglandet';
const YEAR = '/t/hoglandet/ar/2024';
const TEXTS = `${YEAR}/texter`;
const SETTINGS = `${YEAR}/installningar`;
const ORGANISATION = `${YEAR}/organisation`;
const SEATS = '/t/hoglandet/organisation/styrelse';
const MEMBER_PATH = /^\/t\/hoglandet\/medlemmar\/(\d+)$/;


/** The h2s of the page, in order. */
const h2Texts = async (page) => (await page.locator('h2').allTextContents()).map(norm);

/** The items of the list under "Förändringar under {year}". */
async function changes(page, year) {
  await page.getByRole('heading', { level: 2, name: `Förändringar under ${year}`, exact: true }).waitFor();
  return (await page.locator('section[aria-labelledby="andringar"] li').allTextContents()).map(norm);
}

/** Records every dialog (alert, confirm, prompt) the page opens, and dismisses it. */
function watchDialogs(page) {
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  return dialogs;
}

// --- Members -----------------------------------------------------------------------------------------

test('member form: a wrong organisationsnummer and a bad address are refused, typed values kept; fixed, it saves', async () => {
  const page = await newPage();
  await login(page, KANSLI);
  let response = await page.goto(HOME);
  assert.equal(response.status(), 200);
  response = await clickAndWait(page, page.getByRole('link', { name: 'Eksjö kommun', exact: true }));
  assert.equal(response.status(), 200);
  assert.match(pathOf(page), MEMBER_PATH);
  const path = pathOf(page);
  await expectH1(page, 'Ändra Eksjö kommun');

  const name = page.getByLabel('Namn', { exact: true }).first();
  const kind = page.getByLabel('Typ av medlem', { exact: true });
  const orgnr = page.getByLabel('Organisationsnummer', { exact: true });
  const registrator = page.getByLabel('Registratorns e-postadresser', { exact: true });
  assert.equal(await name.inputValue(), 'Eksjö kommun');
  assert.equal(await kind.evaluate((el) => el.tagName), 'SELECT');
  assert.equal(await kind.inputValue(), 'kommun');
  assert.equal(await orgnr.inputValue(), '212000-0621');
  assert.equal(await registrator.evaluate((el) => el.tagName), 'TEXTAREA');
  assert.equal(await registrator.inputValue(), 'registrator@eksjo.example');
  const population = page.getByLabel('2024', { exact: true });
  assert.equal(await population.getAttribute('type'), 'number');
  assert.equal(await population.inputValue(), '17700');
  await page.getByRole('heading', { level: 2, name: 'Kontaktperson', exact: true }).waitFor();
  assert.equal(await page.getByLabel('Namn', { exact: true }).count(), 2, 'the member’s and the contact person’s Namn');
  assert.equal(await page.locator('#contact_name').count(), 1);
  assert.equal(await page.getByLabel('E-postadress', { exact: true }).getAttribute('id'), 'contact_email');
  assert.equal(await page.getByLabel('Telefon', { exact: true }).getAttribute('id'), 'contact_phone');
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, `${path} (clean)`);

  // A wrong check digit and a line that is no address.
  const badLines = 'registrator@eksjo.example\nregistrator.eksjo.example';
  await orgnr.fill('212000-0622');
  await registrator.fill(badLines);
  await page.locator('#contact_name').fill('Karin Kontakt');
  response = await clickAndWait(page, page.getByRole('button', { name: 'Spara', exact: true }));
  assert.equal(response.status(), 422, 'a wrong organisationsnummer and a bad address are refused');
  assert.equal(pathOf(page), path);
  await expectH1(page, 'Ändra Eksjö kommun');
  const summary = await expectErrorSummary(page);
  assert.ok(summary.includes('Organisationsnumret har fel kontrollsiffra.'), `the error summary: "${summary}"`);
  assert.ok(summary.includes('registrator.eksjo.example'), `the summary names the bad address: "${summary}"`);
  await expectFieldError(orgnr, 'Organisationsnumret har fel kontrollsiffra.');
  await expectFieldError(registrator, 'registrator.eksjo.example');
  assert.equal(await orgnr.inputValue(), '212000-0622', 'the typed organisationsnummer is kept');
  assert.equal(await registrator.inputValue(), badLines, 'the typed addresses are kept');
  assert.equal(await page.locator('#contact_name').inputValue(), 'Karin Kontakt', 'the other fields are kept');
  assert.equal(await population.inputValue(), '17700');
  await screenshot(page, 'member-form-errors');
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, `${path} (with errors)`);

  // Nothing was saved.
  await page.goto(HOME);
  let row = (await memberRows(page)).find((cells) => cells[0] === 'Eksjö kommun');
  assert.ok(row, 'Eksjö kommun is still listed');
  assert.ok(row.includes('212000-0621'), `the refused organisationsnummer was not saved: ${JSON.stringify(row)}`);

  // Fixed: saved, back on the förbund's page.
  await page.goto(path);
  await orgnr.fill('212000-0621');
  await registrator.fill('registrator@eksjo.example\nkansli@eksjo.example');
  response = await clickAndWait(page, page.getByRole('button', { name: 'Spara', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), HOME);
  await expectH1(page, 'Höglandets samordningsförbund');
  row = (await memberRows(page)).find((cells) => cells[0] === 'Eksjö kommun');
  assert.ok(row, 'Eksjö kommun is still listed');
  assert.ok(row.includes('212000-0621'), JSON.stringify(row));
  assert.ok(
    row.some((c) => c.includes('kansli@eksjo.example') && c.includes('registrator@eksjo.example')),
    `the row shows both registrator addresses: ${JSON.stringify(row)}`,
  );

  // The form shows them again, one per line.
  await page.goto(path);
  assert.equal(await registrator.inputValue(), 'registrator@eksjo.example\nkansli@eksjo.example');
});

test('member form: "Lägg till medlem" opens an empty form', async () => {
  const page = await newPage();
  await login(page, KANSLI);
  await page.goto(HOME);
  const response = await clickAndWait(page, page.getByRole('link', { name: 'Lägg till medlem', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), `${HOME}/medlemmar/ny`);
  await expectH1(page, 'Lägg till medlem');
  assert.equal(await page.getByLabel('Namn', { exact: true }).first().inputValue(), '');
  assert.equal(await page.getByLabel('Organisationsnummer', { exact: true }).inputValue(), '');
  assert.equal(await page.getByLabel('Registratorns e-postadresser', { exact: true }).inputValue(), '');
  assert.equal(await page.getByLabel('Typ av medlem', { exact: true }).inputValue(), 'kommun');
  await page.getByRole('button', { name: 'Spara', exact: true }).waitFor();
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, `${HOME}/medlemmar/ny`);
});

// --- Texts ---------------------------------------------------------------------------------------------

test('texts: markup and script are kept as typed and never run; a personnummer is refused', async () => {
  const page = await newPage();
  const dialogs = watchDialogs(page);
  await login(page, KANSLI);
  let response = await page.goto(TEXTS);
  assert.equal(response.status(), 200);
  await expectH1(page, 'Texter 2024');
  const labels = [
    'Ordföranden har ordet',
    'Organisation',
    'Uppdrag',
    'Finansiering',
    'Vision',
    'Översikt över verksamhetens utveckling',
    'Viktiga förhållanden för resultat och ekonomisk ställning',
    'Händelser av väsentlig betydelse',
    'Styrning och uppföljning av verksamheten',
    'God ekonomisk hushållning',
    'Väsentliga personalförhållanden',
    'Förväntad utveckling',
  ];
  for (const label of labels) {
    const area = page.getByLabel(label, { exact: true });
    assert.equal(await area.count(), 1, `one field labelled "${label}"`);
    assert.equal(await area.evaluate((el) => el.tagName), 'TEXTAREA', label);
  }
  assert.equal(await page.locator('section[aria-labelledby="texter-ar"] textarea').count(), labels.length);
  assert.equal(await page.locator('section[aria-labelledby="texter-vp"] textarea').count(), 8, 'the verksamhetsplan’s own texts');
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, `${TEXTS} (clean)`);

  const chair = page.getByLabel('Ordföranden har ordet', { exact: true });
  const future = page.getByLabel('Förväntad utveckling', { exact: true });
  const chairBefore = await chair.inputValue();
  const hostile = [
    'Arbetet fortsätter 2025.',
    '<script>alert(1)</script>',
    '#read("/etc/passwd")',
    '<img src=x onerror="alert(2)">',
  ].join('\n');
  await future.fill(hostile);
  response = await clickAndWait(page, page.getByRole('button', { name: 'Spara texterna', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), YEAR, 'saved, the kansli is back on the year page');
  await expectH1(page, 'Höglandets samordningsförbund 2024');

  response = await page.goto(TEXTS);
  assert.equal(response.status(), 200);
  assert.equal(await future.inputValue(), hostile, 'the text is shown exactly as typed');
  assert.equal(await chair.inputValue(), chairBefore, 'the other texts are unchanged');
  const injected = await page.evaluate(() => ({
    scripts: document.querySelectorAll('script').length,
    images: document.querySelectorAll('img').length,
  }));
  assert.deepEqual(injected, { scripts: 0, images: 0 }, 'the text became no elements of the page');
  await page.waitForTimeout(300);
  assert.deepEqual(dialogs, [], 'no script of the text ran');

  // A personnummer in a text: refused, nothing saved.
  const withPnr = `${chairBefore}\n\nDeltagare 850709-1234 fick arbete.`;
  await chair.fill(withPnr);
  await future.fill('Ny text som inte får sparas.');
  response = await clickAndWait(page, page.getByRole('button', { name: 'Spara texterna', exact: true }));
  assert.equal(response.status(), 422, 'a personnummer in a text is refused');
  assert.equal(pathOf(page), TEXTS);
  await expectH1(page, 'Texter 2024');
  const summary = await expectErrorSummary(page);
  assert.ok(summary.includes('personnummer'), `the error summary: "${summary}"`);
  await expectFieldError(chair, 'personnummer');
  assert.equal(await chair.inputValue(), withPnr, 'the typed text is kept');
  assert.equal(await future.inputValue(), 'Ny text som inte får sparas.', 'the other typed texts are kept');
  await screenshot(page, 'texts-personnummer');
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, `${TEXTS} (with errors)`);

  await page.goto(TEXTS);
  assert.equal(await chair.inputValue(), chairBefore, 'the text with the personnummer was not saved');
  assert.equal(await future.inputValue(), hostile, 'nothing of the refused form was saved');
  assert.deepEqual(dialogs, [], 'no script of the text ran');
});

// --- Settings ------------------------------------------------------------------------------------------

test('settings: an amount that is no number is refused on its field; 12 000 changes the socioekonomi figures', async () => {
  const page = await newPage();
  await login(page, KANSLI);
  let response = await page.goto(SETTINGS);
  assert.equal(response.status(), 200);
  await expectH1(page, 'Inställningar 2024');

  const offentlig = page.getByLabel('Offentlig försörjning per månad', { exact: true });
  const administration = page.getByLabel('Administration per månad', { exact: true });
  const skatt = page.getByLabel('Skatteintäkt per månad', { exact: true });
  assert.equal(await offentlig.inputValue(), '10 000');
  assert.equal(norm(await administration.inputValue()), '500');
  assert.equal(norm(await skatt.inputValue()), '5 700');
  const upto = page.getByLabel('Upp till, kronor', { exact: true });
  const percent = page.getByLabel('Procent', { exact: true });
  assert.ok((await upto.count()) >= 3, 'one "Upp till, kronor" per interval');
  assert.equal(await upto.count(), await percent.count());
  assert.deepEqual((await upto.evaluateAll((els) => els.map((e) => e.value))).map(norm).slice(0, 3), [
    '7 000 000',
    '15 000 000',
    '',
  ]);
  assert.deepEqual((await percent.evaluateAll((els) => els.map((e) => e.value))).map(norm).slice(0, 3), [
    '20',
    '15',
    '10',
  ]);
  const reading = page.getByLabel('Hur intervallen läses', { exact: true });
  assert.equal(await reading.evaluate((el) => el.tagName), 'SELECT');
  assert.equal(await reading.inputValue(), 'marginal');
  const delarsrapport = page.getByLabel('Förbundet ska ta fram en delårsrapport', { exact: true });
  assert.equal(await delarsrapport.getAttribute('type'), 'checkbox');
  assert.ok(await delarsrapport.isChecked());
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, `${SETTINGS} (clean)`);

  // Words instead of a number.
  await offentlig.fill('tio tusen');
  response = await clickAndWait(page, page.getByRole('button', { name: 'Spara inställningarna', exact: true }));
  assert.equal(response.status(), 422, '"tio tusen" is refused');
  assert.equal(pathOf(page), SETTINGS);
  await expectH1(page, 'Inställningar 2024');
  const summary = await expectErrorSummary(page);
  assert.ok(summary.includes('Ange ett belopp i kronor'), `the error summary: "${summary}"`);
  const links = await page.locator('[role="alert"] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, ['#offentlig'], 'the summary leads to the one wrong field');
  await expectFieldError(offentlig, 'Ange ett belopp i kronor');
  assert.equal(await administration.getAttribute('aria-invalid'), null, 'only the wrong field is marked');
  assert.equal(await offentlig.inputValue(), 'tio tusen', 'the typed value is kept');
  assert.ok(await delarsrapport.isChecked(), 'the checkbox is kept');
  await screenshot(page, 'settings-error');
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, `${SETTINGS} (with errors)`);

  // Nothing was saved: the year page still has the demo's effekt.
  await page.goto(YEAR);
  let se = (await tableUnderHeading(page, 'Socioekonomiska effekter')).find((c) => c[0] === 'SE-Höglandet');
  assert.ok(se, 'SE-Höglandet in Socioekonomiska effekter');
  assert.equal(se[2], '8 164 800', `the refused amount changed nothing: ${JSON.stringify(se)}`);

  // 12 000: 42 × 12 × (12 000 + 500 + 5 700) = 9 172 800.
  await page.goto(SETTINGS);
  await offentlig.fill('12 000');
  response = await clickAndWait(page, page.getByRole('button', { name: 'Spara inställningarna', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), YEAR, 'saved, the kansli is back on the year page');
  se = (await tableUnderHeading(page, 'Socioekonomiska effekter')).find((c) => c[0] === 'SE-Höglandet');
  assert.ok(se, 'SE-Höglandet in Socioekonomiska effekter');
  assert.equal(se[1], '42', `SE-Höglandet, till arbete eller studier: ${JSON.stringify(se)}`);
  assert.equal(se[2], '9 172 800', `SE-Höglandet, effekt after the change: ${JSON.stringify(se)}`);

  await page.goto(SETTINGS);
  assert.equal(await offentlig.inputValue(), '12 000', 'the form shows the saved amount');
  assert.ok(await delarsrapport.isChecked());
  assert.equal(await reading.inputValue(), 'marginal');
});

test('the styrelse and a coach may not open the kansli’s forms', async () => {
  const styrelse = await newPage();
  await login(styrelse, STYRELSE);
  for (const path of [TEXTS, SETTINGS, `${HOME}/medlemmar/ny`, SEATS]) {
    const response = await styrelse.goto(path);
    assert.equal(response.status(), 403, `the styrelse may not open ${path}`);
    assert.equal(await styrelse.locator('textarea, select, input:not([type="hidden"])').count(), 0, `no form on ${path}`);
  }
  const coach = await newPage();
  await login(coach, COACH);
  const response = await coach.goto(SETTINGS);
  assert.equal(response.status(), 403, 'a coach may not open the settings');
  const other = await newPage();
  await login(other, OTHER_KANSLI);
  for (const path of [TEXTS, SETTINGS, SEATS]) {
    const r = await other.goto(path);
    assert.ok([403, 404].includes(r.status()), `the kansli of another förbund gets ${r.status()} for ${path}`);
    assert.equal(await other.locator('textarea').count(), 0, `no texts of Höglandet on ${path}`);
  }
});

// --- Organisation --------------------------------------------------------------------------------------

test('organisation: the styrelse reads the organisation of 2024; a coach gets 403', async () => {
  const page = await newPage();
  await login(page, STYRELSE);
  let response = await page.goto(ORGANISATION);
  assert.equal(response.status(), 200);
  await expectH1(page, 'Organisation 2024');
  const headings = await h2Texts(page);
  for (const h of ['Styrelse', 'Beredningsgrupp', 'Kansli', 'Förändringar under 2024']) {
    assert.ok(headings.includes(h), `an h2 "${h}": ${JSON.stringify(headings)}`);
  }
  const board = await tableUnderHeading(page, 'Styrelse');
  assert.ok(board.length > 0 && board[0].length === 5, `the styrelse's seats: ${JSON.stringify(board)}`);
  const list = await changes(page, 2024);
  assert.ok(
    list.includes('2024-11-26: Gudrun Andersson blev ersättare i styrelsen för Aneby kommun.'),
    `the changes during 2024: ${JSON.stringify(list)}`,
  );
  assert.equal(
    await page.getByRole('link', { name: 'Ändra styrelsens ledamöter', exact: true }).count(),
    0,
    'the styrelse reads, it does not edit',
  );
  await screenshot(page, 'organisation-2024');
  await expectNoSeriousAxeViolations(page, `${ORGANISATION} (styrelse)`);

  const coach = await newPage();
  await login(coach, COACH);
  response = await coach.goto(ORGANISATION);
  assert.equal(response.status(), 403, 'a coach may not read the organisation');
  const text = norm(await coach.locator('body').innerText());
  assert.ok(!text.includes('Gudrun Andersson'), 'the 403 page shows no names');
});

test('seats of the styrelse: T.o.m. before Fr.o.m. is refused on its row; a new ersättare is saved', async () => {
  const page = await newPage();
  await login(page, KANSLI);
  let response = await page.goto(ORGANISATION);
  assert.equal(response.status(), 200);
  response = await clickAndWait(page, page.getByRole('link', { name: 'Ändra styrelsens ledamöter', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(page), SEATS);
  await expectH1(page, 'Styrelsens ledamöter');

  const fieldsets = page.locator('form fieldset');
  const rowCount = Number(await page.locator('input[type="hidden"][name="rows"]').inputValue());
  assert.equal(await fieldsets.count(), rowCount, 'one fieldset per row');
  const blanks = page.getByRole('group', { name: 'Ny rad', exact: true });
  assert.ok((await blanks.count()) >= 1, 'blank rows for new seats');
  assert.ok(rowCount > (await blanks.count()), 'the existing seats are listed');
  for (let i = 0; i < rowCount; i += 1) {
    const row = fieldsets.nth(i);
    for (const [label, tag, type] of [
      ['Namn', 'INPUT', 'text'],
      ['E-postadress', 'INPUT', 'email'],
      ['Medlem', 'SELECT', null],
      ['Uppdrag', 'SELECT', null],
      ['Post', 'SELECT', null],
      ['Fr.o.m.', 'INPUT', 'date'],
      ['T.o.m.', 'INPUT', 'date'],
    ]) {
      const field = row.getByLabel(label, { exact: true });
      assert.equal(await field.count(), 1, `row ${i}: one "${label}"`);
      assert.equal(await field.evaluate((el) => el.tagName), tag, `row ${i}: ${label}`);
      if (type) assert.equal(await field.getAttribute('type'), type, `row ${i}: ${label}`);
    }
  }
  const gudrun = page.getByRole('group', { name: 'Gudrun Andersson', exact: true });
  assert.equal(await gudrun.count(), 1, 'Gudrun Andersson has a row');
  assert.equal(await gudrun.getByLabel('Fr.o.m.', { exact: true }).inputValue(), '2024-11-26');
  assert.equal(await gudrun.getByLabel('Uppdrag', { exact: true }).inputValue(), 'ersattare');
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, `${SEATS} (clean)`);

  // T.o.m. before Fr.o.m. on a new row.
  const fillNew = async (to) => {
    const row = page.getByRole('group', { name: 'Ny rad', exact: true }).first();
    await row.getByLabel('Namn', { exact: true }).fill('Test Testsson');
    await row.getByLabel('Medlem', { exact: true }).selectOption({ label: 'Eksjö kommun' });
    await row.getByLabel('Uppdrag', { exact: true }).selectOption({ label: 'Ersättare' });
    await row.getByLabel('Fr.o.m.', { exact: true }).fill('2024-12-15');
    if (to) await row.getByLabel('T.o.m.', { exact: true }).fill(to);
  };
  await fillNew('2024-12-01');
  response = await clickAndWait(page, page.getByRole('button', { name: 'Spara', exact: true }));
  assert.equal(response.status(), 422, 'T.o.m. before Fr.o.m. is refused');
  assert.equal(pathOf(page), SEATS);
  await expectH1(page, 'Styrelsens ledamöter');
  const summary = await expectErrorSummary(page);
  assert.ok(summary.includes('T.o.m.-datumet ligger före fr.o.m.-datumet.'), `the error summary: "${summary}"`);
  const testRow = page.getByRole('group', { name: 'Test Testsson', exact: true });
  assert.equal(await testRow.count(), 1, 'the new row is shown again with what was typed');
  await expectFieldError(testRow.getByLabel('T.o.m.', { exact: true }), 'T.o.m.-datumet ligger före fr.o.m.-datumet.');
  assert.equal(await testRow.getByLabel('Fr.o.m.', { exact: true }).inputValue(), '2024-12-15');
  assert.equal(await testRow.getByLabel('T.o.m.', { exact: true }).inputValue(), '2024-12-01');
  assert.equal(await testRow.getByLabel('Medlem', { exact: true }).inputValue(), 'eksjo');
  assert.equal(await testRow.getByLabel('Uppdrag', { exact: true }).inputValue(), 'ersattare');
  const invalid = await page.locator('[aria-invalid="true"]').evaluateAll((els) => els.map((e) => e.id));
  assert.equal(invalid.length, 1, `only the one T.o.m. field is marked: ${JSON.stringify(invalid)}`);
  await screenshot(page, 'seats-error');
  await expectVisibleLabels(page);
  await expectNoSeriousAxeViolations(page, `${SEATS} (with errors)`);

  // Nothing was saved.
  await page.goto(ORGANISATION);
  assert.ok(
    !(await changes(page, 2024)).some((c) => c.includes('Test Testsson')),
    'the refused row was not saved',
  );

  // A valid new ersättare.
  await page.goto(SEATS);
  await fillNew(null);
  response = await clickAndWait(page, page.getByRole('button', { name: 'Spara', exact: true }));
  assert.equal(response.status(), 200);
  const lastYear = new Date().getUTCFullYear() - 1;
  assert.equal(pathOf(page), `/t/hoglandet/ar/${lastYear}/organisation`, 'saved, back on last year’s organisation');
  await expectH1(page, `Organisation ${lastYear}`);

  response = await page.goto(ORGANISATION);
  assert.equal(response.status(), 200);
  const list = await changes(page, 2024);
  assert.ok(
    list.includes('2024-12-15: Test Testsson blev ersättare i styrelsen för Eksjö kommun.'),
    `the changes during 2024: ${JSON.stringify(list)}`,
  );
  assert.ok(
    list.includes('2024-11-26: Gudrun Andersson blev ersättare i styrelsen för Aneby kommun.'),
    `the earlier changes are kept: ${JSON.stringify(list)}`,
  );
  const board = await tableUnderHeading(page, 'Styrelse');
  assert.ok(
    board.some((c) => c.includes('Test Testsson') && c.includes('Eksjö kommun')),
    `the new seat is listed: ${JSON.stringify(board)}`,
  );

  // The seats form lists the new ersättare as a seat of its own.
  await page.goto(SEATS);
  const saved = page.getByRole('group', { name: 'Test Testsson', exact: true });
  assert.equal(await saved.count(), 1);
  assert.equal(await saved.getByLabel('Fr.o.m.', { exact: true }).inputValue(), '2024-12-15');
  assert.equal(await saved.getByLabel('T.o.m.', { exact: true }).inputValue(), '');
});
