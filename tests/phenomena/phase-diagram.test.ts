/**
 * Phase diagram in numbers: two-layer ReLU networks trained to the loss target at three widths, classified by
 * the slope of log RD against log m. The paper's setting against its Fig. 3, and the app's quick sweep.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { applyAssignments } from '../../src/core/config/overrides';
import { parseFor } from '../../src/phenomena/engine';
import { phaseDiagram } from '../../src/phenomena/phase-diagram';
import { runPhaseDiagram } from '../../src/phenomena/phase-diagram/sweep';
import { experimentFile, useBackend } from '../support/engine';

describe('phase diagram of two-layer ReLU networks', () => {
  beforeAll(() => useBackend('wasm'));

  it("the paper's setting gives Fig. 3's slopes at γ′ = 0: −0.51 (γ = 0.5), 0.01 (γ = 1), 0.37 (γ = 1.75)", async () => {
    // The paper's preset, at the largest widths that train in well under a minute here (the paper: up to 40000).
    const config = parseFor(phaseDiagram, applyAssignments(experimentFile('phase-diagram-paper.json'), ['sweep.gamma=[0.5,1,1.75]', 'sweep.gammaPrime=[0]', 'sweep.widths=[1000,4000,16000]']));
    const result = await runPhaseDiagram(config);
    const slopes = result.cells.map((c) => c.slope ?? NaN);
    console.info(`phase diagram, paper setting: slopes ${slopes.map((s) => s.toFixed(3)).join(', ')} (paper: −0.506, 0.007, 0.372)`);
    expect(result.cells.every((c) => c.converged.every(Boolean))).toBe(true);
    const paper = [-0.506, 0.007, 0.372];
    slopes.forEach((s, i) => expect(Math.abs(s - paper[i])).toBeLessThan(0.1));
    // γ = 1 sits on the critical line, so its sign is left to the tolerance above.
    expect([result.cells[0].regime, result.cells[2].regime]).toEqual(['linear', 'condensed']);
  });

  it('classifies γ = 0.5 as linear and γ = 1.75 as condensed (γ′ = 0), with RD scaling accordingly', async () => {
    const config = parseFor(phaseDiagram, 
      applyAssignments(experimentFile('phase-diagram.json'), ['sweep.gamma=[0.5,1.75]', 'sweep.gammaPrime=[0]', 'sweep.widths=[250,500,1000]']),
    );
    const widthsDone: number[] = [];
    const result = await runPhaseDiagram(config, { onWidth: (r) => widthsDone.push(r.done.length) });
    expect(widthsDone).toEqual([1, 2, 3]);
    const [linear, condensed] = result.cells;
    console.info(`phase diagram: γ=0.5 RD ${linear.rd.map((r) => r.toPrecision(3)).join(' → ')} (slope ${linear.slope?.toFixed(2)}); γ=1.75 RD ${condensed.rd.map((r) => r.toPrecision(3)).join(' → ')} (slope ${condensed.slope?.toFixed(2)})`);
    expect(result.cells.every((c) => c.converged.every(Boolean))).toBe(true);
    expect(linear.regime).toBe('linear');
    expect(condensed.regime).toBe('condensed');
    // RD falls with width in the linear regime and grows in the condensed one.
    expect(linear.rd[2]).toBeLessThan(linear.rd[0]);
    expect(condensed.rd[2]).toBeGreaterThan(condensed.rd[0]);
  });

  it('resumes a cancelled sweep where it stopped', async () => {
    const config = parseFor(phaseDiagram, applyAssignments(experimentFile('phase-diagram.json'), ['sweep.gamma=[1.75]', 'sweep.gammaPrime=[0]', 'sweep.widths=[100,200]']));
    let widths = 0;
    const partial = await runPhaseDiagram(config, { onWidth: () => widths++, cancelled: () => widths >= 1 });
    expect(partial.done).toEqual([100]);
    const full = await runPhaseDiagram(config, { previous: partial });
    const fresh = await runPhaseDiagram(config);
    expect(full.done).toEqual([100, 200]);
    expect(full.cells).toEqual(fresh.cells);
  });
});
