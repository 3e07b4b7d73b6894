import { chromium } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'] });
for (const js of [true, false]) {
  const ctx = await browser.newContext({ javaScriptEnabled: js });
  const page = await ctx.newPage();
  await page.goto('http://127.0.0.1:3391/');
  try {
    const r = await new AxeBuilder({ page }).analyze();
    console.log('js', js, r.violations.map(v => `${v.id}:${v.impact}`));
  } catch (e) { console.log('js', js, 'ERR', e.message.slice(0, 200)); }
  await ctx.close();
}
await browser.close();
