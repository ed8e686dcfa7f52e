#!/usr/bin/env node
// Browser test of `bulwark serve`'s dashboard in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core): start `bulwark serve
// --alerts FILE` on a free port, append alerts to FILE while the page is
// open (one with a hostile process name), check they appear live, filter
// them, open one, and check that nothing ran (no dialog, no console error
// from CSP, the hostile name shown as text). Screenshots go to
// $ARTEFACTS (default build/test-artefacts/web/).
//
// Usage: dashboard_test.js BULWARK_BINARY SOURCE_DIR [ARTEFACT_DIR]
// Exit 0 pass, 1 fail, 77 skipped (no chromium or playwright-core).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const { spawn } = require('child_process');

const [bulwark, sourceDir, artefactArg] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const HOSTILE = '<img src=x onerror=alert(1)>';

function skip(why) {
  console.log('SKIPPED: ' + why);
  process.exit(77);
}

if (!bulwark || !sourceDir) {
  console.error('usage: dashboard_test.js BULWARK SOURCE_DIR [ARTEFACT_DIR]');
  process.exit(2);
}
if (!fs.existsSync(CHROMIUM)) skip(CHROMIUM + ' is missing (apt-get install chromium)');
let chromium;
try {
  ({ chromium } = require(path.join(sourceDir, 'tools/npm/node_modules/playwright-core')));
} catch (e) {
  skip('playwright-core is missing (cd tools/npm && npm install)');
}

const artefacts = artefactArg || path.join(sourceDir, 'build/test-artefacts/web');
fs.mkdirSync(artefacts, { recursive: true });

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

let seq = 0;
function alertLine(rule, priority, proc, container, extra) {
  seq += 1;
  const time = new Date(Date.now() - (10 - seq % 10) * 1000).toISOString();
  return JSON.stringify({
    time, rule, priority, source: 'syscall', hostname: 'lab-host',
    output: `${rule}: process ${proc} in ${container}`,
    output_fields: Object.assign({
      'proc.name': proc, 'proc.cmdline': proc + ' -c id', 'proc.pid': 1000 + seq,
      'proc.pname': 'python3', 'proc.aname[2]': 'gunicorn', 'proc.pcmdline': 'python3 app.py',
      'container.id': 'c0ffee' + (container === 'web' ? '01' : '02'), 'container.name': container,
      'container.image.repository': 'lab/' + container, 'fd.name': null,
    }, extra || {}),
    tags: ['container', 'shell', 'mitre_execution'],
  }) + '\n';
}

function check(condition, message) {
  if (!condition) throw new Error('assertion failed: ' + message);
  console.log('ok - ' + message);
}

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => resolve(code));
  });
}

// Whether the table settles at n rows (filters redraw on the next frame).
async function rows(page, n) {
  try {
    await page.waitForFunction((k) => document.querySelectorAll('#alert-rows tr').length === k,
      n, { timeout: 5000 });
    return true;
  } catch (e) {
    return false;
  }
}

async function waitForServer(url, deadline) {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url + 'api/summary');
      if (res.ok) return;
    } catch (e) { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('bulwark serve did not answer');
}

// Bound off loopback the page needs the token: without it the login form,
// with it in the URL fragment the dashboard (and the fragment is wiped).
async function tokenFlow(browser, alerts) {
  const port = await freePort();
  const token = 'browser-test-token-' + process.pid;
  const server = spawn(bulwark, ['serve', '--listen', `0.0.0.0:${port}`, '--alerts', alerts,
    '--no-results'], { stdio: ['ignore', 'ignore', 'inherit'],
    env: Object.assign({}, process.env, { BULWARK_TOKEN: token }) });
  try {
    const url = `http://127.0.0.1:${port}/`;
    for (let i = 0; i < 100; i++) {
      try { if ((await fetch(url + 'login')).ok) break; } catch (e) { /* starting */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const denied = await page.goto(url);
    check(denied.status() === 401 && (await page.locator('#login').count()) === 1,
      'without the token the page is the login form (401)');
    await page.goto(url + 'login#token=wrong');
    await page.waitForFunction(() => document.getElementById('message').textContent !== '');
    check(true, 'a wrong token is refused');
    await page.goto(url + '#token=' + token);
    await page.waitForSelector('#alert-rows tr', { timeout: 10000 });
    check(!page.url().includes(token), 'the token left the address bar');
    check(await rows(page, 23), 'with the token the dashboard lists the alerts');
    await page.close();
  } finally {
    server.kill('SIGTERM');
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-browser-'));
  const alerts = path.join(dir, 'alerts.json');
  fs.writeFileSync(alerts, alertLine('Terminal shell in container', 'Warning', 'bash', 'web'));
  // A threat-model diagram with a script in it: served as an image, it must not run.
  fs.writeFileSync(path.join(dir, 'architecture_diagram.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="60"><script>alert(3)</script>' +
    '<rect x="1" y="1" width="238" height="58" fill="none" stroke="black"/>' +
    '<text x="12" y="35">web -&gt; db (trust boundary)</text></svg>');
  // Findings before and after: an audit of the lab, then of its hardened copy.
  const before = path.join(os.tmpdir(), `bulwark-before-${process.pid}.json`);
  await run(bulwark, ['audit', path.join(sourceDir, 'lab/vulnerable-app'), '--results', dir,
    '--format', 'json', '-o', before]);
  await run(bulwark, ['audit', path.join(sourceDir, 'lab/hardened-app'), '--results', dir,
    '--format', 'json', '-o', '/dev/null', '--baseline', before]);
  fs.rmSync(before, { force: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const server = spawn(bulwark, ['serve', '--listen', `127.0.0.1:${port}`, '--alerts', alerts,
    '--results', dir], { stdio: ['ignore', 'inherit', 'inherit'] });
  let browser;
  try {
    await waitForServer(url, Date.now() + 10000);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const dialogs = [];
    const cspErrors = [];
    page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) cspErrors.push(m.text());
    });
    page.on('pageerror', (e) => cspErrors.push(String(e)));
    await page.goto(url);
    await page.waitForSelector('#alert-rows tr');
    check(await rows(page, 1), 'the first alert is listed');

    // Alerts arrive while the page is open: the stream shows them.
    fs.appendFileSync(alerts, alertLine('Read sensitive file untrusted', 'Critical', 'cat', 'web',
      { 'fd.name': '/etc/shadow' }));
    fs.appendFileSync(alerts, alertLine('Terminal shell in container', 'Warning', HOSTILE, 'db'));
    for (let i = 0; i < 20; i++) {
      fs.appendFileSync(alerts, alertLine('Outbound connection to C2', i % 3 ? 'Notice' : 'Error',
        'curl', i % 2 ? 'web' : 'worker'));
    }
    await page.waitForFunction(() => document.querySelectorAll('#alert-rows tr').length === 23,
      null, { timeout: 10000 });
    check(true, 'alerts appended to the file appear live (23 rows)');
    await page.waitForTimeout(3500);  // the summary refresh draws the chart
    await page.screenshot({ path: path.join(artefacts, 'dashboard-live.png'), fullPage: true });

    // The hostile process name is text, nothing ran.
    const hostileCell = page.locator('#alert-rows td', { hasText: HOSTILE });
    check((await hostileCell.count()) === 1, 'the hostile process name shows as text');
    check((await page.locator('#alert-rows img').count()) === 0, 'no element was made from it');

    // Filter: priority, container, free text.
    await page.selectOption('#f-priority', 'Critical');
    check(await rows(page, 1), 'priority filter keeps the Critical alert');
    await page.selectOption('#f-priority', '');
    await page.selectOption('#f-container', 'worker');
    check(await rows(page, 10), 'container filter keeps worker\'s 10');
    await page.selectOption('#f-container', '');
    await page.fill('#f-q', 'onerror');
    check(await rows(page, 1), 'search finds the hostile alert');
    await page.screenshot({ path: path.join(artefacts, 'dashboard-filtered.png'), fullPage: true });

    // Open it: the drill-down shows the process, parent chain and container.
    await page.locator('#alert-rows tr').first().click();
    const detail = await page.locator('#detail').innerText();
    check(detail.includes(HOSTILE), 'the detail panel shows the hostile name as text');
    check(detail.includes('proc.pcmdline') && detail.includes('python3 app.py'), 'parent chain shown');
    check(detail.includes('container.image.repository') && detail.includes('lab/db'), 'container shown');
    check((await page.locator('#detail img').count()) === 0, 'no image element in the detail panel');
    await page.screenshot({ path: path.join(artefacts, 'dashboard-detail.png'), fullPage: true });

    // A second page load lists everything from /api/alerts.
    await page.fill('#f-q', '');
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('#alert-rows tr').length === 23);
    check(true, 'a reload lists all 23 alerts');
    check(dialogs.length === 0, 'no dialog or alert() fired (' + dialogs.join(', ') + ')');
    check(cspErrors.length === 0, 'no script error or CSP violation: ' + cspErrors.join(' | '));
    await tokenFlow(browser, alerts);
    console.log('PASS (screenshots in ' + artefacts + ')');
  } finally {
    if (browser) await browser.close();
    server.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error('FAIL: ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
