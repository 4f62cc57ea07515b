/** How report tests and the README's screenshot launch Chromium: as the e2e tests do, headless and offline. */
export const REPORT_CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};
