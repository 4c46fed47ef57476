// The walking skeleton, as a user would use it: drop a CSV, train DEC, download the result.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, withApp, dropFile, waitForPhase, downloadText, readShared, parseCsv } from './helpers.mjs';

let server;
let url;
let iris;

before(async () => {
  ({ server, url } = await startServer());
  iris = await readShared('tabular/iris.csv');
});
after(() => server?.close());

const TEN_MINUTES = 10 * 60 * 1000;

async function trainIris(page, { epochs } = {}) {
  await dropFile(page, 'iris.csv', iris);
  await page.waitForFunction(() => !document.querySelector('#train-button').disabled);
  assert.equal(await page.$eval('#k-input', (e) => e.value), '3', 'k defaults to the number of classes');
  await page.fill('#k-input', '3');
  if (epochs) {
    await page.click('#advanced summary');
    await page.fill('#epochs-input', String(epochs));
  }
  await page.click('#train-button');
  const phase = await waitForPhase(page, ['done', 'error'], TEN_MINUTES);
  assert.equal(phase, 'done', `training ended in ${phase}: ${await page.textContent('#error')}`);
}

async function checkIrisResult(page) {
  assert.equal(await page.getAttribute('#scatter', 'data-points'), '150');
  const { header, rows } = parseCsv(await downloadText(page));
  assert.deepEqual(header.slice(-2), ['cluster', 'confidence']);
  assert.equal(header.length, 7, 'the original 5 columns are kept');
  assert.equal(rows.length, 150);
  const clusters = new Set(rows.map((r) => r[5]));
  assert.equal(clusters.size, 3, `clusters found: ${[...clusters]}`);
  for (const r of rows) {
    const c = Number(r[6]);
    assert.ok(c >= 1 / 3 - 1e-3 && c <= 1, `confidence ${c}`);
  }
  const summary = await page.textContent('#summary');
  const acc = Number(/ACC (\d\.\d+)/.exec(summary)?.[1]);
  assert.ok(acc > 0.6, `iris ACC ${acc} should beat chance (0.33) by far: ${summary}`);
}

test('Device = auto times both devices and trains wine on the faster: the CPU beats SwiftShader', { timeout: 10 * 60 * 1000 }, async () => {
  await withApp({ webgpu: true, url }, async (page) => {
    await page.waitForFunction(() => !document.querySelector('#backend').textContent.startsWith('Checking'));
    assert.match(await page.textContent('#backend'), /^WebGPU/, 'the adapter comes up before any run');
    assert.equal(await page.inputValue('#device-select'), 'auto');
    await page.selectOption('#sample-select', 'wine');
    await page.waitForFunction(() => !document.querySelector('#train-button').disabled);
    const started = Date.now();
    await page.click('#train-button');
    const phase = await waitForPhase(page, ['done', 'error'], 5 * 60 * 1000);
    const seconds = (Date.now() - started) / 1000;
    assert.equal(phase, 'done', await page.textContent('#error'));
    const badge = await page.textContent('#backend');
    // The CPU was timed on every core, as it then trains.
    assert.match(badge, /^CPU · \d+(\.\d)?× faster than this GPU \(.*software adapter\) for this data · \d+ threads$/, badge);
    assert.equal(await page.getAttribute('#backend', 'data-kind'), 'cpu');
    // Ten minutes were not enough on SwiftShader with the defaults; on the CPU it takes seconds.
    assert.ok(seconds < 120, `wine took ${seconds} s`);
  });
});

test('iris on WebGPU, forced: drop, train, scatter, download', { timeout: 15 * 60 * 1000 }, async (t) => {
  if (!iris) return t.skip('../shared/data/tabular/iris.csv is absent');
  await withApp({ webgpu: true, url: `${url}#device=gpu&method=dec` }, async (page) => {
    await page.waitForFunction(() => !document.querySelector('#backend').textContent.startsWith('Checking'));
    assert.match(await page.textContent('#backend'), /^WebGPU/);
    // SwiftShader emulates the GPU on the CPU: a few epochs keep this test small.
    await trainIris(page, { epochs: 15 });
    assert.match(await page.textContent('#backend'), /^WebGPU/);
    await checkIrisResult(page);
  });
});

test('without WebGPU: falls back to CPU, bad file is reported, page stays usable', { timeout: 15 * 60 * 1000 }, async (t) => {
  if (!iris) return t.skip('../shared/data/tabular/iris.csv is absent');
  await withApp({ webgpu: false, url }, async (page) => {
    await page.waitForFunction(() => document.querySelector('#backend').textContent.startsWith('CPU'));

    await dropFile(page, 'notes.txt', 'Dear team,\nthe meeting moved to Friday.\nBest wishes\n', 'text/plain');
    await page.waitForFunction(() => document.querySelector('#error').textContent !== '');
    const message = await page.textContent('#error');
    assert.match(message, /^notes\.txt: /, message);
    assert.match(message, /does not look like a table/, message);
    assert.equal(await page.$eval('#train-button', (b) => b.disabled), true, 'nothing to train yet');
    assert.equal(await page.getAttribute('#status', 'data-phase'), 'idle');

    await trainIris(page);
    assert.equal(await page.textContent('#error'), '', 'a good file clears the error');
    assert.match(await page.textContent('#backend'), /^CPU/);
    await checkIrisResult(page);

    // A bad file after a finished run: message shown, earlier results and file kept.
    await dropFile(page, 'broken.csv', 'a,b\n1,2\n3,4,5\n4,5\n');
    await page.waitForFunction(() => document.querySelector('#error').textContent !== '');
    assert.match(await page.textContent('#error'), /^broken\.csv: line 3 has 3 fields.*iris\.csv is still loaded/);
    assert.equal(await page.getAttribute('#scatter', 'data-points'), '150');
    assert.equal(await page.getAttribute('#status', 'data-phase'), 'done');
    assert.equal(await page.$eval('#train-button', (b) => b.disabled), false);
  });
});

/** Iris dropped on the page, with this many pretraining epochs: a run long enough to watch. */
async function irisWithEpochs(page, epochs) {
  await dropFile(page, 'iris.csv', iris);
  await page.waitForFunction(() => !document.querySelector('#train-button').disabled);
  await page.click('#advanced summary');
  await page.fill('#epochs-input', String(epochs));
}

test('cancel stops training and keeps the page usable', { timeout: 10 * 60 * 1000 }, async (t) => {
  if (!iris) return t.skip('../shared/data/tabular/iris.csv is absent');
  await withApp({ webgpu: false, url }, async (page) => {
    await irisWithEpochs(page, 100000);
    // By keyboard: Train takes the focus to Cancel, and the end of the run brings it back.
    await page.focus('#train-button');
    await page.keyboard.press('Enter');
    await waitForPhase(page, 'pretrain', 60_000);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'cancel-button');
    await page.keyboard.press('Escape');
    assert.equal(await waitForPhase(page, 'cancelled', 10_000), 'cancelled');
    assert.equal(await page.$eval('#cancel-button', (b) => b.disabled), true);
    assert.equal(await page.$eval('#train-button', (b) => b.disabled), false);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'train-button');
  });
});

test('from the keyboard, each file button opens its own chooser', { timeout: 2 * 60 * 1000 }, async () => {
  await withApp({ webgpu: false, url }, async (page) => {
    // Which inputs are asked to open a chooser (kept from opening one).
    await page.evaluate(() => {
      window.clicked = [];
      for (const id of ['file-input', 'folder-input']) {
        document.getElementById(id).addEventListener('click', (e) => { window.clicked.push(id); e.preventDefault(); });
      }
    });
    for (const [button, input] of [['#folder-button', 'folder-input'], ['#file-input', 'file-input']]) {
      await page.evaluate(() => { window.clicked = []; });
      await page.focus(button);
      await page.keyboard.press('Enter');
      assert.deepEqual(await page.evaluate(() => window.clicked), [input], `Enter on ${button}`);
    }
  });
});

test('the time left is "up to about" for DEC, which stops refining early, and "about" for the others', { timeout: 10 * 60 * 1000 }, async (t) => {
  if (!iris) return t.skip('../shared/data/tabular/iris.csv is absent');
  await withApp({ webgpu: false, url }, async (page) => {
    await irisWithEpochs(page, 20000);
    for (const [method, said] of [['dec', /\(\d+%, up to about .+ left\)$/], ['hardreg', /\(\d+%, about .+ left\)$/]]) {
      await page.selectOption('#method-select', method);
      await page.click('#train-button');
      await page.waitForFunction(() => / left\)$/.test(document.querySelector('#status-text').textContent), null, { timeout: 120_000, polling: 100 });
      assert.match(await page.textContent('#status-text'), said, method);
      await page.keyboard.press('Escape');
      assert.equal(await waitForPhase(page, 'cancelled', 10_000), 'cancelled');
    }
  });
});
