// Shared pieces of the browser tests: Debian's chromium through playwright-core, the built page,
// the shared media folder, screenshots and canvas checks.
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer as createTcpServer } from 'node:net';
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

const REPO = resolve(WEB, '..', '..');
const JAR = join(REPO, 'adapter-helidon', 'target', 'videostudio-helidon-0.1.0-SNAPSHOT.jar');

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createTcpServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/**
 * Starts the jar with extra environment ({@code extraEnv}, for example STUDIO_AUTH_MODE; LOG_NAME
 * names its log file under test-results/); resolves once /health answers 200.
 */
export async function startServer(extraEnv = {}) {
  if (!existsSync(JAR)) throw new Error(`${JAR} is missing: build it first (mvn -DskipTests package, or ./studio test).`);
  requireDist();
  const port = await freePort();
  const mediaRoot = mkdtempSync(join(tmpdir(), 'studio-e2e-media-'));
  mkdirSync(RESULTS, { recursive: true });
  const logPath = join(RESULTS, extraEnv.LOG_NAME ?? 'server.log');
  const log = createWriteStream(logPath);
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const child = spawn(java, ['-jar', JAR], {
    cwd: REPO,
    env: { ...process.env, SERVER_PORT: String(port), SERVER_HOST: '127.0.0.1', STUDIO_MEDIA_ROOT: mediaRoot, STUDIO_WEB_ROOT: DIST, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited === null) {
      child.kill('SIGTERM');
      const done = new Promise((ok) => child.once('exit', ok));
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    }
    rmSync(mediaRoot, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited !== null) {
      await stop();
      throw new Error(`the server ${exited}:\n${readFileSync(logPath, 'utf8').slice(-3000)}`);
    }
    try {
      const r = await fetch(`${base}/health`);
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer /health within 90 s:\n${readFileSync(logPath, 'utf8').slice(-3000)}`);
    }
    await new Promise((ok) => setTimeout(ok, 250));
  }
  return { base, stop, mediaRoot };
}

/** Uploads a file to a real server (multipart) and answers its asset id. */
export async function upload(base, file) {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(file)]), file.split('/').pop());
  const r = await fetch(`${base}/api/media/video-assets`, { method: 'POST', body: form });
  if (r.status !== 201) {
    throw new Error(`upload of ${file}: ${r.status} ${await r.text()}`);
  }
  return (await r.json()).asset_id;
}
