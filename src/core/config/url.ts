/**
 * Every control lives in the URL, so a link reproduces the exact run (seed included). Only fields that
 * differ from the experiment file are written; a malformed parameter is dropped with a notice.
 */
import { getByPath, setByPath } from './overrides';
import { problemText } from './validate';

export const URL_VERSION = '1';

/** The network and its training: the same link parameters on every page that trains one network. */
export const NETWORK_LINKS = {
  seed: 'seed',
  backend: 'backend',
  widths: 'model.widths',
  act: 'model.activation',
  gamma: 'model.init.gamma',
  scale: 'model.init.scale',
  opt: 'train.optimizer',
  lr: 'train.lr',
  steps: 'train.steps',
  every: 'train.snapshotEvery',
} as const;

function encodeValue(value: unknown): string {
  if (value == null) return 'null';
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** A decimal number as a person writes one ("0.01", "-2", "1e-3"); not hex, binary or blank, which Number() also reads. */
const DECIMAL = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i;

/** Reads a number written in a link: NaN (refused by the schema, naming the field) unless it is a decimal. */
const decodeNumber = (text: string) => (DECIMAL.test(text) ? Number(text) : Number.NaN);

/** Reads `text` as the type the field has in `base` (lists are comma-separated numbers). */
function decodeValue(text: string, like: unknown): unknown {
  // An optional field switched off (e.g. no loss switch).
  if (text === 'null') return null;
  if (Array.isArray(like)) return text.split(',').map(decodeNumber);
  if (typeof like === 'number') return decodeNumber(text);
  // A field the base leaves out (an optional number such as the loss switch step, or a string).
  if (like == null && DECIMAL.test(text)) return Number(text);
  return text;
}

/**
 * Writes the fields of `config` that differ from `base` into `params`. A page with several runs gives each a
 * scope: "b" writes `b.gamma=…`; the first run has none.
 */
export function writeConfigParams<T>(params: URLSearchParams, config: T, base: T, scope: string, fields: Readonly<Record<string, string>>): void {
  for (const [key, path] of Object.entries(fields)) {
    const value = getByPath(config, path);
    // A dropped image's pixels cannot travel in a link, and its name alone would be refused: leave it out.
    if (path === 'data.image.src' && getByPath(config, 'data.image.gray') !== undefined) continue;
    if (encodeValue(value) !== encodeValue(getByPath(base, path))) params.set(scope ? `${scope}.${key}` : key, encodeValue(value));
  }
}

export function encodeConfigToSearch<T>(config: T, base: T, fields: Readonly<Record<string, string>>): string {
  const params = new URLSearchParams({ v: URL_VERSION });
  writeConfigParams(params, config, base, '', fields);
  return params.toString();
}

export interface DecodedUrl<T> {
  config: T;
  /** What was ignored and why, for a visible notice; empty when the URL was clean. */
  notices: string[];
}

/** Applies the URL's parameters of `scope` to `base` one by one; each invalid one is dropped with a reason. */
export function decodeSearch<T>(search: string, base: T, fields: Readonly<Record<string, string>>, parse: (input: unknown) => T, scope = ''): DecodedUrl<T> {
  const params = new URLSearchParams(search);
  const notices: string[] = [];
  const version = params.get('v');
  if (!scope && version !== null && version !== URL_VERSION) notices.push(`link version ${version} is not ${URL_VERSION}; read as far as possible`);
  let config = base;
  const seen = new Set<string>();
  for (const [name, text] of params) {
    const dot = name.indexOf('.');
    const [paramScope, key] = dot < 0 ? ['', name] : [name.slice(0, dot), name.slice(dot + 1)];
    if (name === 'v' || paramScope !== scope) continue;
    // A link that gives a parameter twice is ambiguous: the first one counts, and the notice is given once.
    if (seen.has(name)) continue;
    seen.add(name);
    const count = params.getAll(name).length;
    if (count > 1) notices.push(`link parameter "${name}" is given ${count} times; only the first was read`);
    // Own keys only: "constructor" or "__proto__" are not fields.
    if (!Object.hasOwn(fields, key)) {
      notices.push(`unknown link parameter "${name}" ignored`);
      continue;
    }
    const path = fields[key];
    try {
      config = parse(setByPath(config, path, decodeValue(text, getByPath(base, path))));
    } catch (error) {
      notices.push(`ignored ${name}=${text}: ${problemText(error)}`);
    }
  }
  return { config, notices };
}
