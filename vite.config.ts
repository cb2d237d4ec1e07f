import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';
import { VitePWA } from 'vite-plugin-pwa';
import { mnistDigits } from './src/build/mnistPlugin.ts';
import { pageWithoutEngine } from './src/build/pageWithoutEnginePlugin.ts';
import { tfjsThreads } from './src/build/tfjsThreadsPlugin.ts';

/**
 * Cross-origin isolation (SharedArrayBuffer), so tfjs-wasm runs its multi-threaded build. A static host needs the
 * same two headers for it (README, "Threads"); without them the app runs single-threaded.
 */
const crossOriginIsolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  // Relative asset paths: the build runs from any folder of any static host.
  base: './',
  plugins: [
    svelte(),
    pageWithoutEngine(),
    // The dev server serves the worker through these plugins; the build bundles it with worker.plugins.
    mnistDigits(),
    // Installable and offline once loaded: a service worker precaches the whole build (wasm, worker, digits included).
    VitePWA({
      registerType: 'autoUpdate',
      includeAssets: ['favicon.svg', 'icon-*.png', 'images/*.png', 'thumbs/*.png'],
      manifest: {
        name: 'Phenomena Explorer',
        short_name: 'Phenomena',
        description: 'Small neural networks train live in your browser while you watch the phenomena deep-learning theory found in them.',
        theme_color: '#111111',
        background_color: '#ffffff',
        display: 'standalone',
        start_url: './',
        scope: './',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
        ],
      },
      workbox: { globPatterns: ['**/*.{js,css,html,wasm,png,svg,woff2}'], maximumFileSizeToCacheInBytes: 8 * 1024 * 1024 },
    }),
  ],
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  worker: { format: 'es', plugins: () => [mnistDigits(), tfjsThreads()] },
  // The worker and the embedded digits are large by design; Rolldown's timing report is noise in test logs.
  build: { target: 'es2022', chunkSizeWarningLimit: 4096, rolldownOptions: { checks: { bundlerTimings: false } } },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/globalSetup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Training tests compete for 2 cores; run files one at a time so none starves.
    fileParallelism: false,
  },
});
