import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
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
});
const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 640 } });
const page = await context.newPage();
await page.setContent(
  '<html lang="en"><head><title>x</title></head><body><main><h1>Hi</h1><img src="x"><div style="width:500px">wide</div></main><script>document.title="JS RAN"</script></body></html>',
);
console.log('title', await page.title());
console.log('eval', await page.evaluate(() => document.documentElement.scrollWidth));
const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
console.log(
  'violations',
  r.violations.map((v) => v.id),
);
await browser.close();
