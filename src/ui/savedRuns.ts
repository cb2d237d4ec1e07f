/**
 * Runs kept in the browser (IndexedDB, via idb): the page's current runs, written as they train so a reload or
 * a closed tab loses nothing, and the runs saved by name, to reopen, rename, delete and compare.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { RunRecord } from '../core/runFile';

export interface SavedRun {
  id: string;
  name: string;
  /** The page's hash, e.g. "#/frequency-principle". */
  page: string;
  savedAt: number;
  /** One record, or two for a comparison page. */
  records: RunRecord[];
}

interface Schema extends DBSchema {
  /** Key: the page's hash. */
  current: { key: string; value: { page: string; records: RunRecord[] } };
  saved: { key: string; value: SavedRun; indexes: { savedAt: number } };
}

let database: Promise<IDBPDatabase<Schema>> | null = null;

function db(): Promise<IDBPDatabase<Schema>> {
  database ??= openDB<Schema>('phenomena-explorer', 1, {
    upgrade(store) {
      store.createObjectStore('current', { keyPath: 'page' });
      store.createObjectStore('saved', { keyPath: 'id' }).createIndex('savedAt', 'savedAt');
    },
  });
  return database;
}

export async function keepCurrent(page: string, records: RunRecord[]): Promise<void> {
  // Records hold plain data (the runner keeps raw state), which IndexedDB clones as it is.
  await (await db()).put('current', { page, records });
}

export async function currentRuns(page: string): Promise<RunRecord[] | null> {
  return (await (await db()).get('current', page))?.records ?? null;
}

export async function saveRun(name: string, page: string, records: RunRecord[]): Promise<SavedRun> {
  const run: SavedRun = { id: crypto.randomUUID(), name, page, savedAt: Date.now(), records };
  await (await db()).put('saved', run);
  return run;
}

/** Newest first. */
export async function listRuns(): Promise<SavedRun[]> {
  return (await (await db()).getAllFromIndex('saved', 'savedAt')).reverse();
}

export async function renameRun(id: string, name: string): Promise<void> {
  const store = await db();
  const run = await store.get('saved', id);
  if (run) await store.put('saved', { ...run, name });
}

export async function deleteRun(id: string): Promise<void> {
  await (await db()).delete('saved', id);
}

/** Makes a saved run the current run of its page: opening that page then shows it. */
export async function openRun(run: SavedRun): Promise<void> {
  await keepCurrent(run.page, run.records);
}
