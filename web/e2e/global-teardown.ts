import { readFileSync, rmSync } from 'node:fs';
import { STATE } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const s = JSON.parse(readFileSync(STATE, 'utf8')) as { pid: number; dataDir: string };
  try {
    process.kill(s.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  await new Promise((r) => setTimeout(r, 1500));
  rmSync(s.dataDir, { recursive: true, force: true });
}
