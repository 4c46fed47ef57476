// Teaching mode and the everyday tools: every sample trains, step-by-step mode stops at each
// phase with an explanation, the k chooser finds the 4 blobs, and a link with settings
// reproduces the same labels. CPU only: these are about the page, not the GPU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveForTests, withApp, waitForPhase, downloadText, parseCsv } from './helpers.mjs';

const app = serveForTests();

const clusters = (text) => {
  const { header, rows } = parseCsv(text);
  const at = header.indexOf('cluster');
  return rows.map((r) => Number(r[at]));
};

const ready = (page) => page.waitForFunction(() => !document.querySelector('#train-button').disabled, null, { timeout: 60_000 });

async function useCpu(page) {
  await page.click('#advanced summary');
  await page.selectOption('#device-select', 'cpu');
  await page.waitForFunction(() => document.querySelector('#backend').textContent.startsWith('CPU'));
}

/** Waits for step-by-step mode to pause with the explanation titled `title`. */
async function pausedAt(page, title) {
  await waitForPhase(page, ['paused', 'error'], 3 * 60 * 1000);
  assert.equal(await page.textContent('#error'), '');
  await page.waitForFunction((t) => document.querySelector('#explain-title').textContent.startsWith(t), title, { timeout: 5000 });
  assert.equal(await page.isEnabled('#next-step'), true);
}

// Each sample's file name and what it holds.
const SAMPLES = {
  blobs: '600 rows', moons: '500 rows', circles: '500 rows', anisotropic: '600 rows', imbalanced: '620 rows', noise: '1000 rows',
  cbf: '120 series', activities: '90 series', iris: '150 rows', wine: '178 rows', digits: '1797 rows',
};
const fileOf = (name) => ({ cbf: 'cbf.ts' })[name] ?? `${name}.csv`;

test('every sample loads and trains to done', { timeout: 20 * 60 * 1000 }, async () => {
  await withApp({ webgpu: false, url: app.url }, async (page) => {
    await useCpu(page);
    await page.fill('#epochs-input', '3');
    const options = await page.$$eval('#sample-select option', (os) => os.map((o) => o.value).filter(Boolean));
    assert.deepEqual(options.sort(), Object.keys(SAMPLES).sort());
    for (const [name, holds] of Object.entries(SAMPLES)) {
      await page.evaluate(() => { document.querySelector('#file-info').textContent = ''; });
      await page.selectOption('#sample-select', name);
      await page.waitForFunction((f) => document.querySelector('#file-info').textContent.startsWith(f), fileOf(name));
      assert.match(await page.textContent('#file-info'), new RegExp(`: ${holds}`), name);
      const rows = Number(holds.split(' ')[0]);
      assert.ok((await page.textContent('#sample-info')).length > 20, `${name} has a description`);
      await ready(page);
      await page.evaluate(() => { document.querySelector('#status').dataset.phase = 'test-started'; });
      await page.click('#train-button');
      assert.equal(await waitForPhase(page, ['done', 'error'], 5 * 60 * 1000), 'done', `${name}: ${await page.textContent('#error')}`);
      assert.equal(clusters(await downloadText(page)).length, rows, name);
      // Known classes are scored; the noise sample has none.
      assert.equal(await page.isHidden('#metrics'), name === 'noise', name);
    }
  });
});

test('step-by-step mode pauses after each phase and explains it', { timeout: 10 * 60 * 1000 }, async () => {
  await withApp({ webgpu: false, url: app.url }, async (page) => {
    await useCpu(page);
    await page.fill('#epochs-input', '3');
    await page.selectOption('#sample-select', 'blobs');
    await ready(page);
    await page.check('#step-mode');
    await page.click('#train-button');
    await pausedAt(page, 'Pretraining finished');
    assert.match(await page.textContent('#explain-body'), /L\s*rec/);
    assert.equal(await page.getAttribute('#scatter', 'data-points'), '600');
    assert.equal(await page.getAttribute('#scatter', 'data-centres'), '0', 'no clusters yet');
    // While paused, nothing moves on by itself.
    await page.waitForTimeout(1500);
    assert.equal(await page.$eval('#status', (s) => s.dataset.phase), 'paused');

    await page.click('#next-step');
    await pausedAt(page, 'First clusters from k-means');
    assert.equal(await page.getAttribute('#scatter', 'data-centres'), '4', 'the k-means centres are drawn');

    await page.keyboard.press('n'); // the keyboard route to the same button
    await pausedAt(page, 'Target update 1');
    assert.match(await page.textContent('#explain-body'), /KL\(P‖Q\)/);
    assert.equal(await page.isVisible('#confidence-histogram'), true);
    assert.equal(await page.getAttribute('#confidence-histogram', 'data-values'), '600');

    await page.click('#next-step');
    await pausedAt(page, 'Target update 2');

    // Switching step mode off lets the run finish on its own.
    await page.uncheck('#step-mode');
    assert.equal(await waitForPhase(page, ['done', 'error'], 5 * 60 * 1000), 'done', await page.textContent('#error'));
    assert.equal(await page.isEnabled('#next-step'), false);
    assert.equal(await page.isHidden('#explain'), true, 'the last pause\'s text went with step mode');

    // The timeline replays the run: its first frame is the unclustered embedding.
    const max = Number(await page.getAttribute('#timeline', 'max'));
    assert.ok(max >= 3, `timeline has ${max + 1} frames`);
    await page.$eval('#timeline', (t) => { t.value = '0'; t.dispatchEvent(new Event('input')); });
    assert.match(await page.textContent('#timeline-text'), /pretraining/);
    assert.equal(await page.getAttribute('#scatter', 'data-centres'), '0');
    await page.$eval('#timeline', (t) => { t.value = t.max; t.dispatchEvent(new Event('input')); });
    assert.equal(await page.getAttribute('#scatter', 'data-centres'), '4');
  });
});

test('step-by-step mode says why DEC stopped, and that k-means has no steps to pause at', { timeout: 10 * 60 * 1000 }, async () => {
  await withApp({ webgpu: false, url: `${app.url}#sample=iris&method=dec&k=3&epochs=5&device=cpu&step=1` }, async (page) => {
    await ready(page);
    await page.click('#train-button');
    // Next step until the run ends: the last update ends it without a pause of its own.
    for (let pauses = 0; ; pauses++) {
      assert.ok(pauses < 200, 'the run ends');
      const phase = await waitForPhase(page, ['paused', 'done', 'error'], 3 * 60 * 1000);
      if (phase !== 'paused') {
        assert.equal(phase, 'done', await page.textContent('#error'));
        break;
      }
      const said = await page.textContent('#status-text');
      await page.keyboard.press('n');
      // The next pause says another update (or epoch); the end says Done.
      await page.waitForFunction((before) => document.querySelector('#status-text').textContent !== before
        && !/^Going on/.test(document.querySelector('#status-text').textContent), said, { timeout: 60_000 });
    }
    assert.equal(await page.textContent('#explain-title'), 'Finished');
    const body = await page.textContent('#explain-body');
    assert.match(body, /Training has stopped: (at target update \d+, \d+\.\d\d% of the points changed cluster, fewer than the 0\.1% at which it stops|its \d+ refinement epochs ran)/, body);
    assert.match(body, /Replay the embedding/);

    await page.selectOption('#method-select', 'kmeans');
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 60_000), 'done', await page.textContent('#error'));
    assert.match(await page.textContent('#explain-body'), /clusters in one go/);
  });
});

test('step-by-step mode explains the neural mixture in its own words', { timeout: 10 * 60 * 1000 }, async () => {
  await withApp({ webgpu: false, url: app.url }, async (page) => {
    await useCpu(page); // default pretraining: the mixture starts from a real embedding
    await page.selectOption('#sample-select', 'blobs');
    await ready(page);
    await page.selectOption('#method-select', 'mixture-em');
    assert.match(await page.textContent('#method-help'), /no k-means anywhere/);
    await page.check('#step-mode');
    await page.click('#train-button');
    await pausedAt(page, 'Pretraining finished');
    await page.click('#next-step');
    await pausedAt(page, 'Cluster directions seeded (no k-means)');
    await page.click('#next-step');
    await pausedAt(page, 'Responsibilities recomputed (1)');
    assert.match(await page.textContent('#status-text'), /\(refining, epoch 1 of \d+\)/, 'how far refinement has come');
    const body = await page.textContent('#explain-body');
    assert.match(body, /E-step/);
    assert.match(body, /σ\(\(s/);
    await page.uncheck('#step-mode');
    assert.equal(await waitForPhase(page, ['done', 'error'], 5 * 60 * 1000), 'done', await page.textContent('#error'));
    const acc = Number(await page.$eval('#metrics', (m) => m.dataset.acc));
    console.log(`blobs mixture-em: ACC ${acc}`);
    assert.ok(acc >= 0.95, `the four blobs are found: ACC ${acc}`);
  });
});

test('step-by-step mode says how many neighbours N2D’s graph was built on', { timeout: 10 * 60 * 1000 }, async () => {
  await withApp({ webgpu: false, url: app.url }, async (page) => {
    await useCpu(page);
    await page.selectOption('#sample-select', 'iris');
    await ready(page);
    await page.selectOption('#method-select', 'n2d');
    await page.fill('#neighbours-input', '9'); // Advanced settings are open (useCpu)
    await page.fill('#epochs-input', '10');
    await page.check('#step-mode');
    await page.click('#train-button');
    await pausedAt(page, 'Pretraining finished');
    await page.click('#next-step');
    await pausedAt(page, 'Neighbour graph built');
    const body = await page.textContent('#explain-body');
    assert.match(body, /Every point’s 9 nearest neighbours/, body);
    assert.match(body, /sum to log₂ 9/);
    await page.uncheck('#step-mode');
    assert.equal(await waitForPhase(page, ['done', 'error'], 5 * 60 * 1000), 'done', await page.textContent('#error'));
  });
});

test('choosing k on four blobs suggests 4 and sets it', { timeout: 5 * 60 * 1000 }, async () => {
  await withApp({ webgpu: false, url: app.url }, async (page) => {
    // Arrowing through the list by keyboard, quickly: the sample it rests on is the one loaded.
    await page.focus('#sample-select');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => /stretched blobs|anisotropic/.test(document.querySelector('#file-info').textContent), null, { timeout: 60_000 });
    assert.equal(await page.inputValue('#sample-select'), 'anisotropic');
    // A real sample (a file fetched beside the page, slow here) and at once a made-up one (made
    // in the worker, sooner): the later choice stays loaded when the earlier one arrives.
    await page.route('**/samples/digits.csv', async (route) => {
      await new Promise((done) => setTimeout(done, 1000));
      await route.continue();
    });
    await page.selectOption('#sample-select', 'digits');
    await page.selectOption('#sample-select', 'blobs');
    await page.waitForFunction(() => /blobs/.test(document.querySelector('#file-info').textContent), null, { timeout: 60_000 });
    await page.waitForTimeout(2000);
    assert.match(await page.textContent('#file-info'), /blobs/);
    assert.equal(await page.inputValue('#sample-select'), 'blobs');
    await ready(page);
    await page.fill('#k-input', '2');
    await page.fill('#k-sweep-max', '8');
    await page.click('#k-sweep-button');
    await page.waitForFunction(() => document.querySelector('#k-sweep-plot').dataset.suggestedK !== undefined, null, { timeout: 3 * 60 * 1000 });
    assert.equal(await page.getAttribute('#k-sweep-plot', 'data-suggested-k'), '4');
    assert.equal(await page.inputValue('#k-input'), '4');
    assert.equal(await page.$$eval('#k-sweep-choices button', (bs) => bs.length), 7, 'one choice per k = 2..8');
    // Picking another k from the list sets it.
    await page.click('#k-sweep-choices button[data-k="6"]');
    assert.equal(await page.inputValue('#k-input'), '6');
    assert.equal(await page.isEnabled('#train-button'), true);
  });
});

test('a link with settings reproduces the same sample, settings and labels', { timeout: 10 * 60 * 1000 }, async () => {
  const link = `${app.url}#sample=moons&method=dec&k=2&seed=7&epochs=3&device=cpu`;
  const run = async () => {
    let labels;
    await withApp({ webgpu: false, url: link }, async (page) => {
      await ready(page);
      assert.equal(await page.inputValue('#sample-select'), 'moons');
      assert.equal(await page.inputValue('#method-select'), 'dec');
      assert.equal(await page.inputValue('#k-input'), '2');
      assert.equal(await page.inputValue('#seed-input'), '7');
      assert.equal(await page.inputValue('#epochs-input'), '3');
      assert.equal(await page.inputValue('#device-select'), 'cpu');
      await page.waitForFunction(() => document.querySelector('#backend').textContent.startsWith('CPU'));
      const href = await page.getAttribute('#share-link', 'href');
      for (const part of ['sample=moons', 'method=dec', 'k=2', 'seed=7', 'epochs=3', 'device=cpu']) assert.ok(href.includes(part), href);
      await page.evaluate(() => { document.querySelector('#status').dataset.phase = 'test-started'; });
      await page.click('#train-button');
      assert.equal(await waitForPhase(page, ['done', 'error'], 5 * 60 * 1000), 'done', await page.textContent('#error'));
      labels = clusters(await downloadText(page));
      // Changing a setting updates the link and the address bar.
      await page.fill('#k-input', '3');
      await page.dispatchEvent('#k-input', 'change');
      assert.match(await page.evaluate(() => location.hash), /k=3/);
    });
    return labels;
  };
  const first = await run();
  const second = await run();
  assert.equal(first.length, 500);
  assert.deepEqual(second, first, 'the same link gives the same labels');
  assert.ok(new Set(first).size === 2, 'two clusters');
});
