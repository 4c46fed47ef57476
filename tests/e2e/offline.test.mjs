// After one visit the page works without a network: the service worker serves its files, and
// a sample (generated in the wasm) trains to done.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveForTests, launch, waitForPhase } from './helpers.mjs';

const app = serveForTests();

test('the page reloads and trains offline after the first visit', { timeout: 5 * 60 * 1000 }, async () => {
  const browser = await launch({ webgpu: false });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const requested = new Set();
    context.on('request', (r) => requested.add(r.url().split('#')[0]));
    await page.goto(`${app.url}#device=cpu`);
    await page.waitForFunction(() => document.querySelector('#backend').textContent.startsWith('CPU'));
    // Installed when every file is stored; every file the page asked for must be among them
    // (a new module missing from sw.js's list breaks the page offline).
    await page.evaluate(() => navigator.serviceWorker.ready);
    const stored = new Set(await page.evaluate(async () => (await (await caches.open('deepclust-v1')).keys()).map((r) => r.url)));
    const missing = [...requested].filter((u) => u.startsWith(app.url) && !u.endsWith('/sw.js') && !stored.has(u));
    assert.deepEqual(missing, [], 'files the page loads but the service worker does not store');

    await context.setOffline(true);
    await page.reload();
    await page.waitForFunction(() => document.querySelector('#backend').textContent.startsWith('CPU'), null, { timeout: 60_000 });
    await page.selectOption('#sample-select', 'blobs');
    await page.waitForFunction(() => !document.querySelector('#train-button').disabled, null, { timeout: 60_000 });
    await page.selectOption('#method-select', 'kmeans');
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 120_000), 'done', await page.textContent('#error'));
    // A bundled real sample comes from the store too.
    await page.selectOption('#sample-select', 'iris');
    await page.waitForFunction(() => document.querySelector('#file-info').textContent.startsWith('iris.csv'), null, { timeout: 30_000 });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
