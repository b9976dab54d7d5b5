import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'crm-app/src/**/*.test.ts', 'crm-app/src/**/*.test.tsx'],
    // Integration files start real servers (dynalite, local SES, the HubSpot sandbox) once per file.
    hookTimeout: 30_000,
    // Handlers log through Powertools; tests that read logs raise the level themselves. Metrics
    // are not written to the output (test/integration/metrics.test.ts reads them as they are published).
    env: { POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' },
    testTimeout: 15_000,
    // The JSON report is what .ci/run counts for its closing "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: '.test-results.json' },
  },
});
