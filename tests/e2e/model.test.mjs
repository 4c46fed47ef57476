// Keeping work: a trained model is downloaded, loaded again after a reload, and places the
// same rows in the same clusters; wrong files get clear messages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startServer, withApp, dropFile, waitForPhase, downloadText, readShared, parseCsv } from './helpers.mjs';

let server;
let url;
let wine;
let iris;

before(async () => {
  ({ server, url } = await startServer());
  wine = await readShared('tabular/wine.csv');
  iris = await readShared('tabular/iris.csv');
});
after(() => server?.close());

const clusters = (text) => {
  const { header, rows } = parseCsv(text);
  const at = header.indexOf('cluster');
  return rows.map((r) => Number(r[at]));
};

test('a downloaded model, loaded after a reload, predicts the training labels', { timeout: 10 * 60 * 1000 }, async (t) => {
  if (!wine || !iris) return t.skip('../shared/data/tabular is absent');
  await withApp({ webgpu: false, url }, async (page) => {
    await dropFile(page, 'wine.csv', wine);
    await page.waitForFunction(() => !document.querySelector('#train-button').disabled);
    await page.click('#advanced summary');
    await page.fill('#epochs-input', '20');
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 5 * 60 * 1000), 'done', await page.textContent('#error'));
    const trained = clusters(await downloadText(page));
    assert.equal(trained.length, 178);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-model')]);
    assert.match(download.suggestedFilename(), /^wine-hardreg-k3\.model$/, 'the default method for tables');
    const modelBytes = await readFile(await download.path());

    // The model just trained here: its predictions are drawn over the training picture.
    await page.setInputFiles('#load-model', { name: 'wine-dec-k3.model', mimeType: 'application/octet-stream', buffer: modelBytes });
    await page.waitForFunction(() => /k = 3/.test(document.querySelector('#model-info').textContent));
    await page.setInputFiles('#predict-input', { name: 'wine.csv', mimeType: 'text/csv', buffer: Buffer.from(wine) });
    await page.waitForFunction(() => document.querySelector('#scatter').dataset.placed === '178');
    assert.equal(await page.getAttribute('#scatter', 'data-points'), '178', 'the training points stay');
    // The View menu redraws the run's picture: the placed rows stay on it.
    await page.selectOption('#view-select', 'map');
    await page.waitForFunction(() => /The map is ready|could not/.test(document.querySelector('#status-text').textContent + document.querySelector('#error').textContent), null, { timeout: 120_000 });
    assert.match(await page.textContent('#status-text'), /^Done\. [^:]+: 178 rows .* The map is ready/, 'the run\'s Done line stays');
    await page.selectOption('#view-select', 'pca');
    assert.equal(await page.getAttribute('#scatter', 'data-placed'), '178', 'the diamonds survive the View menu');

    await page.reload();
    await page.setInputFiles('#load-model', { name: 'wine-dec-k3.model', mimeType: 'application/octet-stream', buffer: modelBytes });
    await page.waitForFunction(() => /k = 3/.test(document.querySelector('#model-info').textContent));
    assert.match(await page.textContent('#model-info'), /13 columns/);
    await page.setInputFiles('#predict-input', { name: 'wine.csv', mimeType: 'text/csv', buffer: Buffer.from(wine) });
    await page.waitForSelector('#predict-download:not([hidden])');
    assert.match(await page.textContent('#predict-summary'), /178 rows placed/);
    const [pd] = await Promise.all([page.waitForEvent('download'), page.click('#predict-download')]);
    const predicted = clusters(await readFile(await pd.path(), 'utf8'));
    assert.deepEqual(predicted, trained, 'the saved model gives every training row its cluster');
    // After the reload there is no training picture: the rows are drawn in the model's own.
    assert.equal(await page.getAttribute('#scatter', 'data-placed'), '178');
    assert.equal(await page.getAttribute('#scatter', 'data-points'), '0');

    // One row is one row.
    const [header, first] = wine.split('\n');
    await page.setInputFiles('#predict-input', { name: 'one-wine.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\n${first}\n`) });
    await page.waitForFunction(() => /one-wine\.csv: 1 row placed/.test(document.querySelector('#predict-summary').textContent));
    // Files the page itself refuses take the last prediction away too.
    await page.setInputFiles('#predict-input', [
      { name: 'a.csv', mimeType: 'text/csv', buffer: Buffer.from('x\n1\n') },
      { name: 'notes.csv', mimeType: 'text/csv', buffer: Buffer.from('y\n2\n') },
    ]);
    await page.waitForFunction(() => /^Not placed: A model trained on a table/.test(document.querySelector('#predict-summary').textContent));
    assert.equal(await page.isVisible('#predict-download'), false);

    // Rows with other columns: refused with the reason where the user looks, the last
    // prediction's results taken away, the loaded model still usable.
    await page.setInputFiles('#predict-input', { name: 'iris.csv', mimeType: 'text/csv', buffer: Buffer.from(iris) });
    await page.waitForFunction(() => document.querySelector('#error').textContent.includes('iris.csv'));
    assert.match(await page.textContent('#error'), /13/);
    assert.match(await page.textContent('#predict-summary'), /^Not placed: iris\.csv/);
    assert.equal(await page.isVisible('#predict-download'), false, 'no download of the earlier file\'s clusters');
    assert.equal(await page.getAttribute('#scatter', 'data-placed'), '0');
    assert.equal(await page.isDisabled('#predict-input'), false);

    // Something that is not a model.
    await page.setInputFiles('#load-model', { name: 'notes.model', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await page.waitForFunction(() => document.querySelector('#error').textContent.includes('notes.model'));
    assert.match(await page.textContent('#error'), /not a deepclust model/);
    assert.equal(await page.isDisabled('#predict-input'), true);
  });
});

test('a model trained on WebGPU can be saved, and places the rows as training did', { timeout: 10 * 60 * 1000 }, async (t) => {
  if (!iris) return t.skip('../shared/data/tabular is absent');
  // Forced: on SwiftShader the automatic choice would train on the CPU.
  await withApp({ webgpu: true, url: `${url}#device=gpu&method=dec` }, async (page) => {
    await page.waitForFunction(() => !/Checking/.test(document.querySelector('#backend').textContent));
    if (!(await page.textContent('#backend')).startsWith('WebGPU')) return t.skip('this Chromium offers no WebGPU adapter');
    await dropFile(page, 'iris.csv', iris);
    await page.waitForFunction(() => !document.querySelector('#train-button').disabled);
    await page.click('#advanced summary');
    await page.fill('#epochs-input', '3');
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 8 * 60 * 1000), 'done', await page.textContent('#error'));
    const trained = clusters(await downloadText(page));
    assert.equal(await page.isVisible('#save-model'), true, 'the model can be downloaded after WebGPU training');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-model')]);
    const modelBytes = await readFile(await download.path());
    await page.setInputFiles('#load-model', { name: 'iris.model', mimeType: 'application/octet-stream', buffer: modelBytes });
    await page.waitForFunction(() => /k = 3/.test(document.querySelector('#model-info').textContent));
    await page.setInputFiles('#predict-input', { name: 'iris.csv', mimeType: 'text/csv', buffer: Buffer.from(iris) });
    await page.waitForSelector('#predict-download:not([hidden])');
    const [pd] = await Promise.all([page.waitForEvent('download'), page.click('#predict-download')]);
    assert.deepEqual(clusters(await readFile(await pd.path(), 'utf8')), trained);
  });
});

test('N2D’s neighbours setting shows only for N2D, is checked only for the methods that use it, and is the one the model keeps', { timeout: 10 * 60 * 1000 }, async (t) => {
  if (!wine) return t.skip('../shared/data/tabular is absent');
  await withApp({ webgpu: false, url }, async (page) => {
    await dropFile(page, 'wine.csv', wine);
    await page.waitForFunction(() => !document.querySelector('#train-button').disabled);
    await page.click('#advanced summary');
    assert.equal(await page.isVisible('#neighbours-input'), false, 'DEC has no neighbour graph');
    await page.selectOption('#method-select', 'n2d');
    assert.equal(await page.isVisible('#neighbours-input'), true);
    assert.equal(await page.inputValue('#neighbours-input'), '', 'automatic by default');
    assert.equal(await page.getAttribute('#neighbours-input', 'placeholder'), 'auto');

    await page.fill('#neighbours-input', '1');
    await page.click('#train-button');
    await page.waitForFunction(() => document.querySelector('#error').textContent.includes('Neighbours'));
    assert.match(await page.textContent('#error'), /at least 2/);
    assert.equal(await page.isDisabled('#train-button'), false, 'the page stays usable');

    // So is IDEC's γ.
    await page.selectOption('#method-select', 'idec');
    await page.fill('#gamma-input', '0');
    await page.click('#train-button');
    await page.waitForFunction(() => document.querySelector('#error').textContent.includes('γ'));
    assert.match(await page.textContent('#error'), /positive number/);

    // Both bad values stay, in fields DEC does not show: they do not block DEC.
    await page.fill('#epochs-input', '10');
    await page.selectOption('#method-select', 'dec');
    assert.equal(await page.isVisible('#neighbours-input'), false);
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 5 * 60 * 1000), 'done', await page.textContent('#error'));

    // layout <input width> <output width> <rows> <neighbours> … in a saved model's header.
    const trainedNeighbours = async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-model')]);
      const header = (await readFile(await download.path())).toString('latin1');
      return Number(/\nlayout \d+ 3 178 (\d+) /.exec(header)?.[1]);
    };
    await page.selectOption('#method-select', 'n2d');
    // Left empty: a table gets the paper's 20 (only images get fewer, for small clusters).
    await page.fill('#neighbours-input', '');
    await page.evaluate(() => { document.querySelector('#status').dataset.phase = 'test-started'; });
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 5 * 60 * 1000), 'done', await page.textContent('#error'));
    assert.doesNotMatch(page.url(), /neighbours=/, 'automatic is not written into the link');
    assert.equal(await trainedNeighbours(), 20, 'automatic neighbours for a table');

    await page.fill('#neighbours-input', '7');
    await page.evaluate(() => { document.querySelector('#status').dataset.phase = 'test-started'; });
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 5 * 60 * 1000), 'done', await page.textContent('#error'));
    assert.match(page.url(), /neighbours=7/, 'the shared link carries the setting');
    assert.equal(await trainedNeighbours(), 7, 'the manifold was built on 7 neighbours');
  });
});
