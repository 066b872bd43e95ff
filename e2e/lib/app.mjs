// Starts one real `finsam demo` process for a test file, and stops it again.
//
// Usage in a test file:
//   const app = useApp();            // registers before()/after() hooks
//   ... app.baseURL, app.dataDir, app.outboxDir ...
//
// Each start gets a fresh data directory and a free port. The server's output goes to
// e2e/artifacts/<name>-server.log; its last lines are printed when a test fails or the server dies.

import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, accessSync, constants as fsConstants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = path.resolve(E2E_DIR, '..');
export const ARTIFACTS_DIR = path.join(E2E_DIR, 'artifacts');

/** The demo password every demo account gets; set through FINSAM_DEMO_PASSWORD. */
export const DEMO_PASSWORD = 'korvgubbe-cykelstyre-42';

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/** The `finsam` binary: $FINSAM_BIN, else $CARGO_TARGET_DIR/debug/finsam, else target/debug/finsam. */
export function finsamBin() {
  const fromEnv = process.env.FINSAM_BIN;
  let bin;
  if (fromEnv) {
    bin = path.isAbsolute(fromEnv) ? fromEnv : path.resolve(REPO_ROOT, fromEnv);
  } else if (process.env.CARGO_TARGET_DIR) {
    bin = path.resolve(REPO_ROOT, process.env.CARGO_TARGET_DIR, 'debug', 'finsam');
  } else {
    bin = path.join(REPO_ROOT, 'target', 'debug', 'finsam');
  }
  try {
    accessSync(bin, fsConstants.X_OK);
  } catch {
    throw new Error(`finsam binary not found or not executable at ${bin} (set FINSAM_BIN)`);
  }
  return bin;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves with the promise's value, or with null after `ms`; the timer does not outlive the race. */
async function within(promise, ms) {
  let timer;
  const timeout = new Promise((r) => {
    timer = setTimeout(() => r(null), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every child still running, so that an abrupt exit of the test process does not leave servers behind. */
const running = new Set();
process.on('exit', () => {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

export class App {
  constructor(name) {
    this.name = name;
    this.child = null;
    this.exited = null; // { code, signal } once the process has exited
    this.logLines = [];
    this.logPath = path.join(ARTIFACTS_DIR, `${name}-server.log`);
  }

  get outboxDir() {
    return path.join(this.dataDir, 'outbox');
  }

  /** Absolute URL for a path on the app. */
  url(p = '/') {
    return new URL(p, this.baseURL).toString();
  }

  async start() {
    const bin = finsamBin();
    this.dataDir = await mkdtemp(path.join(os.tmpdir(), 'finsam-e2e-'));
    this.port = await freePort();
    this.host = `127.0.0.1:${this.port}`;
    this.baseURL = `http://${this.host}`;

    // Only the variables of the contract, so that a FINSAM_* setting of the caller's shell (for example
    // the Rust tests' FINSAM_TEST_POSTGRES_URL) cannot change what the demo server does. Names listed in
    // FINSAM_E2E_PASS_ENV (comma-separated) are passed through anyway.
    const pass = new Set((process.env.FINSAM_E2E_PASS_ENV ?? '').split(',').map((s) => s.trim()).filter(Boolean));
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('FINSAM_') || pass.has(k)),
    );
    Object.assign(env, {
      FINSAM_DATA_DIR: this.dataDir,
      FINSAM_LISTEN: this.host,
      FINSAM_DEMO_PASSWORD: DEMO_PASSWORD,
      FINSAM_BASE_URL: this.baseURL,
    });

    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const log = createWriteStream(this.logPath, { flags: 'w' });
    log.write(`# ${bin} demo\n# FINSAM_DATA_DIR=${this.dataDir}\n# FINSAM_LISTEN=${this.host}\n`);

    // In the fresh data dir: the binary reads ./finsam.toml if there is one, and a developer's file in the
    // repo root must not change the demo under test (templates and assets are compiled in).
    const child = spawn(bin, ['demo'], { cwd: this.dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    running.add(child);
    const keep = (chunk) => {
      log.write(chunk);
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        this.logLines.push(line);
        if (this.logLines.length > 200) this.logLines.shift();
      }
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    this.exitPromise = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exited = { code, signal };
        running.delete(child);
        log.end();
        resolve(this.exited);
      });
    });
    child.on('error', (err) => {
      this.exited = { code: null, signal: null, error: err };
      running.delete(child);
    });

    await this.waitReady();
  }

  async waitReady() {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (this.exited) {
        throw new Error(
          `finsam demo exited before it was ready (${JSON.stringify(this.exited)})\n${this.logTail()}`,
        );
      }
      try {
        const res = await fetch(this.url('/readyz'), { signal: AbortSignal.timeout(2_000), redirect: 'manual' });
        if (res.status === 200) return;
        last = `status ${res.status}`;
      } catch (err) {
        last = err.cause?.code ?? err.message;
      }
      await sleep(200);
    }
    throw new Error(`finsam demo not ready after ${READY_TIMEOUT_MS / 1000} s (${last})\n${this.logTail()}`);
  }

  /** The last lines of the server's output, for error messages. */
  logTail(n = 40) {
    return `--- last server output (${this.logPath}) ---\n${this.logLines.slice(-n).join('\n')}\n---`;
  }

  async stop() {
    const child = this.child;
    if (child && !this.exited) {
      child.kill('SIGTERM');
      const done = await within(this.exitPromise, STOP_TIMEOUT_MS);
      if (!done) {
        console.error(`[${this.name}] finsam did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM; killing it`);
        child.kill('SIGKILL');
        await within(this.exitPromise, STOP_TIMEOUT_MS);
      }
    }
    if (this.dataDir && !process.env.FINSAM_E2E_KEEP_DATA) {
      await rm(this.dataDir, { recursive: true, force: true });
    }
  }
}

/**
 * Registers before()/after() hooks that start one `finsam demo` for the calling test file.
 * `name` names the log file; pass something unique per file.
 */
export function useApp(name) {
  const app = new App(name);
  before(async () => {
    await app.start();
  });
  after(async () => {
    await app.stop();
  });
  return app;
}
