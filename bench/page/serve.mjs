// Serves the benchmark page (bench/page/bench.html) for the bench scripts. The page imports
// the app's wasm package from www/lib/pkg, so the server's root is the repository, which holds
// both; the page itself is not part of the app and is not served by `./build.sh serve`.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../../tests/e2e/static-server.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Starts a server on a free port; resolves to it and to the page's URL (no query). */
export async function startBenchPage() {
  const server = await serve(ROOT);
  return { server, pageUrl: `http://127.0.0.1:${server.address().port}/bench/page/bench.html` };
}

/** The page's URL with the benchmark's parameters (dims, batch, steps, device). */
export const benchUrl = (pageUrl, params) => `${pageUrl}?${new URLSearchParams(params)}`;
