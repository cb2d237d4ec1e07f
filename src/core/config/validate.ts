import type { z } from 'zod';
import { experimentSchema, type ExperimentConfig } from './schema';

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid experiment config:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function describe(issue: z.core.$ZodIssue): string {
  const field = issue.path.length ? issue.path.join('.') : '(config)';
  return `${field}: ${issue.message}`;
}

/** Validates untrusted input (a parsed file, a URL, the editor) and returns the typed config with defaults. */
export function parseExperiment(input: unknown): ExperimentConfig {
  const result = experimentSchema.safeParse(input);
  if (!result.success) throw new ConfigError(result.error.issues.map(describe));
  return result.data;
}

/** Like parseExperiment, but reads JSON text first so a syntax error is reported the same way. */
export function parseExperimentJson(text: string): ExperimentConfig {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`(file): not valid JSON: ${(error as Error).message}`]);
  }
  return parseExperiment(input);
}
