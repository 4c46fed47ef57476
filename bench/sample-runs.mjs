// Whole runs of a sample in the page against the CLI on the same cores, with where the page's
// time went:
//
//   node bench/sample-runs.mjs [--sample digits] [--methods dec,hardreg] [--runs 2]
//
// Per method and run, one line: the CLI's wall time (`deepclust cluster --device cpu`, seed
// 42, k as the page sets it), the page's from Train to done (Device = CPU, every other setting the page's default),
// the page's training steps and snapshots (the worker's totals, kept in #status), the ratio
// and the page's ACC. The CLI comes from DEEPCLUST_BIN (`./build.sh cli` prints its path).
import { parseArgs } from 'node:util';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { ROOT, startServer, withApp, waitForLoaded, waitForPhase } from '../tests/e2e/helpers.mjs';

const { values } = parseArgs({ options: {
  sample: { type: 'string', default: 'digits' },
  methods: { type: 'string', default: 'dec,hardreg' },
  runs: { type: 'string', default: '2' },
} });
const bin = process.env.DEEPCLUST_BIN;
if (!bin) throw new Error('set DEEPCLUST_BIN to the CLI (./build.sh cli prints its path)');
const csv = join(ROOT, 'www', 'samples', `${values.sample}.csv`);
const runs = Number(values.runs);

async function cli(method, k) {
  const started = performance.now();
  await promisify(execFile)(bin, ['cluster', '--input', csv, '--k', k, '--method', method, '--device', 'cpu',
    '--seed', '42', '--out', '/dev/null', '--quiet']);
  return (performance.now() - started) / 1000;
}

const { server, url } = await startServer();
try {
  await withApp({ webgpu: false, url }, async (page) => {
    await page.waitForFunction(() => document.querySelector('#backend').dataset.kind, null, { timeout: 60_000 });
    await page.click('#advanced summary');
    await page.selectOption('#device-select', 'cpu');
    await page.waitForFunction(() => document.querySelector('#backend').textContent.startsWith('CPU'), null, { timeout: 60_000 });
    const badge = (await page.textContent('#backend')).trim();
    for (const method of values.methods.split(',')) {
      for (let run = 0; run < runs; run++) {
        // Another sample between runs, so each run starts from a freshly loaded one.
        await page.selectOption('#sample-select', values.sample === 'wine' ? 'iris' : 'wine');
        await waitForLoaded(page, 60_000);
        await page.selectOption('#sample-select', values.sample);
        const error = await waitForLoaded(page, 60_000);
        if (error) throw new Error(error);
        await page.selectOption('#method-select', method);
        // k as the page set it (the sample's classes), for the CLI too.
        const native = await cli(method, await page.inputValue('#k-input'));
        const started = performance.now();
        await page.click('#train-button');
        const phase = await waitForPhase(page, ['done', 'error'], 30 * 60_000);
        const seconds = (performance.now() - started) / 1000;
        if (phase !== 'done') throw new Error(await page.textContent('#error'));
        const { stepsMs, snapshotsMs } = await page.$eval('#status', (e) => ({ ...e.dataset }));
        const acc = Number(await page.$eval('#metrics', (e) => e.dataset.acc));
        console.log(`${values.sample} ${method.padEnd(8)} CLI ${native.toFixed(2)} s  page ${seconds.toFixed(2)} s `
          + `(steps ${(stepsMs / 1000).toFixed(2)} s, snapshots ${(snapshotsMs / 1000).toFixed(2)} s)  `
          + `page/CLI ${(seconds / native).toFixed(2)}  ACC ${acc.toFixed(3)}  (${badge})`);
      }
    }
  });
} finally {
  server.close();
}
