/** 'auto' never picks a GPU backend that a software renderer runs (issue 21), and says why it passed it over. */
import { describe, expect, it } from 'vitest';
import { selectBackend, type GpuProbes } from '../../src/core/backend';

const software: GpuProbes = {
  webgpuAdapter: () => Promise.resolve({ isFallbackAdapter: false, names: 'google swiftshader SwiftShader Device (Subzero)' }),
  webglRenderer: () => 'ANGLE (Mesa, llvmpipe (LLVM 15.0.6, 256 bits), OpenGL 4.5)',
};

describe('backend selection', () => {
  it("'auto' passes over software WebGPU and WebGL, naming the renderer in the reason", async () => {
    const report = await selectBackend('auto', [], software);
    expect(report.name).toBe('wasm');
    expect(report.skipped.map((s) => s.name)).toEqual(['webgpu', 'webgl']);
    expect(report.reason).toMatch(/webgpu: software adapter \(google swiftshader .*\), slower than the CPU/);
    expect(report.reason).toMatch(/webgl: software renderer \(ANGLE \(Mesa, llvmpipe .*\), slower than the CPU/);
  });

  it('a fallback adapter counts as software whatever its name', async () => {
    const report = await selectBackend('auto', [], { webgpuAdapter: () => Promise.resolve({ isFallbackAdapter: true, names: '' }), webglRenderer: () => null });
    expect(report.skipped[0]).toEqual({ name: 'webgpu', error: 'software adapter, slower than the CPU' });
  });

  it('a hardware GPU is tried (here, in Node, it then fails for want of WebGPU), and a backend asked for by name is not second-guessed', async () => {
    const hardware: GpuProbes = { webgpuAdapter: () => Promise.resolve({ isFallbackAdapter: false, names: 'nvidia ampere' }), webglRenderer: () => 'ANGLE (NVIDIA GeForce RTX 3060)' };
    const auto = await selectBackend('auto', [], hardware);
    expect(auto.reason).not.toMatch(/software/);
    expect(auto.skipped[0].error).toMatch(/navigator\.gpu is missing/);
    const named = await selectBackend('webgpu', [], software);
    expect(named.skipped[0].error).toMatch(/navigator\.gpu is missing/);
  });
});
