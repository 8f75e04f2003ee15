// Shared pieces of the browser tests: Debian's chromium through playwright-core, the built page,
// the shared media folder, screenshots and canvas checks.
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(WEB, 'dist');
export const RESULTS = join(WEB, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The shared media folder: $STUDIO_SHARED_MEDIA, else the first shared/media found walking up from here. */
export function sharedMedia() {
  const candidates = [process.env.STUDIO_SHARED_MEDIA];
  for (let dir = WEB, i = 0; i < 6; i++, dir = dirname(dir)) candidates.push(join(dir, 'shared', 'media'));
  const found = candidates.find((c) => c && existsSync(join(c, 'flower.mp4')));
  if (!found) throw new Error(`shared/media (with flower.mp4) not found; looked at ${candidates.filter(Boolean).join(', ')}`);
  return found;
}

export function requireDist() {
  if (!existsSync(join(DIST, 'index.html'))) {
    throw new Error(`The page is not built (${DIST}/index.html is missing): run "npm run build" first.`);
  }
}

export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium).`);
  const userDataDir = mkdtempSync(join(tmpdir(), 'studio-chromium-'));
  // Without the background-networking flags chromium keeps dialling out, which this closed network refuses.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return {
    page,
    context,
    errors,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page, name) {
  mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: join(RESULTS, `${name}.png`) });
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.svg': 'image/svg+xml' };

/** Serves dist/ on a loopback port (index.html for client routes), for the scenario without the Java server. */
export async function serveDist() {
  requireDist();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = resolve(DIST, `.${path}`);
    if (!file.startsWith(DIST + sep) || !existsSync(file) || statSync(file).isDirectory()) file = join(DIST, 'index.html');
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Number of pixels of a canvas that are not transparent. */
export function paintedPixels(page, selector) {
  return page.$eval(selector, (c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  });
}

/** Distinct colours a canvas uses (the band colouring gives several). */
export function canvasColours(page, selector) {
  return page.$eval(selector, (c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    const seen = new Set();
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 200) seen.add((data[i] >> 4) * 256 + (data[i + 1] >> 4) * 16 + (data[i + 2] >> 4));
    return seen.size;
  });
}
