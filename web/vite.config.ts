import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Relative asset URLs, so the same build works at a domain root or under a path prefix.
  base: './',
  build: {
    target: 'es2022',
    // The Content-Security-Policy allows scripts and images from 'self' only: no data: URIs, no inline code.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  // The CRC-32 worker (src/platform/crc32-worker.ts) as an ES module file of its own, from 'self'.
  worker: { format: 'es' },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
