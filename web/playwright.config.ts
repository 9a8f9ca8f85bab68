// Browser tests against a real `sunbid serve --demo --dev-clock` (the dev
// build's binary, e2e/global-setup.ts) driving Debian's Chromium: no browser
// download.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.SUNBID_E2E_PORT ?? 18743);

export default defineConfig({
  testDir: './e2e',
  outputDir: process.env.SUNBID_E2E_OUT ?? './test-results',
  globalSetup: './e2e/global-setup.ts',
  globalTeardown: './e2e/global-teardown.ts',
  workers: 1,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    baseURL: `https://127.0.0.1:${port}`,
    ignoreHTTPSErrors: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
