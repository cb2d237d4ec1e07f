import type { z } from 'zod';
import { phaseDiagramSchema, type PhaseDiagramConfig } from './phaseDiagramSchema';
import { mnistSchema, type MnistConfig } from './mnistSchema';
import { experimentSchema, type ExperimentConfig } from './schema';

/** A config that trains one network (everything but the phase-diagram sweep). */
export type RunConfig = ExperimentConfig | MnistConfig;

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid experiment config:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** What a user should read about a refused config or override: the schema's problems, or the error's message. */
export function problemText(error: unknown): string {
  return error instanceof ConfigError ? error.problems.join('; ') : (error as Error).message;
}

function describe(issue: z.core.$ZodIssue): string {
  const field = issue.path.length ? issue.path.join('.') : '(config)';
  return `${field}: ${issue.message}`;
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new ConfigError(result.error.issues.map(describe));
  return result.data;
}

/** Validates untrusted input (a parsed file, a URL, the editor) and returns the typed config with defaults. */
export function parseExperiment(input: unknown): ExperimentConfig {
  return parseWith(experimentSchema, input);
}

export function parsePhaseDiagram(input: unknown): PhaseDiagramConfig {
  return parseWith(phaseDiagramSchema, input);
}

export function parseMnist(input: unknown): MnistConfig {
  return parseWith(mnistSchema, input);
}

const phenomenonOf = (input: unknown) => (input as { phenomenon?: unknown } | null)?.phenomenon;

/** A single-network config of any phenomenon. */
export function parseRun(input: unknown): RunConfig {
  return phenomenonOf(input) === 'fprinciple-mnist' ? parseMnist(input) : parseExperiment(input);
}

export type AnyExperiment = { kind: 'run'; config: RunConfig } | { kind: 'sweep'; config: PhaseDiagramConfig };

/** Any experiment file, by its phenomenon: a single run or a phase-diagram sweep. */
export function parseAnyExperiment(input: unknown): AnyExperiment {
  return phenomenonOf(input) === 'phase-diagram' ? { kind: 'sweep', config: parsePhaseDiagram(input) } : { kind: 'run', config: parseRun(input) };
}

/** Like parseAnyExperiment, but reads JSON text first so a syntax error is reported the same way. */
export function parseExperimentJson(text: string): AnyExperiment {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`(file): not valid JSON: ${(error as Error).message}`]);
  }
  return parseAnyExperiment(input);
}
