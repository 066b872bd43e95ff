// Logging in and out: the login page, failed logins, logging out, and keyboard access.

import assert from 'node:assert/strict';
import {
  useSuite,
  login,
  submitLogin,
  expectH1,
  clickAndWait,
  pathOf,
  norm,
  screenshot,
} from '../lib/harness.mjs';

const { test, newPage, newContext } = useSuite('login');

const WRONG_LOGIN = 'Fel e-postadress eller lösenord.';

test('the login page is Swedish and has the form', async () => {
  const page = await newPage();
  const response = await page.goto('/login');
  assert.equal(response.status(), 200);
  assert.equal(await page.locator('html').getAttribute('lang'), 'sv');
  await expectH1(page, 'Logga in');
  assert.equal(await page.getByLabel('E-postadress', { exact: true }).getAttribute('name'), 'email');
  assert.equal(await page.getByLabel('Lösenord', { exact: true }).getAttribute('name'), 'password');
  await page.getByRole('button', { name: 'Logga in', exact: true }).waitFor();
  await page.getByRole('link', { name: 'Glömt lösenordet?' }).waitFor();
  await screenshot(page, 'login');
});

test('wrong password and unknown account get the same 401 page', async () => {
  const password = 'inte-det-har-losenordet-9';

  const page1 = await newPage();
  const wrongPassword = await submitLogin(page1, 'kansli@hoglandet.example', password);
  assert.equal(wrongPassword.status(), 401, 'wrong password');
  assert.equal(pathOf(page1), '/login');
  const alert1 = norm((await page1.getByRole('alert').allInnerTexts()).join(' '));
  assert.ok(alert1.includes(WRONG_LOGIN), `alert after a wrong password: ${JSON.stringify(alert1)}`);
  await expectH1(page1, 'Logga in');
  const text1 = norm(await page1.locator('body').innerText());
  await screenshot(page1, 'login-failed');

  const page2 = await newPage();
  const unknown = await submitLogin(page2, 'ingen.alls@finsam.example', password);
  assert.equal(unknown.status(), 401, 'unknown account');
  assert.equal(pathOf(page2), '/login');
  const alert2 = norm((await page2.getByRole('alert').allInnerTexts()).join(' '));
  assert.ok(alert2.includes(WRONG_LOGIN), `alert for an unknown account: ${JSON.stringify(alert2)}`);

  // Nothing tells a visitor whether the account exists.
  assert.equal(alert2, alert1, 'the alerts differ');
  assert.equal(norm(await page2.locator('body').innerText()), text1, 'the two pages read differently');
});

test('logging out ends the session', async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  await login(page, 'kansli@hoglandet.example');
  assert.equal(pathOf(page), '/t/hoglandet');
  const signedIn = await ctx.storageState();

  await clickAndWait(page, page.getByRole('button', { name: 'Logga ut', exact: true }));
  assert.equal(pathOf(page), '/login');
  const status = norm((await page.getByRole('status').allInnerTexts()).join(' '));
  assert.ok(status.includes('Du är utloggad.'), `status after logging out: ${JSON.stringify(status)}`);
  await screenshot(page, 'logged-out');

  await page.goto('/t/hoglandet');
  assert.equal(pathOf(page), '/login', 'a protected page sends a logged-out browser to the login page');
  await expectH1(page, 'Logga in');

  // The old session cookie is dead on the server too, not only forgotten by this browser.
  const replay = await newPage({ storageState: signedIn });
  await replay.goto('/t/hoglandet');
  assert.equal(pathOf(replay), '/login', 'the session cookie from before logging out still works');
});

test('keyboard: the first Tab on /login focuses the skip link', async () => {
  const page = await newPage();
  await page.goto('/login');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    // The link's own fragment, whether written as "#innehall" or "/login#innehall".
    const samePage = el.tagName === 'A' && el.pathname === location.pathname && el.hash.length > 1;
    return {
      tag: el.tagName,
      text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
      href: el.getAttribute('href'),
      hash: el.hash,
      targetExists: samePage && document.getElementById(decodeURIComponent(el.hash.slice(1))) !== null,
      outlineStyle: style.outlineStyle,
      outlineWidth: style.outlineWidth,
      boxShadow: style.boxShadow,
      onScreen: rect.width > 1 && rect.height > 1 && rect.bottom > 0 && rect.right > 0 &&
        rect.top < window.innerHeight && rect.left < window.innerWidth,
    };
  });
  assert.equal(focused.tag, 'A', `first Tab focused ${JSON.stringify(focused)}`);
  assert.equal(focused.text, 'Hoppa till innehållet');
  assert.ok(focused.targetExists, `the skip link's target ${focused.href} must exist`);
  assert.ok(focused.onScreen, 'the skip link is visible when focused');
  const outlined = focused.outlineStyle !== 'none' && focused.outlineWidth !== '0px';
  assert.ok(outlined || focused.boxShadow !== 'none', `no visible focus indicator: ${JSON.stringify(focused)}`);
  await screenshot(page, 'login-skip-link-focused');

  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => location.hash), focused.hash, 'Enter follows the skip link');
});
