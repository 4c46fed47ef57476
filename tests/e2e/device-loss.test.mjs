// A lost WebGPU device (driver reset, GPU process crash) must not lose the run: the page
// notices (`device.lost`), says so, and goes on on the CPU from the last pretraining epoch the
// worker checkpointed. The loss is caused by destroying the worker's device.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveForTests, withApp, waitForPhase } from './helpers.mjs';

const app = serveForTests();

test('a run whose GPU is lost goes on on the CPU from its last checkpoint', { timeout: 15 * 60 * 1000 }, async (t) => {
  await withApp({ webgpu: true, url: `${app.url}#sample=iris&method=dec&k=3&epochs=40&device=gpu` }, async (page) => {
    await page.waitForFunction(() => !/Checking/.test(document.querySelector('#backend').textContent));
    if (!(await page.textContent('#backend')).startsWith('WebGPU')) return t.skip('this Chromium offers no WebGPU adapter');
    await page.waitForFunction(() => !document.querySelector('#train-button').disabled, null, { timeout: 60_000 });
    assert.equal(await page.isHidden('#device-notice'), true);
    await page.click('#train-button');
    // A few epochs in (each one checkpointed), the GPU goes away.
    await page.waitForFunction(() => {
      const m = /epoch (\d+) of/.exec(document.querySelector('#status-text').textContent);
      return m && Number(m[1]) >= 4;
    }, null, { timeout: 5 * 60 * 1000, polling: 100 });
    const worker = page.workers().at(-1);
    await worker.evaluate(() => self.deepclustGpuDevice.destroy());

    await page.waitForSelector('#device-notice:not([hidden])', { timeout: 60_000 });
    assert.match(await page.textContent('#device-notice'), /GPU stopped working .* goes on on the CPU from pretraining epoch \d+/);
    const from = Number(/\d+/.exec(await page.getAttribute('#device-notice', 'data-resumed-from'))[0]);
    assert.ok(from >= 3, `resumed from epoch ${from}`);
    await page.waitForFunction(() => document.querySelector('#backend').dataset.kind === 'cpu', null, { timeout: 60_000 });
    assert.equal(await page.inputValue('#device-select'), 'cpu');
    // The run's next progress reports continue from there, not from epoch 1.
    await page.waitForFunction(() => /epoch \d+ of|Refining|Done/.test(document.querySelector('#status-text').textContent), null, { timeout: 60_000 });
    const m = /Pretraining[^,]*, epoch (\d+) of/.exec(await page.textContent('#status-text'));
    if (m) assert.ok(Number(m[1]) > from, `status after resuming: ${m[0]}`);

    assert.equal(await waitForPhase(page, ['done', 'error'], 8 * 60 * 1000), 'done', await page.textContent('#error'));
    assert.equal(await page.textContent('#error'), '');
    assert.equal(await page.getAttribute('#scatter', 'data-points'), '150');
    assert.match(await page.textContent('#summary'), /ACC \d/);
  });
});

test('a run whose GPU is lost while refining goes on from its last refinement epoch', { timeout: 15 * 60 * 1000 }, async (t) => {
  // The hard-regularised method runs all its refinement epochs (no early stop), so the loss
  // lands in the middle of them.
  await withApp({ webgpu: true, url: `${app.url}#sample=iris&method=hardreg&k=3&epochs=3&device=gpu` }, async (page) => {
    await page.waitForFunction(() => !/Checking/.test(document.querySelector('#backend').textContent));
    if (!(await page.textContent('#backend')).startsWith('WebGPU')) return t.skip('this Chromium offers no WebGPU adapter');
    await page.waitForFunction(() => !document.querySelector('#train-button').disabled, null, { timeout: 60_000 });
    await page.click('#train-button');
    await page.waitForFunction(() => {
      const m = /^Refining[^,]*, epoch (\d+) of/.exec(document.querySelector('#status-text').textContent);
      return m && Number(m[1]) >= 4;
    }, null, { timeout: 5 * 60 * 1000, polling: 100 });
    await page.workers().at(-1).evaluate(() => self.deepclustGpuDevice.destroy());

    await page.waitForSelector('#device-notice:not([hidden])', { timeout: 60_000 });
    const label = await page.getAttribute('#device-notice', 'data-resumed-from');
    assert.match(label, /^refinement epoch \d+$/);
    assert.ok(Number(/\d+/.exec(label)[0]) >= 3, label);
    // It goes on refining from there: the next refinement epoch shown is past it.
    await page.waitForFunction((from) => {
      const m = /^Refining[^,]*, epoch (\d+) of/.exec(document.querySelector('#status-text').textContent);
      return (m && Number(m[1]) > from) || document.querySelector('#status').dataset.phase === 'done';
    }, Number(/\d+/.exec(label)[0]), { timeout: 2 * 60 * 1000, polling: 50 });
    const status = await page.textContent('#status-text');
    assert.ok(!/^Pretraining/.test(status), `no pretraining again: ${status}`);
    assert.equal(await waitForPhase(page, ['done', 'error'], 8 * 60 * 1000), 'done', await page.textContent('#error'));
    assert.equal(await page.getAttribute('#scatter', 'data-points'), '150');
    assert.match(await page.textContent('#summary'), /ACC \d/);
  });
});
