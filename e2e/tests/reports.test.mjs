// Coach reports and the year page: a coach fills in a report on a phone, the kansli returns and approves
// it, nobody outside the förbund sees it, and the styrelse reads the year's figures.
//
// The tests run in order and share the report made in the first one (year 2025, so that it does not
// collide with the coach reports for 2024 that the demo imports).

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

const { test, newPage } = useSuite('reports');

const COACH = 'coach@hoglandet.example';
const KANSLI = 'kansli@hoglandet.example';
const STYRELSE = 'styrelse@hoglandet.example';
const OTHER_COACH = 'coach@finnveden.example';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const REPORTS = '/t/hoglandet/rapporter';
/** The coach of SE-Höglandet reports for Eksjö (coaches[].kommun = "eksjo" in fixtures/hoglandet-2024.json). */
const KOMMUN = 'Eksjö kommun';
const REPORT_PATH = /^\/t\/hoglandet\/rapporter\/(\d+)$/;
const PERSONNUMMER_TEXT = 'Deltagare 850709-1234';
const RETURN_COMMENT = 'Antalet män till arbete stämmer inte med listan från Arbetsförmedlingen.';

const LEGENDS = [
  'Deltagare under perioden',
  'Varav nya under perioden',
  'Till arbete (med eller utan lönebidrag)',
  'Till studier',
  'Till aktivt arbetssökande',
  'Till arbetslivsinriktad rehabilitering',
  'På grund av sjukdom',
  'Av annat skäl',
  'I strukturerat efterstöd vid periodens slut',
];

/** The report made in the first test: its path, /t/hoglandet/rapporter/{id}. */
let reportPath = null;

function needReport() {
  assert.ok(reportPath, 'no report from the first test (it must have failed)');
  return reportPath;
}

/** A number input inside the fieldset with the given legend, by its label ("Kvinnor", "Män", "Uppgift saknas"). */
const countInput = (page, legend, label) =>
  page.getByRole('group', { name: legend, exact: true }).getByLabel(label, { exact: true });

/** The value of a fact in the report's <dl class="facts"> ("Insats", "Kommun", "Period", "Status"). */
async function fact(page, term) {
  const facts = await page.evaluate(() =>
    [...document.querySelectorAll('dl dt')].map((dt) => [
      (dt.textContent ?? '').replace(/\s+/g, ' ').trim(),
      (dt.nextElementSibling?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    ]),
  );
  const found = facts.find(([t]) => t === term);
  assert.ok(found, `no "${term}" in the report's facts on ${page.url()}: ${JSON.stringify(facts)}`);
  return found[1];
}

/** The texts of every role="alert" on the page, joined. */
const alertText = async (page) => norm((await page.getByRole('alert').allInnerTexts()).join(' '));

/**
 * Opens the coach's blank (or existing) report form for SE-Höglandet in Eksjö kommun (the kommun the coach is
 * attached to in the imported year file) through the "Ny rapport" form; `period` is the option's value,
 * "helar" or "delar".
 */
async function openReportForm(page, year, period = 'helar') {
  await page.goto(REPORTS);
  await expectH1(page, 'Deltagarrapporter');
  await page.getByLabel('Insats', { exact: true }).selectOption({ label: 'SE-Höglandet' });
  await page.getByLabel('Kommun', { exact: true }).selectOption({ label: KOMMUN });
  await page.getByLabel('År', { exact: true }).fill(String(year));
  await page.getByLabel('Period', { exact: true }).selectOption(period);
  const response = await clickAndWait(page, page.getByRole('button', { name: 'Fyll i rapporten', exact: true }));
  assert.equal(response.status(), 200, `the report form for ${year} answered ${response.status()}`);
  assert.equal(pathOf(page), `${REPORTS}/ny`);
  await expectH1(page, 'Deltagarrapport SE-Höglandet');
  return response;
}

test('coach on a phone: fills in a report, a personnummer is refused, then it is sent to the kansli', async () => {
  const page = await newPage(PHONE);
  await login(page, COACH);
  await page.goto(REPORTS);
  await expectH1(page, 'Deltagarrapporter');
  await page.getByRole('heading', { level: 2, name: 'Ny rapport', exact: true }).waitFor();

  // Only the coach's own insats is offered.
  const insatser = (await page.getByLabel('Insats', { exact: true }).locator('option').allTextContents()).map(norm);
  assert.deepEqual(insatser, ['SE-Höglandet'], 'the coach may only report for SE-Höglandet');
  const kommuner = (await page.getByLabel('Kommun', { exact: true }).locator('option').allTextContents()).map(norm);
  assert.ok(kommuner.includes('Eksjö kommun'), `Kommun offers the member kommuner: ${JSON.stringify(kommuner)}`);
  const periods = (await page.getByLabel('Period', { exact: true }).locator('option').allTextContents()).map(norm);
  assert.equal(periods.length, 2, `two periods: ${JSON.stringify(periods)}`);
  assert.equal(periods[0], 'Helår');
  assert.match(periods[1], /^Delår/);

  await openReportForm(page, 2025, 'helar');
  const query = new URL(page.url()).searchParams;
  assert.equal(query.get('year'), '2025');
  assert.equal(query.get('period'), 'helar');
  assert.equal(query.get('kommun'), 'eksjo');
  assert.match(query.get('insats_id') ?? '', /^\d+$/);
  assert.equal(await fact(page, 'Period'), 'Helår 2025');
  assert.equal(await fact(page, 'Kommun'), KOMMUN);
  assert.equal(await fact(page, 'Status'), 'Utkast');

  for (const legend of LEGENDS) {
    const group = page.getByRole('group', { name: legend, exact: true });
    assert.equal(await group.count(), 1, `one fieldset with the legend "${legend}"`);
    for (const label of ['Kvinnor', 'Män', 'Uppgift saknas']) {
      assert.equal(await group.getByLabel(label, { exact: true }).getAttribute('type'), 'number', `${legend}: ${label}`);
    }
  }
  await page.getByRole('button', { name: 'Spara utkast', exact: true }).waitFor();

  const counts = [
    ['Deltagare under perioden', 'Kvinnor', 'participants-kvinnor', '12'],
    ['Deltagare under perioden', 'Män', 'participants-man', '9'],
    ['Varav nya under perioden', 'Kvinnor', 'new_participants-kvinnor', '3'],
    ['Till arbete (med eller utan lönebidrag)', 'Män', 'ended-arbete-man', '2'],
  ];
  for (const [legend, label, id, value] of counts) {
    const input = countInput(page, legend, label);
    assert.equal(await input.getAttribute('id'), id, `${legend}: ${label}`);
    await input.fill(value);
  }
  const coaches = page.getByLabel('Coacher', { exact: true });
  assert.equal(await coaches.getAttribute('id'), 'answers-coaches');
  await coaches.fill('Två coacher, en på heltid och en på halvtid.');
  const ovrigt = page.getByLabel('Övrigt', { exact: true });
  assert.equal(await ovrigt.getAttribute('id'), 'answers-ovrigt');
  await ovrigt.fill(PERSONNUMMER_TEXT);

  await screenshot(page, 'report-form-phone');
  await expectNoSeriousAxeViolations(page, `${REPORTS}/ny (phone)`);

  // A personnummer in a free-text answer: refused, with the message next to the field, and nothing typed is lost.
  let response = await clickAndWait(page, page.getByRole('button', { name: 'Skicka till kansliet', exact: true }));
  assert.equal(response.status(), 422, 'a report with a personnummer is refused');
  const summary = await alertText(page);
  assert.match(summary, /personnummer/, `the error summary names the personnummer: "${summary}"`);
  const ovrigtAfter = page.locator('#answers-ovrigt');
  assert.equal(await ovrigtAfter.getAttribute('aria-invalid'), 'true', '"Övrigt" is marked invalid');
  const fieldError = norm(await page.locator('#answers-ovrigt-error').innerText());
  assert.match(fieldError, /personnummer/, `the message next to "Övrigt": "${fieldError}"`);
  const describedBy = (await ovrigtAfter.getAttribute('aria-describedby')) ?? '';
  assert.ok(describedBy.split(/\s+/).includes('answers-ovrigt-error'), `aria-describedby="${describedBy}"`);
  for (const [, , id, value] of counts) {
    assert.equal(await page.locator(`#${id}`).inputValue(), value, `#${id} keeps what was typed`);
  }
  assert.equal(await page.locator('#participants-uppgift_saknas').inputValue(), '0', 'an untouched field keeps its 0');
  assert.equal(await page.locator('#answers-coaches').inputValue(), 'Två coacher, en på heltid och en på halvtid.');
  assert.equal(await ovrigtAfter.inputValue(), PERSONNUMMER_TEXT);
  await screenshot(page, 'report-form-phone-personnummer');
  await expectNoSeriousAxeViolations(page, `${REPORTS} (phone, errors)`);

  // Without the number it goes through.
  await page.getByLabel('Övrigt', { exact: true }).fill('');
  response = await clickAndWait(page, page.getByRole('button', { name: 'Skicka till kansliet', exact: true }));
  assert.equal(response.status(), 200);
  assert.match(pathOf(page), REPORT_PATH, 'after submitting, the browser is on the report');
  reportPath = pathOf(page);
  assert.equal(await fact(page, 'Status'), 'Inskickad');
  assert.equal(await fact(page, 'Period'), 'Helår 2025');
  assert.equal(await fact(page, 'Kommun'), KOMMUN);
  assert.equal(await page.locator('#participants-kvinnor').inputValue(), '12');
  assert.equal(await page.locator('#ended-arbete-man').inputValue(), '2');
  assert.equal(
    await page.getByRole('button', { name: 'Skicka till kansliet', exact: true }).count(),
    0,
    'a submitted report is not editable',
  );
  await screenshot(page, 'report-submitted-phone');

  // The list shows it.
  await page.goto(REPORTS);
  const rows = await tableUnderHeading(page, 'Rapporter');
  const row = rows.find((cells) => cells.includes('Helår 2025'));
  assert.ok(row, `the list has the new report: ${JSON.stringify(rows)}`);
  assert.deepEqual(row, ['SE-Höglandet', KOMMUN, 'Helår 2025', '21', 'Inskickad']);
});

test('kansli returns the report (a comment is required), the coach corrects it, the kansli approves', async () => {
  const path = needReport();
  const id = path.match(REPORT_PATH)[1];

  // The kansli: "Skicka tillbaka" without a comment is refused.
  const kansli = await newPage();
  await login(kansli, KANSLI);
  let response = await kansli.goto(path);
  assert.equal(response.status(), 200);
  await kansli.getByRole('heading', { level: 2, name: 'Granska', exact: true }).waitFor();
  const comment = () => kansli.getByLabel('Kommentar (krävs om rapporten skickas tillbaka)', { exact: true });
  assert.equal(await comment().evaluate((el) => el.tagName), 'TEXTAREA');
  await kansli.getByRole('button', { name: 'Godkänn', exact: true }).waitFor();
  assert.equal(
    await kansli.getByRole('button', { name: 'Skicka till kansliet', exact: true }).count(),
    0,
    'the kansli does not submit the coach’s report',
  );
  await expectNoSeriousAxeViolations(kansli, `${path} (kansli)`);

  response = await clickAndWait(kansli, kansli.getByRole('button', { name: 'Skicka tillbaka', exact: true }));
  assert.equal(response.status(), 422, 'returning without a comment is refused');
  const summary = await alertText(kansli);
  assert.ok(summary.length > 0, 'an error summary (role="alert") is shown');
  const commentError = kansli.locator('#comment-error');
  assert.equal(await commentError.count(), 1, 'the message is next to the comment field');
  assert.ok(norm(await commentError.innerText()).length > 0);
  assert.equal(await comment().getAttribute('aria-invalid'), 'true');
  await screenshot(kansli, 'report-return-without-comment');
  await kansli.goto(path);
  assert.equal(await fact(kansli, 'Status'), 'Inskickad', 'a refused return changes nothing');

  // With a comment: Tillbakaskickad. The kansli must be able to type in the comment field first.
  assert.ok(
    await comment().isEditable(),
    `the kansli cannot type a comment: ${await comment().evaluate((el) => el.outerHTML)}`,
  );
  await comment().fill(RETURN_COMMENT);
  response = await clickAndWait(kansli, kansli.getByRole('button', { name: 'Skicka tillbaka', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(kansli), path);
  assert.equal(await fact(kansli, 'Status'), 'Tillbakaskickad');
  assert.equal(
    await kansli.getByRole('heading', { level: 2, name: 'Granska', exact: true }).count(),
    0,
    'a returned report has nothing to decide',
  );

  // The coach sees the comment, corrects a number and submits again.
  const coach = await newPage(PHONE);
  await login(coach, COACH);
  response = await coach.goto(path);
  assert.equal(response.status(), 200);
  assert.equal(await fact(coach, 'Status'), 'Tillbakaskickad');
  const note = norm(await coach.locator('main').innerText());
  assert.ok(note.includes(`Kansliets kommentar: ${RETURN_COMMENT}`), `the coach sees the kansli's comment: "${note}"`);
  assert.equal(await coach.locator('#participants-kvinnor').inputValue(), '12', 'the saved counts are shown');
  const arbeteMan = countInput(coach, 'Till arbete (med eller utan lönebidrag)', 'Män');
  assert.equal(await arbeteMan.inputValue(), '2');
  await arbeteMan.fill('3');
  await screenshot(coach, 'report-returned-phone');
  response = await clickAndWait(coach, coach.getByRole('button', { name: 'Skicka till kansliet', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(coach), path, 'submitting again keeps the same report');
  assert.equal(await fact(coach, 'Status'), 'Inskickad');
  assert.equal(await coach.locator('#ended-arbete-man').inputValue(), '3');
  assert.equal(await coach.locator('#participants-kvinnor').inputValue(), '12');

  // The kansli approves.
  response = await kansli.goto(path);
  assert.equal(response.status(), 200);
  assert.equal(await fact(kansli, 'Status'), 'Inskickad');
  assert.equal(await kansli.locator('#ended-arbete-man').inputValue(), '3', 'the kansli sees the corrected count');
  response = await clickAndWait(kansli, kansli.getByRole('button', { name: 'Godkänn', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(kansli), path);
  assert.equal(await fact(kansli, 'Status'), 'Godkänd');
  await screenshot(kansli, 'report-approved');

  // The coach can no longer change it.
  response = await coach.goto(path);
  assert.equal(response.status(), 200);
  assert.equal(await fact(coach, 'Status'), 'Godkänd');
  for (const name of ['Skicka till kansliet', 'Spara utkast']) {
    assert.equal(await coach.getByRole('button', { name, exact: true }).count(), 0, `no "${name}" on an approved report`);
  }
  assert.ok(await coach.locator('#participants-kvinnor').isDisabled(), 'the counts of an approved report are disabled');
  assert.equal(await coach.locator('#answers-coaches').getAttribute('readonly'), '', 'the answers are read-only');
  await coach.goto(REPORTS);
  const rows = await tableUnderHeading(coach, 'Rapporter');
  const row = rows.find((cells) => cells.includes('Helår 2025'));
  assert.ok(row, `the list has the report: ${JSON.stringify(rows)}`);
  assert.equal(row.at(-1), 'Godkänd');
  assert.ok(
    (await coach.locator(`a[href="${path}"]`).count()) > 0,
    `the list links to ${path} (report ${id})`,
  );
});

test('kansli approves a submitted report; the coach can no longer edit it', async () => {
  // A report of its own (Delår 2025), so that this does not depend on the return flow above.
  const coach = await newPage();
  await login(coach, COACH);
  await openReportForm(coach, 2025, 'delar');
  assert.equal(await fact(coach, 'Period'), 'Delår 2025');
  await countInput(coach, 'Deltagare under perioden', 'Kvinnor').fill('6');
  await countInput(coach, 'Deltagare under perioden', 'Män').fill('4');
  await countInput(coach, 'I strukturerat efterstöd vid periodens slut', 'Kvinnor').fill('1');
  let response = await clickAndWait(coach, coach.getByRole('button', { name: 'Skicka till kansliet', exact: true }));
  assert.equal(response.status(), 200);
  assert.match(pathOf(coach), REPORT_PATH);
  assert.notEqual(pathOf(coach), reportPath, 'Delår is a report of its own');
  const path = pathOf(coach);
  assert.equal(await fact(coach, 'Status'), 'Inskickad');

  const kansli = await newPage();
  await login(kansli, KANSLI);
  response = await kansli.goto(path);
  assert.equal(response.status(), 200);
  await kansli.getByRole('heading', { level: 2, name: 'Granska', exact: true }).waitFor();
  assert.equal(await kansli.locator('#efterstod-kvinnor').inputValue(), '1', 'the kansli sees the counts');
  response = await clickAndWait(kansli, kansli.getByRole('button', { name: 'Godkänn', exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(pathOf(kansli), path);
  assert.equal(await fact(kansli, 'Status'), 'Godkänd');
  assert.equal(
    await kansli.getByRole('heading', { level: 2, name: 'Granska', exact: true }).count(),
    0,
    'an approved report has nothing left to decide',
  );

  response = await coach.goto(path);
  assert.equal(response.status(), 200);
  assert.equal(await fact(coach, 'Status'), 'Godkänd');
  for (const name of ['Skicka till kansliet', 'Spara utkast']) {
    assert.equal(await coach.getByRole('button', { name, exact: true }).count(), 0, `no "${name}" on an approved report`);
  }
  assert.ok(await coach.locator('#participants-kvinnor').isDisabled(), 'the counts of an approved report are disabled');
  assert.equal(await coach.locator('#participants-kvinnor').inputValue(), '6');

  // "Fyll i rapporten" for the same period opens the approved report, still not editable.
  await openReportForm(coach, 2025, 'delar');
  assert.equal(await fact(coach, 'Status'), 'Godkänd');
  assert.equal(await coach.getByRole('button', { name: 'Skicka till kansliet', exact: true }).count(), 0);
});

test('the coach of another förbund gets 404 for the report', async () => {
  const path = needReport();
  const page = await newPage();
  await login(page, OTHER_COACH);
  const response = await page.goto(path);
  assert.equal(response.status(), 404);
  const text = norm(await page.locator('body').innerText());
  for (const secret of ['SE-Höglandet', 'Helår 2025', 'Höglandets samordningsförbund']) {
    assert.ok(!text.includes(secret), `"${secret}" must not be shown on the 404 page`);
  }
});

test('styrelse reads the year page for 2024; a coach gets 403', async () => {
  const page = await newPage();
  await login(page, STYRELSE);
  let response = await page.goto('/t/hoglandet/ar/2024');
  assert.equal(response.status(), 200);
  await expectH1(page, 'Höglandets samordningsförbund 2024');

  // Kontroller: all hold.
  await page.getByRole('heading', { level: 2, name: 'Kontroller', exact: true }).waitFor();
  const checks = norm(await page.locator('section[aria-labelledby="kontroller"]').innerText());
  assert.match(checks, /Alla 8 kontroller håller\./, `the checks section: "${checks}"`);
  assert.equal(await page.getByRole('alert').count(), 0, 'no failing checks');

  // Nyckeltal: the minus is U+2212, thousands are separated by a space.
  const figures = await tableUnderHeading(page, 'Nyckeltal');
  const figure = (label) => {
    const row = figures.find((cells) => cells[0] === label);
    assert.ok(row, `no "${label}" in Nyckeltal: ${JSON.stringify(figures)}`);
    return row[1];
  };
  assert.equal(figure('Årets resultat'), '\u2212155 574');
  assert.equal(figure('Soliditet'), '69,8 %');

  const socio = await tableUnderHeading(page, 'Socioekonomiska effekter');
  const se = socio.find((cells) => cells[0] === 'SE-Höglandet');
  assert.ok(se, `no SE-Höglandet in Socioekonomiska effekter: ${JSON.stringify(socio)}`);
  assert.equal(se[1], '42', `SE-Höglandet, till arbete eller studier: ${JSON.stringify(se)}`);
  assert.equal(se[2], '8 164 800', `SE-Höglandet, effekt: ${JSON.stringify(se)}`);

  const board = await tableUnderHeading(page, 'Styrelsen 2024-12-31');
  assert.ok(
    board.some((cells) => cells.some((c) => c.includes('Sebastian Hörlin (ordförande)'))),
    `the board lists "Sebastian Hörlin (ordförande)": ${JSON.stringify(board)}`,
  );

  await screenshot(page, 'year-hoglandet-2024');
  await expectNoSeriousAxeViolations(page, '/t/hoglandet/ar/2024');

  const coach = await newPage();
  await login(coach, COACH);
  response = await coach.goto('/t/hoglandet/ar/2024');
  assert.equal(response.status(), 403, 'a coach may not read the year');
  const text = norm(await coach.locator('body').innerText());
  assert.ok(!text.includes('155 574'), 'the 403 page shows no figures');
});

test('keyboard: every field of the report form is reachable with Tab and has a visible label', async () => {
  const page = await newPage();
  await login(page, COACH);
  // A period nobody has reported, so the form is blank and editable.
  await openReportForm(page, 2026, 'delar');

  // Every form control (but the hidden ones) has a label that is shown.
  const unlabelled = await page.evaluate(() => {
    const bad = [];
    for (const el of document.querySelectorAll('input, textarea, select')) {
      if (el.type === 'hidden') continue;
      const labels = [...(el.labels ?? [])];
      const shown = labels.filter((l) => {
        const r = l.getBoundingClientRect();
        const s = getComputedStyle(l);
        return (l.textContent ?? '').trim() !== '' && r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none';
      });
      if (shown.length === 0) bad.push(`${el.tagName.toLowerCase()}#${el.id || '?'}[name=${el.name}] (${labels.length} labels)`);
    }
    return bad;
  });
  assert.deepEqual(unlabelled, [], 'form controls without a visible label');
  await expectNoSeriousAxeViolations(page, `${REPORTS}/ny (keyboard)`);

  const numberIds = await page.locator('input[type="number"]').evaluateAll((els) => els.map((el) => el.id));
  assert.equal(numberIds.length, 27, `9 groups × 3 number inputs: ${JSON.stringify(numberIds)}`);

  // Tab through the page from the top; note where the focus goes and whether it can be seen.
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  await page.evaluate(() => document.activeElement?.blur());
  const visited = [];
  for (let i = 0; i < 120; i += 1) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement;
      if (!a || a === document.body) return null;
      const s = getComputedStyle(a);
      return {
        id: a.id,
        tag: a.tagName,
        type: a.getAttribute('type'),
        outlined: (s.outlineStyle !== 'none' && s.outlineWidth !== '0px') || s.boxShadow !== 'none',
      };
    });
    if (!el) break;
    if (visited.length > 0 && el.id && el.id === visited[0].id && el.tag === visited[0].tag) break;
    visited.push(el);
    if (el.tag === 'BUTTON' && norm(await page.evaluate(() => document.activeElement.textContent)) === 'Skicka till kansliet') break;
  }
  const reached = visited.filter((v) => v.tag === 'INPUT' && v.type === 'number').map((v) => v.id);
  assert.deepEqual(reached, numberIds, 'Tab reaches every number input, in the order of the page');
  const unseen = visited.filter((v) => v.tag === 'INPUT' && !v.outlined).map((v) => v.id);
  assert.deepEqual(unseen, [], 'number inputs without a visible focus indicator');
  const areas = visited.filter((v) => v.tag === 'TEXTAREA').map((v) => v.id);
  assert.deepEqual(areas, [
    'answers-coaches',
    'answers-remittentgrupp',
    'answers-handelser',
    'answers-arbetsgivarkontakt',
    'answers-framgangsfaktorer',
    'answers-jamstalldhet',
    'answers-ovrigt',
  ]);

  // Typing works from the keyboard alone: focus "Kvinnor" under "Deltagare under perioden" with Tab and type.
  await page.locator('#participants-kvinnor').focus();
  await page.keyboard.type('7');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'participants-man');
  await page.keyboard.type('5');
  assert.equal(await page.locator('#participants-kvinnor').inputValue(), '7');
  assert.equal(await page.locator('#participants-man').inputValue(), '5');
});

test('more new participants than participants is refused with a message on the group', async () => {
  const page = await newPage();
  await login(page, COACH);
  await openReportForm(page, 2027, 'helar');
  await countInput(page, 'Deltagare under perioden', 'Kvinnor').fill('2');
  await countInput(page, 'Varav nya under perioden', 'Kvinnor').fill('3');
  const response = await clickAndWait(page, page.getByRole('button', { name: 'Spara utkast', exact: true }));
  assert.equal(response.status(), 422);
  const summary = await alertText(page);
  assert.ok(summary.includes('Fler nya än deltagare totalt.'), `the error summary: "${summary}"`);
  const groupError = norm(await page.locator('#new_participants-error').innerText());
  assert.equal(groupError, 'Fler nya än deltagare totalt.');
  assert.equal(await page.locator('#new_participants-kvinnor').inputValue(), '3');
  assert.equal(await page.locator('#participants-kvinnor').inputValue(), '2');

  // Nothing was saved: the list has no report for 2027.
  await page.goto(REPORTS);
  const rows = await tableUnderHeading(page, 'Rapporter');
  assert.ok(!rows.some((cells) => cells.includes('Helår 2027')), `no report for 2027: ${JSON.stringify(rows)}`);
});
