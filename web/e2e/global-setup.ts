// Starts the dev build's sunbid with the demo and the dev clock on
// 127.0.0.1, serving this app's build (dist/), and records the demo
// accounts' passwords (printed once at the first start) for the tests.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const STATE = resolve(process.env.SUNBID_E2E_OUT ?? './test-results', 'server.json');

export default async function globalSetup(): Promise<void> {
  const bin = resolve(process.env.SUNBID_BIN ?? '../build/dev/server/sunbid');
  const port = process.env.SUNBID_E2E_PORT ?? '18743';
  const dataDir = mkdtempSync(join(tmpdir(), 'sunbid-e2e-'));
  const child = spawn(
    bin,
    ['serve', '--demo', '--dev-clock', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, '--web-root', resolve('dist')],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: false, env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' } },
  );
  let out = '';
  child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
  const ready = new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('sunbid did not start in 90 s:\n' + out)), 90_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('try this')) {
        clearTimeout(timer);
        ok();
      }
    });
    child.on('exit', (code) => fail(new Error(`sunbid exited ${code}:\n${out}`)));
  });
  await ready;
  const passwords: Record<string, string> = {};
  for (const m of out.matchAll(/^ {2}(\w+)\s+([0-9a-f]{12})\s+\w+/gm)) passwords[m[1]!] = m[2]!;
  mkdirSync(resolve(STATE, '..'), { recursive: true });
  writeFileSync(STATE, JSON.stringify({ pid: child.pid, dataDir, passwords, port }));
  child.unref();
}
