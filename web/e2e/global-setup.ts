// Starts the dev build's sunbid with the demo and the dev clock on
// 127.0.0.1, serving this app's build (dist/), and records the demo
// accounts' passwords (printed once at the first start) for the tests.
// startSunbid() is also used by a spec that needs a server of its own (its
// own port, data dir and dev clock: bidding.spec.ts).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const STATE = resolve(process.env.SUNBID_E2E_OUT ?? './test-results', 'server.json');

export interface Sunbid {
  pid: number;
  dataDir: string;
  passwords: Record<string, string>;
  port: string;
  verifierKey: string; // as the server printed it at its start
}

// `sunbid serve --demo --dev-clock` on 127.0.0.1:port with a fresh data dir;
// resolves once it has printed its demo accounts.
export async function startSunbid(port: string): Promise<Sunbid> {
  const bin = resolve(process.env.SUNBID_BIN ?? '../build/dev/server/sunbid');
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
  const verifierKey = /verifier key (\S+)/.exec(out)?.[1] ?? '';
  child.unref();
  return { pid: child.pid!, dataDir, passwords, port, verifierKey };
}

// Stops a server startSunbid() started and removes its data dir.
export async function stopSunbid(s: Pick<Sunbid, 'pid' | 'dataDir'>): Promise<void> {
  try {
    process.kill(s.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  await new Promise((r) => setTimeout(r, 1500));
  rmSync(s.dataDir, { recursive: true, force: true });
}

export default async function globalSetup(): Promise<void> {
  const s = await startSunbid(process.env.SUNBID_E2E_PORT ?? '18743');
  mkdirSync(resolve(STATE, '..'), { recursive: true });
  writeFileSync(STATE, JSON.stringify(s));
}
