/** Where 'auto' remembers the backend it measured, per device and size of model: IndexedDB, which a worker has. */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { AutoChoice, ChoiceStore } from '../core/autoChoice';

interface Schema extends DBSchema {
  choices: { key: string; value: AutoChoice };
}

/** A database of its own, apart from the runs' (savedRuns.ts), so neither's upgrades touch the other. */
let opened: Promise<IDBPDatabase<Schema>> | null = null;
const database = () => (opened ??= openDB<Schema>('phenomena-explorer-backends', 1, { upgrade: (db) => void db.createObjectStore('choices') }));

export const indexedDbChoices: ChoiceStore = {
  get: async (key) => (await database()).get('choices', key),
  set: async (key, choice) => void (await (await database()).put('choices', choice, key)),
};
