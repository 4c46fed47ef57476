// Cancel, then train again, five times in a row: every run can be stopped and restarted, and
// the page's memory stays bounded (each cancel ends the worker that held the wasm memory).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serveForTests, withApp, waitForPhase } from './helpers.mjs';

const app = serveForTests();

test('cancel and train again five times; memory stays bounded', { timeout: 10 * 60 * 1000 }, async () => {
  await withApp({ webgpu: false, url: `${app.url}#sample=digits&method=dec&k=10&epochs=300&device=cpu` }, async (page) => {
    await page.waitForFunction(() => !document.querySelector('#train-button').disabled, null, { timeout: 60_000 });
    const heap = () => page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
    const figures = [];
    const wasm = [];
    const wasmBytes = () => page.$eval('#status', (s) => Number(s.dataset.wasmMemory));
    for (let round = 1; round <= 5; round++) {
      await page.click('#train-button');
      await waitForPhase(page, ['pretrain'], 30_000);
      // Let it really work: a step or two of pretraining with progress reported.
      await page.waitForFunction(() => document.querySelector('#progress').value > 0, null, { timeout: 60_000 });
      wasm.push(await wasmBytes());
      const started = Date.now();
      await page.click('#cancel-button');
      assert.equal(await page.$eval('#status', (s) => s.dataset.phase), 'cancelled');
      assert.ok(Date.now() - started < 1000, 'cancel answers within a second');
      assert.equal(await page.isEnabled('#train-button'), true, `round ${round}: usable again`);
      await page.waitForFunction(() => !/Checking/.test(document.querySelector('#backend').textContent));
      figures.push(await heap());
    }
    console.log(`page heap after each cancel (bytes): ${figures.join(', ')}`);
    // Each run's wasm memory lives in its worker, which the cancel ends: every run starts afresh.
    console.log(`worker wasm memory before each cancel (bytes): ${wasm.join(', ')}`);
    assert.ok(wasm.every((b) => b > 0 && b <= 2 * wasm[0]), `wasm memory per run: ${wasm}`);
    // A leak of the data or results per run would grow by megabytes each round.
    assert.ok(figures[4] < figures[0] + 20e6, `heap grew from ${figures[0]} to ${figures[4]}`);
    // And a sixth run finishes.
    await page.click('#advanced summary');
    await page.fill('#epochs-input', '3');
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 5 * 60 * 1000), 'done', await page.textContent('#error'));
    // Runs that finish keep their worker: four more in it, and its wasm memory (which never
    // shrinks) stops growing once the first run has sized it.
    const kept = [await wasmBytes()];
    for (let round = 1; round <= 4; round++) {
      await page.click('#train-button');
      assert.equal(await waitForPhase(page, ['done', 'error'], 5 * 60 * 1000), 'done', await page.textContent('#error'));
      kept.push(await wasmBytes());
    }
    console.log(`worker wasm memory after each finished run in one worker (bytes): ${kept.join(', ')}`);
    assert.ok(kept[4] <= kept[1] + 16 * 2 ** 20, `wasm memory grew from ${kept[1]} to ${kept[4]}`);
  });
});

test('a run cancelled after it has clusters keeps its picture and its clusters download', { timeout: 5 * 60 * 1000 }, async () => {
  await withApp({ webgpu: false, url: `${app.url}#sample=blobs&method=dec&k=4&epochs=3&device=cpu&step=1` }, async (page) => {
    await page.waitForFunction(() => !document.querySelector('#train-button').disabled, null, { timeout: 60_000 });
    await page.click('#train-button');
    // Step mode holds the run at its pauses: go on until the first target update.
    for (const title of ['Pretraining finished', 'First clusters', 'Target update 1']) {
      await page.waitForFunction((t) => document.querySelector('#status').dataset.phase === 'paused'
        && document.querySelector('#explain-title').textContent.startsWith(t), title, { timeout: 120_000 });
      if (title !== 'Target update 1') await page.click('#next-step');
    }
    const picture = await page.$eval('#scatter', (s) => Array.from(s.lastXY.slice(0, 6)));
    await page.click('#cancel-button');
    assert.equal(await page.$eval('#status', (s) => s.dataset.phase), 'cancelled');
    assert.deepEqual(await page.$eval('#scatter', (s) => Array.from(s.lastXY.slice(0, 6))), picture, 'the picture stays');
    await page.waitForSelector('#download-partial:not([hidden])', { timeout: 30_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-partial')]);
    const text = await readFile(await download.path(), 'utf8');
    const lines = text.trim().split('\n');
    assert.equal(lines[0], 'x,y,label,cluster,confidence');
    assert.equal(lines.length, 601);
    assert.equal(new Set(lines.slice(1).map((l) => l.split(',')[3])).size, 4, 'four clusters');
    // A new run hides the old partial download.
    await page.uncheck('#step-mode');
    await page.click('#train-button');
    assert.equal(await page.isHidden('#download-partial'), true);
  });
});

test('a panic inside the worker says what panicked, and the restarted worker trains', { timeout: 5 * 60 * 1000 }, async () => {
  await withApp({ webgpu: false, url: `${app.url}#sample=iris&method=dec&k=3&epochs=3&device=cpu` }, async (page) => {
    await page.waitForFunction(() => !document.querySelector('#train-button').disabled, null, { timeout: 60_000 });
    await page.waitForFunction(() => !/Checking/.test(document.querySelector('#backend').textContent));
    // The next training step panics as the step's own async Rust would: inside a microtask
    // (wasm-bindgen-futures polls futures so), its promise never settling. The module the worker
    // trains in is its threaded build where the badge counts threads.
    const threaded = Number(await page.getAttribute('#backend', 'data-threads')) > 1;
    let patched = false;
    for (const worker of page.workers()) {
      patched ||= await worker.evaluate(async (path) => {
        if (typeof self.deepclustPanic !== 'function') return false;
        const module = await import(new URL(path, self.location));
        module.Training.prototype.step = () => {
          queueMicrotask(() => module.panic_for_tests('a panic on purpose'));
          return new Promise(() => {});
        };
        return true;
      }, threaded ? './pkg-mt/deepclust.js' : './pkg/deepclust.js');
    }
    assert.ok(patched, 'found the worker');
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 60_000), 'error');
    const said = await page.textContent('#error');
    assert.match(said, /stopped unexpectedly/);
    assert.match(said, /a panic on purpose/, 'the panic\'s own message');
    // The one-thread build is made without source locations.
    if (threaded) assert.match(said, /src[\\/]web[\\/]mod\.rs/, 'where it panicked');
    else assert.doesNotMatch(said, /redacted/);

    // The page restarted its worker: the next run trains.
    await page.waitForFunction(() => !/Checking/.test(document.querySelector('#backend').textContent), null, { timeout: 60_000 });
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 120_000), 'done', await page.textContent('#error'));
    assert.equal(await page.getAttribute('#scatter', 'data-points'), '150');
  });
});
