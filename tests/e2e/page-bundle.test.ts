/**
 * The page's thread carries no tensor code: the production build's page chunks hold no tfjs module (the engine
 * is bundled for the worker alone). Prints the entry chunk's size, raw and gzip.
 */
import { gzipSync } from 'node:zlib';
import type { Rollup } from 'vite';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';

describe('the page bundle', () => {
  it('holds no @tensorflow module in any chunk the page loads', async () => {
    const result = await build({ logLevel: 'warn', build: { write: false } });
    const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
    const chunks = outputs.flatMap((o) => o.output).filter((item): item is Rollup.OutputChunk => item.type === 'chunk');
    const entry = chunks.find((chunk) => chunk.isEntry && chunk.facadeModuleId?.endsWith('index.html'));
    expect(entry).toBeDefined();
    const tensorModules = chunks.flatMap((chunk) => chunk.moduleIds.filter((id) => id.includes('@tensorflow')).map((id) => `${chunk.fileName}: ${id}`));
    expect(tensorModules).toEqual([]);
    const code = entry?.code ?? '';
    console.info(`page entry chunk ${entry?.fileName}: ${(code.length / 1024).toFixed(1)} kB, ${(gzipSync(code).length / 1024).toFixed(1)} kB gzip; ${chunks.length} page chunks`);
  });
});
