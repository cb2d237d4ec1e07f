/**
 * The anchor run: a transformer trained on fresh seeded batches by AdamW through tfjs' tape, measured at each
 * snapshot on fixed test sequences (one read-back: the loss and every prediction).
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from '../../core/models/model';
import { initTransformer, Transformer, type TransformerSpec } from '../../core/models/transformer';
import type { AdvanceResult, RunInfo, RunSession, Snapshot } from '../../core/run/types';
import { ADAMW_DEFAULTS, AdamW, warmupCosine, type AdamWState } from '../../core/train/adamw';
import type { StartOptions } from '../types';
import { ANCHOR, attentionRoutes, covarianceSpectrum, headMean, HELD_OUT_INDEX, IDENTITY, identityAccuracy, INSIDE, measureAnchor, queryCondensation, type AnchorInside } from './probes';
import type { AnchorConfig } from './schema';
import { IDENTITY_EXAMPLE_ANCHOR, identityBatch, SEQUENCE_LENGTH, stepSeed, testSet, TOKEN_MAX, TOKEN_MIN, trainingBatch, VOCABULARY, type Batch } from './task';

export interface AnchorInfo extends RunInfo {
  /** Test sequences per pair in each test set. */
  perPair: number;
}

export function anchorSpec(config: AnchorConfig): TransformerSpec {
  return { vocabulary: VOCABULARY, positions: SEQUENCE_LENGTH, ...config.model };
}

/** Mean cross-entropy of the logits [B, V] to the labels [B] (int32). */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.sub(tf.logSumExp(logits, -1), tf.sum(tf.mul(logits, tf.oneHot(labels, logits.shape[1])), -1))));
}

const tokens = (batch: Batch) => tf.tensor2d(batch.tokens, [batch.count, SEQUENCE_LENGTH], 'int32');

export class AnchorRun implements RunSession<AnchorInfo> {
  readonly info: AnchorInfo;
  readonly trainingPath = 'tape';
  readonly initialParams: readonly NamedTensor[];
  private readonly model: Transformer;
  private readonly optimizer: AdamW;
  private readonly seen: Batch;
  private readonly unseen: Batch;
  private readonly testTokens: tf.Tensor2D;
  private readonly seenAnswers: tf.Tensor1D;
  /** The sequence whose attention the page shows: the first (4, 3) test sequence; in the identity task one with the anchor at IDENTITY_EXAMPLE_ANCHOR. */
  private readonly example: Int32Array;
  private readonly exampleTokens: tf.Tensor2D;
  private currentStep: number;
  private diverged: { step: number; message: string } | null = null;

  constructor(
    private readonly config: AnchorConfig,
    options: StartOptions = {},
  ) {
    const spec = anchorSpec(config);
    this.initialParams = options.initial ?? initTransformer(spec, config.seed);
    this.model = new Transformer(spec, options.resumeFrom?.params ?? this.initialParams);
    this.currentStep = options.resumeFrom?.step ?? 0;
    this.optimizer = new AdamW(this.model.variables, { ...ADAMW_DEFAULTS, weightDecay: config.train.weightDecay, clip: config.train.clip });
    // Fresh moments at a resumed step would restart the bias corrections: steps of the full learning rate.
    if (options.resumeFrom?.optimizer) this.optimizer.restore(options.resumeFrom.optimizer);
    const { perPair } = config.analysis;
    const { task } = config.data;
    this.seen = testSet(config.seed, perPair, 'seen', task);
    this.unseen = testSet(config.seed, perPair, 'held-out', task);
    this.testTokens = tf.tidy(() => tf.concat([tokens(this.seen), tokens(this.unseen)]));
    this.seenAnswers = tf.tensor1d(this.seen.answers, 'int32');
    const first = this.seen.pairs.indexOf(HELD_OUT_INDEX);
    this.example =
      task === 'identity'
        ? identityBatch(stepSeed(config.seed, -3), 1, 'seen', IDENTITY_EXAMPLE_ANCHOR).tokens
        : this.seen.tokens.slice(first * SEQUENCE_LENGTH, (first + 1) * SEQUENCE_LENGTH);
    this.exampleTokens = tf.tensor2d(this.example, [1, SEQUENCE_LENGTH], 'int32');
    this.info = { parameterCount: this.model.parameterCount, perPair };
  }

  get schedule() {
    return { every: this.config.train.snapshotEvery, total: this.config.train.steps };
  }

  get step(): number {
    return this.currentStep;
  }

  get finished(): boolean {
    return this.currentStep >= this.config.train.steps;
  }

  /** Trains step `step` on its own batch. */
  private trainStep(step: number): void {
    const { train } = this.config;
    const batch = trainingBatch(this.config.seed, step, train.batch, this.config.data.task);
    tf.tidy(() => {
      const [x, y] = [tokens(batch), tf.tensor1d(batch.answers, 'int32')];
      const { grads } = tf.variableGrads(() => crossEntropy(this.model.forward(x).output, y), this.model.variables);
      this.optimizer.apply(
        this.model.variables.map((v) => grads[v.name]),
        warmupCosine(step, train),
      );
    });
  }

  async advance(steps: number): Promise<AdvanceResult> {
    if (this.diverged) return { status: 'diverged', ...this.diverged };
    const count = Math.max(0, Math.min(steps, this.config.train.steps - this.currentStep));
    const before = this.currentStep;
    for (let i = 0; i < count; i++) this.trainStep(this.currentStep++);
    const snapshot = await this.snapshot();
    if (!Number.isFinite(snapshot.loss)) {
      this.diverged = { step: this.currentStep, message: `training diverged: the loss became ${snapshot.loss} between step ${before} and step ${this.currentStep}; lower the learning rate, then reset` };
      return { status: 'diverged', ...this.diverged };
    }
    return { status: this.finished ? 'done' : 'running', snapshot };
  }

  /**
   * One read-back: the test loss on the seen set, the predicted token of every test sequence, and for the views
   * inside the example's attention in each layer, the first layer's W_Q and the number tokens' embeddings.
   */
  async snapshot(): Promise<Snapshot> {
    const { layers, heads, dK, dModel: d } = this.config.model;
    const T = SEQUENCE_LENGTH;
    const numbers = TOKEN_MAX - TOKEN_MIN + 1;
    const packed = tf.tidy(() => {
      const logits = this.model.forward(this.testTokens).output;
      const seenLogits = tf.slice(logits, [0, 0], [this.seen.count, VOCABULARY]);
      const { taps } = this.model.forward(this.exampleTokens, { taps: Array.from({ length: layers }, (_, i) => `attention${i}`) });
      return tf.concat([
        tf.reshape(crossEntropy(seenLogits, this.seenAnswers), [1]),
        tf.cast(tf.argMax(logits, -1), 'float32'),
        ...Array.from({ length: layers }, (_, i) => tf.reshape(taps[`attention${i}`], [-1])),
        tf.reshape(this.model.param('block0.attention.query'), [-1]),
        tf.reshape(tf.slice(this.model.param('embedding.token'), [TOKEN_MIN, 0], [numbers, d]), [-1]),
      ]);
    });
    const values = (await packed.data()) as Float32Array;
    packed.dispose();
    const tests = this.seen.count + this.unseen.count;
    const predictions = values.subarray(1, 1 + tests);
    const [seenPredictions, unseenPredictions] = [predictions.subarray(0, this.seen.count), predictions.subarray(this.seen.count)];
    const perLayer = heads * T * T;
    const attentionAt = 1 + tests;
    const queryAt = attentionAt + layers * perLayer;
    const embeddingAt = queryAt + d * heads * dK;
    const query = queryCondensation(values.subarray(queryAt, embeddingAt), d, heads * dK);
    const inside: AnchorInside = {
      example: Array.from(this.example),
      attention: Array.from({ length: layers }, (_, i) => headMean(values.subarray(attentionAt + i * perLayer, attentionAt + (i + 1) * perLayer), heads, T)),
      queryCosine: query.cosine,
      queryOrder: query.order,
      embeddingSpectrum: covarianceSpectrum(values.subarray(embeddingAt), numbers, d),
    };
    const measures =
      this.config.data.task === 'identity'
        ? { [IDENTITY.name]: { ...identityAccuracy(this.seen, seenPredictions, this.unseen, unseenPredictions), ...attentionRoutes(inside.attention, IDENTITY_EXAMPLE_ANCHOR, T) } }
        : { [ANCHOR.name]: measureAnchor(this.seen, seenPredictions, this.unseen, unseenPredictions) };
    return { step: this.currentStep, loss: values[0], metrics: { ...measures, [INSIDE.name]: inside } };
  }

  reset(): void {
    this.model.assign(this.initialParams);
    this.optimizer.reset();
    this.currentStep = 0;
    this.diverged = null;
  }

  readParams(): Promise<NamedTensor[]> {
    return this.model.read();
  }

  readOptimizer(): Promise<AdamWState> {
    return this.optimizer.read();
  }

  dispose(): void {
    this.model.dispose();
    this.optimizer.dispose();
    tf.dispose([this.testTokens, this.seenAnswers, this.exampleTokens]);
  }
}
