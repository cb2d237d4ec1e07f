/** `--set path=value` and URL overrides: change one field of a config by dotted path. */

/** The value is read as JSON when it parses ("1", "[64,64]", "true") and as a plain string otherwise. */
export function readOverrideValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Returns a copy of `config` with `path` set to `value`; missing intermediate objects are created. */
export function setByPath(config: unknown, path: string, value: unknown): unknown {
  const keys = path.split('.');
  if (keys.some((key) => key === '' || key === '__proto__' || key === 'constructor' || key === 'prototype')) {
    throw new Error(`invalid field path "${path}"`);
  }
  const root: Record<string, unknown> = structuredClone((config ?? {}) as Record<string, unknown>);
  let node = root;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node[key] = typeof next === 'object' && next !== null && !Array.isArray(next) ? next : {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
  return root;
}

/** Reads a value at a dotted path (undefined when absent). */
export function getByPath(config: unknown, path: string): unknown {
  let node: unknown = config;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Applies "path=value" assignments in order. */
export function applyAssignments(config: unknown, assignments: readonly string[]): unknown {
  return assignments.reduce((current, assignment) => {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new Error(`override "${assignment}" must look like path=value`);
    return setByPath(current, assignment.slice(0, eq).trim(), readOverrideValue(assignment.slice(eq + 1)));
  }, config);
}
