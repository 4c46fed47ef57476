// Shared pieces of the browser tests: a server for www/, Chromium with or without WebGPU,
// and real user actions (drop a file, read the download).
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { access, open, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './static-server.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DATA = join(ROOT, '..', 'shared', 'data');

export async function startServer() {
  const server = await serve(join(ROOT, 'www'));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

/**
 * Serves www/ for the tests of one file: started before them, stopped after. The returned
 * object's `url` is set once the server is up.
 */
export function serveForTests() {
  const app = { url: null };
  let server;
  before(async () => { ({ server, url: app.url } = await startServer()); });
  after(() => server?.close());
  return app;
}

/**
 * Flags from DEEPCLUST_CHROMIUM_ARGS (separated by spaces) for WebGPU launches: on a machine
 * with a GPU, the Vulkan flags that give WebGPU the real adapter (bench/gpu-machine.sh).
 */
export const envChromiumArgs = () => (process.env.DEEPCLUST_CHROMIUM_ARGS ?? '').split(/\s+/).filter(Boolean);

/**
 * Headless Chromium; `webgpu` adds the flag that exposes its SwiftShader WebGPU adapter, and
 * `extraArgs` (default: DEEPCLUST_CHROMIUM_ARGS) to that. DEEPCLUST_CHROMIUM names another
 * executable than /usr/bin/chromium.
 */
export function launch({ webgpu, extraArgs = envChromiumArgs() }) {
  const args = ['--no-sandbox', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'];
  if (webgpu) args.push('--enable-unsafe-webgpu', ...extraArgs);
  return chromium.launch({ executablePath: process.env.DEEPCLUST_CHROMIUM || '/usr/bin/chromium', headless: true, args });
}

/**
 * Opens the app in a fresh browser, runs `body(page)`, then checks that no uncaught error
 * reached the page and closes the browser whatever happened. Returns what `body` returned.
 */
export async function withApp({ webgpu, url }, body) {
  const browser = await launch({ webgpu });
  try {
    const page = await browser.newPage({ acceptDownloads: true });
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(url);
    const result = await body(page);
    if (pageErrors.length) throw new Error(`uncaught errors in the page: ${pageErrors.join('; ')}`);
    return result;
  } finally {
    await browser.close();
  }
}

/**
 * Waits until picked files have loaded (Train enabled) or the page refused them; returns the
 * page's error text, '' when they loaded. For big sets, where both can take minutes.
 */
export async function waitForLoaded(page, timeout) {
  await page.waitForFunction(
    () => !document.querySelector('#train-button').disabled || document.querySelector('#error').textContent,
    null, { timeout, polling: 500 });
  return page.textContent('#error');
}

export const exists = (path) => access(path).then(() => true, () => false);

/** Writes `head` and extends the file to `length` bytes of zeros without writing them: a huge
 * file for the size checks that costs no disk. */
export async function sparseFile(path, length, head = Buffer.alloc(0)) {
  const handle = await open(path, 'w');
  try {
    await handle.write(head);
    await handle.truncate(length);
  } finally {
    await handle.close();
  }
}

/** Drops a file on #drop-zone with a real `drop` event carrying a DataTransfer. */
export async function dropFile(page, name, content, type = 'text/csv') {
  const dataTransfer = await page.evaluateHandle(({ name, content, type }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([content], name, { type }));
    return dt;
  }, { name, content, type });
  await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer });
}

/** Clicks the scatter plot's first point, where the page drew it. */
export async function clickFirstPoint(page) {
  const position = await page.$eval('#scatter canvas', (c) => {
    const v = c.parentElement.view;
    const xy = c.parentElement.lastXY;
    const r = c.getBoundingClientRect();
    const x = v.pad + (xy[0] - v.minX) * v.sx;
    const y = v.height - v.pad - (xy[1] - v.minY) * v.sy;
    return { x: x * r.width / c.width, y: y * r.height / c.height };
  });
  await page.click('#scatter canvas', { position });
}

export async function waitForPhase(page, phases, timeout) {
  const wanted = [].concat(phases);
  await page.waitForFunction(
    (w) => w.includes(document.querySelector('#status').dataset.phase),
    wanted, { timeout, polling: 250 });
  return page.$eval('#status', (s) => s.dataset.phase);
}

export async function downloadText(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
  return readFile(await download.path(), 'utf8');
}

export async function readShared(relative) {
  try {
    return await readFile(join(SHARED_DATA, relative), 'utf8');
  } catch {
    return null;
  }
}

export function parseCsv(text) {
  const lines = text.trim().split(/\r?\n/);
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}
