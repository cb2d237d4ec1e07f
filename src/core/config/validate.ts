/** Validation of untrusted config input (a file, a link, the editor) against a schema: problems name the field. */
import type { z } from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid experiment config:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** What a user should read about a refused config or override: the schema's problems, or the error's message. */
export function problemText(error: unknown): string {
  if (error instanceof ConfigError) return error.problems.join('; ');
  const { name, message } = error as Error;
  // One from the worker arrives as a plain Error with the name and message (Comlink): its problems are the lines.
  if (name === 'ConfigError') return message.split('\n').slice(1).map((line) => line.replace(/^ {2}- /, '')).join('; ');
  return message;
}

function describe(issue: z.core.$ZodIssue): string {
  const field = issue.path.length ? issue.path.join('.') : '(config)';
  return `${field}: ${issue.message}`;
}

/** The typed config with its defaults, or a ConfigError listing every problem. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new ConfigError(result.error.issues.map(describe));
  return result.data;
}
