// Browser test of the crosscheck HTML report and of `crosscheck serve`, in real headless
// Chromium (Debian's /usr/bin/chromium driven by playwright-core, which never downloads a
// browser).
//
//   cd tests/browser && npm ci && node run.mjs
//
// Environment: CROSSCHECK_BIN (default: target/release/crosscheck, built when missing),
// CHROMIUM (default /usr/bin/chromium), OUT_DIR (screenshots and reports; default
// tests/browser/out). Everything runs on loopback: the report is opened as a file, the server
// binds 127.0.0.1 on a free port, and any request elsewhere fails the test.
//
// Checks: the report of the demo and the served UI both show the January 2026 event with
// the "when Assad fled" conflict and its quotes; the quote link opens the article text with
// the span marked; a search returns highlighted hits; a hostile article (script tag, onerror,
// javascript: link) renders as text and runs nothing, in the report and in the UI, even with
// the Content-Security-Policy bypassed (so the escaping itself is tested); the front page
// lists contested claims before the threads, its filter form (verdict, order) chooses threads
// and stays filled in, an empty date range says so, the claims page shows one page of claim
// groups and its next page follows on, and an article links to its source page. Screenshots
// of each view go to OUT_DIR (ui-home-contested.png, ui-threads-filtered.png, ui-claims.png...).

import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const bin = process.env.CROSSCHECK_BIN || path.join(root, 'target', 'release', 'crosscheck');
const chromePath = process.env.CHROMIUM || '/usr/bin/chromium';
const out = path.resolve(process.env.OUT_DIR || path.join(here, 'out'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-browser-'));
fs.mkdirSync(out, { recursive: true });

let passed = 0;
let failed = 0;
let skipped = 0;
function check(name, ok, detail = '') {
  if (ok) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}${detail ? ': ' + detail : ''}`);
  }
  return ok;
}
function skip(name, why) {
  skipped++;
  console.log(`SKIPPED ${name}: ${why}`);
}

if (!fs.existsSync(bin)) {
  console.log(`building ${bin}`);
  execFileSync('cargo', ['build', '--release', '-p', 'crosscheck'], { cwd: root, stdio: 'inherit' });
}

const HOSTILE_TEXT =
  '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1;alert(1)"> ' +
  '<a href="javascript:window.__pwned=1">click me</a> <svg onload="window.__pwned=1"></svg> ' +
  'The hostile article ends here.';
const hostileLine = JSON.stringify({
  title: '<img src=x onerror="window.__pwned=1">Hostile headline',
  text: HOSTILE_TEXT,
  url: 'javascript:window.__pwned=1',
  outlet: '<b onmouseover="window.__pwned=1">Evil Wire</b>',
  published: '2026-01-29',
}) + '\n';

function run(args, opts = {}) {
  return execFileSync(bin, args, { cwd: root, maxBuffer: 256 << 20, ...opts });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

// The January 2026 event with the Assad-flight conflict, found by content in a run's JSON.
function findAssad(doc) {
  const groups = new Map(doc.claim_groups.map((g) => [g.id, g]));
  const claims = new Map(doc.claims.map((c) => [c.id, c]));
  // A date conflict about Assad whose quotes speak of his flight (the slot's wording is the
  // claims stage's business: "when: Bashar al-Assad flee", "... oust", ...).
  const conflict = doc.conflicts.find((c) => {
    const g = groups.get(c.group);
    const quotes = c.values.flatMap((s) => s.claims.map((id) => (claims.get(id) || {}).quote || ''));
    return g && c.kind === 'date' && /assad/i.test(g.slot) && quotes.some((q) => /\b(flight|fled|flee|fleeing)\b/i.test(q));
  });
  if (!conflict) return null;
  const claimEvents = new Set();
  for (const side of conflict.values) for (const id of side.claims) {
    const c = claims.get(id);
    if (c && c.event) claimEvents.add(c.event);
  }
  const event = doc.events.find((e) => (e.date || '').startsWith('2026-01') && claimEvents.has(e.id));
  const quotes = conflict.values.flatMap((s) => s.claims.map((id) => claims.get(id)).filter(Boolean));
  return event ? { event, conflict, quotes } : null;
}

const errors = [];
async function newPage(browser, { bypassCSP = false, allowed }) {
  const context = await browser.newContext({ bypassCSP, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.dialogs = 0;
  page.on('dialog', async (d) => {
    page.dialogs++;
    await d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  // Nothing may leave the page's own origin (file:// for the report, the server otherwise).
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (allowed(url)) return route.continue();
    errors.push(`blocked request to ${url}`);
    return route.abort();
  });
  return page;
}

const isVisible = async (loc) => (await loc.count()) > 0 && (await loc.first().isVisible());

async function checkHostile(page, label) {
  const pwned = await page.evaluate(() => window.__pwned);
  check(`${label}: hostile article ran no script`, pwned === undefined, `window.__pwned=${pwned}`);
  check(`${label}: no dialog opened`, page.dialogs === 0, `${page.dialogs} dialogs`);
  const text = await page.locator('body').innerText();
  check(`${label}: hostile markup shown as text`, text.includes('<script>window.__pwned=1</script>') && text.includes('onerror='));
  const jsLinks = await page.locator('a[href^="javascript:" i]').count();
  check(`${label}: no javascript: link`, jsLinks === 0, `${jsLinks} links`);
  const injected = await page.locator('main img, main script, main svg[onload], main [onerror], main [onmouseover]').count();
  check(`${label}: no injected elements`, injected === 0, `${injected} elements`);
}

let server;
let browser;
try {
  // 1. The report of the demo, and its JSON.
  const reportPath = path.join(out, 'report.html');
  const demo = JSON.parse(run(['analyze', '--json', '--html', reportPath]).toString());
  check('report written', fs.existsSync(reportPath));
  const hostileJsonl = path.join(tmp, 'hostile.jsonl');
  fs.writeFileSync(hostileJsonl, hostileLine);
  const hostileReport = path.join(out, 'hostile-report.html');
  run(['analyze', hostileJsonl, '--html', hostileReport], { stdio: ['ignore', 'ignore', 'inherit'] });

  browser = await chromium.launch({
    executablePath: chromePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });

  // Negative control: the same hostile text inserted as markup does run, so the checks
  // below would notice an escaping bug.
  {
    const page = await newPage(browser, { bypassCSP: true, allowed: () => false });
    await page.setContent(`<main>${HOSTILE_TEXT}</main>`);
    await page.waitForTimeout(300);
    check('control: unescaped hostile markup is caught', (await page.evaluate(() => window.__pwned)) === 1);
    await page.context().close();
  }
  errors.length = 0;

  const fileOnly = (u) => u.startsWith('file://');
  const assad = findAssad(demo);
  {
    const page = await newPage(browser, { allowed: fileOnly });
    await page.goto(pathToFileURL(reportPath).href);
    check('report: title', (await page.title()) === 'crosscheck report');
    check('report: a thread timeline is drawn', demo.threads.length === 0 || await isVisible(page.locator('svg.timeline')));
    await page.screenshot({ path: path.join(out, 'report-top.png') });
    if (assad) {
      const { event, conflict, quotes } = assad;
      await page.locator(`ol.events a[href="#event-${event.id}"]`).first().click();
      const section = page.locator(`section#event-${event.id}`);
      check('report: January 2026 event opened', await section.isVisible() && page.url().endsWith(`#event-${event.id}`));
      const box = section.locator(`div.conflict[id$="${conflict.id}"]`);
      check('report: Assad-flight conflict visible', await isVisible(box));
      for (const q of quotes) {
        check(`report: quote visible: "${q.quote}"`, await isVisible(box.locator('blockquote.quote', { hasText: q.quote })));
      }
      check('report: claims matrix visible', await isVisible(section.locator('table.matrix')));
      await box.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(out, 'report-assad-conflict.png') });
      await box.locator('a.quote-link').first().click();
      const mark = page.locator('mark:target');
      const marked = (await isVisible(mark)) ? (await mark.first().innerText()).trim() : '';
      check('report: quote link opens the article with the span marked',
        marked.length > 0 && quotes.some((q) => q.quote.startsWith(marked)), `${page.url()} marked "${marked}"`);
      await page.screenshot({ path: path.join(out, 'report-quote-in-article.png') });
    } else {
      check('report: Assad-flight conflict in the January 2026 event', false, 'no conflict about when Assad fled');
    }
    check('report: no error, no outside request', errors.length === 0, errors.join('; '));
    await page.context().close();
  }
  {
    const page = await newPage(browser, { bypassCSP: true, allowed: fileOnly });
    await page.goto(pathToFileURL(hostileReport).href);
    await page.waitForTimeout(300);
    await checkHostile(page, 'report (CSP bypassed)');
    await page.screenshot({ path: path.join(out, 'report-hostile.png'), fullPage: true });
    await page.context().close();
  }

  // 2. The served UI: a temp store seeded with the demo pages, then a hostile article POSTed.
  const db = path.join(tmp, 'news.db');
  run(['analyze', path.join(root, 'corpus', 'demo'), '--db', db], { stdio: ['ignore', 'ignore', 'inherit'] });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const token = `t-${process.pid}-${Date.now()}`;
  server = spawn(bin, ['serve', '--db', db, '--addr', `127.0.0.1:${port}`], {
    cwd: root,
    env: { ...process.env, CROSSCHECK_TOKEN: token, RUST_LOG: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let threads;
  for (let i = 0; i < 600 && !threads; i++) {
    try {
      const r = await fetch(`${base}/api/threads`);
      if (r.ok) threads = await r.json();
    } catch { /* not up yet */ }
    if (!threads) await new Promise((r) => setTimeout(r, 100));
  }
  check('server: answers /api/threads', !!threads);
  const post = await fetch(`${base}/api/articles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
    body: hostileLine,
  });
  const posted = await post.json();
  check('server: hostile article POSTed', post.status === 201 && posted.articles.length === 1, JSON.stringify(posted));
  const sourced = await fetch(`${base}/api/articles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
    body: JSON.stringify({
      title: 'Talks in Moscow, as the wire filed them',
      text: 'Delegations met in Moscow on Thursday for a second round of talks, officials said. ' +
        'The wire report was filed from the Kremlin press pool.',
      url: 'https://news.example/wire/moscow-talks',
      outlet: 'Example Wire',
      published: '2026-01-30',
    }) + '\n',
  });
  check('server: an article with its source URL POSTed', sourced.status === 201);
  const refused = await fetch(`${base}/api/articles`, { method: 'POST', body: hostileLine });
  check('server: POST without token refused', refused.status === 401);

  const sameOrigin = (u) => u.startsWith(base + '/');
  const page = await newPage(browser, { allowed: sameOrigin });
  const resp = await page.goto(`${base}/`);
  check('server: CSP header', /default-src 'none'/.test(resp.headers()['content-security-policy'] || ''));
  await page.screenshot({ path: path.join(out, 'ui-home.png') });
  // Find the event by content through the API, as a client would.
  let uiAssad = null;
  const events = [...threads.threads.flatMap((t) => t.events), ...threads.unthreaded];
  for (const e of events.filter((e) => (e.date || '').startsWith('2026-01'))) {
    const d = await (await fetch(`${base}/api/events/${e.id}`)).json();
    const found = findAssad({ claim_groups: d.claim_groups, claims: d.claims, conflicts: d.conflicts, events: [d.event] });
    if (found) { uiAssad = found; break; }
  }
  if (uiAssad) {
    const { event, conflict, quotes } = uiAssad;
    await page.locator(`a[href="/events/${event.id}"]`).first().click();
    await page.waitForURL(`${base}/events/${event.id}`);
    const box = page.locator(`div.conflict[id$="${conflict.id}"]`);
    check('ui: January 2026 event page opened', await isVisible(page.locator(`section#event-${event.id}`)));
    check('ui: Assad-flight conflict visible', await isVisible(box));
    for (const q of quotes) {
      check(`ui: quote visible: "${q.quote}"`, await isVisible(box.locator('blockquote.quote', { hasText: q.quote })));
    }
    await box.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(out, 'ui-event-assad-conflict.png') });
    await box.locator('a.quote-link').first().click();
    await page.waitForLoadState();
    check('ui: quote link opens the article with the span marked', await isVisible(page.locator('mark:target')), page.url());
    await page.screenshot({ path: path.join(out, 'ui-quote-in-article.png') });
  } else {
    check('ui: Assad-flight conflict in the January 2026 event', false, 'no conflict about when Assad fled');
  }

  // Search through the form.
  await page.goto(`${base}/`);
  await page.fill('header form input[name=q]', 'Assad Moscow');
  await page.press('header form input[name=q]', 'Enter');
  await page.waitForURL(/\/search\?q=/);
  const hits = page.locator('ul.hits li.hit');
  check('ui: search returns hits', (await hits.count()) > 0);
  check('ui: search snippets highlight matches', await isVisible(page.locator('ul.hits p.snippet mark')));
  await page.screenshot({ path: path.join(out, 'ui-search.png') });
  await hits.first().locator('a.hit-title').click();
  await page.waitForLoadState();
  check('ui: a hit opens the article at the match', await isVisible(page.locator('mark.hl')));

  // Browsing: contested claims first, the filter form, pages, the claims page.
  await page.goto(`${base}/`);
  const contestedBox = await page.locator('section#contested').boundingBox();
  const threadsBox = await page.locator('section#threads').boundingBox();
  check('ui: contested claims come first', !!contestedBox && !!threadsBox && contestedBox.y < threadsBox.y);
  check('ui: a contested claim is listed', (await page.locator('section#contested tr.group').count()) > 0);
  check('ui: an article links to its source page beside ours',
    (await page.locator('a.source[href="https://news.example/wire/moscow-talks"]').count()) === 1);
  await page.screenshot({ path: path.join(out, 'ui-home-contested.png') });
  await page.selectOption('form#filters select[name=verdict]', 'contested');
  await page.selectOption('form#filters select[name=sort]', 'conflicts');
  await page.click('form#filters button[type=submit]');
  await page.waitForURL(/verdict=contested/);
  const shown = await page.locator('section#threads section.thread').count();
  const pagerText = await page.locator('nav#pager-threads').innerText();
  check('ui: the filter keeps threads with contested claims', shown > 0 && /Showing 1–\d+ of \d+ threads/.test(pagerText), pagerText);
  check('ui: the filter stays selected', (await page.locator('form#filters select[name=verdict]').inputValue()) === 'contested');
  await page.screenshot({ path: path.join(out, 'ui-threads-filtered.png') });
  await page.goto(`${base}/?from=2099-01-01`);
  check('ui: a date range with no event shows none, and says so',
    /No threads on this page \(0 in all\)/.test(await page.locator('nav#pager-threads').innerText()));
  await page.goto(`${base}/claims?sort=sources`);
  const rows = await page.locator('table.groups tbody tr').count();
  const claimsPager = await page.locator('nav#pager-claims').innerText();
  const total = Number((claimsPager.match(/of (\d+) claim groups/) || [])[1] || 0);
  check('ui: the claims page lists a page of claim groups', rows > 0 && rows === Math.min(total, 25), `${rows} rows, ${claimsPager}`);
  await page.screenshot({ path: path.join(out, 'ui-claims.png') });
  if (total > 25) {
    await page.locator('nav#pager-claims a[rel=next]').click();
    await page.waitForURL(/offset=25/);
    check('ui: the next page of claims follows on', /Showing 26–/.test(await page.locator('nav#pager-claims').innerText()));
  }
  check('ui: no error, no outside request', errors.length === 0, errors.join('; '));
  await page.context().close();

  {
    const page = await newPage(browser, { bypassCSP: true, allowed: sameOrigin });
    await page.goto(`${base}/articles/${posted.articles[0]}`);
    await page.waitForTimeout(300);
    await checkHostile(page, 'ui article (CSP bypassed)');
    await page.screenshot({ path: path.join(out, 'ui-hostile-article.png'), fullPage: true });
    await page.goto(`${base}/search?q=${encodeURIComponent('hostile <script>window.__pwned=1</script>')}`);
    await page.waitForTimeout(300);
    const pwned = await page.evaluate(() => window.__pwned);
    check('ui search page: hostile query and article ran no script', pwned === undefined && page.dialogs === 0);
    await page.context().close();
  }
} catch (e) {
  check('browser test ran to the end', false, e.stack || String(e));
} finally {
  if (browser) await browser.close();
  if (server) server.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}

console.log(`screenshots and reports: ${out}`);
console.log(`browser: ${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
process.exit(failed ? 1 : 0);
