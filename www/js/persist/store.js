// The page's one IndexedDB database: "redis-playground", one object store "world" of records
// under fixed keys (see persist.js for what each holds).
//
//   const store = await openStore();          // throws StorageError (kind "unavailable")
//   await store.get(key) / store.put(key, value) / store.delete(key)
//   await store.entries(prefix) / store.deleteEntries(prefix)   (records under keys "prefix…")
//   store.put(…) starts its transaction synchronously: a save begun in `pagehide` is queued
//   before the page goes away.
//
// Every failure is a StorageError with a `kind` the page can explain:
//   "unavailable"  no IndexedDB, or it refused to open (private window, blocked by settings)
//   "quota"        the browser's storage quota is used up (QuotaExceededError)
//   "failed"       anything else (the message says what)
export const DB_NAME = 'redis-playground';
export const STORE = 'world';
const DB_VERSION = 1;

export class StorageError extends Error {
  constructor(kind, message, cause) {
    super(message);
    this.name = 'StorageError';
    this.kind = kind;
    this.cause = cause;
  }
}

function describe(e) {
  if (!e) return 'unknown error';
  return e.message ? `${e.name ? `${e.name}: ` : ''}${e.message}` : String(e.name ?? e);
}

function classify(e, fallback = 'failed') {
  if (e instanceof StorageError) return e;
  const name = e && e.name;
  if (name === 'QuotaExceededError' || (e && e.code === 22)) {
    return new StorageError('quota', 'the browser\'s storage for this page is full', e);
  }
  return new StorageError(fallback, describe(e), e);
}

/** The global IndexedDB factory, or null (reading it can throw where storage is blocked). */
function factory() {
  try {
    return globalThis.indexedDB ?? null;
  } catch {
    return null;
  }
}

/** Open (and on first use create) the database. */
export function openStore({ indexedDB = factory() } = {}) {
  return new Promise((resolve, reject) => {
    if (!indexedDB || typeof indexedDB.open !== 'function') {
      reject(new StorageError('unavailable', 'this browser offers no IndexedDB here'));
      return;
    }
    let req;
    try {
      req = indexedDB.open(DB_NAME, DB_VERSION);
    } catch (e) {
      reject(classify(e, 'unavailable'));
      return;
    }
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE);
    };
    req.onerror = () => reject(classify(req.error, 'unavailable'));
    req.onblocked = () => { /* an older tab holds the database open: wait for it */ };
    req.onsuccess = () => {
      const db = req.result;
      // Another tab (a newer page) wants to upgrade: let it.
      db.onversionchange = () => db.close();
      resolve(new Store(db));
    };
  });
}

/** Delete the whole database (used by tests and by "Reset" when the store cannot open). */
export function deleteDatabase({ indexedDB = factory() } = {}) {
  return new Promise((resolve) => {
    try {
      const req = indexedDB.deleteDatabase(DB_NAME);
      req.onsuccess = req.onerror = req.onblocked = () => resolve();
    } catch {
      resolve();
    }
  });
}

/** The keys that start with `prefix` (string keys). */
function prefixRange(prefix) {
  return IDBKeyRange.bound(prefix, `${prefix}\uffff`);
}

class Store {
  constructor(db) {
    this.db = db;
  }

  #run(mode, work) {
    return new Promise((resolve, reject) => {
      let tx;
      let result;
      try {
        tx = this.db.transaction(STORE, mode);
        const req = work(tx.objectStore(STORE));
        req.onsuccess = () => { result = req.result; };
        // Commit now rather than when this task ends: a save begun in `pagehide` then
        // reaches the database before the page is torn down.
        if (mode === 'readwrite') {
          try { tx.commit?.(); } catch { /* already finishing (or aborted: onabort says why) */ }
        }
      } catch (e) {
        reject(classify(e));
        return;
      }
      tx.oncomplete = () => resolve(result);
      tx.onerror = (ev) => { ev.preventDefault?.(); };
      tx.onabort = () => reject(classify(tx.error ?? new Error('the transaction was aborted')));
    });
  }

  get(key) {
    return this.#run('readonly', (s) => s.get(key));
  }

  put(key, value) {
    return this.#run('readwrite', (s) => s.put(value, key));
  }

  delete(key) {
    return this.#run('readwrite', (s) => s.delete(key));
  }

  /** Every record whose key starts with `prefix`, in key order. */
  entries(prefix) {
    return this.#run('readonly', (s) => s.getAll(prefixRange(prefix)));
  }

  /** Delete every record whose key starts with `prefix`. */
  deleteEntries(prefix) {
    return this.#run('readwrite', (s) => s.delete(prefixRange(prefix)));
  }

  close() {
    this.db.close();
  }
}
