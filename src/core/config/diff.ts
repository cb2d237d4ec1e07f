/** Which fields of several configs differ: the table beside compared runs. */

/** A field (dotted path, as `--set` and the links write it) and its value in each config (undefined: absent). */
export interface FieldDiff {
  path: string;
  values: unknown[];
}

/** Leaf fields of a config by dotted path, in the config's order; arrays are one field (a list of sizes, of peaks). */
function leaves(value: unknown, prefix: string, into: Map<string, unknown>): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) leaves(child, prefix ? `${prefix}.${key}` : key, into);
  } else if (prefix) into.set(prefix, value);
}

/**
 * The fields whose values are not all equal across `configs`, in the order the first config holding each field
 * has them. A field one config lacks differs from one another config has.
 */
export function configDiff(configs: readonly unknown[]): FieldDiff[] {
  const flat = configs.map((config) => {
    const into = new Map<string, unknown>();
    leaves(config, '', into);
    return into;
  });
  const paths = [...new Set(flat.flatMap((fields) => [...fields.keys()]))];
  return paths.flatMap((path) => {
    const values = flat.map((fields) => fields.get(path));
    const first = JSON.stringify(values[0]);
    return values.every((value) => JSON.stringify(value) === first) ? [] : [{ path, values }];
  });
}

/** A field's value as the table shows it: numbers and strings as they are, lists as JSON, an absent field as "—". */
export function fieldText(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
