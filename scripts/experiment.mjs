/**
 * npm run experiment: the headless runner (src/cli/experiment.ts) from a bundle, so that nothing is compiled at
 * run time (tsx compiled some 200 modules on every start). The bundle is rebuilt by esbuild (a dev dependency, the version tsx
 * uses) when it is missing or older than any file under src/ or package.json, so a fresh clone
 * builds it on its first run. tfjs stays outside it (its WebAssembly files are found beside its own modules)
 * and loads by require: an ES import of its CommonJS costs 0.6 s of CPU scanning it for exports. mathjs is
 * inside it, cut to what expression.ts names (all of mathjs takes 1.6 s of CPU to load).
 * Plain JavaScript: it must start without a compiler.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const builds = join(root, '.build');
/**
 * Each build has a folder of its own (.build/cli-…, at the same depth as src/cli, so that paths relative to the
 * module (public/) resolve alike), never changed once written; this file names the newest. Runs started together
 * after a change then each import from a whole build: when a build replaced the one folder, a run still loading
 * its chunks found the other build's names (ERR_MODULE_NOT_FOUND).
 */
const pointer = join(builds, 'cli.current');
/** Older builds than this are removed: a run imports its chunks in its first seconds. */
const KEEP_MS = 10 * 60 * 1000;

/** The newest build's entry, or null. */
function currentBundle() {
  const name = existsSync(pointer) ? readFileSync(pointer, 'utf8').trim() : '';
  const entry = join(builds, name, 'experiment.mjs');
  return name && existsSync(entry) ? entry : null;
}

/** The newest modification time of the runner's sources. */
function newestSource() {
  const files = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return Math.max(statSync(join(root, 'package.json')).mtimeMs, ...files.map((entry) => statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs));
}

/** tfjs by require (see above): each import of a @tensorflow package becomes a module that requires it. */
const tfjsByRequire = {
  name: 'tfjs-by-require',
  setup(build) {
    // The shim's own require is left to Node.
    build.onResolve({ filter: /^@tensorflow\// }, ({ path, namespace }) => (namespace === 'tfjs-by-require' ? { path, external: true } : { path, namespace: 'tfjs-by-require' }));
    build.onLoad({ filter: /.*/, namespace: 'tfjs-by-require' }, ({ path }) => ({ contents: `module.exports = require(${JSON.stringify(path)});`, loader: 'js' }));
  },
};

let bundle = currentBundle();
if (!bundle || statSync(bundle).mtimeMs < newestSource()) {
  const { build } = await import('esbuild');
  // New files, never old ones changed in place (a tree copied as hard links shares them).
  const name = `cli-${Date.now()}-${process.pid}`;
  const fresh = join(builds, name);
  await build({
    entryPoints: [join(root, 'src', 'cli', 'experiment.ts')],
    outdir: fresh,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // The phenomena's run builds (imported on demand) in chunks of their own: a single file would wrap every
    // module in a function and could no longer leave out the unused parts of mathjs.
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // ES modules where a package has them, which esbuild can cut to what is used.
    mainFields: ['module', 'main'],
    plugins: [tfjsByRequire],
    // The require that the CommonJS inside (tfjs' modules, pngjs) calls.
    banner: { js: 'import { createRequire as bundleRequire } from "node:module"; const require = bundleRequire(import.meta.url);' },
    logLevel: 'warning',
  });
  writeFileSync(`${pointer}.${process.pid}`, name);
  renameSync(`${pointer}.${process.pid}`, pointer);
  const now = Date.now();
  for (const old of readdirSync(builds)) {
    const path = join(builds, old);
    // A run started beside this one may have removed it already: throwIfNoEntry keeps that from failing this run.
    const modified = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? now;
    if (/^cli(-\d+-\d+)?$/.test(old) && old !== name && now - modified > KEEP_MS) rmSync(path, { recursive: true, force: true });
  }
  bundle = join(fresh, 'experiment.mjs');
}
await import(pathToFileURL(bundle).href);
