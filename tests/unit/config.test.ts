import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyAssignments, getByPath, readOverrideValue, setByPath } from '../../src/core/config/overrides';
import { ConfigError, problemText } from '../../src/core/config/validate';
import { parseConfigJson, parseFor } from '../../src/phenomena/engine';
import { fprinciple1d } from '../../src/phenomena/fprinciple-1d';
import { experimentFile } from '../support/engine';

function problemsOf(input: unknown): string[] {
  try {
    parseFor(fprinciple1d, input);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('experiment schema', () => {
  it.each(readdirSync(new URL('../../experiments', import.meta.url)).filter((f) => f.endsWith('.json')))('accepts experiments/%s', (file) => {
    expect(() => parseConfigJson(readFileSync(new URL(`../../experiments/${file}`, import.meta.url), 'utf8'))).not.toThrow();
  });

  it('keeps the canonical settings of SCIENCE.md', () => {
    const config = parseFor(fprinciple1d, experimentFile('fprinciple-1d.json'));
    expect(config.data.target).toBe('sin(x) + sin(3*x) + sin(5*x)');
    expect(config.model.widths).toEqual([200, 200, 100]);
    expect(config.model.activation).toBe('tanh');
    expect(config.train.optimizer).toBe('adam');
  });

  it.each([
    ['model.init.gamma', -1, 'model.init.gamma'],
    ['model.widths', [], 'model.widths'],
    ['model.widths', [200, 0], 'model.widths.1'],
    ['model.activation', 'softmax', 'model.activation'],
    ['data.domain', [1, -1], 'data.domain'],
    ['data.points', 2.5, 'data.points'],
    ['data.target', 'sin(y)', 'data.target'],
    ['data.target', 'process.exit(1)', 'data.target'],
    ['train.lr', 0, 'train.lr'],
    ['train.optimizer', 'lbfgs', 'train.optimizer'],
    ['seed', 'abc', 'seed'],
    ['backend', 'tpu', 'backend'],
  ])('rejects %s = %j naming the field', (path, value, field) => {
    const problems = problemsOf(setByPath(experimentFile('fprinciple-1d.json'), path, value));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.some((p) => p.startsWith(`${field}: `))).toBe(true);
  });

  it('rejects unknown fields (a typo must not be silently ignored)', () => {
    const problems = problemsOf(setByPath(experimentFile('fprinciple-1d.json'), 'train.learningRate', 0.1));
    expect(problems.join('\n')).toMatch(/^train: .*learningRate/m);
  });

  it('rejects missing fields and broken JSON', () => {
    const { seed: _seed, ...noSeed } = experimentFile('fprinciple-1d.json') as Record<string, unknown>;
    expect(problemsOf(noSeed).join()).toMatch(/^seed: /);
    expect(() => parseConfigJson('{ "name": ')).toThrow(/not valid JSON/);
  });
});

describe('overrides by dotted path', () => {
  it('reads values as JSON when they parse and as strings otherwise', () => {
    expect(readOverrideValue('1')).toBe(1);
    expect(readOverrideValue('[64,64]')).toEqual([64, 64]);
    expect(readOverrideValue('sin(2*x)')).toBe('sin(2*x)');
    expect(readOverrideValue('"wasm"')).toBe('wasm');
  });

  it('sets nested fields without touching the original', () => {
    const original = { model: { init: { gamma: 0.5 } } };
    const changed = setByPath(original, 'model.init.gamma', 1);
    expect(getByPath(changed, 'model.init.gamma')).toBe(1);
    expect(original.model.init.gamma).toBe(0.5);
  });

  it('applies assignments in order and refuses prototype paths', () => {
    const config = applyAssignments(experimentFile('fprinciple-1d.json'), ['model.widths=[64,64]', 'data.target=sin(2*x)', 'model.init.gamma=1']);
    const parsed = parseFor(fprinciple1d, config);
    expect(parsed.model.widths).toEqual([64, 64]);
    expect(parsed.data.target).toBe('sin(2*x)');
    expect(parsed.model.init.gamma).toBe(1);
    expect(() => applyAssignments({}, ['__proto__.polluted=1'])).toThrow(/invalid field path/);
    expect(() => applyAssignments({}, ['novalue'])).toThrow(/path=value/);
  });

  it('refuses a target that is not a finite float32 on its grid, naming data.target (what the engine would refuse)', () => {
    const file = experimentFile('fprinciple-1d.json') as Record<string, Record<string, unknown>>;
    const withData = (data: Record<string, unknown>) => problemsOf({ ...file, data: { ...file.data, ...data } });
    for (const target of ['1/x', '1/0', 'log(x)', 'sqrt(x)', 'exp(1000*x)', 'x^100', 'sin()', 'round(x, 1.5)']) {
      expect(withData({ target })).toEqual([expect.stringMatching(/^data\.target: /)]);
    }
    expect(withData({ target: 'log(x)', inputs: 2, points: 16 })).toEqual([expect.stringMatching(/^data\.target: .*\(x, y\)/)]);
    expect(withData({ domain: [-1e308, 1e308] })).toEqual([expect.stringMatching(/^data\.domain: /)]);
    const lossSwitch = experimentFile('loss-switch.json') as Record<string, Record<string, unknown>>;
    expect(problemsOf({ ...lossSwitch, data: { ...lossSwitch.data, target: 'floor(x)' } })).toEqual([expect.stringMatching(/^data\.target: the Poisson loss needs a target it can differentiate twice/)]);
  });

  it('refuses the Poisson loss where it cannot work, naming the field', () => {
    const lossSwitch = experimentFile('loss-switch.json') as Record<string, Record<string, unknown>>;
    expect(() => parseFor(fprinciple1d, { ...lossSwitch, model: { ...lossSwitch.model, activation: 'relu' } })).toThrow(/model.activation: the Poisson loss needs a twice-differentiable activation \(tanh, sin, sigmoid\)/);
    expect(() => parseFor(fprinciple1d, { ...lossSwitch, model: { ...lossSwitch.model, dropout: 0.1 } })).toThrow(/model.dropout: the Poisson loss does not take dropout/);
    expect(parseFor(fprinciple1d, { ...lossSwitch, model: { ...lossSwitch.model, activation: 'relu' }, train: { ...lossSwitch.train, lossSwitchAt: null } }).model.activation).toBe('relu');
  });
});

describe('problemText', () => {
  it('reads the problems of a refusal that crossed from the worker as a plain error (a weights file of the wrong shape)', () => {
    const refused = new ConfigError(['weights.current.layers.0: has shape [2, 3], the network needs [1, 200]', 'seed: must be an integer']);
    // What Comlink hands the page: a new Error with the name and message, no class, no problems field.
    const crossed = Object.assign(new Error(refused.message), { name: refused.name });
    expect(problemText(crossed)).toBe('weights.current.layers.0: has shape [2, 3], the network needs [1, 200]; seed: must be an integer');
    expect(problemText(refused)).toBe(problemText(crossed));
    expect(problemText(new Error('no experiment loaded'))).toBe('no experiment loaded');
  });
});
