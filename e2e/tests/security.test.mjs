// Content-Security-Policy, and no requests to any other host.

import assert from 'node:assert/strict';
import { useSuite, login, expectH1, pathOf, screenshot } from '../lib/harness.mjs';

const { app, test, newContext } = useSuite('security');

test('the login page sends a CSP, and the pages only talk to the app', async () => {
  // bypassCSP off: the browser enforces the policy, so a blocked inline script or style shows up below.
  const ctx = await newContext({ bypassCSP: false });
  const requests = [];
  const cspViolations = [];
  ctx.on('request', (req) => requests.push(req.url()));
  const page = await ctx.newPage();
  page.on('console', (msg) => {
    if (/Content[- ]Security[- ]Policy/i.test(msg.text())) cspViolations.push(msg.text());
  });

  const response = await page.goto('/login');
  assert.equal(response.status(), 200);
  const csp = (await response.allHeaders())['content-security-policy'];
  assert.ok(csp, 'the login page has a Content-Security-Policy header');
  assert.ok(csp.includes("default-src 'self'"), `Content-Security-Policy: ${csp}`);
  await expectH1(page, 'Logga in');
  await screenshot(page, 'login-csp');

  // Look at a signed-in page as well, with its stylesheets and scripts.
  await login(page, 'kansli@hoglandet.example');
  assert.equal(pathOf(page), '/t/hoglandet');
  await expectH1(page, 'Höglandets samordningsförbund');
  await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => {});

  const foreign = requests.filter((u) => {
    const url = new URL(u);
    if (['data:', 'blob:', 'about:'].includes(url.protocol)) return false;
    return url.host !== app.host || url.protocol !== 'http:';
  });
  assert.deepEqual(foreign, [], `requests to other hosts than ${app.host}`);
  assert.ok(requests.length > 0, 'requests were recorded');
  assert.deepEqual(cspViolations, [], 'the pages break their own Content-Security-Policy');
});
