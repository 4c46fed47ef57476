// The subset of the browser tests that also runs in Firefox ESR and WebKitGTK (Safari's
// engine), from Debian's packages: load the page, train the wine sample on the CPU and
// download its clusters, a bad file, time series on the series network, and Cancel. Both engines are driven through one small
// interface (`Engine` below), so the steps are written once; the selectors are those of the
// Chromium tests (app.test.mjs, cancel.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { access, constants, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { startServer, parseCsv } from './helpers.mjs';
import { Session, freePort, startProcess } from './webdriver.mjs';

/**
 * A page in one engine.
 * @typedef {object} Page
 * @property {(url: string) => Promise<void>} goto
 * @property {(fn: Function, ...args: any[]) => Promise<any>} evaluate runs `fn(...args)` in the page
 * @property {(selector: string) => Promise<void>} click
 * @property {(selector: string, value: string) => Promise<void>} select picks an <option> by value
 * @property {(selector: string, value: string) => Promise<void>} fill replaces what an <input> holds, typing `value`
 * @property {(selector: string, path: string) => Promise<void>} setFile chooses a file in an <input type=file>
 * @property {() => Promise<void>} pressEscape
 * @property {(selector: string) => Promise<{name: string, text: string}>} download follows a download link: the file's name and text
 * @property {() => Promise<string[]>} errors uncaught errors seen in the page
 *
 * @typedef {object} Engine
 * @property {string} name
 * @property {() => Promise<{ page: Page, version: string, close: () => Promise<void> }>} launch
 */

async function requireExecutable(path, pkg) {
  try {
    await access(path, constants.X_OK);
  } catch {
    throw new Error(`${path} is missing: install Debian's ${pkg} (./build.sh test installs it)`);
  }
}

// Catches what the page throws, for engines whose driver does not report it (WebDriver
// classic). Installed after each load, so an error thrown while the page's modules load
// shows instead as a page that never becomes ready.
function watchErrors() {
  window.uncaughtErrors = [];
  addEventListener('error', (e) => window.uncaughtErrors.push(e.message));
  addEventListener('unhandledrejection', (e) => window.uncaughtErrors.push(String(e.reason?.message ?? e.reason)));
}

// Keeps each Blob the page makes a blob: URL for, by URL (see webkit's download).
function keepBlobs() {
  window.keptBlobs = new Map();
  const create = URL.createObjectURL;
  URL.createObjectURL = (blob) => {
    const url = create.call(URL, blob);
    window.keptBlobs.set(url, blob);
    return url;
  };
}

/** Waits for a file to appear in `dir`, complete (Firefox writes a .part file first). */
async function downloadedFile(dir, timeout = 30_000) {
  const started = Date.now();
  for (;;) {
    const names = await readdir(dir);
    if (names.length && !names.some((n) => n.endsWith('.part'))) {
      assert.equal(names.length, 1, `one download expected: ${names}`);
      return join(dir, names[0]);
    }
    if (Date.now() - started > timeout) throw new Error(`no download in ${dir} after ${timeout} ms`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

/** Firefox ESR, headless, over WebDriver BiDi (puppeteer-core: it never downloads a browser). */
export const firefox = {
  name: 'Firefox ESR',
  async launch() {
    const executablePath = '/usr/bin/firefox-esr';
    await requireExecutable(executablePath, 'firefox-esr');
    const browser = await puppeteer.launch({ browser: 'firefox', executablePath, headless: true });
    const downloads = await mkdtemp(join(tmpdir(), 'deepclust-firefox-'));
    const context = await browser.createBrowserContext({ downloadBehavior: { policy: 'allow', downloadPath: downloads } });
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    return {
      version: await browser.version(),
      page: {
        async goto(url) {
          pageErrors.length = 0;
          await page.goto(url);
        },
        evaluate: (fn, ...args) => page.evaluate(fn, ...args),
        click: (selector) => page.click(selector),
        select: async (selector, value) => { await page.select(selector, value); },
        fill: (selector, value) => page.locator(selector).fill(value),
        setFile: async (selector, path) => (await page.$(selector)).uploadFile(path),
        pressEscape: () => page.keyboard.press('Escape'),
        async download(selector) {
          for (const name of await readdir(downloads)) await rm(join(downloads, name));
          await page.click(selector);
          const path = await downloadedFile(downloads);
          return { name: basename(path), text: await readFile(path, 'utf8') };
        },
        errors: async () => pageErrors,
      },
      async close() {
        await browser.close();
        await rm(downloads, { recursive: true, force: true });
      },
    };
  },
};

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/**
 * WebKitGTK's MiniBrowser through WebKitWebDriver, on an Xvfb display of its own: WebKitGTK
 * has no headless mode.
 */
export const webkit = {
  name: 'WebKitGTK',
  async launch() {
    await requireExecutable('/usr/bin/WebKitWebDriver', 'webkit2gtk-driver');
    await requireExecutable(MINIBROWSER, 'libwebkit2gtk-4.1-0');
    await requireExecutable('/usr/bin/Xvfb', 'xvfb');
    const xvfb = await startProcess('Xvfb', ['-displayfd', '1', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'],
      { ready: async (out) => /^\d+\n/.test(out) });
    const stops = [xvfb.stop];
    try {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const driver = await startProcess('WebKitWebDriver', [`--port=${port}`], {
        // WebKitGTK takes navigator.language from the process locale, and under C (a build
        // machine's usual locale) it answers 'C', which is no language tag: uPlot's number
        // format then throws and the page's modules stop. A user's desktop has a real locale.
        env: { DISPLAY: `:${xvfb.output().trim()}`, LC_ALL: 'en_US.UTF-8' },
        ready: async () => (await (await fetch(`${base}/status`)).json()).value.ready,
      });
      stops.unshift(driver.stop);
      const session = await Session.create(base, {
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
      });
      stops.unshift(() => session.close().catch(() => {}));
      return {
        version: `MiniBrowser ${session.capabilities.browserVersion}`,
        page: {
          async goto(url) {
            await session.navigate(url);
            await session.execute(watchErrors);
            await session.execute(keepBlobs);
          },
          evaluate: (fn, ...args) => session.execute(fn, ...args),
          click: (selector) => session.click(selector),
          // Element Click on an <option> selects it as a user would, with input and change events.
          select: (selector, value) => session.click(`${selector} option[value="${value}"]`),
          async fill(selector, value) {
            await session.clear(selector);
            await session.sendKeys(selector, value);
          },
          async setFile(selector, path) {
            // Send Keys adds to what an <input multiple> holds: clear it, as a new choice would.
            await session.clear(selector);
            await session.sendKeys(selector, path);
          },
          pressEscape: () => session.pressKey('\uE00C'),
          // WebKitGTK's automation mode saves no download and WebDriver cannot reach one, so the
          // file is read where the click sends the browser: the Blob behind the link's blob:
          // URL, made by the page's own download code (offerFile in state.js) and kept by
          // keepBlobs. The page's CSP (connect-src 'self') rules out fetching the blob: URL.
          async download(selector) {
            await session.click(selector);
            const file = await session.execute(async (s) => {
              const link = document.querySelector(s);
              return { name: link.download, text: await window.keptBlobs.get(link.href)?.text() };
            }, selector);
            assert.equal(typeof file.text, 'string', 'the link points at a Blob the page made');
            return file;
          },
          errors: () => session.execute(() => window.uncaughtErrors ?? []),
        },
        async close() {
          for (const stop of stops) await stop();
        },
      };
    } catch (err) {
      for (const stop of stops) await stop();
      throw err;
    }
  },
};

/** Polls `fn(...args)` in the page until it returns something truthy; returns that. */
async function waitFor(page, fn, { timeout = 30_000, args = [], what = String(fn) } = {}) {
  const started = Date.now();
  for (;;) {
    const value = await page.evaluate(fn, ...args);
    if (value) return value;
    if (Date.now() - started > timeout) throw new Error(`waited ${timeout} ms for ${what}`);
    await new Promise((ok) => setTimeout(ok, 250));
  }
}

const text = (page, selector) => page.evaluate((s) => document.querySelector(s).textContent, selector);
const phase = (page) => page.evaluate(() => document.querySelector('#status').dataset.phase);
const trainEnabled = (page) => page.evaluate(() => !document.querySelector('#train-button').disabled);

async function waitForPhase(page, phases, timeout) {
  await waitFor(page, (w) => w.includes(document.querySelector('#status').dataset.phase),
    { timeout, args: [[].concat(phases)], what: `phase ${phases}` });
  return phase(page);
}

/** The page is up: the method menu is filled from the worker and the badge names a device. */
async function ready(page) {
  await waitFor(page, () => document.querySelector('#method-select').options.length > 0
    && !document.querySelector('#backend').textContent.startsWith('Checking'), { timeout: 60_000, what: 'the page to start its worker' });
}

/** Registers the subset's tests for `engine`, one browser for the file, a fresh load per test. */
export function subset(engine) {
  let app;
  let browser;
  let files;
  before(async () => {
    app = await startServer();
    files = await mkdtemp(join(tmpdir(), 'deepclust-files-'));
    const started = Date.now();
    browser = await engine.launch();
    console.log(`${engine.name}: ${browser.version}, started in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
  after(async () => {
    await browser?.close();
    app?.server.close();
    if (files) await rm(files, { recursive: true, force: true });
  });

  /** Loads the page at `hash`, runs `body(page)`, then checks nothing was thrown in the page. */
  async function withPage(hash, body) {
    const { page } = browser;
    // Through a blank page: a URL that differs from the last only in its hash would not reload.
    await page.goto('about:blank');
    await page.goto(`${app.url}${hash}`);
    await ready(page);
    await body(page);
    assert.deepEqual(await page.errors(), [], 'uncaught errors in the page');
  }

  async function fileOf(name, content) {
    const path = join(files, name);
    await writeFile(path, content);
    return path;
  }

  test(`${engine.name}: the page loads and picks a device`, async () => {
    await withPage('', async (page) => {
      const found = await page.evaluate(() => ({
        gpu: 'gpu' in navigator, isolated: self.crossOriginIsolated, sharedMemory: typeof SharedArrayBuffer === 'function',
      }));
      const badge = await text(page, '#backend');
      console.log(`${engine.name}: navigator.gpu ${found.gpu ? 'present' : 'absent'}, crossOriginIsolated ${found.isolated}, `
        + `SharedArrayBuffer ${found.sharedMemory ? 'present' : 'absent'}; badge: ${badge}`);
      assert.match(badge, found.gpu ? /^(WebGPU|CPU)/ : /^CPU \(this browser offers no WebGPU adapter\)/);
      // Every core where the engine shares memory with its workers; one thread, said why, where not.
      const { threads, cores } = await page.evaluate(() => ({
        threads: document.querySelector('#backend').dataset.threads, cores: navigator.hardwareConcurrency,
      }));
      if (found.isolated && found.sharedMemory && badge.startsWith('CPU')) {
        assert.equal(threads, String(cores), badge);
      } else if (badge.startsWith('CPU')) {
        assert.equal(threads, '1', badge);
        assert.match(badge, /· one thread: /);
      }
      assert.equal(await text(page, '#error'), '');
      assert.equal(await phase(page), 'idle');
    });
  });

  test(`${engine.name}: the wine sample trains on the CPU and its clusters download`, { timeout: 10 * 60 * 1000 }, async () => {
    await withPage('', async (page) => {
      await page.click('#advanced summary');
      await page.select('#device-select', 'cpu');
      await waitFor(page, () => document.querySelector('#backend').textContent.startsWith('CPU'), { what: 'the CPU badge' });
      await page.select('#sample-select', 'wine');
      await waitFor(page, () => !document.querySelector('#train-button').disabled, { timeout: 60_000, what: 'wine to load' });
      assert.equal(await page.evaluate(() => document.querySelector('#k-input').value), '3', 'k defaults to the number of classes');
      const started = Date.now();
      await page.click('#train-button');
      const ended = await waitForPhase(page, ['done', 'error'], 5 * 60 * 1000);
      assert.equal(ended, 'done', `training ended in ${ended}: ${await text(page, '#error')}`);
      console.log(`${engine.name}: wine trained in ${((Date.now() - started) / 1000).toFixed(1)} s; ${await text(page, '#summary')}`);
      assert.match(await text(page, '#backend'), /^CPU/);
      assert.equal(await page.evaluate(() => document.querySelector('#scatter').dataset.points), '178');

      const download = await page.download('#download-csv');
      assert.equal(download.name, 'wine-clusters.csv');
      const { header, rows } = parseCsv(download.text);
      assert.equal(header.length, 16, `wine's 14 columns and 2 more: ${header}`);
      assert.deepEqual(header.slice(-2), ['cluster', 'confidence']);
      assert.equal(rows.length, 178);
      const clusters = new Set(rows.map((r) => r[14]));
      assert.equal(clusters.size, 3, `clusters found: ${[...clusters]}`);
      for (const c of clusters) assert.match(c, /^[0-2]$/);

      // A bad file after a finished run: the message, and the result and file are kept.
      await page.setFile('#file-input', await fileOf('broken.csv', 'a,b\n1,2\n3,4,5\n4,5\n'));
      await waitFor(page, () => document.querySelector('#error').textContent !== '', { what: 'an error message' });
      assert.match(await text(page, '#error'), /^broken\.csv: line 3 has 3 fields.*wine\.csv is still loaded/);
      assert.equal(await page.evaluate(() => document.querySelector('#scatter').dataset.points), '178');
      assert.equal(await phase(page), 'done');
      assert.equal(await trainEnabled(page), true);
    });
  });

  test(`${engine.name}: a bad file is refused with the page's message, and a good one then trains`, { timeout: 5 * 60 * 1000 }, async () => {
    await withPage('#method=kmeans&k=2&device=cpu', async (page) => {
      await page.setFile('#file-input', await fileOf('notes.txt', 'Dear team,\nthe meeting moved to Friday.\nBest wishes\n'));
      await waitFor(page, () => document.querySelector('#error').textContent !== '', { what: 'an error message' });
      const message = await text(page, '#error');
      assert.match(message, /^notes\.txt: .*does not look like a table/, message);
      assert.equal(await trainEnabled(page), false, 'nothing to train yet');
      assert.equal(await phase(page), 'idle');

      await page.setFile('#file-input', await fileOf('good.csv', 'a,b\n0,0\n0.1,0.2\n0.2,0\n5,5\n5.1,5.2\n5.2,5\n'));
      await waitFor(page, () => !document.querySelector('#train-button').disabled, { what: 'good.csv to load' });
      assert.equal(await text(page, '#error'), '', 'a good file clears the error');
      await page.click('#train-button');
      assert.equal(await waitForPhase(page, ['done', 'error'], 60_000), 'done', await text(page, '#error'));
      assert.equal(await page.evaluate(() => document.querySelector('#scatter').dataset.points), '6');
    });
  });

  test(`${engine.name}: time series in the UCR archive's own layout train on the series network`, { timeout: 5 * 60 * 1000 }, async () => {
    await withPage('#method=dec&k=2&device=cpu&epochs=3', async (page) => {
      // Twelve rises and falls, a class then 32 values a line, tab-separated.
      const lines = Array.from({ length: 12 }, (_, i) => {
        const up = i % 2 === 0;
        const values = Array.from({ length: 32 }, (_, t) => ((up ? t : 31 - t) / 31 + ((i * 7 + t) % 5) / 50).toFixed(3));
        return `${up ? 1 : 2}\t${values.join('\t')}`;
      });
      await page.setFile('#file-input', await fileOf('Slopes_TRAIN.tsv', `${lines.join('\n')}\n`));
      await waitFor(page, () => /12 series/.test(document.querySelector('#file-info').textContent), { what: 'the series to load' });
      assert.match(await text(page, '#file-info'), /12 series, 1 channel × 32 points, 2 known classes/);
      await page.click('#train-button');
      assert.equal(await waitForPhase(page, ['done', 'error'], 120_000), 'done', await text(page, '#error'));
      assert.equal(await page.evaluate(() => document.querySelector('#scatter').dataset.points), '12');
    });
  });

  test(`${engine.name}: Cancel stops a long run and the page trains again`, { timeout: 10 * 60 * 1000 }, async () => {
    await withPage('#sample=digits&method=dec&k=10&epochs=300&device=cpu', async (page) => {
      await waitFor(page, () => !document.querySelector('#train-button').disabled, { timeout: 60_000, what: 'digits to load' });
      await page.click('#train-button');
      await waitForPhase(page, 'pretrain', 30_000);
      await waitFor(page, () => document.querySelector('#progress').value > 0, { timeout: 60_000, what: 'pretraining progress' });
      await page.pressEscape();
      assert.equal(await waitForPhase(page, 'cancelled', 10_000), 'cancelled');
      assert.equal(await page.evaluate(() => document.querySelector('#cancel-button').disabled), true);
      assert.equal(await trainEnabled(page), true);

      // And the next run, on the fresh worker, finishes: a short one.
      await waitFor(page, () => !document.querySelector('#backend').textContent.startsWith('Checking'), { what: 'the fresh worker' });
      await page.click('#advanced summary');
      await page.fill('#epochs-input', '2');
      await page.click('#train-button');
      assert.equal(await waitForPhase(page, ['done', 'error'], 5 * 60 * 1000), 'done', await text(page, '#error'));
      assert.equal(await page.evaluate(() => document.querySelector('#scatter').dataset.points), '1797');
    });
  });
}
