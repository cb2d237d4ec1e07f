import { collapseConfig } from '/work/wt-collapse/tests/bench/collapse';
import { advanceTo, startRun, useBackend } from '/work/wt-collapse/tests/support/engine';
import { COLLAPSE } from '/work/wt-collapse/src/core/probes/collapse';
await useBackend('wasm');
const config = collapseConfig('data.dataset="mnist"', ...process.argv.slice(2));
const session = await startRun(config as never);
const c = process.cpuUsage();
console.log(0, COLLAPSE.of(await session.snapshot())!.nc1.toFixed(4));
while (!session.finished) {
  const s = await advanceTo(session, config.train.snapshotEvery);
  if (s.step % 250 === 0) { const m = COLLAPSE.of(s)!; console.log(s.step, m.nc1.toFixed(4), m.classifierCosine.toFixed(4), m.equiangularClassifiers.toFixed(4), m.trainError, m.nc4, m.minorityCosine.toFixed(3), m.testAccuracy.toFixed(3), m.minorityTestAccuracy.toFixed(3)); }
}
const u = process.cpuUsage(c);
console.log('cpu', ((u.user + u.system) / 1e6).toFixed(1));
