import { defineConfig } from 'vitest/config';

// `npm run test:moto`: the engine and S3 client against a local moto server (python3 with moto).
export default defineConfig({
  test: {
    include: ['test-moto/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
