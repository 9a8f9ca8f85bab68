import { readFileSync } from 'node:fs';
import { STATE, stopSunbid } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  await stopSunbid(JSON.parse(readFileSync(STATE, 'utf8')) as { pid: number; dataDir: string });
}
