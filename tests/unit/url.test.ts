import { describe, expect, it } from 'vitest';
import { decodeSearch, encodeConfigToSearch as encode, writeConfigParams as write } from '../../src/core/config/url';
import { parseFor } from '../../src/phenomena/engine';
import { FIT_LINKS } from '../../src/phenomena/fit/links';
import type { FitConfig } from '../../src/phenomena/fit/schema';
import { fprinciple1d } from '../../src/phenomena/fprinciple-1d';
import { anchor } from '../../src/phenomena/anchor';
import { phaseDiagram } from '../../src/phenomena/phase-diagram';
import type { PhaseDiagramConfig } from '../../src/phenomena/phase-diagram/schema';
import { applyAssignments } from '../../src/core/config/overrides';
import { experimentFile } from '../support/engine';
import { canonicalConfig } from '../support/engine';

const encodeConfigToSearch = (config: FitConfig, base: FitConfig) => encode(config, base, FIT_LINKS);
const writeConfigParams = (params: URLSearchParams, config: FitConfig, base: FitConfig, scope = '') => write(params, config, base, scope, FIT_LINKS);
const decodeConfigFromSearch = (search: string, base: FitConfig, scope = '') => decodeSearch(search, base, FIT_LINKS, (input) => parseFor(fprinciple1d, input), scope);
const decodeSweepFromSearch = (search: string, base: PhaseDiagramConfig) => decodeSearch(search, base, phaseDiagram.links, (input) => parseFor(phaseDiagram, input));

describe('URL state', () => {
  const base = canonicalConfig();

  it('writes only what differs from the experiment file', () => {
    expect(encodeConfigToSearch(base, base)).toBe('v=1');
  });

  it('round-trips every control', () => {
    const imageBase = parseFor(fprinciple1d, experimentFile('fprinciple-image.json'));
    // Some controls exclude each other (dropout and the Poisson loss), so three configs cover them all.
    const cases = [
      {
        base,
        changed: canonicalConfig(
          'seed=42',
          'backend="wasm"',
          'data.target=cos(2*x) + x/3',
          'data.domain=[-1,2]',
          'data.points=64',
          'model.widths=[32,16]',
          'model.activation="xtanh"',
          'model.init.gamma=1.25',
          'model.init.scale=0.5',
          'train.optimizer="sgd"',
          'train.lr=0.003',
          'train.steps=777',
          'train.snapshotEvery=7',
          'model.dropout=0.25',
        ),
      },
      { base, changed: canonicalConfig('train.loss="poisson"', 'train.lossSwitchAt=300', 'data.grid="closed"') },
      { base: imageBase, changed: parseFor(fprinciple1d, applyAssignments(imageBase, ['data.image={"src":"images/face.png"}'])) },
    ];
    const written = new Set<string>();
    for (const { base: caseBase, changed } of cases) {
      const search = encodeConfigToSearch(changed, caseBase);
      new URLSearchParams(search).forEach((_, key) => written.add(key));
      const decoded = decodeConfigFromSearch(search, caseBase);
      expect(decoded.notices).toEqual([]);
      expect(decoded.config).toEqual(changed);
    }
    for (const key of Object.keys(FIT_LINKS)) expect(written.has(key), key).toBe(true);
  });

  it('leaves a dropped image out of the link (its pixels cannot travel)', () => {
    const imageBase = parseFor(fprinciple1d, experimentFile('fprinciple-image.json'));
    const dropped = parseFor(fprinciple1d, applyAssignments(imageBase, ['data.image={"src":"mine.png","width":1,"height":1,"gray":[0.5]}', 'data.points=16']));
    expect(encodeConfigToSearch(dropped, imageBase)).toBe('v=1&points=16');
  });

  it('switches the loss switch off and on again', () => {
    const switching = canonicalConfig('train.lossSwitchAt=300', 'data.grid="closed"');
    const off = canonicalConfig('data.grid="closed"');
    const decoded = decodeConfigFromSearch(encodeConfigToSearch(off, switching), switching);
    expect(decoded.config.train.lossSwitchAt).toBeNull();
  });

  it('drops malformed parameters with a notice and keeps the rest', () => {
    const decoded = decodeConfigFromSearch('?v=1&gamma=abc&widths=12,,x&seed=7&act=evil&target=process.exit(1)&zzz=1', base);
    expect(decoded.config.seed).toBe(7);
    expect(decoded.config.model.init.gamma).toBe(base.model.init.gamma);
    expect(decoded.config.model.widths).toEqual(base.model.widths);
    expect(decoded.config.model.activation).toBe(base.model.activation);
    expect(decoded.config.data.target).toBe(base.data.target);
    expect(decoded.notices).toHaveLength(5);
    expect(decoded.notices.join('\n')).toMatch(/gamma=abc: model\.init\.gamma/);
    expect(decoded.notices.join('\n')).toMatch(/unknown link parameter "zzz"/);
  });

  it('keeps the runs of a comparison apart by scope', () => {
    const params = new URLSearchParams({ v: '1' });
    writeConfigParams(params, canonicalConfig('seed=5'), base);
    writeConfigParams(params, canonicalConfig('model.init.gamma=1.5'), base, 'b');
    expect(params.toString()).toBe('v=1&seed=5&b.gamma=1.5');
    const first = decodeConfigFromSearch(params.toString(), base);
    const second = decodeConfigFromSearch(params.toString(), base, 'b');
    expect([first.config.seed, first.config.model.init.gamma]).toEqual([5, base.model.init.gamma]);
    expect([second.config.seed, second.config.model.init.gamma]).toEqual([base.seed, 1.5]);
    expect([...first.notices, ...second.notices]).toEqual([]);
  });

  it('reads a repeated parameter once, with one notice, and never a field from the prototype', () => {
    const repeated = decodeConfigFromSearch('?foo=1&foo=1&lr=-1&lr=-1&gamma=1.5&gamma=2', base);
    expect(repeated.config.model.init.gamma).toBe(1.5);
    expect(new Set(repeated.notices).size).toBe(repeated.notices.length);
    expect(repeated.notices.filter((n) => n.includes('"foo"'))).toHaveLength(2);
    expect(repeated.notices).toContain('link parameter "gamma" is given 2 times; only the first was read');
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(decodeConfigFromSearch(`?${key}=1`, base).notices).toEqual([`unknown link parameter "${key}" ignored`]);
    }
  });

  it('reads numbers only as decimals: 0x1, 0b1 and blanks are refused, naming the field', () => {
    for (const text of ['0x1', '0b1', '0o1', ' ', 'Infinity']) {
      const decoded = decodeConfigFromSearch(`?lr=${encodeURIComponent(text)}`, base);
      expect(decoded.config.train.lr).toBe(base.train.lr);
      expect(decoded.notices).toEqual([expect.stringMatching(/^ignored lr=.*: train\.lr: /)]);
    }
    expect(decodeConfigFromSearch('?lr=1e-3&widths=8,%208', base).config).toMatchObject({ train: { lr: 0.001 }, model: { widths: [8, 8] } });
    expect(decodeConfigFromSearch('?widths=0x8,8', base).notices).toEqual([expect.stringMatching(/^ignored widths=0x8,8: model\.widths\.0: /)]);
  });

  it('refuses a target the engine cannot train on its grid, naming data.target', () => {
    for (const target of ['1/x', 'log(x)', 'exp(1000*x)', '1/0']) {
      const decoded = decodeConfigFromSearch(`?target=${encodeURIComponent(target)}`, base);
      expect(decoded.config.data.target).toBe(base.data.target);
      expect(decoded.notices).toEqual([expect.stringMatching(/: data\.target: /)]);
    }
  });

  it('never throws on garbage', () => {
    for (const search of ['%%%', '?v=99', '?=', '?gamma', '?steps=1e99', '?domain=1']) {
      expect(() => decodeConfigFromSearch(search, base)).not.toThrow();
    }
  });
});

describe('sweep links', () => {
  const base = parseFor(phaseDiagram, experimentFile('phase-diagram.json'));

  it('sets the grid, widths and backend, and drops what does not validate', () => {
    const decoded = decodeSweepFromSearch('?backend=wasm&gammas=0.5,1.75&gammaPrimes=0&sweepWidths=100,200,400&eta0=7', base);
    expect(decoded.config.sweep).toEqual({ gamma: [0.5, 1.75], gammaPrime: [0], widths: [100, 200, 400] });
    expect(decoded.config.backend).toBe('wasm');
    expect(decoded.config.train.eta0).toBe(base.train.eta0);
    expect(decoded.notices).toEqual([expect.stringMatching(/^ignored eta0=7: train\.eta0: /)]);
  });

  it('refuses a grid that is not ascending', () => {
    const decoded = decodeSweepFromSearch('?sweepWidths=400,100', base);
    expect(decoded.config.sweep.widths).toEqual(base.sweep.widths);
    expect(decoded.notices[0]).toMatch(/sweep\.widths: must be ascending/);
  });
});

describe('anchor links', () => {
  const base = parseFor(anchor, experimentFile('anchor.json'));
  const roundTrip = (config: typeof base) => decodeSearch(encode(config, base, anchor.links), base, anchor.links, (input) => parseFor(anchor, input));

  it("carry the learning-rate schedule's ends: the wide pre-LN setting (key 5) reloads as it was", () => {
    const wide = parseFor(anchor, experimentFile('anchor-wide.json'));
    const decoded = roundTrip(wide);
    expect(decoded.notices).toEqual([]);
    expect(decoded.config.train).toEqual(wide.train);
    expect(decoded.config.model).toEqual(wide.model);
  });
});
