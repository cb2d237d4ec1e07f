/** What a neural-collapse run sends once: the classes and the Layer-Peeled Model's solutions (no tfjs). */
import { z } from 'zod';
import { COLLAPSE, GEOMETRY } from '../../core/probes/collapse';
import type { RecordSchema } from '../types';

export interface CollapseInfo {
  parameterCount: number;
  classes: number;
  majority: number;
  /** Training points per class. */
  trainCounts: number[];
  lpm: {
    ratios: number[];
    /** The LPM's mean cosine between minority classifiers at each R (empty with fewer than two minority classes). */
    minorityCosines: number[];
    /** The LPM's classifier cosines (K × K) at the run's R. */
    classifierCosines: number[];
  };
}

/** JSON writes NaN (a balanced run's minority measures) as null. */
const number = z.number().nullable();
const numbers = z.array(number);

export const COLLAPSE_RECORD: RecordSchema = {
  info: z
    .object({
      parameterCount: z.number().int().positive(),
      classes: z.number().int().positive(),
      majority: z.number().int().positive(),
      trainCounts: z.array(z.number().int().positive()),
      lpm: z.object({ ratios: z.array(z.number()), minorityCosines: numbers, classifierCosines: numbers }).strict(),
    })
    .strict(),
  metrics: z
    .object({
      [COLLAPSE.name]: z
        .object(
          Object.fromEntries(
            ['nc1', 'equinormMeans', 'equinormClassifiers', 'equiangularMeans', 'equiangularClassifiers', 'simplexMeans', 'simplexClassifiers', 'classifierCosine', 'nc3', 'nc4', 'trainError', 'testAccuracy', 'minorityCosine', 'minorityTestAccuracy'].map((key) => [key, number]),
          ),
        )
        .strict(),
      [GEOMETRY.name]: z.object({ meanCosines: numbers, classifierCosines: numbers, means: z.array(numbers), classifiers: z.array(numbers) }).strict(),
    })
    .strict(),
};
