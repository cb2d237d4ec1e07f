/**
 * The wide network and the narrow ones trained by the same full-batch gradient descent on the same points, in
 * float64, step for step; snapshots carry every network's loss and output and the wide one's effective width.
 */
import { compileExpression } from '../../core/expression';
import { metricKey } from '../../core/probes/probe';
import { GradientDescentRuns } from '../../core/run/gradientDescentRuns';
import type { RunInfo, Snapshot } from '../../core/run/types';
import { effectiveWidth } from './analysis';
import type { EmbeddingConfig } from './schema';
import { gradientDescent, initTwoLayer, loss, predict, type Data, type TwoLayer } from '../../core/models/twoLayer64';

export interface EmbeddingInfo extends RunInfo {
  x: number[];
  target: number[];
  width: number;
  narrowWidths: number[];
}

/** A network as a snapshot carries it. */
export interface NetworkState {
  w: number[];
  b: number[];
  a: number[];
}

export interface EmbeddingMeasures {
  /** The wide network on the training points. */
  output: number[];
  /** How many directions its neurons have condensed on (mirror images counted once). */
  effectiveWidth: number;
  /** Each narrow network's loss, output on the points, and weights (what the page embeds). */
  narrow: { width: number; loss: number; output: number[]; net: NetworkState }[];
}

export const EMBEDDING = metricKey<EmbeddingMeasures>('embedding');

const state = (net: TwoLayer): NetworkState => ({ w: Array.from(net.w), b: Array.from(net.b), a: Array.from(net.a) });

/** The training points of a config (evenly spaced, both ends included) and the target on them. */
export function embeddingData(config: EmbeddingConfig): Data {
  const { target, domain, points } = config.data;
  const f = compileExpression(target);
  const x = Float64Array.from({ length: points }, (_, i) => domain[0] + (i * (domain[1] - domain[0])) / (points - 1));
  const y = x.map((v) => f({ x: v }));
  const bad = y.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`data.target: not finite at x = ${x[bad]}`);
  return { x, y };
}

/**
 * The seeded initial networks: the wide one first, then each narrow width's starts, restart by restart (seeds apart,
 * so they are independent draws; the first restart's seeds are those of a single start).
 */
export function initialNetworks(config: EmbeddingConfig): TwoLayer[] {
  const { width, variancePower } = config.model;
  const { widths, std, restarts } = config.narrow;
  const narrow = Array.from({ length: restarts }, (_, r) => widths.map((w, i) => initTwoLayer(w, std, config.seed + 1 + i + r * widths.length))).flat();
  return [initTwoLayer(width, width ** (-variancePower / 2), config.seed), ...narrow];
}

export class EmbeddingRun extends GradientDescentRuns<EmbeddingInfo> {
  readonly info: EmbeddingInfo;
  private readonly data: Data;
  private nets: TwoLayer[] = [];

  constructor(private readonly config: EmbeddingConfig) {
    super(config.train);
    this.data = embeddingData(config);
    this.info = { parameterCount: 3 * config.model.width, x: Array.from(this.data.x), target: Array.from(this.data.y), width: config.model.width, narrowWidths: [...config.narrow.widths] };
    this.reset();
  }

  protected divergence(snapshot: Snapshot): string | null {
    return Number.isFinite(snapshot.loss) ? null : `the wide network's loss became ${snapshot.loss} by step ${this.current}; lower the learning rate, then reset`;
  }

  async snapshot(): Promise<Snapshot> {
    const [wide, ...starts] = this.nets;
    const clustering = { toleranceDeg: this.config.analysis.clusterToleranceDeg, massFraction: this.config.analysis.clusterMass };
    // Per narrow width, the start with the lowest loss so far.
    const narrow = this.config.narrow.widths.map((width) =>
      starts
        .filter((net) => net.a.length === width)
        .map((net) => ({ net, loss: loss(net, this.data) }))
        .reduce((best, next) => (next.loss < best.loss ? next : best)),
    );
    const measures: EmbeddingMeasures = {
      output: Array.from(predict(wide, this.data.x)),
      effectiveWidth: effectiveWidth(wide, clustering),
      narrow: narrow.map(({ net, loss }) => ({ width: net.a.length, loss, output: Array.from(predict(net, this.data.x)), net: state(net) })),
    };
    return { step: this.current, loss: loss(wide, this.data), metrics: { [EMBEDDING.name]: measures } };
  }

  reset(): void {
    this.nets = initialNetworks(this.config);
    this.trainers = this.nets.map((net) => gradientDescent(net, this.data, this.config.train.lr));
    this.current = 0;
  }
}
