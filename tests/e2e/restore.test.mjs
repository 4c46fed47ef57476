// Nothing is lost on a reload: the last finished result is kept in the browser, offered
// again, restores the plot, scores and downloads, and can be forgotten.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveForTests, withApp, waitForPhase, downloadText } from './helpers.mjs';

const app = serveForTests();

test('train, reload: the kept result is offered and restores the plot; forget removes it', { timeout: 5 * 60 * 1000 }, async () => {
  await withApp({ webgpu: false, url: `${app.url}#sample=iris&method=kmeans&k=3&device=cpu` }, async (page) => {
    await page.waitForFunction(() => !document.querySelector('#train-button').disabled, null, { timeout: 60_000 });
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 120_000), 'done', await page.textContent('#error'));
    const csv = await downloadText(page);
    const summary = await page.textContent('#summary');
    const acc = await page.getAttribute('#metrics', 'data-acc');

    await page.reload();
    await page.waitForSelector('#restore-box:not([hidden])', { timeout: 30_000 });
    assert.match(await page.textContent('#restore-text'), /iris\.csv, k-means, k = 3/);
    assert.equal(await page.getAttribute('#scatter', 'data-points'), '0', 'nothing drawn until asked');
    await page.click('#restore-last');
    assert.equal(await page.getAttribute('#scatter', 'data-points'), '150');
    assert.equal(await page.textContent('#summary'), summary);
    assert.equal(await page.getAttribute('#metrics', 'data-acc'), acc);
    assert.equal(await downloadText(page), csv, 'the same results download');
    assert.equal(await page.isHidden('#restore-box'), true);

    await page.reload();
    await page.waitForSelector('#restore-box:not([hidden])', { timeout: 30_000 });
    await page.click('#forget-last');
    await page.waitForSelector('#restore-box', { state: 'hidden' });
    await page.reload();
    await page.waitForFunction(() => !/Checking/.test(document.querySelector('#backend').textContent));
    await page.waitForTimeout(1000);
    assert.equal(await page.isHidden('#restore-box'), true, 'forgotten');
  });
});
