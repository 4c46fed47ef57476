// Time from navigation to a page ready for data (the worker's module loaded: the device badge
// set, the method menu filled), on a first visit and on a repeat visit, over a slow link: the
// server paces every response, the workers' downloads included (Chromium's own network
// emulation does not reach a worker's fetches). Served as ./build.sh serve serves: gzip,
// validators, the isolation headers. Prints one line per visit with the bytes sent.
//   node bench/load-time.mjs [--mbit 20] [--latency-ms 20] [--device cpu|auto] [--webgpu]
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { launch, ROOT } from '../tests/e2e/helpers.mjs';
import { serve } from '../tests/e2e/static-server.mjs';

const { values } = parseArgs({ options: {
  mbit: { type: 'string', default: '20' },
  'latency-ms': { type: 'string', default: '20' },
  device: { type: 'string', default: 'auto' },
  webgpu: { type: 'boolean', default: false },
} });

// The service worker's list (www/precache.js, written by ./build.sh).
const stored = JSON.parse(/self\.PRECACHE = (\[[\s\S]*?\]);/.exec(await readFile(join(ROOT, 'www', 'precache.js'), 'utf8'))[1]).length;
const link = { bytesPerSecond: (Number(values.mbit) * 1e6) / 8, latencyMs: Number(values['latency-ms']) };
const server = await serve(join(ROOT, 'www'), 0, { link });
let bytes = 0;
server.on('request', (req, res) => {
  const write = res.write.bind(res);
  res.write = (chunk, ...rest) => { bytes += chunk.length; return write(chunk, ...rest); };
});
const url = `http://127.0.0.1:${server.address().port}/#device=${values.device}`;
const browser = await launch({ webgpu: values.webgpu });
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const visit of ['first', 'repeat']) {
    bytes = 0;
    const t0 = Date.now();
    if (visit === 'first') await page.goto(url); else await page.reload();
    await page.waitForFunction(() => {
      const badge = document.querySelector('#backend').textContent;
      return !badge.startsWith('Checking') && document.querySelector('#method-select')?.options.length > 0;
    }, null, { timeout: 10 * 60_000, polling: 50 });
    const ms = Date.now() - t0;
    const badge = await page.textContent('#backend');
    console.log(`load visit=${visit} link=${values.mbit}Mbit/s latency=${values['latency-ms']}ms ready_ms=${ms} bytes_sent=${bytes} badge="${badge}"`);
    // The service worker stores every file after the first load (both builds, for offline
    // use): the repeat visit comes once it has.
    if (visit === 'first') {
      await page.evaluate(() => navigator.serviceWorker.ready);
      const t1 = Date.now();
      await page.waitForFunction(async (n) => (await (await caches.open('deepclust-v1')).keys()).length >= n, stored, { timeout: 10 * 60_000, polling: 500 });
      console.log(`load offline-copy stored_ms=${Date.now() - t1 + ms} bytes_sent=${bytes}`);
    }
  }
} finally {
  await browser.close();
  server.close();
}
