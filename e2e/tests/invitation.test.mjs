// The platform admin invites a kansli; the invitation e-mail's link sets a password and signs in, once.

import assert from 'node:assert/strict';
import {
  useSuite,
  login,
  expectH1,
  clickAndWait,
  pathOf,
  norm,
  screenshot,
  waitForEmail,
  findLink,
} from '../lib/harness.mjs';

const { app, test, newPage } = useSuite('invitation');

const INVITEE = { name: 'Test Testsson', email: 'ny.kansli@gnosjo.example' };
const NEW_PASSWORD = 'blåbärssoppa-vasaloppet-77';
const FINNVEDEN = 'Finnvedens samordningsförbund';

test('admin invites a kansli for Finnveden, who sets a password with the e-mailed link', async () => {
  // 1. The admin sends the invitation.
  const admin = await newPage();
  await login(admin, 'admin@finsam.example');
  assert.equal(pathOf(admin), '/admin', 'the platform admin lands on /admin');
  await expectH1(admin, 'Plattformsadministration');

  // The admin page has more forms (one also has a field "Namn") and a section named "Förbund": work
  // inside the invitation form only.
  const form = admin.locator('form').filter({
    has: admin.getByRole('button', { name: 'Skicka inbjudan', exact: true }),
  });
  const tenantSelect = form.getByLabel('Förbund', { exact: true });
  assert.equal(await tenantSelect.getAttribute('name'), 'tenant_slug');
  const options = await tenantSelect.locator('option').evaluateAll((os) => os.map((o) => o.value));
  for (const slug of ['sodra-vatterbygden', 'hoglandet', 'finnveden']) {
    assert.ok(options.includes(slug), `"Förbund" has no option ${slug}: ${JSON.stringify(options)}`);
  }
  await tenantSelect.selectOption('finnveden');
  await form.getByLabel('Namn', { exact: true }).fill(INVITEE.name);
  await form.getByLabel('E-postadress', { exact: true }).fill(INVITEE.email);
  await screenshot(admin, 'admin');
  await clickAndWait(admin, form.getByRole('button', { name: 'Skicka inbjudan', exact: true }));
  const status = norm((await admin.getByRole('status').allInnerTexts()).join(' '));
  assert.ok(
    status.includes(`Inbjudan skickad till ${INVITEE.email}`),
    `status after inviting: ${JSON.stringify(status)}`,
  );
  await screenshot(admin, 'admin-invitation-sent');

  // 2. The e-mail arrives in the outbox.
  const { file, mail } = await waitForEmail(app, INVITEE.email);
  assert.ok(mail.subject?.startsWith('Inbjudan till Finsam'), `subject of ${file}: ${JSON.stringify(mail.subject)}`);
  const link = findLink(mail, app.baseURL, '/inbjudan/');
  assert.ok(link, `no ${app.baseURL}/inbjudan/… link in ${file}:\n${mail.text}`);

  // 3. The invitee opens the link in a browser of their own and chooses a password.
  const invitee = await newPage();
  const opened = await invitee.goto(link);
  assert.equal(opened.status(), 200);
  await expectH1(invitee, 'Välj lösenord');
  const password = invitee.getByLabel('Nytt lösenord', { exact: true });
  const confirm = invitee.getByLabel('Upprepa lösenordet', { exact: true });
  assert.equal(await password.getAttribute('name'), 'password');
  assert.equal(await confirm.getAttribute('name'), 'password_confirm');
  await password.fill(NEW_PASSWORD);
  await confirm.fill(NEW_PASSWORD);
  await screenshot(invitee, 'invitation');
  await clickAndWait(invitee, invitee.getByRole('button', { name: 'Spara lösenord', exact: true }));
  assert.equal(pathOf(invitee), '/t/finnveden', 'signed in and sent to the förbund of the invitation');
  await expectH1(invitee, FINNVEDEN);

  // 4. The link works only once.
  const again = await newPage();
  const second = await again.goto(link);
  assert.ok([404, 410].includes(second.status()), `second use of the link: status ${second.status()}`);
  const text = norm(await again.locator('body').innerText());
  assert.ok(text.includes('Länken är inte giltig'), `second use of the link says: ${JSON.stringify(text)}`);
  await screenshot(again, 'invitation-used');

  // 5. The new password works for logging in.
  const later = await newPage();
  await login(later, INVITEE.email, NEW_PASSWORD);
  assert.equal(pathOf(later), '/t/finnveden');
  await expectH1(later, FINNVEDEN);
});
