// Keeps the page usable offline. The first visit stores every file the page needs; after
// that each request goes to the network first (so an update is picked up at once) and falls
// back to the stored copy when there is no network. Only this origin's files are involved:
// the page never asks for anything else.
const CACHE = 'deepclust-v1';
// The files to store: precache.js sets self.PRECACHE. It is generated from what is in www/
// (tools/precache.mjs, run by ./build.sh after each wasm build), so nobody keeps a list by
// hand. Browsers compare imported scripts when checking for an update, so a changed list
// installs this worker again and stores the new files.
importScripts('precache.js');
const FILES = self.PRECACHE;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// Training on every core needs shared memory, which a browser gives only to a cross-origin
// isolated page. A static host may not send the headers that isolate it, so every response
// gets them here (the page's files are all from this origin, so nothing is blocked). The
// first visit, before this worker runs, is not isolated: the page reloads once (app.js).
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function isolated(response) {
  // Opaque and error responses cannot be rebuilt; they are not the page's own files anyway.
  if (response.status === 0 || response.type === 'opaqueredirect') return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fetch(event.request);
      if (response.ok) cache.put(event.request, response.clone());
      return isolated(response);
    } catch (err) {
      // Stored copies ignore the #fragment and ?query a shared link may carry.
      const stored = await cache.match(event.request, { ignoreSearch: true });
      if (stored) return isolated(stored);
      throw err;
    }
  })());
});
