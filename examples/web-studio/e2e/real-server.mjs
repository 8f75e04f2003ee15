// The real server for end-to-end tests: the Helidon jar on a free loopback port with a temporary
// media root (the same start as server.test.mjs, shared for tests written since).
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DIST, RESULTS, WEB, requireDist } from './support.mjs';

const REPO = resolve(WEB, '..', '..');
const JAR = join(REPO, 'adapter-helidon', 'target', 'videostudio-helidon-0.1.0-SNAPSHOT.jar');

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/** Starts the jar; resolves once /health answers 200. */
export async function startServer(name = 'server.log') {
  if (!existsSync(JAR)) throw new Error(`${JAR} is missing: build it first (mvn -DskipTests package, or ./studio test).`);
  requireDist();
  const port = await freePort();
  const mediaRoot = mkdtempSync(join(tmpdir(), 'studio-e2e-media-'));
  mkdirSync(RESULTS, { recursive: true });
  const logPath = join(RESULTS, name);
  const log = createWriteStream(logPath);
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const child = spawn(java, ['-jar', JAR], {
    cwd: REPO,
    env: { ...process.env, SERVER_PORT: String(port), SERVER_HOST: '127.0.0.1', STUDIO_MEDIA_ROOT: mediaRoot, STUDIO_WEB_ROOT: DIST },
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
  return { base, stop };
}
