/**
 * Malformed input, generated: every case gets a clear error naming its field, none crashes (an error that is not the
 * validation's), none is accepted silently. Across the config schema, `--set` overrides, link parameters, run files
 * and weights files; the parsers are called directly, as the command line, the page and the import call them.
 */
import { describe, expect, it } from 'vitest';
import { applyAssignments, getByPath, setByPath } from '../../src/core/config/overrides';
import { decodeSearch } from '../../src/core/config/url';
import { ConfigError } from '../../src/core/config/validate';
import { initParams, type MlpSpec } from '../../src/core/models/mlpSpec';
import { weightsFromJson, weightsToJson } from '../../src/core/weights';
import { readRunFile, RUN_FILE_FORMAT, RUN_FILE_VERSION, type RunRecord } from '../../src/engine/runFile';
import { parseConfig, parseFor } from '../../src/phenomena/engine';
import { FIT_LINKS as URL_FIELDS } from '../../src/phenomena/fit/links';
import type { FitConfig } from '../../src/phenomena/fit/schema';
import { fprinciple1d } from '../../src/phenomena/fprinciple-1d';

const parseExperiment = (input: unknown) => parseFor(fprinciple1d, input);
const decodeConfigFromSearch = (search: string, base: FitConfig) => decodeSearch(search, base, URL_FIELDS, parseExperiment);
import { experimentFile } from '../support/engine';

/** A field named as the messages name it: a dotted path, possibly with list indices, or (config)/(file). */
const FIELD = /^(\(config\)|\(file\)|[A-Za-z_$][\w$]*(\.[\w$]+)*): \S/;

/** Runs `parse` on a malformed input: returns its problems, failing the test on a crash or a silent accept. */
function refusal(parse: () => unknown, what: string): string[] {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw new Error(`${what}: crashed`, { cause: error });
    return error.problems;
  }
  throw new Error(`${what}: accepted silently`);
}

/** Each case's problems all name a field, and one names `field` (or a field inside it). */
function expectNamed(problems: string[], field: string): void {
  expect(problems.length).toBeGreaterThan(0);
  for (const problem of problems) expect(problem).toMatch(FIELD);
  const named = (problem: string) => problem.startsWith(`${field}:`) || problem.startsWith(`${field}.`);
  expect(problems.some(named), `${field} in ${problems.join(' | ')}`).toBe(true);
}

/** A copy of `value` with `path` (dotted, list indices included) set: setByPath's counterpart for files with lists. */
function mutate<T>(value: T, path: string, to: unknown): T {
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = path.split('.');
  const parent = keys.slice(0, -1).reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, copy);
  parent[keys[keys.length - 1]] = to;
  return copy as T;
}

const counts: Record<string, number> = {};
const count = (kind: string) => (counts[kind] = (counts[kind] ?? 0) + 1);

const base = experimentFile('fprinciple-1d.json') as Record<string, unknown>;

/** Every leaf of the config, by dotted path. */
function leaves(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => leaves(child, prefix ? `${prefix}.${key}` : key));
}
const parsedBase = parseExperiment(base);
const LEAVES = leaves(parsedBase);
const OBJECTS = ['', 'data', 'model', 'model.init', 'train', 'analysis'];

const ESCAPES = [
  'constructor.constructor("return process")()',
  'import("fs")',
  'x.constructor',
  'evaluate("1+1")',
  'f(x) = x',
  'x = 1',
  '[1, 2]',
  '{a: 1}',
  '"text"',
  'x ? 1 : 2',
  'sin',
  'process.exit(1)',
  'parse("x")',
  'createUnit("foo")',
  'x[1]',
  `${'('.repeat(300)}x${')'.repeat(300)}`,
];
const NON_FINITE = ['1/x', '1/0', '0/0', 'log(x)', 'sqrt(x)', 'exp(1000*x)', 'x^1000', 'asin(2*x)', 'acos(x+2)', 'sin()', 'round(x, 1.5)', 'pow(x)', 'log(0)', 'y'];

describe('fuzzed malformed input', () => {
  it('the config schema refuses wrong types, non-finite and out-of-range numbers, missing and extra fields, naming them', () => {
    for (const path of LEAVES) {
      const value = getByPath(parsedBase, path);
      const wrong: unknown[] =
        typeof value === 'number'
          ? ['abc', Number.NaN, Number.POSITIVE_INFINITY, true, [], 1e308]
          : typeof value === 'string'
            ? [17, null, true, {}]
            : Array.isArray(value)
              ? ['abc', [Number.NaN], [Number.POSITIVE_INFINITY], {}]
              : [{}];
      for (const bad of wrong) {
        // 1e308 is in range for nothing but a domain end, which the domain's width then refuses.
        expectNamed(refusal(() => parseExperiment(setByPath(base, path, bad)), `${path}=${String(bad)}`), path === 'data.domain.0' || path === 'data.domain.1' ? 'data.domain' : path);
        count('config schema');
      }
    }
    for (const path of ['name', 'seed', 'phenomenon', 'data.domain', 'data.points', 'model.widths', 'model.activation', 'model.init.gamma', 'model.init.scale', 'train.optimizer', 'train.lr', 'train.steps', 'train.snapshotEvery']) {
      const missing = structuredClone(base);
      const keys = path.split('.');
      delete (getByPath(missing, keys.slice(0, -1).join('.')) as Record<string, unknown> | undefined ?? missing)[keys.at(-1) as string];
      if (keys.length === 1) delete missing[path];
      expectNamed(refusal(() => parseExperiment(missing), `no ${path}`), path);
      count('config schema');
    }
    for (const object of OBJECTS) {
      for (const key of ['junk', '__proto__', 'constructor']) {
        const text = JSON.stringify(object ? setByPath(base, object, { ...(getByPath(base, object) as object), placeholder: 1 }) : { ...base, placeholder: 1 }).replace('"placeholder":1', `"${key}":{"polluted":1}`);
        expectNamed(refusal(() => parseExperiment(JSON.parse(text)), text), object || '(config)');
        count('config schema');
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const data = (changes: Record<string, unknown>) => ({ ...base, data: { ...(base.data as object), ...changes } });
    for (const target of [...ESCAPES, ...NON_FINITE]) {
      expectNamed(refusal(() => parseExperiment(data({ target })), target), 'data.target');
      count('config schema');
    }
    for (const [changes, field] of [
      [{ domain: [1, -1] }, 'data.domain'],
      [{ domain: [2, 2] }, 'data.domain'],
      [{ domain: [-1e308, 1e308] }, 'data.domain'],
      [{ domain: [0] }, 'data.domain'],
      [{ points: 0 }, 'data.points'],
      [{ points: 1 }, 'data.points'],
      [{ points: 1e9 }, 'data.points'],
      [{ points: 2.5 }, 'data.points'],
      [{ points: -64 }, 'data.points'],
      [{ inputs: 3 }, 'data.inputs'],
      [{ inputs: 2, points: 65 }, 'data.points'],
      [{ grid: 'open' }, 'data.grid'],
    ] as const) {
      expectNamed(refusal(() => parseExperiment(data(changes)), JSON.stringify(changes)), field);
      count('config schema');
    }
  });

  it('--set overrides refuse bad paths and values, naming them', () => {
    const cases: [string, string][] = [
      ['model.widths=[0]', 'model.widths.0'],
      ['model.widths=[]', 'model.widths'],
      ['model.widths=[1e9]', 'model.widths.0'],
      ['model.widths=[1,2,3,4,5,6,7,8,9]', 'model.widths'],
      ['data.domain=[3,1]', 'data.domain'],
      ['data.domain=[-1e308,1e308]', 'data.domain'],
      ['data.points=1e9', 'data.points'],
      ['data.points=0', 'data.points'],
      ['train.lr=NaN', 'train.lr'],
      ['train.lr=1e999', 'train.lr'],
      ['train.lr=-0.1', 'train.lr'],
      ['train.lr=0', 'train.lr'],
      ['train.steps=0', 'train.steps'],
      ['train.steps=1.5', 'train.steps'],
      ['train.snapshotEvery=-1', 'train.snapshotEvery'],
      ['seed=-1', 'seed'],
      ['seed=4294967296', 'seed'],
      ['model.init.gamma="1"', 'model.init.gamma'],
      ['model.init.scale=0', 'model.init.scale'],
      ['model.dropout=1', 'model.dropout'],
      ['model.activation=gelu', 'model.activation'],
      ['train.optimizer=rmsprop', 'train.optimizer'],
      ['data.grid=open', 'data.grid'],
      ['data.target=1/x', 'data.target'],
      ['data.target=exp(1000*x)', 'data.target'],
      ['data.target=constructor.constructor("return 1")()', 'data.target'],
      ['data.target=', 'data.target'],
      ['backend=tpu', 'backend'],
      ['extra.field=1', '(config)'],
      ['model.extra=1', 'model'],
      ['phenomenon=nothing', 'phenomenon'],
      ['version=2', 'version'],
      ['analysis.bands=0', 'analysis.bands'],
      ['train.lossSwitchAt=-5', 'train.lossSwitchAt'],
    ];
    for (const [assignment, field] of cases) {
      expectNamed(refusal(() => parseConfig(applyAssignments(base, [assignment])), assignment), field);
      count('--set');
    }
    // Paths that are not paths: refused before any config is built, with the path in the message.
    for (const assignment of ['__proto__.polluted=1', 'constructor.prototype.polluted=1', 'model.__proto__.x=1', 'model..widths=1', '=5', 'novalue', '.seed=1', 'seed.=1']) {
      expect(() => applyAssignments(base, [assignment])).toThrow(assignment.includes('=') && !assignment.startsWith('=') ? /invalid field path "/ : /must look like path=value/);
      count('--set');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('link parameters: each malformed one is dropped with a notice naming it, and the run stays as the file has it', () => {
    const numeric = ['seed', 'gamma', 'scale', 'lr', 'steps', 'every', 'points', 'dropout', 'switchAt'];
    const lists = ['widths', 'domain'];
    const cases: string[] = [];
    for (const key of Object.keys(URL_FIELDS)) {
      const values = numeric.includes(key) || lists.includes(key) ? ['abc', '', 'NaN', 'Infinity', '0x10', '1e999', '-1e400'] : ['', 'abc def', '\u0000', '('];
      for (const value of values) cases.push(`${key}=${encodeURIComponent(value)}`);
    }
    cases.push('gamma=-1', 'lr=0', 'lr=-1', 'steps=0', 'points=1', 'points=1000000000', 'domain=3,1', 'domain=1', 'domain=-1e308,1e308', 'widths=0', 'widths=', 'widths=8,,8', 'every=0', 'seed=1.5');
    cases.push(...['1/x', 'log(x)', 'exp(1000*x)', ...ESCAPES.slice(0, 8)].map((target) => `target=${encodeURIComponent(target)}`));
    cases.push('foo=1', '__proto__=1', 'constructor=1', 'toString=1', 'hasOwnProperty=1', 'a.b.c=1', 'act=relu&act=tanh', 'lr=0.1&lr=0.1');
    for (const search of cases) {
      const name = new URLSearchParams(search).keys().next().value as string;
      const decoded = decodeConfigFromSearch(`?${search}`, parsedBase);
      if (!name.includes('.')) expect(decoded.notices.some((notice) => notice.includes(`${name}=`) || notice.includes(`"${name}"`)), search).toBe(true);
      // A repeated parameter counts once; everything else leaves the run as the file has it.
      if (!search.includes('&')) expect(decoded.config, search).toEqual(parsedBase);
      count('link');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('run files: wrong types, contradictions, unknown fields, broken JSON are refused, naming the field', () => {
    const good: RunRecord = {
      format: RUN_FILE_FORMAT,
      version: RUN_FILE_VERSION,
      config: parsedBase,
      backend: 'wasm',
      info: { inputs: 1, x: [0, 1], target: [0, 1], curveX: [0], curveTarget: [0], frequencies: [0, 1], targetAmplitude: [0, 1], peaks: [1], parameterCount: 10 } as RunRecord['info'],
      snapshots: [0, 10].map((step) => ({ step, loss: 1, metrics: { output: [0, 0], curve: [0], frequency: { k: [1], relError: [1] }, outputAmplitude: [0, 0] } })),
      weights: { initial: { layers: [{ weights: [[1]], bias: [0] }] }, current: { layers: [{ weights: [[1]], bias: [0] }] } },
    };
    expect(readRunFile(JSON.stringify(good))).toHaveLength(1);
    const text = JSON.stringify(good);
    const mutations: [string, unknown, string][] = [
      ['format', 'other', 'format'],
      ['version', 3, 'version'],
      ['backend', 7, 'backend'],
      ['backend', 'x'.repeat(100_000), 'backend'],
      ['config', null, 'config'],
      ['config.seed', -1, 'config.seed'],
      ['config.data.target', '1/x', 'config.data.target'],
      ['config.junk', 1, 'config'],
      ['info', null, 'info'],
      ['info.peaks', 'x', 'info.peaks'],
      ['info.parameterCount', -3, 'info.parameterCount'],
      ['info.junk', { deep: { deeper: [1] } }, 'info'],
      ['snapshots', [], 'snapshots'],
      ['snapshots', 'x', 'snapshots'],
      ['snapshots.0.step', -1, 'snapshots.0.step'],
      ['snapshots.0.step', 1.5, 'snapshots.0.step'],
      ['snapshots.1.step', 0, 'snapshots.1.step'],
      ['snapshots.1.step', 1e9, 'snapshots.1.step'],
      ['snapshots.0.loss', 'x', 'snapshots.0.loss'],
      ['snapshots.0.metrics.output', [0], 'snapshots.0.metrics.output'],
      ['snapshots.1.metrics.curve', [], 'snapshots.1.metrics.curve'],
      ['snapshots.0.metrics.output', 'x', 'snapshots.0.metrics.output'],
      ['snapshots.0.metrics.frequency.relError', [1, 2], 'snapshots.0.metrics.frequency'],
      ['snapshots.0.metrics.junk', { a: { b: { c: { d: 1 } } } }, 'snapshots.0.metrics'],
      ['snapshots.1.junk', 1, 'snapshots.1'],
      ['snapshots.0.metrics.modelLoss', { value: 1, training: 'other' }, 'snapshots.0.metrics.modelLoss.training'],
      ['diverged', { step: 'x', message: 1 }, 'diverged.step'],
      ['weights.current.layers.0.bias', [null], 'weights.current.layers.0'],
      ['weights.current.layers.0.bias', [1e39], 'weights.current.layers.0'],
      ['weights.initial.layers.0.weights', [[null]], 'weights.initial.layers.0'],
      ['weights.initial.layers', 'x', 'weights.initial.layers'],
      ['weights.junk', 1, 'weights'],
      ['junk', 1, '(file)'],
    ];
    for (const [path, value, field] of mutations) {
      expectNamed(refusal(() => readRunFile(JSON.stringify(mutate(good, path, value))), path), field);
      count('run file');
    }
    for (const broken of [text.slice(0, text.length / 2), '', '{', 'null', '[]', '{"runs": []}', '{"runs": 5}', '7', '"text"', text.replace('{', '{"__proto__": {"polluted": 1},')]) {
      expect(refusal(() => readRunFile(broken), broken.slice(0, 40))[0]).toMatch(FIELD);
      count('run file');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('weights files: wrong shapes, types and values are refused, naming the layer', () => {
    const spec: MlpSpec = { inputDim: 1, widths: [3], outputDim: 1, activation: 'tanh', init: { gamma: 0.5, scale: 1 } };
    const good = weightsToJson(initParams(spec, 1));
    const cases: [unknown, string][] = [
      [null, 'weights'],
      ['x', 'weights'],
      [{}, 'weights.layers'],
      [{ layers: [] }, 'weights.layers'],
      [{ layers: good.layers.slice(1) }, 'weights.layers'],
      [{ layers: [...good.layers, good.layers[1]] }, 'weights.layers'],
      [mutate(good, 'layers.0.weights', [[1, 2, 3], [1, 2, 3]]), 'weights.layers.0'],
      [mutate(good, 'layers.0.weights', [[1, 2]]), 'weights.layers.0'],
      [mutate(good, 'layers.0.bias', [1]), 'weights.layers.0'],
      [mutate(good, 'layers.1.bias', ['x']), 'weights.layers.1.bias.0'],
      [mutate(good, 'layers.1.bias', [Number.NaN]), 'weights.layers.1'],
      [mutate(good, 'layers.1.bias', [Number.POSITIVE_INFINITY]), 'weights.layers.1'],
      [mutate(good, 'layers.1.bias', [1e39]), 'weights.layers.1'],
      [mutate(good, 'layers.1.bias', [null]), 'weights.layers.1.bias.0'],
      [mutate(good, 'layers.0.junk', 1), 'weights.layers.0'],
      [{ ...good, junk: 1 }, 'weights'],
      [{ initial: good, current: { layers: 'x' } }, 'weights'],
    ];
    for (const [input, field] of cases) {
      expectNamed(refusal(() => weightsFromJson(input, spec), JSON.stringify(input)), field);
      count('weights file');
    }
  });

  it('counts at least 200 cases', () => {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.info(`fuzzed cases: ${JSON.stringify(counts)}, ${total} in all`);
    expect(total).toBeGreaterThanOrEqual(200);
  });
});
