// The browser library as another site would use it: `npm pack` in www/lib, the tarball
// installed into an empty folder (offline: it has no dependencies), and a plain page there that
// imports it from node_modules with <script type="module">, no bundler. It clusters three
// well-separated blobs, saves and reloads the model, is aborted, and refuses bad input with
// the Rust side's message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, launch, exists } from './helpers.mjs';
import { serve } from './static-server.mjs';

const run = promisify(execFile);
const LIB = join(ROOT, 'www', 'lib');

let dir;
let server;
let url;

// Three blobs of 40 points in 2 columns, 20 apart, spread ±1: row i is in blob i % 3.
const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>deepclust library test</title>
<script type="module">
import { cluster, methods, loadModel, Session } from './node_modules/deepclust/deepclust.js';
const rows = 120;
const cols = 2;
const centres = [[0, 0], [20, 20], [-20, 20]];
const data = new Float32Array(rows * cols);
for (let i = 0; i < rows; i++) {
  data[2 * i] = centres[i % 3][0] + Math.sin(i * 12.9898) % 1;
  data[2 * i + 1] = centres[i % 3][1] + Math.cos(i * 78.233) % 1;
}
const outcome = (promise) => promise.then((value) => ({ value }), (error) => ({ error: { name: error.name, message: error.message } }));
window.blobs = { data, rows, cols };
window.lib = { cluster, methods, loadModel, Session, outcome };
window.ready = true;
</script>`;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deepclust-lib-'));
  assert.ok(await exists(join(LIB, 'pkg', 'deepclust_bg.wasm')), 'www/lib/pkg holds no wasm package: run ./build.sh first');
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: LIB });
  const [{ filename, files }] = JSON.parse(stdout);
  const packed = files.map((f) => f.path).sort();
  for (const wanted of ['deepclust.js', 'protocol.js', 'modules.js', 'worker.js', 'pkg/deepclust.js', 'pkg/deepclust_bg.wasm', 'pkg-mt/deepclust.js', 'pkg-mt/deepclust_bg.wasm', 'package.json']) {
    assert.ok(packed.includes(wanted), `the tarball holds ${wanted}: ${packed.join(', ')}`);
  }
  const site = join(dir, 'site');
  await mkdir(site);
  await writeFile(join(site, 'package.json'), '{ "private": true }\n');
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', join(dir, filename)], { cwd: site });
  await writeFile(join(site, 'index.html'), PAGE);
  server = await serve(site);
  url = `http://127.0.0.1:${server.address().port}/`;
});
after(async () => {
  server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function withPage(body) {
  const browser = await launch({ webgpu: false });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => window.ready === true, null, { timeout: 30_000 });
    await body(page);
    assert.deepEqual(errors, [], 'no uncaught errors in the page');
  } finally {
    await browser.close();
  }
}

test('the packed library clusters three blobs from a plain page', { timeout: 5 * 60 * 1000 }, async () => {
  await withPage(async (page) => {
    const registry = await page.evaluate(async () => (await window.lib.methods()).map((m) => m.name));
    assert.ok(registry.includes('dec') && registry.includes('kmeans'), `methods(): ${registry}`);

    const r = await page.evaluate(async () => {
      const { cluster } = window.lib;
      const { data, rows, cols } = window.blobs;
      const progress = [];
      const result = await cluster({ data, rows, cols }, { method: 'kmeans', k: 3, seed: 42, device: 'cpu', onProgress: (p) => progress.push(p.phase) });
      const model = await result.model();
      return {
        labels: Array.from(result.labels), labelsType: result.labels.constructor.name,
        confidence: result.confidence.length, confidenceType: result.confidence.constructor.name,
        embedding: result.embedding.length, dims: result.dims, backend: result.backend,
        modelType: model.constructor.name, modelBytes: model.length, progress,
      };
    });
    assert.equal(r.labelsType, 'Int32Array');
    assert.equal(r.labels.length, 120);
    // Each blob is one cluster, and the three clusters differ.
    const byBlob = [0, 1, 2].map((b) => new Set(r.labels.filter((_, i) => i % 3 === b)));
    for (const [b, set] of byBlob.entries()) assert.equal(set.size, 1, `blob ${b} is split: ${[...set]}`);
    assert.equal(new Set(byBlob.map((s) => [...s][0])).size, 3, 'three different clusters');
    assert.equal(r.confidenceType, 'Float32Array');
    assert.equal(r.confidence, 120);
    assert.ok(r.dims >= 1, `dims ${r.dims}`);
    assert.equal(r.embedding, 120 * r.dims);
    assert.match(r.backend, /^CPU/);
    assert.equal(r.modelType, 'Uint8Array');
    assert.ok(r.modelBytes > 0);
    assert.ok(r.progress.length > 0, 'onProgress heard the run');

    // DEC, a few epochs: the model it saves places the same rows in the same clusters.
    const dec = await page.evaluate(async () => {
      const { cluster, loadModel } = window.lib;
      const { data, rows, cols } = window.blobs;
      const result = await cluster({ data, rows, cols }, { method: 'dec', k: 3, epochs: 5, device: 'cpu' });
      const model = await loadModel(await result.model(), { device: 'cpu' });
      const placed = await model.predict({ data, rows, cols });
      model.close();
      return { labels: Array.from(result.labels), dims: result.dims, embedding: result.embedding.length, placed: Array.from(placed.labels), k: model.k, method: model.method };
    });
    assert.equal(dec.labels.length, 120);
    assert.equal(dec.embedding, 120 * dec.dims);
    assert.equal(dec.method, 'dec');
    assert.equal(dec.k, 3);
    assert.deepEqual(dec.placed, dec.labels, 'the loaded model gives every row its cluster');

    // A table as people keep them: missing cells, a text column, an id; roles and profiles.
    const table = await page.evaluate(async () => {
      const { cluster, loadModel } = window.lib;
      let csv = 'id,size,colour,kind\n';
      for (let i = 0; i < 30; i++) {
        const g = i % 3;
        csv += `r${i},${i % 7 === 3 ? 'NA' : 10 * g + (i % 4) / 4},${['red', 'green', 'blue'][g]},${['a', 'b', 'c'][g]}\n`;
      }
      const result = await cluster({ csv, labelColumn: 'kind', roles: { colour: 'ignored' }, missing: 'drop' }, { method: 'kmeans', k: 3, device: 'cpu' });
      const text = new TextDecoder().decode(result.csv());
      const withColour = await loadModel(await (await cluster({ csv, labelColumn: 'kind' }, { method: 'kmeans', k: 3, device: 'cpu' })).model(), { device: 'cpu' });
      const { columns, features } = withColour;
      withColour.close();
      return {
        model: { columns, features },
        method: result.method, labels: result.labels.length, acc: result.scores?.acc, rows: text.trim().split('\n').length - 1,
        clusters: result.profiles?.clusters.length, description: result.profiles?.clusters[0].description,
        features: result.profiles?.heatmap.columns, profilesCsv: new TextDecoder().decode(result.profilesCsv()).split('\n')[0],
      };
    });
    assert.equal(table.method, 'kmeans');
    assert.equal(table.rows, 30, 'every row of the file comes back');
    assert.ok(table.labels < 30, `rows with a missing size are left out: ${table.labels} trained`);
    assert.equal(table.acc, 1);
    assert.equal(table.clusters, 3);
    assert.deepEqual(table.features, ['size'], 'colour was ignored, id left out');
    assert.match(table.description, /^Cluster \d · \d+ rows · size (high|low)/);
    assert.equal(table.profilesCsv, 'cluster,size,feature,category,cluster_value,overall_value,z');
    assert.deepEqual(table.model, { columns: ['size', 'colour'], features: ['size', 'colour = red', 'colour = green', 'colour = blue'] },
      'a model names the columns new rows need, a category column once');

    // Pictures: decoded in the worker, clustered, and placed again by the saved model.
    const pictures = await page.evaluate(async () => {
      const { cluster, loadModel } = window.lib;
      const picture = async (colour, i) => {
        const canvas = new OffscreenCanvas(20 + i, 20);
        const g = canvas.getContext('2d');
        g.fillStyle = colour;
        g.fillRect(0, 0, canvas.width, canvas.height);
        return new File([await canvas.convertToBlob({ type: 'image/png' })], `${colour.slice(1)}-${i}.png`, { type: 'image/png' });
      };
      const images = [];
      for (let i = 0; i < 4; i++) images.push(await picture('#d03030', i), await picture('#3050e0', i));
      const result = await cluster({ images, side: 28 }, { method: 'kmeans', k: 2, device: 'cpu' });
      const model = await loadModel(await result.model(), { device: 'cpu' });
      const placed = await model.predict({ images });
      model.close();
      return { labels: Array.from(result.labels), placed: Array.from(placed.labels), image: model.image };
    });
    assert.equal(pictures.labels.length, 8);
    assert.equal(new Set(pictures.labels.filter((_, i) => i % 2 === 0)).size, 1, `the red pictures: ${pictures.labels}`);
    assert.notEqual(pictures.labels[0], pictures.labels[1], 'red and blue apart');
    assert.deepEqual(pictures.image, { channels: 3, side: 28 });

    // Time series: a .ts text clustered on the series network, its model placing them again.
    const series = await page.evaluate(async () => {
      const { cluster, loadModel } = window.lib;
      let ts = '@classLabel true up down\n@data\n';
      for (let i = 0; i < 8; i++) {
        const up = i % 2 === 0;
        ts += `${Array.from({ length: 16 }, (_, t) => ((up ? t : 16 - t) + (i % 3) / 10).toFixed(2)).join(',')}:${up ? 'up' : 'down'}\n`;
      }
      const input = { series: [{ name: 'slopes.ts', bytes: ts }] };
      const result = await cluster(input, { method: 'kmeans', k: 2, device: 'cpu' });
      const model = await loadModel(await result.model(), { device: 'cpu' });
      const placed = await model.predict(input);
      model.close();
      // The same slopes as a CSV with a series in each row, named and labelled by columns.
      const rows = ts.split('\n').slice(2).filter(Boolean).map((l, i) => `slope ${i},${l.replace(':', ',')}`);
      const csv = `name,${Array.from({ length: 16 }, (_, t) => `t${t}`).join(',')},kind\n${rows.join('\n')}\n`;
      const wide = await cluster({ series: [{ name: 'slopes.csv', bytes: csv }], wide: true, id: 'name', label: 'kind' }, { method: 'kmeans', k: 2, device: 'cpu' });
      // The same slopes as two files of one channel each, values separated by spaces; or each file one series.
      const values = ts.split('\n').slice(2).filter(Boolean).map((l) => l.split(':')[0].split(','));
      const channel = (sign) => values.map((v) => ` ${v.map((x) => (sign * Number(x)).toFixed(2)).join('  ')}\n`).join('');
      const files = [{ name: 'slopes_x.txt', bytes: channel(1) }, { name: 'slopes_y.txt', bytes: channel(-1) }];
      const channels = await cluster({ series: files }, { method: 'kmeans', k: 2, device: 'cpu' });
      const asSeries = await cluster({ series: files, filesAs: 'series' }, { method: 'kmeans', k: 2, device: 'cpu' });
      // The same values as a table in parts (UCI HAR's X, y and subject files), clustered and placed.
      const tableParts = [
        { name: 'X_train.txt', bytes: values.map((v) => ` ${v.join(' ')}\n`).join('') },
        { name: 'y_train.txt', bytes: ts.split('\n').slice(2).filter(Boolean).map((l) => `${l.split(':')[1]}\n`).join('') },
        { name: 'subject_train.txt', bytes: values.map((_, i) => `${1 + (i % 2)}\n`).join('') },
      ];
      const joined = await cluster({ csv: tableParts }, { method: 'kmeans', k: 2, device: 'cpu' });
      const tableModel = await loadModel(await joined.model(), { device: 'cpu' });
      const placedParts = await tableModel.predict({ csv: tableParts });
      tableModel.close();
      // A series sample, as the file it stands for and how to read it.
      const session = new window.lib.Session({ device: 'cpu' });
      const sample = await session.sampleFile('activities', 42);
      session.close();
      const moves = await cluster({ series: [{ name: sample.file, bytes: sample.bytes }], ...sample.columns }, { method: 'kmeans', k: 3, device: 'cpu' });
      return {
        sample: { file: sample.file, columns: sample.columns, rows: moves.labels.length, first: new TextDecoder().decode(moves.csv()).split('\n')[1].split(',')[0] },
        labels: Array.from(result.labels), placed: Array.from(placed.labels), acc: result.scores?.acc, header: new TextDecoder().decode(result.csv()).split('\n')[0], series: model.series,
        wide: Array.from(wide.labels), wideAcc: wide.scores?.acc, wideFirst: new TextDecoder().decode(wide.csv()).split('\n')[1].split(',')[0],
        differences: result.differences,
        channelFiles: { labels: Array.from(channels.labels), names: ['slopes_x', 'slopes_y'].filter((n) => channels.differences.text.includes(n)), asSeries: asSeries.labels.length },
        tableParts: { acc: joined.scores?.acc, header: new TextDecoder().decode(joined.csv()).split('\n')[0], same: placedParts.labels.join() === joined.labels.join(), placedAcc: placedParts.scores?.acc },
      };
    });
    assert.deepEqual(series.channelFiles, { labels: series.labels, names: ['slopes_x', 'slopes_y'], asSeries: 2 },
      'two files of one channel each are one set of two-channel series; filesAs: series reads each as one series');
    assert.deepEqual([series.wide, series.wideAcc, series.wideFirst], [series.labels, 1, 'slope 0'], 'a series in each row clusters as the .ts');
    assert.deepEqual(series.tableParts, { acc: 1, header: `${Array.from({ length: 16 }, (_, i) => `col${i + 1}`).join(',')},label,subject,cluster,confidence`, same: true, placedAcc: 1 },
      'the files of one table through cluster({ csv: [...] }) and a model\'s predict');
    assert.deepEqual(series.sample, { file: 'activities.csv', columns: { wide: true, id: 'recording', label: 'activity' }, rows: 90, first: 'r1' });
    assert.equal(series.acc, 1, `two slopes: ${series.labels}`);
    assert.deepEqual(series.placed, series.labels, 'the model places the same series in the same clusters');
    assert.equal(series.header, 'series,cluster,confidence');
    assert.deepEqual(series.series, { channels: 1, length: 16 });
    // Rising against falling: the same level and movement, a different shape.
    assert.equal(series.differences.channels[0].by, 'its shape over time', JSON.stringify(series.differences));
    assert.ok(series.differences.channels[0].shape > 0.9, JSON.stringify(series.differences));
    assert.match(series.differences.text, /channel 1 in its shape over time \(\d+ %\)$/);
    assert.deepEqual(pictures.placed, pictures.labels);
  });
});

test('aborting ends the worker with an AbortError; bad input gets Rust’s message', { timeout: 5 * 60 * 1000 }, async () => {
  await withPage(async (page) => {
    const aborted = await page.evaluate(async () => {
      const { cluster, outcome } = window.lib;
      const { data, rows, cols } = window.blobs;
      const controller = new AbortController();
      let steps = 0;
      const running = outcome(cluster({ data, rows, cols }, {
        method: 'dec', k: 3, epochs: 100000, device: 'cpu', signal: controller.signal,
        onProgress: () => { if (++steps === 2) controller.abort(); },
      }));
      const started = performance.now();
      const result = await running;
      return { ...result, steps, ms: performance.now() - started };
    });
    assert.equal(aborted.error?.name, 'AbortError', JSON.stringify(aborted));
    assert.ok(aborted.steps >= 2, 'it was training when aborted');
    // The worker was terminated, not left running.
    for (let i = 0; i < 50 && page.workers().length > 0; i++) await page.waitForTimeout(100);
    assert.equal(page.workers().length, 0, 'no worker left');

    const early = await page.evaluate(async () => {
      const controller = new AbortController();
      controller.abort();
      const { data, rows, cols } = window.blobs;
      return window.lib.outcome(window.lib.cluster({ data, rows, cols }, { k: 3, signal: controller.signal }));
    });
    assert.equal(early.error?.name, 'AbortError');

    const bad = await page.evaluate(async () => {
      const { data, rows, cols } = window.blobs;
      return window.lib.outcome(window.lib.cluster({ data, rows, cols }, { method: 'kmeans', k: 500, device: 'cpu' }));
    });
    assert.match(bad.error?.message ?? '', /k = 500 is more clusters than the 120 rows/, JSON.stringify(bad));

    const ragged = await page.evaluate(() => window.lib.outcome(window.lib.cluster({ csv: 'a,b\n1,2\n3,4,5\n4,5\n' }, { k: 2, device: 'cpu' })));
    assert.match(ragged.error?.message ?? '', /line 3 has 3 fields/, JSON.stringify(ragged));
    // A word among numbers is read as missing, and the result's notes say so.
    const text = await page.evaluate(() => window.lib.outcome(window.lib.cluster({ csv: 'a,b\n1,2\n3,x\n4,5\n' }, { k: 2, device: 'cpu' })));
    assert.ok(text.value?.notes.some((n) => n.startsWith('Column "b": 1 cell is not a number (line 3 "x")')), JSON.stringify(text.value?.notes));

    const notModel = await page.evaluate(() => window.lib.outcome(window.lib.loadModel(new TextEncoder().encode('hello'), { device: 'cpu' })));
    assert.match(notModel.error?.message ?? '', /not a deepclust model/, JSON.stringify(notModel));
  });
});

test('a run nobody watches sends no timed snapshots until it is watched again', { timeout: 2 * 60 * 1000 }, async () => {
  await withPage(async (page) => {
    const seen = await page.evaluate(async () => {
      const { Session } = window.lib;
      const { data, rows, cols } = window.blobs;
      let csv = 'a,b\n';
      for (let i = 0; i < rows; i++) csv += `${data[cols * i]},${data[cols * i + 1]}\n`;
      const session = new Session({ device: 'cpu' });
      const run = session.train({ kind: 'csv', name: 'blobs.csv', bytes: new TextEncoder().encode(csv), labelColumn: '' },
        { method: 'dec', k: 3, epochs: 100000, watched: false });
      run.result.catch(() => {});  // ended by close() below
      const snapshots = [];
      let elapsed = 0;
      run.addEventListener('snapshot', (e) => snapshots.push(e.detail.phase));
      run.addEventListener('progress', (e) => { elapsed = e.detail.elapsedMs; });
      const until = async (done, ms) => {
        const started = performance.now();
        while (!done() && performance.now() - started < ms) await new Promise((ok) => setTimeout(ok, 50));
      };
      // Three seconds of pretraining, where a watched run of this size draws every second.
      await until(() => elapsed > 3000, 60_000);
      const unwatched = [...snapshots];
      const elapsedUnwatched = elapsed;
      run.setWatched(true);
      await until(() => snapshots.length > unwatched.length, 10_000);
      session.close();
      return { unwatched, elapsedUnwatched, watched: snapshots.slice(unwatched.length) };
    });
    assert.ok(seen.elapsedUnwatched > 3000, `it trained for 3 s: ${JSON.stringify(seen)}`);
    // The one snapshot at the start of pretraining (a phase change), and none timed.
    assert.deepEqual(seen.unwatched, ['pretrain'], JSON.stringify(seen));
    assert.equal(seen.watched[0], 'pretrain', `watched again, the pictures come back: ${JSON.stringify(seen)}`);
  });
});
