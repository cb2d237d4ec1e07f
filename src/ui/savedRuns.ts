/**
 * Runs kept in the browser (IndexedDB, via idb): the page's current runs, written as they train so a reload or
 * a closed tab loses nothing, and the runs saved by name, to reopen, rename, delete and compare.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { mlpToNamed, type LayerParams } from '../core/models/mlpSpec';
import type { NamedTensor } from '../core/models/model';
import type { Snapshot } from '../core/run/types';
import { runParamsFromJson, runParamsToJson } from '../core/weights';
import { fromVersion1, type PackedRecord, type RunRecord } from '../engine/runFile';

export interface SavedRun {
  id: string;
  name: string;
  /** The page's hash, e.g. "#/frequency-principle". */
  page: string;
  savedAt: number;
  /** One record, or two for a comparison page. */
  records: RunRecord[];
}

/**
 * Weights as IndexedDB keeps the current runs': each layer's weights in one Float32Array, which it clones as one
 * block. (The nested arrays of the MNIST network's 2 × 110 k numbers took 25–30 ms to clone, on the page's thread.)
 * Records from before version 2 have JSON `weights` instead.
 */
type StoredRecord = Omit<RunRecord, 'weights'> & { weights?: RunRecord['weights']; packedWeights?: { initial: NamedTensor[] | LayerParams[]; current: NamedTensor[] | LayerParams[] } };

function toStored({ params, ...record }: PackedRecord): StoredRecord {
  return { ...record, snapshots: [], ...(params ? { packedWeights: params } : {}) };
}

/** A record from a file or the run list, packed as the current runs are kept. */
function packed({ weights, ...record }: RunRecord): PackedRecord {
  return { ...record, ...(weights ? { params: runParamsFromJson(weights) } : {}) };
}

/** Packed weights kept before run files' version 2 are an MLP's layers. */
const named = (params: NamedTensor[] | LayerParams[]): NamedTensor[] => (params.length && 'fanIn' in params[0] ? mlpToNamed(params as LayerParams[]) : (params as NamedTensor[]));

/** A stored record as a run record of today's version (records kept before version 2 are converted). */
function fromStored({ packedWeights, ...record }: StoredRecord, snapshots: Snapshot[]): RunRecord {
  const weights = packedWeights ? { weights: runParamsToJson({ initial: named(packedWeights.initial), current: named(packedWeights.current) }) } : {};
  return fromVersion1({ ...record, snapshots, ...weights }) as RunRecord;
}

interface Schema extends DBSchema {
  /** Key: the page's hash. Version 2 keeps the snapshots apart, in `chunks` (`chunked`), and packs the weights. */
  current: { key: string; value: { page: string; records: StoredRecord[]; chunked?: boolean } };
  /** The current runs' snapshots, appended a chunk at a time. Key: [page, run, chunk]. */
  chunks: { key: [string, number, number]; value: { page: string; run: number; chunk: number; snapshots: Snapshot[] } };
  saved: { key: string; value: SavedRun; indexes: { savedAt: number } };
}

let database: Promise<IDBPDatabase<Schema>> | null = null;

function db(): Promise<IDBPDatabase<Schema>> {
  database ??= openDB<Schema>('phenomena-explorer', 2, {
    upgrade(store, oldVersion) {
      if (oldVersion < 1) {
        store.createObjectStore('current', { keyPath: 'page' });
        store.createObjectStore('saved', { keyPath: 'id' }).createIndex('savedAt', 'savedAt');
      }
      if (oldVersion < 2) store.createObjectStore('chunks', { keyPath: ['page', 'run', 'chunk'] });
    },
  });
  return database;
}

/** What the chunks of a page's run hold: its first snapshot (the same object while the run goes on), the count, the chunks. */
type Written = { first: Snapshot | undefined; count: number; chunks: number };
const written = new Map<string, Written[]>();

const runChunks = (page: string, run: number) => IDBKeyRange.bound([page, run, 0], [page, run, Number.MAX_SAFE_INTEGER]);

/**
 * Writes a page's current runs. Only the snapshots added since the last write are written, as a new chunk, so
 * a write costs the same after an hour of training as after a minute (a full write of thousands of snapshots
 * blocked the page for over 50 ms). A run that started again is rewritten whole.
 */
export async function keepCurrent(page: string, records: PackedRecord[]): Promise<void> {
  const tx = (await db()).transaction(['current', 'chunks'], 'readwrite');
  // Every request's outcome is awaited with the transaction's: an aborted write (a quota) rejects them all, and
  // none may go unhandled.
  const requests: Promise<unknown>[] = [];
  const before = written.get(page) ?? [];
  const after = records.map((record, run): Written => {
    const { snapshots } = record;
    const last = before[run];
    const continues = last && last.first === snapshots[0] && snapshots.length >= last.count;
    if (!continues) requests.push(tx.objectStore('chunks').delete(runChunks(page, run)));
    const from = continues ? last : { first: snapshots[0], count: 0, chunks: 0 };
    if (snapshots.length === from.count) return from;
    // Records hold plain data (the runner keeps raw state), which IndexedDB clones as it is.
    requests.push(tx.objectStore('chunks').put({ page, run, chunk: from.chunks, snapshots: snapshots.slice(from.count) }));
    return { first: snapshots[0], count: snapshots.length, chunks: from.chunks + 1 };
  });
  requests.push(tx.objectStore('current').put({ page, records: records.map(toStored), chunked: true }));
  await Promise.all([...requests, tx.done]);
  written.set(page, after);
}

export async function currentRuns(page: string): Promise<RunRecord[] | null> {
  const store = await db();
  const current = await store.get('current', page);
  if (!current) return null;
  if (!current.chunked) return current.records.map((record) => fromVersion1(record) as RunRecord);
  const chunks = await Promise.all(current.records.map((_, run) => store.getAll('chunks', runChunks(page, run))));
  const records = current.records.map((record, run) => fromStored(record, chunks[run].flatMap((chunk) => chunk.snapshots)));
  // The runs go on from these very arrays: the next write appends to their chunks.
  written.set(
    page,
    records.map((record, run) => ({ first: record.snapshots[0], count: record.snapshots.length, chunks: chunks[run].length })),
  );
  return records;
}

export async function saveRun(name: string, page: string, records: RunRecord[]): Promise<SavedRun> {
  const run: SavedRun = { id: crypto.randomUUID(), name, page, savedAt: Date.now(), records };
  await (await db()).put('saved', run);
  return run;
}

/** Newest first. */
export async function listRuns(): Promise<SavedRun[]> {
  const runs = await (await db()).getAllFromIndex('saved', 'savedAt');
  return runs.reverse().map((run) => ({ ...run, records: run.records.map((record) => fromVersion1(record) as RunRecord) }));
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
  await keepCurrent(run.page, run.records.map(packed));
}
