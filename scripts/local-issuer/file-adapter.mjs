import { setImmediate as nextTurn } from 'node:timers/promises';

import { readJson, writeJson } from './data-dir.mjs';

/**
 * @typedef {object} StoredEntry
 * @property {Record<string, any>} payload What oidc-provider asked to store.
 * @property {number | null} expiresAt Epoch milliseconds; `null` never expires.
 */

/**
 * An oidc-provider adapter that keeps every model (sessions, grants, tokens, interactions) in
 * memory and mirrors it to one JSON file, so a restarted issuer still knows its signed-in users.
 * Returns the `adapter` factory for the provider configuration, `list()` to enumerate one model's
 * entries, and `flush()` for shutdown.
 * @see https://github.com/panva/node-oidc-provider/blob/main/example/my_adapter.js
 */
export function createFileAdapter(file, { onError = (error) => console.error(error) } = {}) {
  /** @type {Map<string, StoredEntry>} */
  const entries = new Map(Object.entries(readJson(file) ?? {}));
  const store = new EntryStore(entries, () => scheduleSave());

  let dirty = false;
  /** @type {Promise<void> | null} */
  let saving = null;

  // Writes coalesce: a burst of upserts within one request turns into a single file write.
  function scheduleSave() {
    dirty = true;
    saving ??= (async () => {
      while (dirty) {
        dirty = false;
        await nextTurn();
        await writeJson(file, store.snapshot()).catch(onError);
      }
    })().finally(() => {
      saving = null;
      if (dirty) scheduleSave();
    });
  }

  return {
    adapter: (model) => new FileAdapter(model, store),
    /** The unexpired entries of one model (e.g. `Session`), as `[id, payload]` pairs. */
    list: (model) =>
      [...store.scan(`${model}:`)].map(([key, payload]) => [key.slice(model.length + 1), structuredClone(payload)]),
    flush: async () => {
      while (saving) await saving;
    },
  };
}

class EntryStore {
  /** @param {Map<string, StoredEntry>} entries */
  constructor(entries, onChange) {
    this.entries = entries;
    this.onChange = onChange;
  }

  get(key) {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (isExpired(entry)) {
      this.delete(key);
      return undefined;
    }
    return structuredClone(entry.payload);
  }

  set(key, payload, expiresIn) {
    const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : null;
    this.entries.set(key, { payload: structuredClone(payload), expiresAt });
    this.onChange();
  }

  update(key, change) {
    const entry = this.entries.get(key);
    if (!entry || isExpired(entry)) return;
    change(entry.payload);
    this.onChange();
  }

  delete(key) {
    if (this.entries.delete(key)) this.onChange();
  }

  /**
   * Keys and payloads of the unexpired entries whose key starts with `prefix`.
   * @returns {Generator<[string, Record<string, any>]>}
   */
  *scan(prefix) {
    for (const [key, entry] of this.entries) {
      if (key.startsWith(prefix) && !isExpired(entry)) yield [key, entry.payload];
    }
  }

  snapshot() {
    return Object.fromEntries([...this.entries].filter(([, entry]) => !isExpired(entry)));
  }
}

/** The adapter interface documented in oidc-provider's example/my_adapter.js. */
class FileAdapter {
  /** @param {string} model @param {EntryStore} store */
  constructor(model, store) {
    this.model = model;
    this.store = store;
  }

  key(id) {
    return `${this.model}:${id}`;
  }

  async upsert(id, payload, expiresIn) {
    this.store.set(this.key(id), payload, expiresIn);
  }

  async find(id) {
    return this.store.get(this.key(id));
  }

  async findByUid(uid) {
    return this.findBy((payload) => payload.uid === uid);
  }

  async findByUserCode(userCode) {
    return this.findBy((payload) => payload.userCode === userCode);
  }

  async consume(id) {
    this.store.update(this.key(id), (payload) => {
      payload.consumed = Math.floor(Date.now() / 1000);
    });
  }

  async destroy(id) {
    this.store.delete(this.key(id));
  }

  async revokeByGrantId(grantId) {
    const revoked = [...this.store.scan(`${this.model}:`)].filter(
      ([, payload]) => payload.grantId === grantId,
    );
    for (const [key] of revoked) this.store.delete(key);
  }

  findBy(predicate) {
    for (const [, payload] of this.store.scan(`${this.model}:`)) {
      if (predicate(payload)) return structuredClone(payload);
    }
    return undefined;
  }
}

function isExpired(entry) {
  return entry.expiresAt !== null && entry.expiresAt <= Date.now();
}
