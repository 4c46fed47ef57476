// The browser half of bench/gpu-machine.sh, which runs each part under its own timeout. Each
// part prints its lines in the script's format (`NAME key=value …`, or `NAME FAILED: why`):
//
//   node bench/gpu-machine.mjs adapter [--write FILE] [--log FILE]
//       Which WebGPU adapter headless Chromium gets with each candidate set of flags (below),
//       stopping at the first that gives a hardware adapter; --write saves that set's flags
//       (for DEEPCLUST_CHROMIUM_ARGS; when none does, the first that gave a software one, or
//       nothing), --log appends chrome://gpu for each set that gave none.
//   node bench/gpu-machine.mjs step --device webgpu|cpu|cpu-threads [--dims 784,500,500,2000,10]
//                                   [--batch 256] [--steps 20] [--wait-s 60]
//       The training step on the benchmark page (bench/page/bench.html), as browser-bench.mjs,
//       with the adapter's name.
//   node bench/gpu-machine.mjs probe [--data DIR] [--wait-s 60]
//       What Device = auto decides, and the times it decides on, for the wine and digits
//       samples and the MNIST test set: the app worker's probe, run by bench/page/probe-worker.js.
//
// WebGPU launches take DEEPCLUST_CHROMIUM_ARGS (tests/e2e/helpers.mjs), except `adapter`,
// which tries the sets below unless that variable names one.
import { parseArgs } from 'node:util';
import { readFile, appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launch, envChromiumArgs, exists } from '../tests/e2e/helpers.mjs';
import { startBenchPage, benchUrl } from './page/serve.mjs';

// Headless Chromium renders with SwiftShader unless told otherwise: --enable-gpu turns that
// off (Chromium's docs/gpu/using-gpu-hardware-in-headless-chrome.md), and so does naming an
// ANGLE backend. WebGPU on Linux needs the `Vulkan` feature for Dawn to use the Vulkan driver;
// --disable-vulkan-surface because there is no display to present to. The first set is the
// one Chrome's team published for headless WebGPU on an NVIDIA T4 (developer.chrome.com/blog/
// supercharge-web-ai-testing, jasonmayes/headless-chrome-nvidia-t4-gpu-support), which
// Chromium's server-side GPU notes point to; the second adds what gpuweb's implementation
// status page lists for Linux; the third keeps ANGLE off Vulkan (GL through the driver's EGL)
// in case ANGLE's Vulkan is what fails. --ignore-gpu-blocklist so a driver Chromium has not
// vetted (a VM's, a data-centre card's) is not refused; WebGPU developer features expose the
// adapter's backend and type. Our --enable-features replaces Playwright's own (two screenshot
// and sign-in features this bench does not use): Chromium keeps the last of a switch.
const FLAG_SETS = {
  vulkan: ['--enable-gpu', '--enable-features=Vulkan', '--use-angle=vulkan', '--use-vulkan=native',
    '--disable-vulkan-surface', '--ignore-gpu-blocklist', '--enable-webgpu-developer-features'],
  'vulkan-from-angle': ['--enable-gpu', '--enable-features=Vulkan,VulkanFromANGLE,DefaultANGLEVulkan',
    '--use-angle=vulkan', '--disable-vulkan-surface', '--ignore-gpu-blocklist', '--enable-webgpu-developer-features'],
  'gl-egl': ['--enable-gpu', '--enable-features=Vulkan', '--use-gl=angle', '--use-angle=gl-egl',
    '--use-cmd-decoder=passthrough', '--disable-vulkan-surface', '--ignore-gpu-blocklist',
    '--enable-webgpu-developer-features'],
};

/** Rejects with `what` if `promise` has not settled in `ms`. */
function within(ms, what, promise) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms / 1000} s`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const { positionals, values } = parseArgs({ allowPositionals: true, options: {
  write: { type: 'string' },
  log: { type: 'string' },
  device: { type: 'string', default: 'webgpu' },
  dims: { type: 'string', default: '784,500,500,2000,10' },
  batch: { type: 'string', default: '256' },
  steps: { type: 'string', default: '20' },
  data: { type: 'string' },
  'wait-s': { type: 'string', default: '60' },
} });
// How long the benchmark page may take to publish its result (a GPU process that cannot start
// leaves it waiting for an adapter for ever).
const WAIT_MS = Number(values['wait-s']) * 1000;

const quote = (s) => `"${String(s ?? '').replace(/\s+/g, ' ').replace(/"/g, "'").trim()}"`;
const firstLine = (e) => String(e?.message ?? e).split('\n')[0];

/**
 * In the page: the adapter WebGPU gives a plain requestAdapter() (what the app asks for), its
 * info, and whether it is a software one (the worker's test, plus the adapter's own word).
 */
async function adapterInPage() {
  if (!navigator.gpu) return { error: 'navigator.gpu is missing: WebGPU is off in this browser' };
  // A GPU process that cannot start leaves requestAdapter() unanswered.
  const adapter = await Promise.race([navigator.gpu.requestAdapter(), new Promise((r) => setTimeout(() => r('late'), 15_000))]);
  if (adapter === 'late') return { error: 'requestAdapter() did not answer in 15 s' };
  if (!adapter) return { error: 'requestAdapter() gave no adapter' };
  const info = adapter.info ?? {};
  const name = info.description || [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unnamed adapter';
  const software = Boolean(info.isFallbackAdapter || adapter.isFallbackAdapter || info.type === 'CPU'
    || /swiftshader|llvmpipe|lavapipe|software|basic render/i.test(`${name} ${info.architecture ?? ''} ${info.device ?? ''}`));
  return { name, software, vendor: info.vendor, architecture: info.architecture, device: info.device,
    backend: info.backend, type: info.type, driver: info.driver };
}

const describeAdapter = (a) => `adapter=${quote(a.name)} software=${a.software ? 'yes' : 'no'} vendor=${quote(a.vendor)} architecture=${quote(a.architecture)} backend=${quote(a.backend)} type=${quote(a.type)} driver=${quote(a.driver)}`;

/** chrome://gpu as text (its sections live in shadow roots), for the log. */
async function chromeGpuText(browser) {
  const page = await browser.newPage();
  try {
    await page.goto('chrome://gpu', { timeout: 10_000 });
    await page.waitForTimeout(2000);
    return await page.evaluate(() => {
      const walk = (node) => {
        let out = '';
        if (node.shadowRoot) out += walk(node.shadowRoot);
        for (const child of node.childNodes) {
          if (child.nodeType === Node.TEXT_NODE) out += child.textContent;
          else if (child.nodeType !== Node.ELEMENT_NODE || /^(STYLE|SCRIPT|TEMPLATE)$/.test(child.tagName)) continue;
          else out += walk(child) + (child.tagName === 'TD' ? '\t' : /^(DIV|P|LI|TR|H\d)$/.test(child.tagName) ? '\n' : '');
        }
        return out;
      };
      return walk(document.documentElement).replace(/\n{3,}/g, '\n\n');
    });
  } finally {
    await page.close();
  }
}

async function adapter() {
  const { server, pageUrl } = await startBenchPage();
  // Any page of this origin will do (a secure context); a missing one costs nothing to load.
  const blank = new URL('/gpu-machine-blank', pageUrl).href;
  const fromEnv = envChromiumArgs();
  const sets = fromEnv.length ? { 'DEEPCLUST_CHROMIUM_ARGS': fromEnv } : FLAG_SETS;
  const tried = [];
  let softwareFlags = null;  // the first set that gave at least a software adapter
  try {
    for (const [name, flags] of Object.entries(sets)) {
      let browser;
      try {
        browser = await within(30_000, 'launch', launch({ webgpu: true, extraArgs: flags }));
        const page = await browser.newPage();
        await page.goto(blank, { timeout: 15_000 });
        const a = await within(30_000, 'the page', page.evaluate(adapterInPage));
        if (a.error) {
          tried.push(`${name}: ${a.error}`);
        } else if (a.software) {
          tried.push(`${name}: ${a.name} (software)`);
          softwareFlags ??= flags;
        } else {
          if (values.write) await writeFile(values.write, flags.join(' ') + '\n');
          const others = tried.length ? ` tried=${quote(tried.join('; '))}` : '';
          console.log(`browser-adapter flags=${name} chromium=${quote(browser.version())} ${describeAdapter(a)}${others}`);
          return;
        }
        if (values.log) {
          const text = await within(20_000, 'chrome://gpu', chromeGpuText(browser)).catch((e) => `chrome://gpu could not be read: ${firstLine(e)}`);
          await appendFile(values.log, `==== chrome://gpu with flag set ${name}: ${flags.join(' ')}\n${text}\n`);
        }
      } catch (e) {
        tried.push(`${name}: ${firstLine(e)}`);
      } finally {
        await closeSoon(browser);
      }
    }
    // The first set that gave a software adapter (none if none did), so that what follows
    // shows what the page does without a hardware one.
    if (values.write) await writeFile(values.write, (softwareFlags ?? []).join(' '));
    console.log(`browser-adapter FAILED: no hardware WebGPU adapter with any flag set (${tried.join('; ')})`);
  } finally {
    server.close();
  }
}

/** The benchmark page's result, once it has published one. */
async function benchResult(page) {
  await page.waitForFunction(() => window.benchResult, null, { timeout: WAIT_MS, polling: 500 }).catch(() => {
    throw new Error(`the benchmark page published no result in ${WAIT_MS / 1000} s (WebGPU stuck on its adapter or device?)`);
  });
  return page.evaluate(() => window.benchResult);
}

/** Closes Chromium, or gives up after a while: one whose GPU process broke can hang there. */
const closeSoon = (browser) => within(15_000, 'closing Chromium', browser?.close() ?? Promise.resolve()).catch(() => {});

async function step() {
  const device = ['cpu', 'cpu-threads'].includes(values.device) ? values.device : 'webgpu';
  const { server, pageUrl } = await startBenchPage();
  let browser;
  try {
    browser = await launch({ webgpu: device === 'webgpu' });
    const page = await browser.newPage();
    await page.goto(benchUrl(pageUrl, { dims: values.dims, batch: values.batch, steps: values.steps, device }));
    const r = await benchResult(page);
    let adapterText = '';
    if (device === 'webgpu') {
      const a = await page.evaluate(adapterInPage);
      adapterText = a.error ? ` adapter=${quote(a.error)}` : ` ${describeAdapter(a)}`;
    }
    if (r.error) console.log(`browser-step-${device} FAILED: ${r.error}${adapterText}`);
    else console.log(`browser-step-${device} device=${device}${adapterText} dims=${r.dims.join(',')} batch=${r.batch} steps=${r.steps} threads=${r.threads ?? 1} median_ms=${r.ms_per_step.toFixed(2)} first_ms=${r.first_step_ms.toFixed(0)} backend=${quote(r.backend)}`);
  } catch (e) {
    console.log(`browser-step-${device} FAILED: ${firstLine(e)}`);
  } finally {
    await closeSoon(browser);
    server.close();
  }
}

/**
 * In the page: Device = auto's probe for one data set, in bench/page/probe-worker.js (the
 * app worker's pickDevice: WebGPU against the CPU in the build it would train in).
 */
function probeInPage(set) {
  window.probeWorker ??= new Worker('/bench/page/probe-worker.js', { type: 'module' });
  const worker = window.probeWorker;
  const decode = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const message = set.csvUrl ? set : { ...set, images: decode(set.images), labels: decode(set.labels) };
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => (data.error ? reject(new Error(data.error)) : resolve(data));
    worker.onerror = (e) => reject(new Error(e.message || 'the probe worker failed to start'));
    worker.postMessage(message);
  });
}

async function probe() {
  const data = values.data ?? process.env.DEEPCLUST_DATA;
  const sets = [
    { name: 'wine', csvUrl: '/www/samples/wine.csv', k: 3 },
    { name: 'digits', csvUrl: '/www/samples/digits.csv', k: 10 },
  ];
  const mnist = data && join(data, 'mnist', 't10k-images-idx3-ubyte.gz');
  if (mnist && await exists(mnist)) {
    sets.push({ name: 'mnist-test', k: 10,
      images: (await readFile(mnist)).toString('base64'),
      labels: (await readFile(join(data, 'mnist', 't10k-labels-idx1-ubyte.gz'))).toString('base64') });
  } else {
    console.log(`page-probe-mnist-test FAILED: no MNIST test set under ${data ?? '(DEEPCLUST_DATA unset)'}`);
  }
  const { server, pageUrl } = await startBenchPage();
  let browser;
  let current = 'page-probe';
  try {
    browser = await launch({ webgpu: true });
    const page = await browser.newPage();
    // The benchmark page (cross-origin isolated, so the threaded CPU build can load), with a
    // one-step run of a tiny network on WebGPU that says whether WebGPU works at all.
    await page.goto(benchUrl(pageUrl, { dims: '4,2', batch: '4', steps: '1', device: 'webgpu' }));
    const r = await benchResult(page);
    for (const set of sets) {
      const head = `page-probe-${set.name}`;
      current = head;
      if (r.error) {
        console.log(`${head} FAILED: no WebGPU device on the page (${r.error})`);
        continue;
      }
      try {
        const { name, ...arg } = set;
        const p = await within(WAIT_MS, 'probe_devices', page.evaluate(probeInPage, arg));
        console.log(`${head} method=${p.method} rows=${p.rows} cols=${p.cols} picked=${p.gpuFaster ? 'webgpu' : 'cpu'} cpu_ms=${p.cpuMs} cpu_threads=${p.cpuThreads} gpu_ms=${p.gpuMs} badge=${quote(p.text)}`);
      } catch (e) {
        console.log(`${head} FAILED: ${firstLine(e)}`);
      }
    }
  } catch (e) {
    console.log(`${current} FAILED: ${firstLine(e)}`);
  } finally {
    await closeSoon(browser);
    server.close();
  }
}

const parts = { adapter, step, probe };
const part = parts[positionals[0]];
if (!part) {
  console.error(`usage: node bench/gpu-machine.mjs ${Object.keys(parts).join('|')} [options]`);
  process.exit(2);
}
await part();
// A Chromium that would not close must not keep this process (and the script) waiting.
process.exit(0);
