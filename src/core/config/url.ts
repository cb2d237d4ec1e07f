/**
 * Every control lives in the URL, so a link reproduces the exact run (seed included). Only fields that
 * differ from the experiment file are written; a malformed parameter is dropped with a notice.
 */
import { getByPath, setByPath } from './overrides';
import type { ExperimentConfig } from './schema';
import { ConfigError, parseExperiment } from './validate';

export const URL_VERSION = '1';

/** URL parameter → config field. */
export const URL_FIELDS = {
  seed: 'seed',
  backend: 'backend',
  target: 'data.target',
  domain: 'data.domain',
  points: 'data.points',
  widths: 'model.widths',
  act: 'model.activation',
  gamma: 'model.init.gamma',
  scale: 'model.init.scale',
  opt: 'train.optimizer',
  lr: 'train.lr',
  steps: 'train.steps',
  every: 'train.snapshotEvery',
} as const;

type UrlKey = keyof typeof URL_FIELDS;

function encodeValue(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** Reads `text` as the type the field has in `base` (lists are comma-separated numbers). */
function decodeValue(text: string, like: unknown): unknown {
  if (Array.isArray(like)) return text.split(',').map((part) => (part.trim() === '' ? Number.NaN : Number(part)));
  if (typeof like === 'number') return text.trim() === '' ? Number.NaN : Number(text);
  return text;
}

export function encodeConfigToSearch(config: ExperimentConfig, base: ExperimentConfig): string {
  const params = new URLSearchParams({ v: URL_VERSION });
  for (const [key, path] of Object.entries(URL_FIELDS)) {
    const value = getByPath(config, path);
    if (encodeValue(value) !== encodeValue(getByPath(base, path))) params.set(key, encodeValue(value));
  }
  return params.toString();
}

export interface DecodedUrl {
  config: ExperimentConfig;
  /** What was ignored and why, for a visible notice; empty when the URL was clean. */
  notices: string[];
}

/** Applies the URL's parameters to `base` one by one; each invalid one is dropped with a reason. */
export function decodeConfigFromSearch(search: string, base: ExperimentConfig): DecodedUrl {
  const params = new URLSearchParams(search);
  const notices: string[] = [];
  const version = params.get('v');
  if (version !== null && version !== URL_VERSION) notices.push(`link version ${version} is not ${URL_VERSION}; read as far as possible`);
  let config = base;
  for (const [key, text] of params) {
    if (key === 'v') continue;
    if (!(key in URL_FIELDS)) {
      notices.push(`unknown link parameter "${key}" ignored`);
      continue;
    }
    const path = URL_FIELDS[key as UrlKey];
    try {
      config = parseExperiment(setByPath(config, path, decodeValue(text, getByPath(base, path))));
    } catch (error) {
      const reason = error instanceof ConfigError ? error.problems.join('; ') : (error as Error).message;
      notices.push(`ignored ${key}=${text}: ${reason}`);
    }
  }
  return { config, notices };
}
