/**
 * A measurement: the named tensors it needs read back (the run concatenates every probe's needs into one
 * read-back per snapshot) and a pure function of their values. No tfjs: probes run on whatever the run reads.
 */
import type { RunInfo, Snapshot } from '../run/types';

export interface ProbeContext<I extends RunInfo = RunInfo> {
  step: number;
  info: I;
  /** A parameter's value at the run's start (same name as in `needs`). */
  initial(name: string): Float32Array;
  /** Computes `make()` once per snapshot for all probes that share `key` (a spectrum several probes read). */
  shared<T>(key: string, make: () => T): T;
}

export interface Probe<V = unknown, I extends RunInfo = RunInfo> {
  /** The key of its value in a snapshot's metrics. */
  readonly name: string;
  /**
   * What it reads: "output" (the network on the training inputs) or another readable the run offers
   * (e.g. "curve", "modelLoss"), or a parameter by name ("layer0.weights").
   */
  readonly needs: readonly string[];
  compute(values: Readonly<Record<string, Float32Array>>, context: ProbeContext<I>): V;
  /** For a heavy probe: measure only at steps that are multiples of this (default: every snapshot). */
  readonly every?: number;
}

/** A measurement's name with the type of its value: how pages, tests and exports read a snapshot's metrics. */
export interface MetricKey<V> {
  readonly name: string;
  /** Its value in `snapshot`, or undefined where the run does not measure it (or not at this step). */
  of(snapshot: Snapshot): V | undefined;
}

export function metricKey<V>(name: string): MetricKey<V> {
  return { name, of: (snapshot) => snapshot.metrics[name] as V | undefined };
}

/** The values of a readable as plain numbers (what snapshots carry). */
export const numbers = (values: Float32Array): number[] => Array.from(values);
