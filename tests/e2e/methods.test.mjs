// The method family in the browser: every method trains wine.csv, shows its scores and
// confusion matrix; "Compare all methods" fills one table row per method.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, withApp, dropFile, waitForPhase, readShared } from './helpers.mjs';

let server;
let url;
let wine;

before(async () => {
  ({ server, url } = await startServer());
  wine = await readShared('tabular/wine.csv');
});
after(() => server?.close());

async function loadWine(page, { epochs } = {}) {
  await dropFile(page, 'wine.csv', wine);
  await page.waitForFunction(() => !document.querySelector('#train-button').disabled);
  if (epochs) {
    await page.click('#advanced summary');
    await page.fill('#epochs-input', String(epochs));
  }
}

async function methodValues(page) {
  return page.$$eval('#method-select option', (options) => options.map((o) => o.value));
}

test('every method trains wine.csv on the CPU and shows its scores', { timeout: 20 * 60 * 1000 }, async (t) => {
  if (!wine) return t.skip('../shared/data/tabular/wine.csv is absent');
  await withApp({ webgpu: false, url }, async (page) => {
    await loadWine(page);
    const methods = await methodValues(page);
    // The registry's order (src/cluster/registry.rs); Deep k-Means joined it after the others.
    assert.deepEqual(methods, ['dec', 'idec', 'dcec', 'gceals', 'hardreg', 'deepcluster', 'n2d', 'mixture-em', 'dkm', 'kmeans', 'gmm']);
    // The methods whose loss weighs a clustering term against reconstruction by γ (λ for DKM).
    const weighted = ['idec', 'dcec', 'gceals', 'hardreg', 'mixture-em', 'dkm'];
    await page.click('#advanced summary');
    for (const method of methods) {
      await page.selectOption('#method-select', method);
      assert.equal(await page.isVisible('#gamma-input'), weighted.includes(method), `${method}: γ field shown only where the loss uses it`);
    }
    for (const method of methods.filter((m) => m !== 'dcec')) {
      await page.selectOption('#method-select', method);
      const help = await page.textContent('#method-help');
      assert.ok(help.length > 80, `${method} has an explanation: ${help}`);
      // Fast methods can finish between two polls: mark the old "done" so only a new one counts.
      await page.$eval('#status', (s) => { s.dataset.phase = 'test-started'; });
      await page.click('#train-button');
      const phase = await waitForPhase(page, ['done', 'error'], 5 * 60 * 1000);
      assert.equal(phase, 'done', `${method} ended in ${phase}: ${await page.textContent('#error')}`);
      const scores = await page.$eval('#metrics', (m) => ({ hidden: m.hidden, ...m.dataset }));
      assert.equal(scores.hidden, false, `${method}: metrics panel shown`);
      for (const key of ['acc', 'nmi', 'ari']) {
        const v = Number(scores[key]);
        assert.ok(v >= 0 && v <= 1, `${method}: ${key} = ${scores[key]}`);
      }
      // Chance on wine is ACC ≈ 0.40; every method finds the three cultivars far better.
      assert.ok(Number(scores.acc) > 0.6, `${method}: ACC ${scores.acc}`);
      const confusion = await page.$$eval('#confusion tr', (rows) => rows.map((r) => r.children.length));
      assert.deepEqual(confusion, [4, 4, 4, 4], `${method}: header + 3 classes, each with 3 clusters`);
      const total = await page.$$eval('#confusion td', (cells) => cells.reduce((s, c) => s + Number(c.textContent), 0));
      assert.equal(total, 178, `${method}: every row counted once`);
      console.log(`wine ${method}: ACC ${Number(scores.acc).toFixed(3)} NMI ${Number(scores.nmi).toFixed(3)} ARI ${Number(scores.ari).toFixed(3)}`);
    }
  });
});

test('compare all methods fills one row per method', { timeout: 20 * 60 * 1000 }, async (t) => {
  if (!wine) return t.skip('../shared/data/tabular/wine.csv is absent');
  await withApp({ webgpu: false, url }, async (page) => {
    // Short pretraining keeps this one quick; the test above runs the defaults.
    await loadWine(page, { epochs: 30 });
    await page.click('#compare-button');
    await page.waitForFunction(() => document.querySelector('#status-text').textContent.startsWith('Comparison finished'),
      null, { timeout: 15 * 60 * 1000, polling: 500 });
    const rows = await page.$$eval('#compare-table tbody tr', (trs) => trs.map((tr) => ({
      method: tr.dataset.method, cells: [...tr.children].map((c) => c.textContent),
    })));
    assert.deepEqual(rows.map((r) => r.method), (await methodValues(page)).filter((m) => m !== 'dcec'), 'DCEC is for images');
    for (const { method, cells } of rows) {
      assert.match(cells[1], /^0\.\d{3}$|^1\.000$/, `${method}: ACC cell ${cells}`);
    }
    assert.equal(await page.$eval('#train-button', (b) => b.disabled), false, 'usable again afterwards');
  });
});
