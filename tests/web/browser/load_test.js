#!/usr/bin/env node
// Load test of `bulwark serve`: RATE alerts/s (1000) appended to the followed
// alert file for SECONDS (60) while the dashboard is open in headless
// Chromium and a script follows /api/stream. Passes when no alert is lost
// (the store counted every one, the stream delivered every id in order, the
// page shows the newest) and the server's resident memory stays under
// MAX_RSS_MB (200) with its ring full.
//
// Usage: load_test.js BULWARK SOURCE_DIR [ARTEFACT_DIR]; env SECONDS, RATE,
// MAX_RSS_MB. Exit 0 pass, 1 fail, 77 skipped (no chromium/playwright-core).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const { spawn } = require('child_process');

const [bulwark, sourceDir, artefactArg] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SECONDS = Number(process.env.SECONDS_TO_RUN || 60);
const RATE = Number(process.env.RATE || 1000);
const MAX_RSS_MB = Number(process.env.MAX_RSS_MB || 200);

function skip(why) { console.log('SKIPPED: ' + why); process.exit(77); }
if (!fs.existsSync(CHROMIUM)) skip(CHROMIUM + ' is missing');
let chromium;
try {
  ({ chromium } = require(path.join(sourceDir, 'tools/npm/node_modules/playwright-core')));
} catch (e) { skip('playwright-core is missing (cd tools/npm && npm install)'); }
const artefacts = artefactArg || path.join(sourceDir, 'build/test-artefacts/web');
fs.mkdirSync(artefacts, { recursive: true });

function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

function rssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

function line(n) {
  return JSON.stringify({
    time: new Date().toISOString(), rule: 'Load rule ' + (n % 50), priority: n % 7 ? 'Warning' : 'Critical',
    output: 'load alert ' + n + ' ' + 'x'.repeat(200), source: 'syscall', hostname: 'load',
    output_fields: { 'proc.name': 'proc' + (n % 300), 'proc.cmdline': 'cmd --n ' + n,
      'container.name': 'c' + (n % 40), 'container.id': 'id' + (n % 40), 'fd.name': '/tmp/f' + n },
    tags: ['load'],
  }) + '\n';
}

// Follows /api/stream and records the ids it receives.
async function follow(url, seen, stop) {
  const res = await fetch(url + 'api/stream?since=0');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  while (!stop.done) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let at;
    while ((at = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      if (event.includes('event: lagged')) throw new Error('the stream client was dropped as lagging');
      const m = /^id: (\d+)/m.exec(event);
      if (m) seen.push(Number(m[1]));
    }
  }
  reader.cancel().catch(() => {});
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-load-'));
  const file = path.join(dir, 'alerts.json');
  fs.writeFileSync(file, '');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const server = spawn(bulwark, ['serve', '--listen', `127.0.0.1:${port}`, '--alerts', file,
    '--no-results'], { stdio: ['ignore', 'inherit', 'inherit'] });
  let browser;
  const stop = { done: false };
  try {
    for (let i = 0; i < 100; i++) {
      try { if ((await fetch(url + 'api/summary')).ok) break; } catch (e) { /* starting */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(url);
    const seen = [];
    const following = follow(url, seen, stop);
    const total = SECONDS * RATE;
    let written = 0;
    let maxRss = 0;
    const start = Date.now();
    while (written < total) {
      const due = Math.min(total, Math.floor((Date.now() - start) / 1000 * RATE) + 100);
      let chunk = '';
      for (; written < due; written++) chunk += line(written + 1);
      if (chunk) fs.appendFileSync(file, chunk);
      maxRss = Math.max(maxRss, rssMb(server.pid));
      await new Promise((r) => setTimeout(r, 100));
    }
    const deadline = Date.now() + 20000;
    let summary;
    while (Date.now() < deadline) {
      summary = await (await fetch(url + 'api/summary')).json();
      if (summary.total === total && seen.length === total) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    maxRss = Math.max(maxRss, rssMb(server.pid));
    stop.done = true;
    await page.screenshot({ path: path.join(artefacts, 'dashboard-load.png') });
    const firstRow = await page.locator('#alert-rows tr td').first().innerText();
    console.log(`wrote ${total} alerts in ${(Date.now() - start) / 1000}s; store counted ${summary.total}; ` +
      `stream received ${seen.length}; page's newest #${firstRow}; max RSS ${maxRss.toFixed(1)} MB`);
    const inOrder = seen.every((id, i) => id === i + 1);
    if (summary.total !== total) throw new Error('the store lost alerts');
    if (seen.length !== total || !inOrder) throw new Error('the stream lost or reordered alerts');
    if (Number(firstRow) !== total) throw new Error('the page does not show the newest alert');
    if (maxRss > MAX_RSS_MB) throw new Error(`RSS ${maxRss} MB over ${MAX_RSS_MB} MB`);
    console.log('PASS');
  } finally {
    stop.done = true;
    if (browser) await browser.close();
    server.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0)).catch((e) => { console.error('FAIL: ' + (e.stack || e)); process.exit(1); });
