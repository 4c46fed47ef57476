// The last finished result, kept in this browser (IndexedDB) so a reload or a closed tab does
// not lose it. Nothing leaves the machine; "Forget it" deletes it.
const DB = 'deepclust';
const STORE = 'results';
const KEY = 'last';

function database() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, work) {
  const db = await database();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** Stores a result (typed arrays and plain values); a failure (private mode, quota) is reported, not thrown. */
export async function saveLast(result) {
  try {
    await run('readwrite', (s) => s.put(result, KEY));
    return null;
  } catch (err) {
    return err?.message ?? String(err);
  }
}

export async function loadLast() {
  try {
    return (await run('readonly', (s) => s.get(KEY))) ?? null;
  } catch {
    return null;
  }
}

export async function forgetLast() {
  try {
    await run('readwrite', (s) => s.delete(KEY));
  } catch { /* nothing stored, nothing to forget */ }
}
