// A static file server for www/: used by `./build.sh serve` and by the browser tests, so both
// serve the same MIME types (module workers and wasm streaming need correct ones).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.csv': 'text/csv',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8',
};

// Cross-origin isolation: without it a page gets no SharedArrayBuffer, so no wasm threads.
// Every file is same-origin, so these cost the page nothing.
const ISOLATION = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * Serves `root` on 127.0.0.1:`port` (0 = any free port); resolves to the server. With
 * `isolated: false` the isolation headers are left out, as on a static host that cannot send
 * headers (the service worker then adds them).
 */
export function serve(root, port = 0, { isolated = true, link = null } = {}) {
  const base = resolve(root);
  const extra = isolated ? ISOLATION : {};
  const send = link ? throttled(link) : (res, body) => res.end(body);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(base, path.endsWith('/') ? path + 'index.html' : path));
    if (!file.startsWith(base)) { res.writeHead(403).end(); return; }
    try {
      const { size, mtimeMs } = await stat(file);
      // As a static host does: a validator, so a repeat visit costs a 304 and not the files
      // again, and gzip where the browser takes it.
      const etag = `"${size.toString(36)}-${Math.floor(mtimeMs).toString(36)}"`;
      const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache', etag, vary: 'accept-encoding', ...extra };
      if (req.headers['if-none-match'] === etag) { res.writeHead(304, headers).end(); return; }
      const gzip = COMPRESSED.has(extname(file)) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
      const body = gzip ? await gzipped(file, etag) : await readFile(file);
      res.writeHead(200, { ...headers, ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
      await send(res, body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok(server)));
}

/**
 * A slow link for load-time measurements (bench/load-time.mjs), shared by every response
 * (the page's and its workers' alike, which the browser's own throttling does not reach):
 * `{ bytesPerSecond, latencyMs }`. Each response waits the latency, then its chunks take
 * turns on the link.
 */
function throttled({ bytesPerSecond, latencyMs = 0 }) {
  let free = 0;  // when the link is next idle (ms, performance.now())
  const wait = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
  return async (res, body) => {
    await wait(latencyMs);
    for (let at = 0; at < body.length; at += 16384) {
      const chunk = body.subarray(at, at + 16384);
      free = Math.max(free, performance.now()) + (chunk.length / bytesPerSecond) * 1000;
      await wait(free - performance.now());
      res.write(chunk);
    }
    res.end();
  };
}

const COMPRESSED = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.json', '.csv', '.svg', '.txt']);
// Compressing the wasm takes a second: each file's latest version is compressed once.
const zipped = new Map();  // file → { etag, body }
async function gzipped(file, etag) {
  if (zipped.get(file)?.etag !== etag) zipped.set(file, { etag, body: gzipSync(await readFile(file), { level: 6 }) });
  return zipped.get(file).body;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [root = 'www', port = '8080'] = process.argv.slice(2);
  const server = await serve(root, Number(port));
  console.log(`deepclust: open http://127.0.0.1:${server.address().port}/`);
}
