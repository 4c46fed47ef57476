// Time series in the browser: BasicMotions' two .ts files, a long CSV through the columns
// table, and a damaged .ts file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, withApp, waitForPhase, waitForLoaded, downloadText, parseCsv, exists, dropFile, clickFirstPoint, SHARED_DATA } from './helpers.mjs';

let server;
let url;
const DIR = join(SHARED_DATA, 'timeseries');

before(async () => {
  ({ server, url } = await startServer());
});
after(() => server?.close());

/** The first cluster's band chart is drawn, not blank. */
async function assertBandDrawn(page) {
  const drawn = await page.$eval('#gallery canvas.series-band', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let inked = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) inked++;
    return inked;
  });
  assert.ok(drawn > 100, `${drawn} pixels drawn in a band chart`);
}

test('ArrowHead: outlines line up, so automatic keeps time order, and a forced choice is kept', { timeout: 5 * 60 * 1000 }, async (t) => {
  if (!await exists(join(DIR, 'ArrowHead_TRAIN.ts'))) return t.skip('../shared/data/timeseries is absent');
  await withApp({ webgpu: false, url }, async (page) => {
    await page.setInputFiles('#file-input', [join(DIR, 'ArrowHead_TRAIN.ts'), join(DIR, 'ArrowHead_TEST.ts')]);
    assert.equal(await waitForLoaded(page, 60_000), '');
    assert.match(await page.$eval('#series-network', (s) => s.options[0].textContent), /in time order/);
    assert.match(await page.textContent('#file-warnings'), /line up in time: as they stand they match \d+ %/);
    // A short run in step-by-step mode: automatic's network, in its own words, and in the
    // saved model; then, forced to pool, the other one.
    await page.click('#advanced summary');
    await page.fill('#epochs-input', '2');
    await page.check('#step-mode');
    for (const [network, words, saved] of [['auto', /in time order/, 'conv1d-aligned 1 251'], ['conv', /pooled over time/, 'conv1d 1 251']]) {
      await page.selectOption('#series-network', network);
      await page.click('#train-button');
      await page.waitForFunction(() => document.querySelector('#status').dataset.phase === 'paused'
        && document.querySelector('#explain-title').textContent.startsWith('Pretraining finished'), null, { timeout: 120_000 });
      assert.match(await page.textContent('#explain-body'), words);
      await page.uncheck('#step-mode');  // the run goes on without pauses
      assert.equal(await waitForPhase(page, ['done', 'error'], 120_000), 'done', await page.textContent('#error'));
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-model')]);
      const model = (await readFile(await download.path())).toString('latin1');
      assert.ok(model.includes(`\narchitecture ${saved} `), `no "architecture ${saved}" line in the saved model`);
      await page.check('#step-mode');
    }
  });
});

test('A few series a thousand times larger: automatic scales each on its own, says why, and a forced choice is kept', { timeout: 5 * 60 * 1000 }, async (t) => {
  if (!await exists(join(DIR, 'ArrowHead_TRAIN.ts'))) return t.skip('../shared/data/timeseries is absent');
  // ArrowHead's outlines, every fifth one recorded at a thousand times the scale.
  let i = 0;
  const loud = (await readFile(join(DIR, 'ArrowHead_TRAIN.ts'), 'utf8')).split('\n').map((line) => {
    if (!/^-?\d/.test(line) || i++ % 5) return line;
    const [values, label] = line.split(':');
    return `${values.split(',').map((v) => String(Number(v) * 1000)).join(',')}:${label}`;
  }).join('\n');
  await withApp({ webgpu: false, url }, async (page) => {
    await page.setInputFiles('#file-input', { name: 'ArrowHead_loud.ts', mimeType: 'text/plain', buffer: Buffer.from(loud) });
    assert.equal(await waitForLoaded(page, 60_000), '');
    assert.match(await page.$eval('#series-scaling', (s) => s.options[0].textContent), /each series on its own/);
    assert.match(await page.textContent('#file-warnings'), /each series is scaled on its own \(shapes only\): the typical series moves by [\d.]+ % as much/);
    await page.click('#advanced summary');
    await page.fill('#epochs-input', '2');
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 120_000), 'done', await page.textContent('#error'));
    const saved = async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-model')]);
      return (await readFile(await download.path())).toString('latin1');
    };
    assert.ok((await saved()).includes('\nseries 1 251 series'), 'the saved model scales new series one by one');
    // Over all series instead: read again, the note gone, the choice kept.
    await page.selectOption('#series-scaling', 'channel');
    await page.waitForFunction(() => !/scaled on its own/.test(document.querySelector('#file-warnings').textContent), null, { timeout: 60_000 });
    assert.equal(await page.inputValue('#series-scaling'), 'channel', 'the choice stays as made');
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 120_000), 'done', await page.textContent('#error'));
    assert.ok((await saved()).includes('\nseries 1 251 channel'), 'the saved model scales over all series');
  });
});

test('Series cut short: automatic pads them, a run trains on them and draws them, resampling is a choice', { timeout: 5 * 60 * 1000 }, async (t) => {
  if (!await exists(join(DIR, 'ArrowHead_TRAIN.ts'))) return t.skip('../shared/data/timeseries is absent');
  // ArrowHead's outlines as if each scan had stopped after 130 to 250 of its 251 points.
  let i = 0;
  const cut = (await readFile(join(DIR, 'ArrowHead_TRAIN.ts'), 'utf8')).split('\n').map((line) => {
    if (!/^-?\d/.test(line)) return line.startsWith('@data') ? '@equalLength false\n@data' : line;
    const [values, label] = line.split(':');
    return `${values.split(',').slice(0, 130 + ((i++ * 37) % 121)).join(',')}:${label}`;
  }).join('\n');
  await withApp({ webgpu: false, url }, async (page) => {
    await page.setInputFiles('#file-input', { name: 'ArrowHead_cut.ts', mimeType: 'text/plain', buffer: Buffer.from(cut) });
    assert.equal(await waitForLoaded(page, 60_000), '');
    assert.equal(await page.isVisible('#series-lengths'), true, 'unequal lengths offer the choice');
    assert.match(await page.$eval('#series-lengths', (s) => s.options[0].textContent), /padded/);
    const notes = await page.textContent('#file-warnings');
    const longest = /series have 130 to (\d+) points; shorter ones are padded at the end to \1 points.*padded they match \d+ % and resampled \d+ %/.exec(notes)?.[1];
    assert.ok(longest, notes);
    assert.equal(await page.inputValue('#series-length'), longest);
    await page.click('#advanced summary');
    await page.fill('#epochs-input', '3');
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 120_000), 'done', await page.textContent('#error'));
    // Each band is drawn where its members have points, and the saved model pads new series.
    await assertBandDrawn(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-model')]);
    const model = (await readFile(await download.path())).toString('latin1');
    assert.ok(model.includes(`\nseries 1 ${longest} channel pad 1\n`), 'the saved model says the series were padded');
    // Resampling instead: the same file read again, at the median length.
    await page.selectOption('#series-lengths', 'resample');
    await page.waitForFunction(() => /each is resampled/.test(document.querySelector('#file-warnings').textContent), null, { timeout: 60_000 });
    assert.ok(Number(await page.inputValue('#series-length')) < Number(longest));
    assert.equal(await page.inputValue('#series-lengths'), 'resample', 'the choice stays as made');
  });
});

test('BasicMotions: two .ts files join, train with defaults, galleries of series, 80 rows in the CSV', { timeout: 10 * 60 * 1000 }, async (t) => {
  if (!await exists(join(DIR, 'BasicMotions_TRAIN.ts'))) return t.skip('../shared/data/timeseries is absent');
  await withApp({ webgpu: false, url }, async (page) => {
    await page.setInputFiles('#file-input', [join(DIR, 'BasicMotions_TRAIN.ts'), join(DIR, 'BasicMotions_TEST.ts')]);
    assert.equal(await waitForLoaded(page, 60_000), '');
    const info = await page.textContent('#file-info');
    assert.match(info, /80 series, 6 channels × 100 points, 4 known classes/, info);
    assert.equal(await page.isVisible('#series-options'), true, 'length and scaling are offered');
    assert.equal(await page.inputValue('#series-length'), '100');
    assert.equal(await page.isVisible('#columns-box'), false, 'a .ts file has no columns table');
    assert.equal(await page.$eval('#k-input', (e) => e.value), '4');
    // A run moves more than standing still: automatic keeps each channel's scale over all series.
    assert.equal(await page.inputValue('#series-scaling'), 'auto');
    assert.match(await page.$eval('#series-scaling', (s) => s.options[0].textContent), /each channel over all series/);
    assert.doesNotMatch(await page.textContent('#file-warnings'), /scaled on its own/);
    // Activities do not line up in time: automatic pools over time, and the notes say why.
    assert.match(await page.$eval('#series-network', (s) => s.options[0].textContent), /pooled/);
    assert.match(await page.textContent('#file-warnings'), /do not line up in time/);
    await page.click('#train-button');
    const phase = await waitForPhase(page, ['done', 'error'], 8 * 60 * 1000);
    assert.equal(phase, 'done', await page.textContent('#error'));

    const panels = await page.$$eval('#gallery .series-gallery', (gs) => gs.map((g) => ({
      bands: g.querySelectorAll('canvas.series-band').length,
      thumbs: g.querySelectorAll('canvas.series-thumb').length,
      size: Number(/(\d+) series/.exec(g.querySelector('h4').textContent)[1]),
    })));
    assert.ok(panels.length >= 2, `${panels.length} clusters have a panel`);
    assert.equal(panels.reduce((a, p) => a + p.size, 0), 80, 'every series is in one panel');
    assert.ok(panels.every((p) => p.bands === 6 && p.thumbs > 0), JSON.stringify(panels));
    // Above the panels: how each channel tells the clusters apart (all six are drawn, in the file's order).
    assert.match(await page.textContent('#gallery .series-separation'),
      /^What tells the clusters apart \(the share of each channel's variation that lies between them\): channel \d in (its level|how much it moves|its shape over time) \(\d+ %\);/);
    assert.deepEqual(await page.$$eval('#gallery .series-gallery:first-of-type figcaption', (f) => f.map((c) => c.textContent)),
      ['channel 1', 'channel 2', 'channel 3', 'channel 4', 'channel 5', 'channel 6']);
    // What sets each cluster apart, as for a table: each channel's level and movement.
    assert.equal(await page.isVisible('#profiles'), true);
    assert.match(await page.textContent('#profiles .profile-list'), /Cluster \d · \d+ series · channel \d (level|movement) (high|low): /);
    assert.equal(await page.$$eval('#profiles table.heatmap thead th', (t) => t.length), 1 + 12);
    assert.match(await page.textContent('#profiles .heatmap-legend'), /lower than over all series/);
    // The band chart is drawn, not blank: some pixels differ from the first.
    await assertBandDrawn(page);
    const acc = Number(await page.getAttribute('#metrics', 'data-acc'));
    console.log(`BasicMotions in the browser (defaults, CPU): ACC ${acc.toFixed(3)}`);
    assert.ok(acc > 0.4, `ACC ${acc}: four classes, chance is 0.25`);

    const { header, rows } = parseCsv(await downloadText(page));
    assert.deepEqual(header, ['series', 'cluster', 'confidence']);
    assert.equal(rows.length, 80);
    assert.equal(rows[0][0], 'BasicMotions_TRAIN.ts#1');
    assert.equal(rows[79][0], 'BasicMotions_TEST.ts#40');

    // A point of the scatter shows its series.
    await clickFirstPoint(page);
    await page.waitForSelector('#point-preview canvas.series-thumb');
    assert.match(await page.textContent('#point-preview'), /BasicMotions_TRAIN\.ts#\d+: cluster \d/);

    // The map view works for series as for tables.
    await page.selectOption('#view-select', 'map');
    await page.waitForFunction(() => /The map is ready|could not/.test(document.querySelector('#status-text').textContent + document.querySelector('#error').textContent),
      null, { timeout: 3 * 60 * 1000, polling: 250 });
    assert.equal(await page.textContent('#error'), '');
    assert.equal(await page.getAttribute('#scatter', 'data-points'), '80');

    // The saved model reads new series at its length and scaling and places them.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-model')]);
    const model = await readFile(await download.path());
    assert.match(model.toString('latin1'), /\nseries 6 100 channel\nseries_scale /);
    await page.setInputFiles('#load-model', { name: 'motions.model', mimeType: 'application/octet-stream', buffer: model });
    await page.waitForFunction(() => /series of 6 channels × 100 points/.test(document.querySelector('#model-info').textContent));
    await page.setInputFiles('#predict-input', join(DIR, 'BasicMotions_TEST.ts'));
    await page.waitForFunction(() => /40 series placed/.test(document.querySelector('#predict-summary').textContent)
      || document.querySelector('#error').textContent, null, { timeout: 60_000 });
    assert.equal(await page.textContent('#error'), '');
    assert.match(await page.textContent('#predict-summary'), /Against its label column: ACC/);
    // The placed series' clusters are described as a run's are.
    assert.equal(await page.textContent('#predict-profiles h3'), 'The new series’ clusters: what sets each apart');
    assert.match(await page.textContent('#predict-profiles .profile-list'), /Cluster \d · \d+ series · channel \d (level|movement)/);
  });
});

test('eight channels, one of which tells the clusters apart: the panels draw the six that differ most, that one first', { timeout: 3 * 60 * 1000 }, async () => {
  // 30 series of 8 channels × 16 points, seeded noise; only "pressure" sits at a level per class.
  let seed = 7;
  const noise = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 - 0.5; };
  const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'pressure'];
  const lines = Array.from({ length: 30 }, (_, i) => `${names.map((_, ch) => Array.from({ length: 16 },
    () => ((ch === 7 ? 10 * (i % 3) : 0) + noise()).toFixed(3)).join(',')).join(':')}:c${i % 3}`);
  const ts = `@problemName Pressure\n@dimensions 8\n@classLabel true c0 c1 c2\n@data\n${lines.join('\n')}\n`;
  await withApp({ webgpu: false, url }, async (page) => {
    await page.setInputFiles('#file-input', { name: 'Pressure.ts', mimeType: 'text/plain', buffer: Buffer.from(ts) });
    assert.equal(await waitForLoaded(page, 60_000), '');
    await page.selectOption('#method-select', 'kmeans');
    await page.fill('#k-input', '3');
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 120_000), 'done', await page.textContent('#error'));
    assert.match(await page.textContent('#summary'), /^k-means: 30 series in 3 clusters/);
    const lead = await page.textContent('#gallery .series-separation');
    assert.match(lead, /: channel 8 in its level \(\d+ %\); channel \d in /, lead);
    assert.match(lead, /The panels draw the 6 channels that differ most; the other 2 differ less\.$/, lead);
    const captions = await page.$$eval('#gallery .series-gallery:first-of-type figcaption', (f) => f.map((c) => c.textContent));
    assert.equal(captions.length, 6);
    assert.equal(captions[0], 'channel 8');
    // The clusters' profiles keep to the same six channels: level and movement of each.
    const columns = await page.$$eval('#profiles table.heatmap thead th', (t) => t.slice(1).map((c) => c.textContent));
    assert.deepEqual([columns.length, columns[0]], [12, 'channel 8 level']);
  });
});

test('the series samples: Cylinder-Bell-Funnel as a .ts, a wrist accelerometer as a CSV with a series in each row', { timeout: 5 * 60 * 1000 }, async () => {
  await withApp({ webgpu: false, url }, async (page) => {
    await page.selectOption('#sample-select', 'cbf');
    assert.equal(await waitForLoaded(page, 60_000), '');
    assert.match(await page.textContent('#file-info'), /^cbf\.ts: 120 series, 1 channel × 128 points, 3 known classes/);
    assert.match(await page.textContent('#sample-info'), /Cylinder-Bell-Funnel/);
    assert.equal(await page.isVisible('#series-options'), true);
    await page.selectOption('#sample-select', 'activities');
    await page.waitForFunction(() => /^activities\.csv/.test(document.querySelector('#file-info').textContent));
    assert.match(await page.textContent('#file-info'), /^activities\.csv: 90 series, 3 channels × 100 points, 3 known classes/);
    assert.equal(await page.isVisible('#columns-box'), false, 'a sample opens as series, not as a table to tick');
    await page.selectOption('#method-select', 'kmeans');
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 120_000), 'done', await page.textContent('#error'));
    assert.match(await page.textContent('#summary'), /^k-means: 90 series in 3 clusters/);
    assert.match(await page.textContent('#gallery .series-separation'), /lies between them\): acc_[xyz] in /);
    const { header, rows } = parseCsv(await downloadText(page));
    assert.deepEqual([header, rows.length, rows[0][0]], [['series', 'cluster', 'confidence'], 90, 'r1']);
    // A shared link names the sample, which a fresh page loads again.
    assert.match(await page.getAttribute('#share-link', 'href'), /sample=activities/);
  });
});

/**
 * Cylinder-Bell-Funnel (Saito 1994; the native test's set, at half the length) as a long CSV:
 * `per` series of each shape, 64 steps, a plateau, a ramp up or a ramp down of height about
 * 6 starting anywhere in 8..16 and lasting 16 to 48 steps, noise of sd 1, a second channel at
 * half the height; the rows out of order (the step column puts them back). Seeded.
 */
function longCsv(per = 20) {
  let seed = 12345;
  const uniform = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const normal = () => Math.sqrt(-2 * Math.log(uniform() || 1e-9)) * Math.cos(2 * Math.PI * uniform());
  const rows = [];
  for (let i = 0; i < 3 * per; i++) {
    const shape = i % 3;
    const a = 8 + 8 * uniform();
    const b = a + 16 + 32 * uniform();
    const height = 6 + normal();
    for (let t = 0; t < 64; t++) {
      const inside = t >= a && t <= b ? height : 0;
      const v = [inside, (inside * (t - a)) / (b - a), (inside * (b - t)) / (b - a)][shape];
      rows.push(`s${i},${t},${(v + normal()).toFixed(3)},${(v / 2 + normal() / 2).toFixed(3)},${['cylinder', 'bell', 'funnel'][shape]}`);
    }
  }
  rows.sort((x, y) => (x.length % 5) - (y.length % 5) || x.localeCompare(y));
  return `${['id,step,x,y,label', ...rows].join('\n')}\n`;
}

test('a long CSV becomes series through the columns table, and goes back to a table', { timeout: 10 * 60 * 1000 }, async () => {
  await withApp({ webgpu: false, url }, async (page) => {
    await dropFile(page, 'shapes.csv', longCsv());
    assert.equal(await waitForLoaded(page, 60_000), '');
    assert.match(await page.textContent('#file-info'), /3840 rows/);
    // A time column before a series id is explained, and nothing changes.
    await page.selectOption('#columns tr[data-column="step"] select.role', 'time');
    await page.waitForFunction(() => document.querySelector('#error').textContent.includes('series id'));
    assert.match(await page.textContent('#file-info'), /3840 rows/);
    await page.selectOption('#columns tr[data-column="id"] select.role', 'series');
    await page.waitForFunction(() => /60 series/.test(document.querySelector('#file-info').textContent));
    assert.match(await page.textContent('#file-info'), /60 series, 3 channels × 64 points, 3 known classes/);
    // "step" is still a channel: make it the time column.
    await page.selectOption('#columns tr[data-column="step"] select.role', 'time');
    await page.waitForFunction(() => /2 channels × 64 points/.test(document.querySelector('#file-info').textContent));
    assert.match(await page.textContent('#columns-summary'), /series id “id”, 2 channels, label “label”/);
    assert.equal(await page.isVisible('#table-options'), false, 'a table\'s missing-cell and scaling menus do not apply');
    assert.equal(await page.$eval('#method-select', (e) => e.value), 'n2d', 'N2D by default for series');
    await page.click('#train-button');
    const phase = await waitForPhase(page, ['done', 'error'], 8 * 60 * 1000);
    assert.equal(phase, 'done', await page.textContent('#error'));
    const { header, rows } = parseCsv(await downloadText(page));
    assert.deepEqual(header, ['series', 'cluster', 'confidence']);
    assert.equal(rows.length, 60);
    const acc = Number(await page.getAttribute('#metrics', 'data-acc'));
    console.log(`Cylinder-Bell-Funnel from a long CSV (defaults): ACC ${acc.toFixed(3)}`);
    assert.ok(acc > 0.6, `three shapes, chance is 1/3: ACC ${acc}`);
    // The series id back to ignored: a table again, the step column with it.
    await page.selectOption('#columns tr[data-column="id"] select.role', 'ignored');
    await page.waitForFunction(() => /3840 rows/.test(document.querySelector('#file-info').textContent));
    assert.equal(await page.isVisible('#series-options'), false);
  });
});

test('a database\'s long export: choosing the series id finds the time among the dates and leaves the text out, the columns table says so, and its saved model places a new export', { timeout: 3 * 60 * 1000 }, async () => {
  // Meter readings: ids as text, times as dates, rows in any order, a text column.
  const rows = [];
  for (let m = 0; m < 6; m++) {
    for (let h = 0; h < 12; h++) rows.push(`meter-${m},2024-03-01 ${String(h).padStart(2, '0')}:00:00,${m % 2 ? 12 - h : h},${m % 2 ? 'home' : 'shop'}`);
  }
  rows.sort((a, b) => (a.length * 7 + a.charCodeAt(a.length - 6)) % 11 - (b.length * 7 + b.charCodeAt(b.length - 6)) % 11);
  await withApp({ webgpu: false, url }, async (page) => {
    await dropFile(page, 'meters.csv', `meter_id,reading_time,kwh,site_type\n${rows.join('\n')}\n`);
    assert.equal(await waitForLoaded(page, 60_000), '');
    await page.selectOption('#columns tr[data-column="meter_id"] select.role', 'series');
    await page.waitForFunction(() => /6 series/.test(document.querySelector('#file-info').textContent));
    assert.match(await page.textContent('#file-info'), /6 series, 1 channel × 12 points/);
    const notes = await page.textContent('#file-warnings');
    assert.match(notes, /"reading_time" is read as the time of each row/, notes);
    assert.match(notes, /"site_type" holds text, not measurements: left out/, notes);
    assert.equal(await page.$eval('#columns tr[data-column="reading_time"] select.role', (s) => s.value), 'time');
    assert.equal(await page.$eval('#columns tr[data-column="site_type"] select.role', (s) => s.value), 'ignored');
    assert.match(await page.textContent('#columns tr[data-column="reading_time"] .reason'), /the time of each row/);
    // Its saved model places a new export of the same kind: read by the id column it was
    // trained with, the channel found by name among columns in another order.
    await page.selectOption('#method-select', 'kmeans');
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 60_000), 'done', await page.textContent('#error'));
    const trained = parseCsv(await downloadText(page)).rows.map((r) => r[1]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-model')]);
    const modelBytes = await readFile(await download.path());
    await page.setInputFiles('#load-model', { name: 'meters.model', mimeType: 'application/octet-stream', buffer: modelBytes });
    await page.waitForFunction(() => /series of 1 channel/.test(document.querySelector('#model-info').textContent));
    const swapped = rows.map((r) => { const [id, time, kwh, site] = r.split(','); return `${site},${kwh},${time},${id}`; });
    await page.setInputFiles('#predict-input', { name: 'more-meters.csv', mimeType: 'text/csv', buffer: Buffer.from(`site_type,kwh,reading_time,meter_id\n${swapped.join('\n')}\n`) });
    await page.waitForSelector('#predict-download:not([hidden])');
    assert.match(await page.textContent('#predict-summary'), /6 series placed/);
    const [pd] = await Promise.all([page.waitForEvent('download'), page.click('#predict-download')]);
    const placed = parseCsv(await readFile(await pd.path(), 'utf8')).rows.map((r) => r[1]);
    assert.deepEqual(placed, trained, 'each meter in the cluster it was trained in');
  });
});

test('a damaged .ts file is refused with its line, the loaded data stays and trains on the recurrent network', { timeout: 3 * 60 * 1000 }, async () => {
  await withApp({ webgpu: false, url }, async (page) => {
    await dropFile(page, 'good.ts', '@classLabel true a b\n@data\n1,2,3,4,5,6,7,8:a\n8,7,6,5,4,3,2,1:b\n1,2,3,4,5,6,7,9:a\n', 'text/plain');
    assert.equal(await waitForLoaded(page, 60_000), '');
    assert.match(await page.textContent('#file-info'), /3 series, 1 channel × 8 points/);
    await dropFile(page, 'bad.ts', '@data\n1,2,3:4,5,6\n1,2,x:4,5,6\n', 'text/plain');
    await page.waitForFunction(() => document.querySelector('#error').textContent.length > 0);
    const error = await page.textContent('#error');
    assert.match(error, /bad\.ts line 3, channel 1, value 3: "x" is not a number/, error);
    assert.match(error, /good\.ts is still loaded/, error);
    assert.equal(await page.isDisabled('#train-button'), false, 'the page stays usable');
    // The loaded series train on the recurrent network when it is chosen.
    await page.selectOption('#series-network', 'gru');
    await page.fill('#k-input', '2');
    await page.click('#train-button');
    const phase = await waitForPhase(page, ['done', 'error'], 2 * 60 * 1000);
    assert.equal(phase, 'done', await page.textContent('#error'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-model')]);
    assert.match((await readFile(await download.path())).toString('latin1'), /\narchitecture gru 1 8 /);
  });
});

/** A `.ts` file's series as `[channels, label]`, each channel its values as text. */
function tsSeries(text) {
  const lines = text.split('\n');
  return lines.slice(lines.findIndex((l) => /^@data/i.test(l)) + 1).filter((l) => l.trim()).map((l) => {
    const parts = l.trim().split(':');
    return [parts.slice(0, -1), parts.at(-1)];
  });
}

test('the archive\'s other files: the UCR\'s NAME_TRAIN.tsv pair and an .arff open as series and train; a table named so is refused', { timeout: 5 * 60 * 1000 }, async (t) => {
  if (!await exists(join(DIR, 'GunPoint_TRAIN.ts'))) return t.skip('../shared/data/timeseries is absent');
  // GunPoint in the UCR's 2018 layout, the last training series cut short with NaN as the archive pads.
  const ucr = async (name) => tsSeries(await readFile(join(DIR, `GunPoint_${name}.ts`), 'utf8'))
    .map(([[values], label], i, all) => {
      const v = values.split(',');
      if (name === 'TRAIN' && i === all.length - 1) v.fill('NaN', 100);
      return `${label}\t${v.join('\t')}\n`;
    }).join('');
  const motions = async (name) => {
    const series = tsSeries(await readFile(join(DIR, `BasicMotions_${name}.ts`), 'utf8'));
    const steps = series[0][0][0].split(',').length;
    return '% BasicMotions as the archive ships it in Weka\'s format\n@relation BasicMotions\n@attribute relationalAtt relational\n'
      + Array.from({ length: steps }, (_, i) => `@attribute att${i} numeric\n`).join('')
      + '@end relationalAtt\n@attribute activity {Standing,Running,Walking,Badminton}\n@data\n'
      + series.map(([channels, label]) => `'${channels.join('\\n')}',${label}\n`).join('');
  };
  await withApp({ webgpu: false, url }, async (page) => {
    await page.setInputFiles('#file-input', [
      { name: 'GunPoint_TRAIN.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(await ucr('TRAIN')) },
      { name: 'GunPoint_TEST.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(await ucr('TEST')) },
    ]);
    assert.equal(await waitForLoaded(page, 60_000), '');
    assert.match(await page.textContent('#file-info'), /200 series, 1 channel × 150 points/);
    const notes = await page.textContent('#file-warnings');
    assert.equal(notes.match(/read as the UCR archive's text layout/g)?.length, 1, notes);
    assert.match(notes, /GunPoint_TRAIN\.tsv: 1 series end in missing values \(NaN\)/);
    await page.click('#advanced summary');
    await page.fill('#epochs-input', '2');
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 120_000), 'done', await page.textContent('#error'));
    const { header, rows } = parseCsv(await downloadText(page));
    assert.deepEqual(header, ['series', 'cluster', 'confidence']);
    assert.equal(rows.length, 200);
    assert.equal(rows[0][0], 'GunPoint_TRAIN.tsv#1');
    assert.equal(rows[199][0], 'GunPoint_TEST.tsv#150');
    // A table of one's own named like the archive's files: refused with what to do, GunPoint stays.
    await dropFile(page, 'Sales_TEST.tsv', 'region\tq1\tq2\nnorth\t1\t2\n', 'text/tab-separated-values');
    await page.waitForFunction(() => document.querySelector('#error').textContent.length > 0);
    const error = await page.textContent('#error');
    assert.match(error, /Sales_TEST\.tsv line 1, value 1: "q1" is not a number.*Rename the file/, error);
    assert.match(error, /is still loaded/, error);
    // BasicMotions in Weka's format: six channels in one relational attribute.
    await page.setInputFiles('#file-input', [
      { name: 'BasicMotions_TRAIN.arff', mimeType: 'text/plain', buffer: Buffer.from(await motions('TRAIN')) },
      { name: 'BasicMotions_TEST.arff', mimeType: 'text/plain', buffer: Buffer.from(await motions('TEST')) },
    ]);
    await page.waitForFunction(() => document.querySelector('#file-info').textContent.startsWith('BasicMotions'), null, { timeout: 60_000 });
    assert.match(await page.textContent('#file-info'), /80 series, 6 channels × 100 points, 4 known classes/);
    assert.equal(await page.textContent('#error'), '', 'the error went with the new data');
  });
});

test('a CSV with a series in each row: ticked, its number columns become time steps; unticked, a table again', { timeout: 5 * 60 * 1000 }, async (t) => {
  if (!await exists(join(DIR, 'GunPoint_TRAIN.ts'))) return t.skip('../shared/data/timeseries is absent');
  // GunPoint as a table of gestures: a name, 150 readings, a recording date (text), the class;
  // four gestures in five stop early (empty cells), so a table reading leaves their last
  // columns out as mostly empty, and a series reading keeps them as the ends of longer ones.
  const series = tsSeries(await readFile(join(DIR, 'GunPoint_TRAIN.ts'), 'utf8'));
  const steps = Array.from({ length: 150 }, (_, i) => `x${i + 1}`);
  const rows = series.map(([[values], label], i) => {
    const v = values.split(',');
    if (i % 5 !== 0) v.fill('', 120);
    return `gesture ${i + 1},${v.join(',')},2004-0${1 + (i % 9)}-01,${label}`;
  });
  const csv = `${['name', ...steps, 'recorded', 'class'].join(',')}\n${rows.join('\n')}\n`;
  await withApp({ webgpu: false, url }, async (page) => {
    await dropFile(page, 'gestures.csv', csv);
    assert.equal(await waitForLoaded(page, 60_000), '');
    assert.match(await page.textContent('#file-info'), /50 rows/);
    assert.equal(await page.isChecked('#rows-series'), false);
    assert.equal(await page.isVisible('#rows-series-hint'), false, 'columns with names of their own are not called time steps');
    const asTable = await page.textContent('#columns-summary');
    assert.match(asTable, /120 features/, 'the mostly empty columns are left out of the table');
    await page.check('#rows-series');
    await page.waitForFunction(() => /50 series/.test(document.querySelector('#file-info').textContent));
    assert.match(await page.textContent('#file-info'), /50 series, 1 channel × (120|150) points, 2 known classes/);  // unequal: the length automatic picks
    // The column of names (an identifier) names the series; the date is left out.
    assert.match(await page.textContent('#columns-summary'), /a series in each row named by “name”, 150 time steps, label “class”, 1 ignored/);
    assert.equal(await page.$eval('#columns tr[data-column="x1"] select.role', (s) => s.selectedOptions[0].textContent), 'time step');
    assert.equal(await page.$$eval('#columns tr[data-column="x1"] select.role option[value="time"]', (o) => o.length), 0, 'no time column with a series in each row');
    const notes = await page.textContent('#file-warnings');
    assert.match(notes, /each row read as one series, its 150 value columns \(x1 to x150\)/);
    assert.match(notes, /40 series end in missing values \(empty cells\)/);
    // Chosen by hand, the name column is left out (the results number the series); chosen again, it names them.
    await page.selectOption('#columns tr[data-column="name"] select.role', 'ignored');
    await page.waitForFunction(() => /a series in each row, 150 time steps, label “class”, 2 ignored/.test(document.querySelector('#columns-summary').textContent));
    await page.selectOption('#columns tr[data-column="name"] select.role', 'series');
    await page.waitForFunction(() => /named by “name”/.test(document.querySelector('#columns-summary').textContent));
    assert.equal(await page.isChecked('#rows-series'), true, 'still a series in each row');
    await page.click('#advanced summary');
    await page.fill('#epochs-input', '2');
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 120_000), 'done', await page.textContent('#error'));
    const { header, rows: out } = parseCsv(await downloadText(page));
    assert.deepEqual(header, ['series', 'cluster', 'confidence']);
    assert.deepEqual([out.length, out[0][0], out[49][0]], [50, 'gesture 1', 'gesture 50']);
    // The saved model reads a new CSV as this one was read: the same gestures land where they are.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-model')]);
    const model = await readFile(await download.path());
    assert.match(model.toString('latin1'), /\nseries_rows wide\tid=name\tlabel=class\tignored=recorded\n/);
    await page.setInputFiles('#load-model', { name: 'gestures.model', mimeType: 'application/octet-stream', buffer: model });
    await page.waitForFunction(() => /new series/.test(document.querySelector('#model-info').textContent));
    await page.setInputFiles('#predict-input', { name: 'more-gestures.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForSelector('#predict-download:not([hidden])', { timeout: 60_000 });
    const [pd] = await Promise.all([page.waitForEvent('download'), page.click('#predict-download')]);
    const placed = parseCsv(await readFile(await pd.path(), 'utf8'));
    assert.deepEqual(placed.rows.map((r) => r.slice(0, 2)), out.map((r) => r.slice(0, 2)));
    // Unticked: a table of 150 features again, the series options gone.
    await page.uncheck('#rows-series');
    await page.waitForFunction(() => /50 rows/.test(document.querySelector('#file-info').textContent));
    assert.equal(await page.isVisible('#series-options'), false);
    assert.equal(await page.textContent('#columns-summary'), asTable, 'the table as it was before');
    // A table of heartbeats without a header (as Kaggle's are), the class last: the page says
    // the columns look like time steps; with the class as the label, ticked, 40 points each.
    const beats = series.slice(0, 30).map(([[values], label]) => `${values.split(',').slice(0, 40).join(',')},${label}`);
    await dropFile(page, 'heartbeats.csv', `${beats.join('\n')}\n`);
    await page.waitForFunction(() => /heartbeats\.csv: 30 rows/.test(document.querySelector('#file-info').textContent));
    assert.match(await page.textContent('#rows-series-hint'), /Its 41 number columns have no names of their own/);
    if (!await page.$eval('#columns-details', (d) => d.open)) await page.click('#columns-summary');  // a long table starts folded
    await page.$eval('#columns-details', (d) => { d.open = true; });
    await page.selectOption('#columns tr[data-column="col41"] select.role', 'label');
    await page.waitForFunction(() => /label “col41”/.test(document.querySelector('#columns-summary').textContent));
    await page.check('#rows-series');
    await page.waitForFunction(() => /30 series/.test(document.querySelector('#file-info').textContent));
    assert.match(await page.textContent('#file-info'), /30 series, 1 channel × 40 points, 2 known classes/);
    assert.equal(await page.isVisible('#rows-series-hint'), false);
    // BasicMotions flattened as a smartwatch export would be: acc_x_1…acc_x_100, …, gyr_z_100.
    const motions = tsSeries(await readFile(join(DIR, 'BasicMotions_TRAIN.ts'), 'utf8'));
    const sensors = ['acc_x', 'acc_y', 'acc_z', 'gyr_x', 'gyr_y', 'gyr_z'];
    const names = sensors.flatMap((c) => Array.from({ length: 100 }, (_, i) => `${c}_${i + 1}`));
    const flat = motions.map(([channels, label]) => `${channels.join(',')},${label}`);
    await dropFile(page, 'motions.csv', `${[...names, 'class'].join(',')}\n${flat.join('\n')}\n`);
    await page.waitForFunction(() => /motions\.csv: 40 rows/.test(document.querySelector('#file-info').textContent));
    assert.match(await page.textContent('#rows-series-hint'),
      /Its 600 number columns are named as the time steps of 6 channels \(acc_x, acc_y, acc_z, gyr_x, gyr_y, gyr_z\), 100 each/);
    await page.check('#rows-series');
    await page.waitForFunction(() => /40 series/.test(document.querySelector('#file-info').textContent));
    assert.match(await page.textContent('#file-info'), /40 series, 6 channels × 100 points, 4 known classes/);
    assert.match(await page.textContent('#columns-summary'), /a series in each row, 6 channels × 100 time steps, label “class”/);
    // The channels keep their names in the results.
    await page.selectOption('#method-select', 'kmeans');
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 120_000), 'done', await page.textContent('#error'));
    assert.deepEqual(await page.$$eval('#gallery .series-gallery:first-of-type figcaption', (f) => f.map((c) => c.textContent)), sensors);
    assert.match(await page.textContent('#gallery .series-separation'), /lies between them\): (acc|gyr)_[xyz] in /);
    assert.match(await page.textContent('#file-warnings'), /the column names make 6 channels \(acc_x, acc_y, acc_z, gyr_x, gyr_y, gyr_z\) of 100 time steps each/);
  });
});

/**
 * UCI HAR's layout, made up: nine files of one channel each (`body_acc_x_train.txt` …), a
 * series in each row, values separated by runs of spaces; `y_train.txt` one class a row.
 */
function harFiles(rows) {
  const classes = Array.from({ length: rows }, (_, r) => r % 3);
  let seed = 7;
  const random = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
  const channel = (c) => classes.map((k) => {
    const phase = 2 * Math.PI * random();
    const values = Array.from({ length: 64 }, (_, t) => [0.02, 0.4, 1.2][k] * Math.sin(2 * Math.PI * [0, 2, 5][k] * t / 64 + phase + c) + 0.05 * (random() - 0.5));
    return values.map((v) => `${v < 0 ? '' : ' '}${v.toExponential(6)}`).join(' ');
  }).map((line) => ` ${line}\n`).join('');
  const names = ['body_acc', 'body_gyro', 'total_acc'].flatMap((s) => ['x', 'y', 'z'].map((a) => `${s}_${a}`));
  return [
    ...names.map((n, c) => ({ name: `${n}_train.txt`, mimeType: 'text/plain', buffer: Buffer.from(channel(c)) })),
    { name: 'y_train.txt', mimeType: 'text/plain', buffer: Buffer.from(classes.map((k) => `${k + 1}\n`).join('')) },
    { name: 'subject_train.txt', mimeType: 'text/plain', buffer: Buffer.from(classes.map((_, r) => `${1 + (r % 4)}\n`).join('')) },
  ];
}

test('UCI HAR\'s layout: nine files of one channel each and y_train.txt open as one set of nine-channel series and train', { timeout: 5 * 60 * 1000 }, async () => {
  await withApp({ webgpu: false, url }, async (page) => {
    await page.setInputFiles('#file-input', harFiles(30));
    assert.equal(await waitForLoaded(page, 60_000), '');
    const info = await page.textContent('#file-info');
    assert.match(info, /30 series, 9 channels × 64 points, 3 known classes/, info);
    const notes = await page.textContent('#file-warnings');
    assert.match(notes, /read the 9 files as 9 channels \(body_acc_x, body_acc_y, body_acc_z, body_gyro_x/, notes);
    assert.match(notes, /y_train\.txt: each row's value read as its series' class/);
    assert.match(notes, /subject_train\.txt: 1 value a row where the channel files have 64; left out/);
    assert.equal(await page.isVisible('#series-files'), true, 'how the files are read is offered');
    assert.match(await page.$eval('#series-files', (s) => s.options[0].textContent), /each file is one channel/);
    // Read as more series instead, the one-column files do not fit: refused, and the channels stay.
    await page.selectOption('#series-files', 'series');
    await page.waitForFunction(() => document.querySelector('#error').textContent.length > 0);
    assert.match(await page.textContent('#error'), /has 1 channel but .* has 64 channels.*is still loaded/);
    assert.equal(await page.inputValue('#series-files'), 'auto', 'the menu says how the loaded series were read');
    assert.match(await page.textContent('#file-info'), /30 series, 9 channels/);

    await page.click('#train-button');
    const phase = await waitForPhase(page, ['done', 'error'], 4 * 60 * 1000);
    assert.equal(phase, 'done', await page.textContent('#error'));
    assert.deepEqual(await page.$$eval('#gallery .series-gallery:first-of-type figcaption', (f) => f.map((c) => c.textContent)).then((c) => c.length), 6,
      'past six channels, the six that differ most are drawn');
    const acc = Number(await page.getAttribute('#metrics', 'data-acc'));
    assert.ok(acc > 0.6, `ACC ${acc}: three kinds of movement, chance is 0.33`);
    const { header, rows } = parseCsv(await downloadText(page));
    assert.deepEqual(header, ['series', 'cluster', 'confidence']);
    assert.equal(rows.length, 30);
    assert.equal(rows[0][0], 'train#1');
    // Its saved model places the same files' series, read the same way, where the run put them.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-model')]);
    await page.setInputFiles('#load-model', { name: 'har.model', mimeType: 'application/octet-stream', buffer: await readFile(await download.path()) });
    await page.waitForFunction(() => /series of 9 channels × 64 points/.test(document.querySelector('#model-info').textContent));
    await page.setInputFiles('#predict-input', harFiles(30));
    await page.waitForFunction(() => /30 series placed/.test(document.querySelector('#predict-summary').textContent)
      || document.querySelector('#error').textContent, null, { timeout: 60_000 });
    assert.equal(await page.textContent('#error'), '');
    assert.match(await page.textContent('#predict-summary'), /Against its label column: ACC/);
  });
});

test('series in rows split into ECG_train.csv and ECG_test.csv: one table, whose rows become series from both files', { timeout: 3 * 60 * 1000 }, async () => {
  await withApp({ webgpu: false, url }, async (page) => {
    // No header, the class last: Kaggle's heartbeat tables.
    const beat = (i) => [...Array.from({ length: 40 }, (_, t) => (Math.sin((t + i) / (i % 2 ? 3 : 6))).toFixed(3)), i % 2];
    const part = (from, to) => Array.from({ length: to - from }, (_, j) => beat(from + j).join(',')).join('\n');
    await page.setInputFiles('#file-input', [
      { name: 'ECG_train.csv', mimeType: 'text/csv', buffer: Buffer.from(`${part(0, 20)}\n`) },
      { name: 'ECG_test.csv', mimeType: 'text/csv', buffer: Buffer.from(`${part(20, 30)}\n`) },
    ]);
    await page.waitForFunction(() => /ECG_train\+test\.csv: 30 rows/.test(document.querySelector('#file-info').textContent), null, { timeout: 60_000 });
    assert.match(await page.textContent('#file-warnings'), /ECG_train\.csv and ECG_test\.csv are parts of one table/);
    assert.match(await page.textContent('#rows-series-hint'), /41 number columns have no names of their own/);
    await page.$eval('#columns-details', (d) => { d.open = true; });
    await page.selectOption('#columns tr[data-column="col41"] select.role', 'label');
    await page.waitForSelector('#columns[aria-busy="false"]', { timeout: 30_000 });
    await page.check('#rows-series');
    await page.waitForFunction(() => /30 series, 1 channel × 40 points, 2 known classes/.test(document.querySelector('#file-info').textContent)
      || document.querySelector('#error').textContent, null, { timeout: 60_000 });
    assert.equal(await page.textContent('#error'), '');
    await page.selectOption('#method-select', 'kmeans');
    await page.fill('#k-input', '2');
    await page.click('#train-button');
    assert.equal(await waitForPhase(page, ['done', 'error'], 2 * 60 * 1000), 'done', await page.textContent('#error'));
    const { rows } = parseCsv(await downloadText(page));
    assert.equal(rows.length, 30);
    assert.deepEqual([rows[0][0], rows[29][0]], ['ECG_train+test.csv#1', 'ECG_train+test.csv#30']);
  });
});

test('a phone app\'s export folder: dated recordings with a time column, meta files and macOS copies; the activities are the classes', { timeout: 3 * 60 * 1000 }, async () => {
  // Phyphox's layout: activity/date/Raw Data.csv with "Time (s)", and meta/time.csv, meta/device.csv beside each.
  const dir = await mkdtemp(join(tmpdir(), 'phyphox-'));
  try {
    for (const [activity, speed] of [['walking', 0.3], ['running', 1.1]]) {
      for (let day = 1; day <= 4; day++) {
        const rec = join(dir, activity, `2024-03-0${day} 10-00-00`);
        await mkdir(join(rec, 'meta'), { recursive: true });
        const rows = Array.from({ length: 60 + day * 7 }, (_, t) => {
          const v = (speed * 3 * Math.sin(t * speed + day)).toFixed(4);
          return `${(t * 0.01).toFixed(2)},${v},${(speed + Math.cos(t * 0.7) * 0.1).toFixed(4)}`;
        });
        await writeFile(join(rec, 'Raw Data.csv'), `"Time (s)","Linear Acceleration x (m/s^2)","Linear Acceleration y (m/s^2)"\n${rows.join('\n')}\n`);
        await writeFile(join(rec, 'meta', 'time.csv'), 'event,experiment time,system time,system time text\nSTART,0.0,1709287200.0,2024-03-01 10:00:00\nPAUSE,0.6,1709287200.6,2024-03-01 10:00:01\n');
        await writeFile(join(rec, 'meta', 'device.csv'), 'property,value\nmodel,Pixel 7\nbrand,Google\n');
        await writeFile(join(rec, '._Raw Data.csv'), 'Mac OS X resource fork');
      }
    }
    await withApp({ webgpu: false, url: `${url}#method=kmeans&k=2&device=cpu` }, async (page) => {
      await page.setInputFiles('#folder-input', dir);
      assert.equal(await waitForLoaded(page, 60_000), '', await page.textContent('#error'));
      assert.match(await page.textContent('#file-info'), /8 series, 2 channels/);
      const notes = await page.textContent('#file-warnings');
      assert.match(notes, /"Time \(s\)" is read as the time of each row/, notes);
      assert.match(notes, /Left out 8 files with no column of numbers \(.*meta\/device\.csv/, notes);
      assert.match(notes, /8 files whose columns differ from the recordings' .*meta\/time\.csv \(experiment time, system time\)/, notes);
      assert.doesNotMatch(notes, /\._Raw Data/, 'macOS copies are no one\'s data');
      assert.match(notes, /2 classes found/, notes);
      await page.click('#train-button');
      assert.equal(await waitForPhase(page, ['done', 'error'], 120_000), 'done', await page.textContent('#error'));
      assert.equal(Number(await page.getAttribute('#metrics', 'data-acc')), 1, 'walking and running apart');
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
