// Images in the browser: a folder of pictures with labels.csv and one corrupt file, and
// MNIST-style IDX files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, link, mkdir, mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, withApp, waitForPhase, waitForLoaded, downloadText, parseCsv, exists, sparseFile, clickFirstPoint, SHARED_DATA } from './helpers.mjs';

let server;
let url;
let coil = null;   // a copy of the COIL-20 folder with a corrupt PNG added
let tmp;

// A 1 × 1 red PNG.
const TINY_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

before(async () => {
  ({ server, url } = await startServer());
  if (await exists(join(SHARED_DATA, 'coil20', 'labels.csv'))) {
    tmp = await mkdtemp(join(tmpdir(), 'deepclust-e2e-'));
    coil = join(tmp, 'coil20');
    await cp(join(SHARED_DATA, 'coil20'), coil, { recursive: true });
    await writeFile(join(coil, 'broken.png'), 'this is not a PNG');
  }
});
after(async () => {
  server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('a folder of COIL-20 images: labels found, corrupt file skipped, galleries per cluster', { timeout: 20 * 60 * 1000 }, async (t) => {
  if (!coil) return t.skip('../shared/data/coil20 is absent');
  await withApp({ webgpu: false, url }, async (page) => {
    // 28 × 28 and a short pretraining keep this CPU run to a couple of minutes.
    await page.selectOption('#side-select', '28');
    await page.setInputFiles('#folder-input', coil);
    await page.waitForFunction(() => !document.querySelector('#train-button').disabled, null, { timeout: 120_000 });
    const info = await page.textContent('#file-info');
    assert.match(info, /1440 images, 28 × 28 grayscale, 20 known classes/, info);
    const skipped = await page.$$eval('#skipped-files li', (lis) => lis.map((li) => li.textContent));
    assert.equal(skipped.length, 1, skipped.join('; '));
    assert.match(skipped[0], /^coil20\/broken\.png: not a readable image/);
    assert.equal(await page.$eval('#k-input', (e) => e.value), '20');
    assert.equal(await page.$eval('#method-select', (e) => e.value), 'n2d', 'N2D by default for pictures');
    await page.selectOption('#method-select', 'dec');
    await page.click('#advanced summary');
    await page.fill('#epochs-input', '40');
    // The pixel divisor is checked, and the one given is the one the model keeps (below).
    await page.fill('#pixel-divisor-input', '-1');
    await page.click('#train-button');
    await page.waitForFunction(() => document.querySelector('#error').textContent.includes('Divide pixels by'));
    assert.equal(await page.isDisabled('#train-button'), false, 'the page stays usable');
    await page.fill('#pixel-divisor-input', '50');
    await page.click('#train-button');
    const phase = await waitForPhase(page, ['done', 'error'], 15 * 60 * 1000);
    assert.equal(phase, 'done', await page.textContent('#error'));

    const galleries = await page.$$eval('#gallery .cluster-gallery', (gs) => gs.map((g) => g.querySelectorAll('img').length));
    const sizes = await page.$$eval('#gallery .cluster-gallery h4', (hs) => hs.map((h) => Number(/(\d+) image/.exec(h.textContent)[1])));
    assert.ok(galleries.length >= 15, `${galleries.length} non-empty clusters have a gallery`);
    assert.equal(sizes.reduce((a, b) => a + b, 0), 1440, 'every image is in one gallery');
    assert.ok(galleries.every((n) => n > 0), 'each gallery shows thumbnails');
    const acc = Number(await page.getAttribute('#metrics', 'data-acc'));
    const nmi = Number(await page.getAttribute('#metrics', 'data-nmi'));
    console.log(`COIL-20 in the browser (CPU, DEC, 28×28, 40 pretraining epochs, pixels / 50): ACC ${acc.toFixed(3)} NMI ${nmi.toFixed(3)}`);
    assert.ok(acc > 0.3, `ACC ${acc}: chance is 0.05`);

    const { header, rows } = parseCsv(await downloadText(page));
    assert.deepEqual(header, ['file', 'cluster', 'confidence']);
    assert.equal(rows.length, 1440);
    assert.ok(rows.every((r) => r[0].startsWith('coil20/obj')), rows[0].join(','));

    // Clicking a point shows its image and name.
    await clickFirstPoint(page);
    assert.match(await page.textContent('#point-preview'), /coil20\/obj.*cluster \d+/);

    // The saved model places new pictures in the browser, sized and coloured like its
    // training images: the same files get the same clusters; an unreadable one is named.
    const trained = new Map(rows.map((r) => [r[0].split('/').pop(), r[1]]));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-model')]);
    const model = await readFile(await download.path());
    assert.match(model.toString('latin1'), /\nimage 1 28\npixel_divisor 50\n/, 'the model divides pixels as in training');
    await page.setInputFiles('#load-model', { name: 'coil.model', mimeType: 'application/octet-stream', buffer: model });
    await page.waitForFunction(() => /new images/.test(document.querySelector('#model-info').textContent));
    const picked = ['obj1__0.png', 'obj5__10.png', 'obj12__35.png', 'obj20__71.png', 'broken.png'];
    const files = await Promise.all(picked.map(async (f) => ({ name: f, mimeType: 'image/png', buffer: await readFile(join(coil, f)) })));
    await page.setInputFiles('#predict-input', [...files, { name: 'readme.txt', mimeType: 'text/plain', buffer: Buffer.from('notes') }]);
    await page.waitForSelector('#predict-download:not([hidden])', { timeout: 60_000 });
    assert.match(await page.textContent('#predict-summary'), /^4 images placed.*1 file could not be read: broken\.png.*Not pictures, left out: readme\.txt\./);
    const [pd] = await Promise.all([page.waitForEvent('download'), page.click('#predict-download')]);
    const placed = parseCsv(await readFile(await pd.path(), 'utf8'));
    assert.deepEqual(placed.header, ['file', 'cluster', 'confidence']);
    for (const r of placed.rows) assert.equal(r[1], trained.get(r[0]), `${r[0]}: same cluster as in training`);
    assert.equal(placed.rows.length, 4);
  });
});

test('a picture\'s size and colour read the dropped pictures again, and are hidden for tables', { timeout: 3 * 60 * 1000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'deepclust-sizes-'));
  try {
    await mkdir(join(dir, 'dots'));
    for (let i = 0; i < 6; i++) await writeFile(join(dir, 'dots', `dot${i}.png`), Buffer.from(TINY_PNG, 'base64'));
    await withApp({ webgpu: false, url }, async (page) => {
      assert.equal(await page.isVisible('#image-options'), true, 'shown before anything is loaded');
      await page.setInputFiles('#folder-input', join(dir, 'dots'));
      await page.waitForFunction(() => /6 images/.test(document.querySelector('#file-info').textContent));
      await page.selectOption('#side-select', '32');
      await page.waitForFunction(() => /6 images, 32 × 32/.test(document.querySelector('#file-info').textContent));
      await page.selectOption('#colour-select', 'rgb');
      await page.waitForFunction(() => /6 images, 32 × 32 colour/.test(document.querySelector('#file-info').textContent));
      assert.equal(await waitForLoaded(page, 30_000), '');
      // A folder that cannot be read, chosen at 64: refused, the menus back at the loaded
      // pictures' size, which a new choice then reads again.
      await mkdir(join(dir, 'broken'));
      await writeFile(join(dir, 'broken', 'a.png'), 'not a picture');
      await page.selectOption('#side-select', '64');
      await page.waitForFunction(() => /6 images, 64 × 64 colour/.test(document.querySelector('#file-info').textContent));
      await page.setInputFiles('#folder-input', join(dir, 'broken'));
      await page.waitForFunction(() => /dots is still loaded/.test(document.querySelector('#error').textContent));
      assert.equal(await page.$eval('#side-select', (e) => e.value), '64');
      await page.selectOption('#side-select', '28');
      await page.waitForFunction(() => /dots: 6 images, 28 × 28 colour/.test(document.querySelector('#file-info').textContent));
      await page.selectOption('#sample-select', 'iris');
      await page.waitForFunction(() => /150 rows/.test(document.querySelector('#file-info').textContent));
      assert.equal(await page.isVisible('#image-options'), false, 'a table has no picture size');
      // Changed now (by a script; they are hidden), they read no pictures: the table stays.
      const phase = await page.evaluate(() => {
        const side = document.querySelector('#side-select');
        side.value = '64';
        side.dispatchEvent(new Event('change'));
        return document.querySelector('#status').dataset.phase;
      });
      assert.notEqual(phase, 'loading');
      assert.match(await page.textContent('#file-info'), /150 rows/);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a folder of more pictures than a tab can train on is refused before it is decoded', { timeout: 5 * 60 * 1000 }, async () => {
  // 43,691 colour 64 × 64 pictures are one more than fit (src/data/capacity.rs); hard links
  // to one small PNG keep the folder cheap.
  const dir = await mkdtemp(join(tmpdir(), 'deepclust-many-'));
  try {
    const many = join(dir, 'many');
    await mkdir(many);
    await writeFile(join(many, 'p0.png'), Buffer.from(TINY_PNG, 'base64'));
    for (let i = 1; i < 43_691; i++) await link(join(many, 'p0.png'), join(many, `p${i}.png`));
    await withApp({ webgpu: false, url }, async (page) => {
      await page.selectOption('#side-select', '64');
      await page.selectOption('#colour-select', 'rgb');
      await page.setInputFiles('#folder-input', many);
      await page.waitForFunction(() => document.querySelector('#error').textContent !== '', null, { timeout: 4 * 60_000 });
      const error = await page.textContent('#error');
      assert.match(error, /^many: 43,691 images of 64×64 in colour are more than a browser tab can train on: their pixel values take 2,049 MB.*up to about 43,690 images of this size\. Use a subset or a smaller image size/, error);
      // Refused before decoding: the status never counted past the size sample.
      assert.doesNotMatch(await page.textContent('#status-text'), /Reading images: [1-9]\d{3,} of/);
      assert.equal(await page.isDisabled('#folder-button'), false, 'the page takes another drop');
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('MNIST-style IDX files train and fill galleries', { timeout: 10 * 60 * 1000 }, async (t) => {
  const dir = join(SHARED_DATA, 'mnist');
  if (!await exists(join(dir, 't10k-images-idx3-ubyte.gz'))) return t.skip('../shared/data/mnist is absent');
  await withApp({ webgpu: false, url }, async (page) => {
    await page.setInputFiles('#file-input', [join(dir, 't10k-images-idx3-ubyte.gz'), join(dir, 't10k-labels-idx1-ubyte.gz')]);
    await page.waitForFunction(() => !document.querySelector('#train-button').disabled, null, { timeout: 60_000 });
    assert.match(await page.textContent('#file-info'), /10000 images, 28 × 28 grayscale, 10 known classes/);
    // The baseline is quick on 10,000 images and still exercises galleries and metrics.
    await page.selectOption('#method-select', 'kmeans');
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 5 * 60 * 1000), 'done', await page.textContent('#error'));
    assert.equal(await page.$$eval('#gallery .cluster-gallery', (gs) => gs.length), 10);
    const acc = Number(await page.getAttribute('#metrics', 'data-acc'));
    assert.ok(acc > 0.4, `k-means on MNIST pixels: ACC ${acc}`);

    // A damaged IDX file is refused with a clear message and the loaded set stays.
    const bytes = await readFile(join(dir, 't10k-labels-idx1-ubyte.gz'));
    const bad = join(tmpdir(), 'bad-images-idx3-ubyte');
    await writeFile(bad, bytes.subarray(0, 100));
    await page.setInputFiles('#file-input', bad);
    await page.waitForFunction(() => document.querySelector('#error').textContent !== '');
    assert.match(await page.textContent('#error'), /bad-images-idx3-ubyte: .*(not an IDX images file|gzip)/);
    assert.equal(await page.$$eval('#gallery .cluster-gallery', (gs) => gs.length), 10, 'results kept');
    await rm(bad, { force: true });

    // More digits than a tab can train on are refused from the header's count, saying how
    // many fit (a sparse file: 700,000 images of zeros, 549 MB on paper; 684,784 is the most,
    // src/data/capacity.rs).
    const huge = join(tmpdir(), 'digits700000-images-idx3-ubyte');
    const header = Buffer.alloc(16);
    [2051, 700_000, 28, 28].forEach((v, i) => header.writeUInt32BE(v, 4 * i));
    await sparseFile(huge, 16 + 700_000 * 28 * 28, header);
    try {
      await page.setInputFiles('#file-input', huge);
      await page.waitForFunction(() => document.querySelector('#error').textContent.includes('digits700000'), null, { timeout: 2 * 60_000 });
      assert.match(await page.textContent('#error'),
        /digits700000-images-idx3-ubyte: 700,000 images of 28×28 are more than a browser tab can train on: their pixel values take 2,094 MB.*at most 2,048 MB.*up to about 684,784 images.*no such limit\. t10k-images-idx3-ubyte\.gz is still loaded\./);
      assert.doesNotMatch(await page.textContent('#error'), /internal error/, 'refused, not crashed');
      assert.equal(await page.$$eval('#gallery .cluster-gallery', (gs) => gs.length), 10, 'results kept');
      assert.equal(await page.isDisabled('#train-button'), false, 'the loaded set can still be trained');
    } finally {
      await rm(huge, { force: true });
    }

    // Two files that each fit but not together are refused as a pair, counted together.
    const halves = [1, 2].map((i) => join(tmpdir(), `half${i}-images-idx3-ubyte`));
    const halfHeader = Buffer.alloc(16);
    [2051, 400_000, 28, 28].forEach((v, i) => halfHeader.writeUInt32BE(v, 4 * i));
    for (const half of halves) await sparseFile(half, 16 + 400_000 * 28 * 28, halfHeader);
    try {
      await page.setInputFiles('#file-input', halves);
      await page.waitForFunction(() => document.querySelector('#error').textContent.includes('800,000'), null, { timeout: 2 * 60_000 });
      assert.match(await page.textContent('#error'), /800,000 images of 28×28 are more than a browser tab can train on.*up to about 684,784/);
      assert.equal(await page.$$eval('#gallery .cluster-gallery', (gs) => gs.length), 10, 'results kept');
      assert.equal(await page.isDisabled('#train-button'), false, 'the loaded set can still be trained');
    } finally {
      await Promise.all(halves.map((half) => rm(half, { force: true })));
    }
  });
});

test('all 70,000 MNIST digits (train + test files) fit in the page and start training', { timeout: 10 * 60 * 1000 }, async (t) => {
  const dir = join(SHARED_DATA, 'mnist');
  if (!await exists(join(dir, 'train-images-idx3-ubyte.gz'))) return t.skip('../shared/data/mnist is absent');
  await withApp({ webgpu: false, url }, async (page) => {
    const files = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];
    await page.setInputFiles('#file-input', files.map((f) => join(dir, f)));
    assert.equal(await waitForLoaded(page, 5 * 60 * 1000), '');
    assert.match(await page.textContent('#file-info'), /70000 images, 28 × 28 grayscale, 10 known classes/);
    // The full schedule takes hours on the CPU; that training runs at all with the paper's
    // network on 70,000 rows shows the data and the model fit in memory.
    await page.click('#train-button');
    await page.waitForFunction(() => /Pretraining.*loss/.test(document.querySelector('#status-text').textContent) || document.querySelector('#error').textContent,
      null, { timeout: 5 * 60 * 1000, polling: 500 });
    assert.equal(await page.textContent('#error'), '');
    const memory = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
    console.log(`MNIST-70k loaded and training; page heap ${(memory / 1e6).toFixed(0)} MB (the worker's wasm memory is separate)`);
    await page.click('#cancel-button');
    assert.equal(await waitForPhase(page, 'cancelled', 10_000), 'cancelled');
  });
});
