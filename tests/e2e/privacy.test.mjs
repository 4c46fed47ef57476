// Nothing leaves the machine: every request during a whole session goes to the page's own
// origin (blob: and data: URLs stay inside the page). On the CPU, so saving the model is part
// of the session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, withApp, dropFile, waitForPhase, downloadText, readShared } from './helpers.mjs';

let server;
let url;
let wine;

before(async () => {
  ({ server, url } = await startServer());
  wine = await readShared('tabular/wine.csv');
});
after(() => server?.close());

test('a full session makes no request to another origin', { timeout: 10 * 60 * 1000 }, async (t) => {
  if (!wine) return t.skip('../shared/data/tabular/wine.csv is absent');
  await withApp({ webgpu: false, url }, async (page) => {
    const requests = [];
    page.context().on('request', (r) => requests.push(r.url()));
    await page.reload(); // the first load happened before the listener: see it again
    await dropFile(page, 'wine.csv', wine);
    await page.waitForFunction(() => !document.querySelector('#train-button').disabled);
    await page.selectOption('#method-select', 'kmeans');
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 5 * 60 * 1000), 'done', await page.textContent('#error'));
    await downloadText(page);
    await page.click('#save-model');
    const own = new URL(url).origin;
    const foreign = requests.filter((u) => !u.startsWith('blob:') && !u.startsWith('data:') && new URL(u).origin !== own);
    console.log(`${requests.length} requests, ${foreign.length} to other origins`);
    assert.ok(requests.some((u) => u.endsWith('.wasm')), 'the recording saw the page load its wasm');
    assert.deepEqual(foreign, []);
  });
});
