/** What a fitting run's files hold (a function fit, or MNIST): checked when a file is imported. */
import { z } from 'zod';
import { LOSSES } from '../../core/config/schema';
import { CONDENSATION, NEURONS } from '../../core/probes/condensation';
import { CURVE, MODEL_LOSS, OUTPUT } from '../../core/probes/fit';
import { FREQUENCY, OUTPUT_AMPLITUDE } from '../../core/probes/frequency';
import { FILTERING } from '../../core/probes/highDimensional';
import { SHARPNESS } from '../../core/probes/sharpness';
import type { Snapshot } from '../../core/run/types';
import type { RecordSchema } from '../types';
import type { FitInfo } from './info';

/** Measures as JSON writes them: a value that stopped being finite (a diverged run) is null. */
const numbers = z.array(z.number().nullable());

const fitInfo = z
  .object({
    inputs: z.number().int().positive(),
    x: z.array(z.number()),
    target: z.array(z.number()),
    curveX: z.array(z.number()),
    curveTarget: z.array(z.number()),
    frequencies: z.array(z.number()),
    targetAmplitude: z.array(z.number()),
    peaks: z.array(z.number()),
    deltas: z.array(z.number()).optional(),
    // The last band edge is Infinity, which JSON writes as null.
    bandEdges: numbers.optional(),
    parameterCount: z.number().int().positive(),
  })
  .strict();

const condensation = z
  .object({
    angle: numbers,
    polar: numbers.optional(),
    amplitude: numbers,
    directions: z.number().int().min(0),
    directionsCapped: z.boolean(),
    directionAngles: numbers,
    directionPolar: numbers.optional(),
    rd: z.number().nullable(),
  })
  .strict();

const metrics = z
  .object({
    [OUTPUT.name]: numbers.optional(),
    [CURVE.name]: numbers.optional(),
    [FREQUENCY.name]: z.object({ k: z.array(z.number()), relError: numbers }).strict(),
    [MODEL_LOSS.name]: z.object({ value: z.number().nullable(), training: z.enum(LOSSES) }).strict().optional(),
    [OUTPUT_AMPLITUDE.name]: numbers,
    [FILTERING.name]: z.object({ low: numbers, high: numbers }).strict().optional(),
    [CONDENSATION.name]: condensation.optional(),
    [NEURONS.name]: z.object({ w: numbers, b: numbers, a: numbers.optional() }).strict().optional(),
    [SHARPNESS.name]: z.object({ lambdaMax: z.number().nullable(), gradientCurvature: z.number().nullable(), iterations: z.number().int().positive() }).strict().optional(),
  })
  .strict();

function contradictions(info: FitInfo, snapshot: Snapshot): [string, string][] {
  const found: [string, string][] = [];
  const output = OUTPUT.of(snapshot);
  if (output && output.length !== info.target.length) found.push([`metrics.${OUTPUT.name}`, `has ${output.length} values; the run has ${info.target.length} points`]);
  const curve = CURVE.of(snapshot);
  if (curve && curve.length !== info.curveX.length) found.push([`metrics.${CURVE.name}`, `has ${curve.length} values; the run draws ${info.curveX.length}`]);
  const frequency = FREQUENCY.of(snapshot);
  if (frequency && (frequency.k.length !== info.peaks.length || frequency.relError.length !== info.peaks.length)) found.push([`metrics.${FREQUENCY.name}`, `needs one k and one error per peak (${info.peaks.length})`]);
  return found;
}

export const FIT_RECORD: RecordSchema = { info: fitInfo, metrics, contradictions: contradictions as RecordSchema['contradictions'] };
