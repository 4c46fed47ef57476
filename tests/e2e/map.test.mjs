// The learned 2-D map: after a run, the scatter switches to the map, which is fitted in the
// worker and redrawn with every point; rows placed by the run's own model land on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serveForTests, withApp, waitForPhase } from './helpers.mjs';

const app = serveForTests();

let modelBytes = null;  // the digits model saved with its map, for the next test

test('after training digits, the map view redraws all points and takes predictions', { timeout: 15 * 60 * 1000 }, async () => {
  await withApp({ webgpu: false, url: `${app.url}#sample=digits&method=dec&k=10&epochs=5&device=cpu` }, async (page) => {
    await page.waitForFunction(() => !document.querySelector('#train-button').disabled, null, { timeout: 60_000 });
    assert.equal(await page.isDisabled('#view-select'), true, 'no map before a run');
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 8 * 60 * 1000), 'done', await page.textContent('#error'));
    assert.equal(await page.isEnabled('#view-select'), true);
    const options = await page.$$eval('#view-select option', (os) => os.map((o) => o.value));
    assert.deepEqual(options, ['pca', 'map']);
    const pca = await page.$eval('#scatter', (s) => Array.from(s.lastXY.slice(0, 4)));

    await page.selectOption('#view-select', 'map');
    // Finished when the status says so (a fast map can pass through its 'map' phase unseen).
    await page.waitForFunction(() => /The map is ready|could not/.test(document.querySelector('#status-text').textContent + document.querySelector('#error').textContent),
      null, { timeout: 8 * 60 * 1000, polling: 250 });
    assert.equal(await page.textContent('#error'), '');
    assert.equal(await page.getAttribute('#scatter', 'data-view'), 'map');
    assert.equal(await page.getAttribute('#scatter', 'data-points'), '1797');
    const map = await page.$eval('#scatter', (s) => Array.from(s.lastXY.slice(0, 4)));
    assert.notDeepEqual(map, pca, 'the map is a different picture');
    assert.ok(map.every(Number.isFinite));

    // Replaying the run and back to its end, on the map view: the map, not the PCA picture.
    await page.focus('#timeline');
    await page.keyboard.press('Home');
    assert.equal(await page.getAttribute('#scatter', 'data-frame'), 'map', 'an early frame on the finished map');
    await page.keyboard.press('End');
    assert.deepEqual(await page.$eval('#scatter', (s) => Array.from(s.lastXY.slice(0, 4))), map);

    // Back to PCA and to the map again: the fitted map is reused at once.
    await page.selectOption('#view-select', 'pca');
    assert.deepEqual(await page.$eval('#scatter', (s) => Array.from(s.lastXY.slice(0, 4))), pca);
    await page.selectOption('#view-select', 'map');
    assert.deepEqual(await page.$eval('#scatter', (s) => Array.from(s.lastXY.slice(0, 4))), map);

    // The run's model, saved with its map, places rows on the map.
    await page.waitForSelector('#save-model[data-with-map="true"]', { state: 'attached', timeout: 60_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-model')]);
    modelBytes = await readFile(await download.path());
    await page.setInputFiles('#load-model', { name: 'digits.model', mimeType: 'application/octet-stream', buffer: modelBytes });
    await page.waitForFunction(() => /k = 10/.test(document.querySelector('#model-info').textContent));
    const digits = await readFile(new URL('../../www/samples/digits.csv', import.meta.url));
    await page.setInputFiles('#predict-input', { name: 'digits.csv', mimeType: 'text/csv', buffer: digits });
    await page.waitForFunction(() => document.querySelector('#scatter').dataset.placed === '1797', null, { timeout: 120_000 });
    assert.equal(await page.getAttribute('#scatter', 'data-view'), 'map');
  });
});

test('a model saved with its map places rows on that map in a fresh page', { timeout: 5 * 60 * 1000 }, async (t) => {
  if (!modelBytes) return t.skip('the previous test saved no model');
  await withApp({ webgpu: false, url: `${app.url}#device=cpu` }, async (page) => {
    await page.waitForFunction(() => document.querySelector('#backend').textContent.startsWith('CPU'));
    await page.setInputFiles('#load-model', { name: 'digits.model', mimeType: 'application/octet-stream', buffer: modelBytes });
    await page.waitForFunction(() => /k = 10/.test(document.querySelector('#model-info').textContent));
    const digits = await readFile(new URL('../../www/samples/digits.csv', import.meta.url));
    await page.setInputFiles('#predict-input', { name: 'digits.csv', mimeType: 'text/csv', buffer: digits });
    await page.waitForFunction(() => document.querySelector('#scatter').dataset.placed === '1797', null, { timeout: 120_000 });
    assert.equal(await page.textContent('#error'), '');
    assert.equal(await page.getAttribute('#scatter', 'data-view'), 'map');
    assert.equal(await page.getAttribute('#scatter', 'data-points'), '1797', 'the training rows of the map are drawn');
    assert.match(await page.textContent('#scatter-caption'), /model's own 2-D map/);
    // The same rows as the training file: each lands where its training row is on the map.
    const { base, placed } = await page.$eval('#scatter', (s) => ({ base: Array.from(s.lastXY.slice(0, 6)), placed: Array.from(s.lastPlaced?.slice(0, 6) ?? []) }));
    assert.deepEqual(placed, base);
  });
});

test('the map view chosen during a run is redrawn as it trains, then fitted in full', { timeout: 15 * 60 * 1000 }, async () => {
  await withApp({ webgpu: false, url: `${app.url}#sample=digits&method=dec&k=10&epochs=3&device=cpu` }, async (page) => {
    await page.waitForFunction(() => !document.querySelector('#train-button').disabled, null, { timeout: 60_000 });
    await page.check('#step-mode');
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['paused', 'error'], 5 * 60 * 1000), 'paused', await page.textContent('#error'));
    assert.equal(await page.isEnabled('#view-select'), true, 'the view can change during a run');
    assert.equal(await page.getAttribute('#scatter', 'data-frame'), 'pca');
    const pca = await page.$eval('#scatter', (s) => Array.from(s.lastXY.slice(0, 4)));
    await page.selectOption('#view-select', 'map');
    assert.match(await page.textContent('#scatter-caption'), /as it trains/);

    // The next snapshot (after k-means) carries a map of the embedding at that moment.
    await page.click('#next-step');
    await page.waitForFunction(() => document.querySelector('#scatter').dataset.frame === 'map', null, { timeout: 3 * 60 * 1000 });
    assert.equal(await page.getAttribute('#scatter', 'data-points'), '1797');
    const live = await page.$eval('#scatter', (s) => Array.from(s.lastXY.slice(0, 4)));
    assert.ok(live.every(Number.isFinite));
    assert.notDeepEqual(live, pca, 'a map, not the principal components');

    // Back to PCA mid-run: the same frame is drawn from its principal components.
    await page.selectOption('#view-select', 'pca');
    assert.equal(await page.getAttribute('#scatter', 'data-frame'), 'pca');
    await page.selectOption('#view-select', 'map');
    assert.equal(await page.getAttribute('#scatter', 'data-frame'), 'map');

    // Finished, the full map is fitted without asking, starting from the live one.
    await page.uncheck('#step-mode');
    await page.waitForFunction(() => /The map is ready|could not/.test(document.querySelector('#status-text').textContent + document.querySelector('#error').textContent),
      null, { timeout: 8 * 60 * 1000, polling: 250 });
    assert.equal(await page.textContent('#error'), '');
    assert.equal(await page.getAttribute('#scatter', 'data-view'), 'map');
    assert.equal(await page.getAttribute('#scatter', 'data-points'), '1797');
  });
});
