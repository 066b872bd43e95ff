// Checks shared by the form tests: the error summary, an error beside its field, visible labels.

import assert from 'node:assert/strict';
import { norm } from './harness.mjs';

/** The texts of every role="alert" on the page, joined. */
export const alertText = async (page) => norm((await page.getByRole('alert').allInnerTexts()).join(' '));

/**
 * Asserts that the page shows an error summary (role="alert") and that each of its links leads to an
 * element on the page. Returns the summary's text.
 */
export async function expectErrorSummary(page) {
  const summary = await alertText(page);
  assert.ok(summary.length > 0, `an error summary (role="alert") is shown on ${page.url()}`);
  const targets = await page.evaluate(() =>
    [...document.querySelectorAll('[role="alert"] a[href^="#"]')].map((a) => {
      const id = decodeURIComponent(a.getAttribute('href').slice(1));
      return { id, found: document.getElementById(id) !== null };
    }),
  );
  const missing = targets.filter((t) => !t.found).map((t) => t.id);
  assert.deepEqual(missing, [], `links of the error summary on ${page.url()} lead nowhere`);
  return summary;
}

/**
 * Asserts that the field has the message `expected` next to it: an element `#{id}-error` that the field
 * names in aria-describedby, and aria-invalid="true" on the field. Returns the message's text.
 */
export async function expectFieldError(field, expected) {
  const id = await field.getAttribute('id');
  const page = field.page();
  const error = page.locator(`[id="${id}-error"]`);
  assert.equal(await error.count(), 1, `one message next to #${id}`);
  const text = norm(await error.innerText());
  assert.ok(text.includes(expected), `the message next to #${id}: "${text}" (expected "${expected}")`);
  assert.equal(await field.getAttribute('aria-invalid'), 'true', `#${id} is marked invalid`);
  const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
  assert.ok(describedBy.split(/\s+/).includes(`${id}-error`), `#${id} aria-describedby="${describedBy}"`);
  return text;
}

/** Asserts that every input, select and textarea (but the hidden ones) has a label that is shown. */
export async function expectVisibleLabels(page) {
  const found = await page.evaluate(() => {
    const bad = [];
    let count = 0;
    for (const el of document.querySelectorAll('input, textarea, select')) {
      if (el.type === 'hidden') continue;
      count += 1;
      const labels = [...(el.labels ?? [])];
      const shown = labels.filter((l) => {
        const r = l.getBoundingClientRect();
        const s = getComputedStyle(l);
        return (l.textContent ?? '').trim() !== '' && r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none';
      });
      if (shown.length === 0) bad.push(`${el.tagName.toLowerCase()}#${el.id || '?'}[name=${el.name}] (${labels.length} labels)`);
    }
    return { bad, count };
  });
  assert.ok(found.count > 0, `no form controls on ${page.url()}`);
  assert.deepEqual(found.bad, [], `form controls without a visible label on ${page.url()}`);
}
