/**
 * The embedding principle through the engine, as the page and the headless runner run it: the wide network,
 * started small, stalls on a plateau whose loss is the trained width-1 network's and whose output is that
 * network's output; its neurons have condensed on one direction there. A trained narrow network, embedded by
 * splitting its neurons, keeps its loss. A second setting shows a second plateau, at the width-3 optimum.
 */
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/engine/headless';
import { parseRunFile } from '../../src/engine/runFile';
import { embedding } from '../../src/phenomena/embedding';
import { relativeL2 } from '../../src/core/analysis/relativeL2';
import { plateaus } from '../../src/phenomena/embedding/analysis';
import { EMBEDDING, embeddingData } from '../../src/phenomena/embedding/run';
import { embedInto, loss, type TwoLayer } from '../../src/core/models/twoLayer64';
import { parseFor } from '../../src/phenomena/engine';
import { experimentFile, NODE_SOURCES } from '../support/engine';

describe('Embedding principle', () => {
  it('the quick run: the wide loss stalls at the width-1 optimum, computing its output, condensed on one direction', async () => {
    const config = parseFor(embedding, experimentFile('embedding.json'));
    const record = await runExperiment(config, 'cpu', undefined, NODE_SOURCES);
    // The record opens as a run file (the app's import checks it against the phenomenon's record schema).
    expect(parseRunFile(JSON.parse(JSON.stringify(record)))).toHaveLength(1);
    const found = plateaus(record.snapshots, { tolerance: 0.1, minSteps: config.train.steps / 10 });
    expect(found.length).toBeGreaterThanOrEqual(1);
    const first = found[0];
    const at = EMBEDDING.of(record.snapshots[first.index])!;
    const one = at.narrow.find((n) => n.width === 1)!;
    const others = at.narrow.filter((n) => n.width > 1);
    const distance = relativeL2(at.output, one.output);
    console.info(
      `embedding: plateau at steps ${first.from}–${first.to}, loss ${first.loss.toExponential(4)}; width-1 loss ${one.loss.toExponential(4)}, ` +
        `output ${distance.toFixed(4)} from the width-1 output (${others.map((n) => `width ${n.width}: loss ${n.loss.toExponential(3)}, ${relativeL2(at.output, n.output).toFixed(3)}`).join('; ')}); effective width ${at.effectiveWidth}`,
    );
    // The plateau starts early and lasts (the wide net gets there within a few hundred steps).
    expect(first.from).toBeLessThan(config.train.steps / 10);
    expect(first.to - first.from).toBeGreaterThan(config.train.steps / 2);
    expect(Math.abs(first.loss - one.loss) / one.loss).toBeLessThan(0.05);
    expect(distance).toBeLessThan(0.05);
    // The wider narrow networks fit better, so the stall is the width-1 one, not any optimum.
    for (const n of others) {
      expect(n.loss).toBeLessThan(0.5 * one.loss);
      expect(relativeL2(at.output, n.output)).toBeGreaterThan(0.1);
    }
    expect(at.effectiveWidth).toBe(1);

    // The trained narrow networks, embedded into the wide width by splitting neurons, keep their loss.
    const data = embeddingData(config);
    for (const n of EMBEDDING.of(record.snapshots.at(-1)!)!.narrow) {
      const net: TwoLayer = { w: Float64Array.from(n.net.w), b: Float64Array.from(n.net.b), a: Float64Array.from(n.net.a) };
      const wide = embedInto(net, config.model.width);
      expect(Math.abs(loss(wide, data) - n.loss) / n.loss).toBeLessThan(1e-6);
    }
  });

  it('two plateaus: width 6 rests at the width-1 optimum, then at the width-3 optimum', { timeout: 600_000 }, async () => {
    const config = parseFor(embedding, experimentFile('embedding-two-plateaus.json'));
    const record = await runExperiment(config, 'cpu', undefined, NODE_SOURCES);
    const found = plateaus(record.snapshots, { tolerance: 0.1, minSteps: config.train.steps / 20 });
    const at = (index: number) => EMBEDDING.of(record.snapshots[index])!;
    const report = (p: (typeof found)[number]) =>
      `steps ${p.from}–${p.to} loss ${p.loss.toExponential(4)}, output from width ${at(p.index).narrow.map((n) => `${n.width}: ${relativeL2(at(p.index).output, n.output).toFixed(4)}`).join(', ')}`;
    console.info(`embedding, two plateaus: ${found.map(report).join('; ')}; narrow losses ${at(found.at(-1)!.index).narrow.map((n) => n.loss.toExponential(4)).join(', ')}`);
    expect(found.length).toBeGreaterThanOrEqual(2);
    const [first, last] = [found[0], found.at(-1)!];
    const one = at(first.index).narrow.find((n) => n.width === 1)!;
    expect(relativeL2(at(first.index).output, one.output)).toBeLessThan(0.05);
    expect(Math.abs(first.loss - one.loss) / one.loss).toBeLessThan(0.05);
    // The last plateau is the width-3 optimum's (loss and output), well below the width-2 one's.
    const [two, three] = [2, 3].map((w) => at(last.index).narrow.find((n) => n.width === w)!);
    expect(relativeL2(at(last.index).output, three.output)).toBeLessThan(0.05);
    expect(Math.abs(last.loss - three.loss) / three.loss).toBeLessThan(0.05);
    expect(last.loss).toBeLessThan(0.5 * two.loss);
    expect(last.from - first.to).toBeGreaterThan(0);
  });
});
