// Chapters whose code loads when they first open (www/shell/chapters.js loadBody): the
// default chapter's first load asks for no chapter body; a chapter opened later shows its
// opening text and a "Loading" line until its code is there, then mounts; a body that
// cannot be loaded says so in the chapter and in a notice, and opening it again retries;
// once the page is idle, every chapter opens offline (the page has fetched them all).
// Needs a built app (scripts/build: dist/web/chunks.json names each chapter's chunks).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, openApp, ROOT } from './harness.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const CHUNKS = join(ROOT, 'dist', 'web', 'chunks.json');
const dev = process.env.RNN_LAB_DEV === '1' || !existsSync(CHUNKS);
/** Whether `url` is the body of chapter `id`: its chunk in the served build, its module in dev. */
function isBody(url, id) {
  const path = new URL(url).pathname;
  if (dev) return path.endsWith(`/www/views/${id}/body.js`);
  return path === `/${JSON.parse(readFileSync(CHUNKS, 'utf8')).chapters[id][0]}`;
}
const isAnyBody = (url) => /\/www\/body-[A-Z0-9]+\.js$|\/www\/views\/[a-z]+\/body\.js$/.test(new URL(url).pathname);

/** The shown chapter's section: its heading, its "Loading" line, and whether its body has mounted. */
const shown = (page, id) => page.evaluate((id) => {
  const section = document.getElementById(`chapter-${id}`);
  return {
    visible: Boolean(section && !section.hidden),
    h2: section?.querySelector('h2')?.textContent ?? null,
    waiting: section?.querySelector('.chapter-loading')?.textContent ?? null,
    children: section?.children.length ?? 0,
  };
}, id);

test('the default chapter loads no chapter body; another chapter shows its opening and "Loading" until its code arrives', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  // The moment the page is ready: what it fetched until then is the first load.
  await page.addInitScript(() => {
    new MutationObserver(() => {
      if (document.body?.dataset.ready === '1' && !window.__readyAt) window.__readyAt = performance.now();
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-ready'] });
  });
  // Why's code held back from the start (the page fetches every chapter once idle).
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  await page.route((url) => isBody(url.href, 'why'), async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(server.url);
  await page.waitForFunction(() => window.__readyAt, null, { timeout: 60_000 });
  const requests = [];
  page.on('request', (r) => isAnyBody(r.url()) && requests.push(new URL(r.url()).pathname));
  const loaded = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.startTime <= window.__readyAt).map((e) => e.name));
  assert.ok(loaded.some((u) => /main\.js$/.test(u)), 'the resource list is read');
  assert.deepEqual(loaded.filter(isAnyBody), [], 'no chapter body in the first load');

  await page.click('#chapter-nav a[data-chapter="why"]');
  await page.waitForFunction(() => document.getElementById('chapter-why')?.hidden === false);
  await page.waitForTimeout(300);
  const waiting = await shown(page, 'why');
  assert.equal(waiting.h2, 'Why recurrence?', 'the opening text is shown');
  assert.equal(waiting.waiting, 'Loading this chapter…');
  assert.equal(await page.evaluate(() => document.title), 'Why recurrence? · RNN Lab');
  const early = await page.evaluate(() => {
    try {
      return { ok: true, value: typeof window.rnnLab.why };
    } catch (e) {
      return { ok: false, message: e.message };
    }
  });
  assert.equal(early.ok, false, 'rnnLab.why is not there before the chapter code');
  assert.match(early.message, /open it first/);
  release();
  await page.waitForFunction(() => !document.querySelector('#chapter-why .chapter-loading'), null, { timeout: 30_000 });
  await page.evaluate(() => window.rnnLab.why.settled());
  const mounted = await shown(page, 'why');
  assert.ok(mounted.children > 4, `the body mounted below the opening (${mounted.children} children)`);
  assert.equal(requests.filter((p) => isBody(`${server.url.replace(/\/$/, '')}${p}`, 'why')).length, 1, 'the body was asked for once, when the chapter opened');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a chapter whose code cannot be loaded says so, and opening it again retries', async () => {
  // The chapter's code is unreachable from the start: the idle prefetch (under way once
  // openApp returns) cannot fetch it either, and says nothing.
  const fail = (route) => route.abort('internetdisconnected');
  const matcher = (url) => isBody(url.href, 'types');
  const { page } = await openApp(browser, { url: server.url, prepare: (context) => context.route(matcher, fail) });
  await page.click('#chapter-nav a[data-chapter="types"]');
  // The chapter's engine module arriving (its own load or the prefetch's) shows it again,
  // which tries its code again: what it says is read once everything has arrived.
  await page.waitForFunction(() => document.body.dataset.prefetched === '1', null, { timeout: 60_000 });
  await page.waitForFunction(() => /could not be loaded/.test(document.querySelector('#chapter-types .chapter-loading')?.textContent ?? ''), null, { timeout: 20_000 });
  const failed = await shown(page, 'types');
  assert.equal(failed.h2, 'Types of RNN', 'the opening text stays');
  assert.match(failed.waiting, /The chapter “Types of RNN” could not be loaded \(.+\)\. Check the connection and open the chapter again to retry\./);
  const notice = await page.evaluate(() => document.getElementById('notices').textContent);
  assert.match(notice, /could not be loaded/);

  // Back online: opening the chapter again loads and mounts it.
  await page.context().unroute(matcher, fail);
  await page.click('#chapter-nav a[data-chapter="steps"]');
  await page.click('#chapter-nav a[data-chapter="types"]');
  await page.waitForFunction(() => !document.querySelector('#chapter-types .chapter-loading'), null, { timeout: 30_000 });
  await page.evaluate(() => window.rnnLab.types.state());
  assert.ok((await shown(page, 'types')).children > 4, 'the chapter mounted on the second try');
  await page.context().close();
});

test('once the page is idle, every chapter opens offline: its code and its engine module are here', async () => {
  const { page, errors } = await openApp(browser, { url: server.url });
  await page.waitForFunction(() => document.body.dataset.prefetched === '1', null, { timeout: 60_000 });
  await page.context().setOffline(true);
  const ids = await page.evaluate(() => window.rnnLab.chapters().map((c) => c.id).filter((id) => id !== 'steps'));
  assert.ok(ids.length >= 6, `chapters: ${ids}`);
  for (const id of ids) {
    await page.click(`#chapter-nav a[data-chapter="${id}"]`);
    await page.waitForFunction((id) => document.getElementById(`chapter-${id}`)?.hidden === false, id);
    await page.evaluate(() => window.rnnLab.frame());
    const s = await shown(page, id);
    assert.equal(s.waiting, null, `${id}: no Loading line`);
    assert.ok(s.children > 3, `${id} mounted offline (${s.children} children)`);
  }
  assert.deepEqual(errors, []);
  await page.context().close();
});
