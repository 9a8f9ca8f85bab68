// Set-up through the API for the browser journeys: logging in with a bearer
// token and moving the dev clock as the admin. Tenders are made in the
// browser (tenderer-steps.ts, the wizard).
import { request, type APIRequestContext } from '@playwright/test';

export interface ApiServer {
  baseURL: string; // https://127.0.0.1:PORT
  passwords: Record<string, string>;
}

// An API context logged in as `user` with a bearer token (not the browser's cookie).
export async function apiAs(server: ApiServer, user: string): Promise<APIRequestContext> {
  const anon = await request.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true });
  const r = await anon.post('/api/v1/sessions', { data: { username: user, password: server.passwords[user] } });
  if (r.status() !== 201) throw new Error(`login ${user}: ${r.status()} ${await r.text()}`);
  const { token } = (await r.json()) as { token: string };
  await anon.dispose();
  return request.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
}

export interface CreatedTender {
  id: string;
  title: string;
  bidDeadlineMs: number;
  revealWindowS: number;
}

// As the admin: moves the server's dev clock forward (POST /dev/clock).
export async function advanceDevClock(server: ApiServer, seconds: number): Promise<void> {
  const api = await apiAs(server, 'admin');
  const r = await api.post('/api/v1/dev/clock', { data: { advance_s: seconds } });
  if (r.status() !== 200) throw new Error(`dev clock: ${r.status()} ${await r.text()}`);
  await api.dispose();
}
