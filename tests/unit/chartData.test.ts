/**
 * What charts show beyond the pixels: the settings in which compared runs differ, a chart's values as CSV and
 * JSON, and the notation of every chart label typeset (no `_` or `^` left to read).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { configDiff, fieldText } from '../../src/core/config/diff';
import { setByPath } from '../../src/core/config/overrides';
import { chartsCsv, chartsJson, chartTable, type ChartData } from '../../src/ui/charts/chartData';
import { notationParts, notationRuns, partTex } from '../../src/ui/charts/notation';
import { experimentFile } from '../support/engine';

describe('config diff', () => {
  it('lists the fields that differ, by dotted path, with each run’s value', () => {
    const a = { seed: 1, model: { widths: [64, 64], init: { gamma: 2, scale: 1 } }, train: { lr: 0.01 } };
    const b = { seed: 1, model: { widths: [64, 64], init: { gamma: 0.25, scale: 1 } }, train: { lr: 0.01 } };
    const c = { seed: 1, model: { widths: [64, 32], init: { gamma: 2, scale: 1 } }, train: { lr: 0.01, lossSwitch: 500 } };
    expect(configDiff([a, b])).toEqual([{ path: 'model.init.gamma', values: [2, 0.25] }]);
    expect(configDiff([a, b, c])).toEqual([
      { path: 'model.widths', values: [[64, 64], [64, 64], [64, 32]] },
      { path: 'model.init.gamma', values: [2, 0.25, 2] },
      { path: 'train.lossSwitch', values: [undefined, undefined, 500] },
    ]);
    expect(configDiff([a, structuredClone(a)])).toEqual([]);
    expect(configDiff([a])).toEqual([]);
    expect([64, 32, undefined, 'adam'].map(fieldText)).toEqual(['64', '32', '—', 'adam']);
    expect(fieldText([64, 32])).toBe('[64,32]');
  });

  it('finds the one setting the condensation page’s two runs differ in', () => {
    const a = experimentFile('condensation.json');
    const b = setByPath(a, 'model.init.gamma', 0.25);
    expect(configDiff([a, b])).toEqual([{ path: 'model.init.gamma', values: [2, 0.25] }]);
  });
});

describe('chart data', () => {
  const lines: ChartData = { kind: 'lines', xLabel: 'training step', yLabel: 'Δ_F', series: [{ name: 'Δ_F at k = 1, low', x: [0, 10], y: [0.9, 0.123456789012345] }, { name: 'k = 3', x: [0], y: [1e-7] }] };

  it('writes curves one point a row, every digit kept, names with commas quoted', () => {
    expect(chartsCsv([lines])).toBe('series,training step,Δ_F\n"Δ_F at k = 1, low",0,0.9\n"Δ_F at k = 1, low",10,0.123456789012345\nk = 3,0,1e-7\n');
    const parsed = JSON.parse(chartsJson([lines]));
    expect(parsed).toEqual(lines);
  });

  it('writes a heat map one step a row, a matrix one row a row, several charts one after another', () => {
    const heat: ChartData = { kind: 'heatmap', xLabel: 'training step', yLabel: 'frequency', colorLabel: 'Δ_F', steps: [0, 5], rows: ['k = 1', 'k = 2'], values: [[1, 0.5], [0.25, 0.125]] };
    expect(chartTable(heat)).toEqual({ columns: ['training step', 'k = 1', 'k = 2'], rows: [[0, 1, 0.5], [5, 0.25, 0.125]] });
    const matrix: ChartData = { kind: 'matrix', axisLabel: 'class', colorLabel: 'cos', values: [[1, -0.5], [-0.5, 1]] };
    expect(chartsCsv([heat, matrix])).toBe('training step,k = 1,k = 2\n0,1,0.5\n5,0.25,0.125\n\nclass (row),0,1\n0,1,-0.5\n1,-0.5,1\n');
    expect(JSON.parse(chartsJson([heat, matrix]))).toEqual([heat, matrix]);
  });
});

/** Every label the charts are given in the source: axis titles, colour-bar labels, captions and names typeset by <Notation>. */
function sourceLabels(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceLabels(path);
    if (!name.endsWith('.svelte')) return [];
    const text = readFileSync(path, 'utf8');
    return [...text.matchAll(/\b(?:xLabel|yLabel|colorLabel|axisLabel|poleLabel|text)="([^"{]*)"/g), ...text.matchAll(/\bname: '([^']*)'/g)].map((m) => m[1]);
  });
}

describe('notation', () => {
  it('typesets the issue’s examples as TeX', () => {
    const tex = (label: string) => notationParts(label).map((part) => ('text' in part ? part.text : partTex(part))).join('');
    expect(tex('Δ_F')).toBe('Δ_{F}');
    expect(tex('|ŷ_k|')).toBe('|\\hat{y}_{k}|');
    expect(tex('m^−2')).toBe('m^{-2}');
    expect(tex('d_in^-0.5')).toBe('d_{\\mathrm{in}}^{-0.5}');
    expect(tex('λ_max and 2/η')).toBe('λ_{\\mathrm{max}} and 2/η');
    expect(tex('training step')).toBe('training step');
    expect(notationRuns('Δ_F at k')).toEqual([{ text: 'Δ', shift: null }, { text: 'F', shift: 'sub' }, { text: ' at k', shift: null }]);
  });

  it('leaves no raw markup in any chart label of the pages, and KaTeX takes every formula strictly', () => {
    const labels = sourceLabels(new URL('../../src', import.meta.url).pathname);
    expect(labels.length).toBeGreaterThan(60);
    expect(labels.filter((label) => label.includes('_'))).not.toEqual([]);
    for (const label of labels) {
      const parts = notationParts(label);
      expect(parts.flatMap((part) => ('text' in part ? [part.text] : [])).join('')).not.toMatch(/[_^\\]/);
      for (const part of parts) if ('base' in part) expect(() => katex.renderToString(partTex(part), { throwOnError: true, strict: 'error', output: 'html' }), label).not.toThrow();
    }
  });
});
