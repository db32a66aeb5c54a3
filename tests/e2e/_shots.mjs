import { startServer, launch, openApp } from './harness.mjs';
const server = await startServer(); const browser = await launch();
try {
  for (const [name, vp] of [['phone', { width: 390, height: 844 }], ['desk', { width: 1280, height: 800 }]]) {
    const { page, errors } = await openApp(browser, { url: server.url, hash: 'chapter=types&tk=many_to_one&step=3', viewport: vp, deviceScaleFactor: 1 });
    for (const k of ['one_to_many', 'many_to_one', 'delayed', 'synced']) await page.evaluate((k) => window.rnnLab.types.train(k), k);
    await page.evaluate(() => window.rnnLab.frame());
    for (const k of ['one-to-one', 'one-to-many', 'many-to-one', 'delayed', 'synced']) {
      await page.locator(`#types-${k}`).screenshot({ path: `test-output/screenshots/_${name}-${k}.png` });
    }
    console.log(name, errors);
  }
} finally { await browser.close(); await server.close(); }
