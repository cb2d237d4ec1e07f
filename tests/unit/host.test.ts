import { describe, expect, it } from 'vitest';
import { selectBackend, type BackendReport } from '../../src/core/backend';
import { EngineHost } from '../../src/engine/host';
import { phenomenonOf } from '../../src/phenomena/engine';
import { canonicalConfig, measures } from '../support/engine';

const config = canonicalConfig('model.widths=[16,16]', 'train.snapshotEvery=10', 'backend="webgpu"');

/** A host whose "webgpu" is really wasm, and whose sessions can be told to fail like a lost device. */
function hostWithFlakyGpu() {
  const failure = { armed: false };
  const host = new EngineHost({
    selectBackend: async (requested, exclude) => {
      const real = await selectBackend('wasm', exclude);
      return requested === 'webgpu' ? ({ ...real, name: 'webgpu', requested } satisfies BackendReport) : real;
    },
    start: async (cfg, sources, options) => {
      const session = await phenomenonOf(cfg).start(cfg, sources, options);
      const advance = session.advance.bind(session);
      session.advance = async (steps) => {
        if (failure.armed) {
          failure.armed = false;
          throw new Error('GPUDevice was lost');
        }
        return advance(steps);
      };
      return session;
    },
  });
  return { host, failure };
}

describe('engine host', () => {
  it('rejects a broken config with the field named, keeping the loaded run', async () => {
    const { host } = hostWithFlakyGpu();
    await host.load(config);
    await expect(host.load({ ...config, seed: -1 })).rejects.toThrow(/seed: /);
    host.dispose();
  });

  it('keeps the current run playable when the engine refuses a new one the schema accepted', async () => {
    const host = new EngineHost({
      start: async (cfg, sources, options) => {
        if (cfg.seed === 13) throw new Error('refused by the engine');
        return phenomenonOf(cfg).start(cfg, sources, options);
      },
    });
    const wasm = { ...config, backend: 'wasm' as const };
    await host.load(wasm);
    await host.advance(10);
    await expect(host.load({ ...wasm, seed: 13 })).rejects.toThrow(/refused by the engine/);
    const next = await host.advance(10);
    expect(next.result.status === 'running' && next.result.snapshot.step).toBe(20);
    host.dispose();
  });

  it('continues on the next backend from the last snapshot when the GPU is lost', async () => {
    const { host, failure } = hostWithFlakyGpu();
    const loaded = await host.load(config);
    expect(loaded.backend.name).toBe('webgpu');
    const atTen = await host.advance(10);
    if (atTen.result.status === 'diverged') throw new Error(atTen.result.message);

    failure.armed = true;
    const reply = await host.advance(10);
    expect(reply.recovered?.backend.name).toBe('wasm');
    expect(reply.recovered?.trainingPath).toBe('cpu-step');
    expect(reply.recovered?.message).toMatch(/^webgpu failed \(GPUDevice was lost\); continued on wasm from step 10/);
    if (reply.result.status === 'diverged') throw new Error(reply.result.message);
    // Nothing the user had is lost: same step, same weights, so the same output.
    expect(reply.result.snapshot.step).toBe(10);
    expect(measures(reply.result.snapshot).output).toEqual(measures(atTen.result.snapshot).output);

    const next = await host.advance(10);
    expect(next.result.status === 'running' && next.result.snapshot.step).toBe(20);
    // Reset still goes back to the seeded start, not to the checkpoint.
    expect(measures(await host.reset()).output).toEqual(measures(loaded.snapshot).output);
    host.dispose();
  });

  it('does not hide failures on a CPU backend', async () => {
    const { host, failure } = hostWithFlakyGpu();
    await host.load({ ...config, backend: 'wasm' });
    failure.armed = true;
    await expect(host.advance(10)).rejects.toThrow(/GPUDevice was lost/);
    host.dispose();
  });
});
