/**
 * Merges a sweep's shards (npm run experiment -- sweep.json --shard i/N --out part-i.json) into the sweep file the
 * app opens: npm run merge -- part-*.json [--out sweep.json]. Parts that do not belong together, a shard given
 * twice, a missing or unfinished one: each is named, with what to run again (exit 1).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { problemText } from '../core/config/validate';
import { readRunFile } from '../engine/runFile';
import { mergeShards } from '../engine/shards';

const usage = 'usage: npm run merge -- <part.json> ... [--out sweep.json]';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
} catch (error) {
  fail(`${(error as Error).message}\n${usage}`);
}
if (parsed.values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
if (parsed.positionals.length === 0) fail(usage);
const parts = parsed.positionals.map((name) => {
  try {
    const records = readRunFile(readFileSync(name, 'utf8'));
    if (records.length !== 1) fail(`${name}: holds ${records.length} runs; a shard holds one`);
    return { name, record: records[0] };
  } catch (error) {
    fail(`${name}: ${problemText(error)}`);
  }
});
try {
  const merged = JSON.stringify(mergeShards(parts));
  if (parsed.values.out) writeFileSync(parsed.values.out, merged);
  else process.stdout.write(`${merged}\n`);
  process.stderr.write(`merged ${parts.length} shards\n`);
} catch (error) {
  fail(`cannot merge: ${problemText(error)}`);
}
