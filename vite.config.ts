import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';
import { mnistDigits } from './src/build/mnistPlugin.ts';

export default defineConfig({
  plugins: [svelte()],
  worker: { format: 'es', plugins: () => [mnistDigits()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Training tests compete for 2 cores; run files one at a time so none starves.
    fileParallelism: false,
  },
});
