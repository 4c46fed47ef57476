// The CPU path on every core: wasm threads need a cross-origin isolated page. Served with the
// isolation headers (./build.sh serve) the worker runs one thread per core; on a host without
// them the service worker adds them and the page reloads once; where neither can happen the
// page works on one thread and says why.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, ROOT, waitForPhase, downloadText, parseCsv } from './helpers.mjs';
import { serve } from './static-server.mjs';
import { join } from 'node:path';

const servers = [];
after(() => servers.forEach((s) => s.close()));

async function site({ isolated }) {
  const server = await serve(join(ROOT, 'www'), 0, { isolated });
  servers.push(server);
  return `http://127.0.0.1:${server.address().port}/`;
}

const badge = (page) => page.textContent('#backend');

async function waitForCpu(page) {
  await page.waitForFunction(() => document.querySelector('#backend').textContent.startsWith('CPU'), null, { timeout: 120_000 });
}

/** Trains the wine sample with the page's defaults; returns the result CSV's rows. */
async function trainWine(page) {
  await page.selectOption('#sample-select', 'wine');
  await page.waitForFunction(() => !document.querySelector('#train-button').disabled);
  await page.click('#train-button');
  const phase = await waitForPhase(page, ['done', 'error'], 5 * 60_000);
  assert.equal(phase, 'done', await page.textContent('#error'));
  return parseCsv(await downloadText(page)).rows;
}

test('served isolated: the worker trains on every core, and the badge says how many', { timeout: 10 * 60_000 }, async () => {
  const url = await site({ isolated: true });
  const browser = await launch({ webgpu: false });
  try {
    const page = await browser.newPage({ acceptDownloads: true });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await waitForCpu(page);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    assert.equal(await page.evaluate(() => self.crossOriginIsolated), true);
    assert.equal(await page.getAttribute('#backend', 'data-threads'), String(cores));
    assert.match(await badge(page), new RegExp(`^CPU .*· ${cores} threads$`));
    const rows = await trainWine(page);
    assert.equal(rows.length, 178);
    assert.equal(new Set(rows.map((r) => r.at(-2))).size, 3);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('threads that never start (a hang seen in Firefox): the page restarts its worker, then trains on one thread', { timeout: 10 * 60_000 }, async () => {
  const url = await site({ isolated: true });
  const browser = await launch({ webgpu: false });
  try {
    // Without the service worker, which would serve the real helper from its cache.
    const context = await browser.newContext({ acceptDownloads: true, serviceWorkers: 'block' });
    // wasm-bindgen-rayon's helper, made to block its worker as Firefox's hang does.
    let hung = 0;
    await context.route('**/workerHelpers.no-bundler.js', (route) => {
      hung += 1;
      return route.fulfill({ contentType: 'text/javascript', body: 'export async function startWorkers() { for (;;) {} }\n' });
    });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const started = Date.now();
    await page.goto(url);
    await waitForCpu(page);
    const seconds = (Date.now() - started) / 1000;
    assert.equal(hung, 2, 'two workers tried their threads');
    assert.ok(seconds > 19 && seconds < 60, `ready after two 10-second waits: ${seconds} s`);
    assert.match(await badge(page), /^CPU .*· one thread: its threads did not start in this browser \(tried twice\)$/);
    assert.equal(await page.getAttribute('#backend', 'data-threads'), '1');
    assert.ok(await page.$$eval('#method-select option', (o) => o.length) > 0, 'the method menu is filled');
    assert.equal(await page.textContent('#error'), '');
    const rows = await trainWine(page);
    assert.equal(rows.length, 178);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a host without the headers: the service worker adds them and the page reloads once onto every core', { timeout: 10 * 60_000 }, async () => {
  const url = await site({ isolated: false });
  const browser = await launch({ webgpu: false });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    // The first load is not isolated; once the service worker controls the page it reloads.
    await page.waitForFunction(() => self.crossOriginIsolated, null, { timeout: 5 * 60_000, polling: 500 });
    await waitForCpu(page);
    assert.match(await badge(page), /· \d+ threads$/);
    assert.notEqual(await page.getAttribute('#backend', 'data-threads'), '1');
  } finally {
    await browser.close();
  }
});

test('no isolation at all (no headers, no service worker): one thread, said on the badge, and training works', { timeout: 10 * 60_000 }, async () => {
  const url = await site({ isolated: false });
  const browser = await launch({ webgpu: false });
  try {
    const context = await browser.newContext({ serviceWorkers: 'block', acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(url);
    await waitForCpu(page);
    assert.equal(await page.evaluate(() => self.crossOriginIsolated), false);
    assert.match(await badge(page), /· one thread: this page is not cross-origin isolated$/);
    assert.equal(await page.getAttribute('#backend', 'data-threads'), '1');
    assert.equal((await trainWine(page)).length, 178);
  } finally {
    await browser.close();
  }
});
