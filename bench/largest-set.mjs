// How many 28 × 28 images fit in the page with the default settings: for each size, an IDX
// file of that many MNIST digits (the 70,000 repeated as needed) is picked on the page's file
// input, Train is pressed, and the run is cancelled once pretraining has taken its first steps.
// With --through-init it trains one pretraining epoch and is cancelled once refinement has
// started, so the k-means initialisation over every row's embedding is inside the measure (a
// wasm module's memory only grows, so the figure is the peak so far).
// Prints, per size, whether loading and training started, the worker's wasm memory and the
// page's heap, or the error the page showed.
//
//   node bench/largest-set.mjs [--sizes 70000,140000,280000,420000,540000,684784,700000] [--webgpu] [--through-init]
//
// Needs the wasm build (./build.sh) and ../shared/data/mnist (DEEPCLUST_DATA overrides).
import { parseArgs } from 'node:util';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, waitForLoaded, SHARED_DATA } from '../tests/e2e/helpers.mjs';

const { values } = parseArgs({ options: {
  sizes: { type: 'string', default: '70000,140000,280000,420000,540000,684784,700000' },
  webgpu: { type: 'boolean', default: false },
  'through-init': { type: 'boolean', default: false },
} });
const throughInit = values['through-init'];
const DATA = process.env.DEEPCLUST_DATA ?? SHARED_DATA;
const PIXELS = 28 * 28;

const mnist = async (name) => gunzipSync(await readFile(join(DATA, 'mnist', name)));
const [trainImages, testImages] = await Promise.all([mnist('train-images-idx3-ubyte.gz'), mnist('t10k-images-idx3-ubyte.gz')]);
const all = Buffer.concat([trainImages.subarray(16), testImages.subarray(16)]);
const available = all.length / PIXELS;

/** An uncompressed IDX images file of `n` digits, cycling through the 70,000. */
function idxImages(n) {
  const out = Buffer.alloc(16 + n * PIXELS);
  out.writeUInt32BE(2051, 0);
  out.writeUInt32BE(n, 4);
  out.writeUInt32BE(28, 8);
  out.writeUInt32BE(28, 12);
  for (let done = 0; done < n; done += available) {
    const take = Math.min(available, n - done);
    all.copy(out, 16 + done * PIXELS, 0, take * PIXELS);
  }
  return out;
}

const mb = (b) => `${(b / 2 ** 20).toFixed(0)} MB`;
const { server, url } = await startServer();
const work = await mkdtemp(join(tmpdir(), 'deepclust-largest-'));
try {
  for (const n of values.sizes.split(',').map(Number)) {
    const file = join(work, `digits${n}-images-idx3-ubyte`);
    await writeFile(file, idxImages(n));
    const browser = await launch({ webgpu: values.webgpu });
    const started = performance.now();
    try {
      const page = await browser.newPage();
      const crashed = new Promise((resolve) => page.on('crash', () => resolve('the page crashed')));
      await page.goto(url);
      await page.setInputFiles('#file-input', file);
      // '' when the page got there, else the page's error or the crash.
      let failure = await Promise.race([waitForLoaded(page, 10 * 60_000), crashed]);
      if (!failure) {
        const loadedS = (performance.now() - started) / 1000;
        if (throughInit) {
          await page.$eval('#advanced', (d) => { d.open = true; });
          await page.fill('#epochs-input', '1');
        }
        await page.click('#train-button');
        const training = page.waitForFunction((init) => (init
          ? document.querySelector('#status').dataset.phase === 'refine'
          : document.querySelector('#progress').value > 0) || document.querySelector('#error').textContent,
        throughInit, { timeout: 60 * 60_000, polling: 500 }).then(() => page.textContent('#error'));
        failure = await Promise.race([training, crashed]);
        if (!failure) {
          const wasm = await page.$eval('#status', (s) => Number(s.dataset.wasmMemory));
          const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
          const status = (await page.textContent('#status-text')).trim();
          const at = throughInit ? `refining after ${((performance.now() - started) / 1000).toFixed(0)} s` : 'training';
          console.log(`${String(n).padStart(7)} images: loaded in ${loadedS.toFixed(0)} s, ${at}; worker wasm memory ${mb(wasm)}, page heap ${mb(heap)} (${status.slice(0, 80)})`);
          await page.click('#cancel-button');
        }
      }
      if (failure) console.log(`${String(n).padStart(7)} images: FAILED: ${failure}`);
    } catch (e) {
      console.log(`${String(n).padStart(7)} images: FAILED: ${e.message.split('\n')[0]}`);
    } finally {
      await browser.close();
      await rm(file, { force: true });
    }
  }
} finally {
  server.close();
  await rm(work, { recursive: true, force: true });
}
