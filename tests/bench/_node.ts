import { selectBackend } from '../../src/core/backend';
import { Session } from '../../src/core/train/session';
import { canonicalConfig } from '../support/engine';
import { execFileSync } from 'node:child_process';
await selectBackend('wasm');
for (let r = 0; r < 3; r++) {
  const session = new Session(canonicalConfig(`train.steps=${2000}`));
  await session.advance(10);
  const start = performance.now();
  await session.advance(600);
  console.log('cpu-step', (600 / ((performance.now() - start) / 1000)).toFixed(0), session.trainingPath);
  session.dispose();
  const out = execFileSync('/usr/bin/python3', ['tests/bench/torch_reference.py', '500', '1'], { encoding: 'utf8' });
  console.log('torch', JSON.parse(out.trim().split('\n').at(-1)!).steps_per_s.toFixed(0));
}
