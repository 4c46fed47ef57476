// Accuracy and wall time on the image sets, natively and in headless Chromium, with the same
// defaults a user gets:
//
//   ./build.sh bench-images                         # COIL-20 and MNIST-test, every place below
//   node bench/images-bench.mjs --data coil20 --runs browser-cpu,native-cpu
//   node bench/images-bench.mjs --runs browser-webgpu --epochs 2   # SwiftShader is slow
//
// Runs: native-cpu and native-wgpu (the deepclust CLI, `--device cpu|wgpu`; wgpu natively is
// whatever Vulkan adapter comes up, Mesa's lavapipe on a machine without a GPU), browser-cpu
// and browser-webgpu (the page itself: files set on its inputs as a user picks them, Train
// pressed, scores read off #metrics). The method is the page's default for that device (DCEC
// on a GPU, DEC on the CPU) unless --method names one; --epochs overrides the pretraining
// epochs (default: the page's, sized to the data). Prints one line per run; labels are used
// only to score.
//
// Needs the wasm build (./build.sh) for browser runs and the CLI (./build.sh cli, or
// DEEPCLUST_BIN) for native ones. Data comes from ../shared/data (DEEPCLUST_DATA overrides);
// a missing set is skipped with a note.
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, withApp, waitForPhase, waitForLoaded, exists, SHARED_DATA } from '../tests/e2e/helpers.mjs';

const { values } = parseArgs({ options: {
  data: { type: 'string', default: 'coil20,mnist' },
  runs: { type: 'string', default: 'native-cpu,native-wgpu,browser-cpu,browser-webgpu' },
  method: { type: 'string' },
  epochs: { type: 'string' },
  side: { type: 'string' },
  seed: { type: 'string', default: '42' },
  'timeout-min': { type: 'string', default: '600' },
} });

const DATA = process.env.DEEPCLUST_DATA ?? SHARED_DATA;
const SETS = {
  coil20: { title: 'COIL-20', k: 20, inputs: [join(DATA, 'coil20')], folder: true },
  mnist: {
    title: 'MNIST test set', k: 10,
    inputs: [join(DATA, 'mnist', 't10k-images-idx3-ubyte.gz')],
    browserFiles: [join(DATA, 'mnist', 't10k-images-idx3-ubyte.gz'), join(DATA, 'mnist', 't10k-labels-idx1-ubyte.gz')],
  },
};
const timeout = Number(values['timeout-min']) * 60_000;
const fmt = (v) => (v == null || Number.isNaN(v) ? '–' : v.toFixed(3));

function report(set, run, r) {
  const head = `${set.title.padEnd(15)} ${run.padEnd(15)}`;
  if (r.error) return console.log(`${head} ERROR ${r.error}`);
  console.log(`${head} ${r.method.padEnd(6)} ${r.shape}  epochs ${r.epochs}  ACC ${fmt(r.acc)}  NMI ${fmt(r.nmi)}  ARI ${fmt(r.ari)}  ${r.seconds.toFixed(1)} s  (${r.device})`);
}

/** One CLI run; its --metrics JSON holds the scores, time and device. */
async function native(set, device) {
  const bin = process.env.DEEPCLUST_BIN;
  if (!bin) return { error: 'DEEPCLUST_BIN is not set (./build.sh bench-images sets it)' };
  const method = values.method ?? (device === 'wgpu' ? 'dcec' : 'dec');
  const work = await mkdtemp(join(tmpdir(), 'deepclust-bench-'));
  try {
    const args = ['cluster', '--k', String(set.k), '--method', method, '--device', device,
      '--seed', values.seed, '--out', join(work, 'labels.csv'), '--metrics', join(work, 'metrics.json'), '--quiet',
      ...set.inputs.flatMap((p) => ['--input', p])];
    if (values.epochs) args.push('--epochs', values.epochs);
    if (values.side && set.folder) args.push('--side', values.side);
    const { code, stderr, timedOut } = await new Promise((resolve) => {
      const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      let timedOut = false;
      child.stderr.on('data', (d) => { stderr += d; });
      const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeout);
      child.on('close', (code) => { clearTimeout(timer); resolve({ code, stderr, timedOut }); });
    });
    if (timedOut) return { error: `${method} did not finish within ${values['timeout-min']} min` };
    // Mesa's Vulkan loader complains about XDG_RUNTIME_DIR on headless machines; not ours.
    const said = stderr.trim().split('\n').filter((l) => !l.includes('XDG_RUNTIME_DIR'));
    if (code !== 0) return { error: said.pop() || `exit ${code}` };
    const m = JSON.parse(await readFile(join(work, 'metrics.json'), 'utf8'));
    return { method, shape: `${m.rows} × ${m.cols}`, epochs: values.epochs ?? 'default', acc: m.acc, nmi: m.nmi, ari: m.ari, seconds: m.seconds, device: m.device };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * One run in the page, driven as a user would: pick the files, maybe a method, press Train.
 * An uncaught error in the page fails the run (withApp throws it).
 */
function browser(set, url, webgpu) {
  return withApp({ webgpu, url }, async (page) => {
    await page.waitForFunction(() => document.querySelector('#backend').dataset.kind, null, { timeout: 60_000 });
    const backend = await page.textContent('#backend');
    if (webgpu && await page.$eval('#backend', (e) => e.dataset.kind) !== 'gpu') return { error: `no WebGPU in this browser (${backend.trim()})` };
    if (values.side && set.folder) await page.selectOption('#side-select', values.side);
    if (set.folder) await page.setInputFiles('#folder-input', set.inputs[0]);
    else await page.setInputFiles('#file-input', set.browserFiles);
    const loadError = await waitForLoaded(page, 10 * 60_000);
    if (loadError) return { error: loadError };
    const info = await page.textContent('#file-info');
    if (values.method) await page.selectOption('#method-select', values.method);
    if (values.epochs) {
      await page.click('#advanced summary');
      await page.fill('#epochs-input', values.epochs);
    }
    const method = await page.$eval('#method-select', (e) => e.value);
    const started = performance.now();
    await page.click('#train-button');
    // Long runs say where they are on stderr once a minute.
    const ticker = setInterval(async () => {
      const status = await page.textContent('#status-text').catch(() => null);
      if (status) console.error(`  ${set.title} ${webgpu ? 'browser-webgpu' : 'browser-cpu'}: ${status.trim()}`);
    }, 60_000);
    const phase = await waitForPhase(page, ['done', 'error'], timeout).finally(() => clearInterval(ticker));
    const seconds = (performance.now() - started) / 1000;
    if (phase !== 'done') return { error: await page.textContent('#error') };
    const m = await page.$eval('#metrics', (e) => ({ ...e.dataset }));
    const { stepsMs, snapshotsMs } = await page.$eval('#status', (e) => ({ ...e.dataset }));
    const shape = /(\d+ images, \d+ × \d+)/.exec(info)?.[1] ?? info;
    const inSteps = `steps ${(stepsMs / 1000).toFixed(1)} s, snapshots ${(snapshotsMs / 1000).toFixed(1)} s`;
    return { method, shape, epochs: values.epochs ?? 'default', acc: Number(m.acc), nmi: Number(m.nmi), ari: Number(m.ari), seconds, device: `${backend.trim()}; ${inSteps}` };
  });
}

const runs = values.runs.split(',');
const needsBrowser = runs.some((r) => r.startsWith('browser-'));
const { server, url } = needsBrowser ? await startServer() : {};
try {
  for (const key of values.data.split(',')) {
    const set = SETS[key];
    if (!set) throw new Error(`unknown data set '${key}' (coil20, mnist)`);
    if (!await exists(set.inputs[0])) {
      console.log(`${set.title.padEnd(15)} skipped: ${set.inputs[0]} is absent`);
      continue;
    }
    for (const run of runs) {
      let r;
      try {
        if (run === 'native-cpu') r = await native(set, 'cpu');
        else if (run === 'native-wgpu') r = await native(set, 'wgpu');
        else if (run === 'browser-cpu') r = await browser(set, url, false);
        else if (run === 'browser-webgpu') r = await browser(set, url, true);
        else throw new Error(`unknown run '${run}' (native-cpu, native-wgpu, browser-cpu, browser-webgpu)`);
      } catch (e) {
        r = { error: e.message.split('\n')[0] };
      }
      report(set, run, r);
    }
  }
} finally {
  server?.close();
}
