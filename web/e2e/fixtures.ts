// Set-up through the API for the browser journeys. createTenderViaApi is the
// one place a tender is made without the browser: the tenderer's wizard
// replaces it once it lands.
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

// As the demo's tenderer: a fresh lowest-price tender in community C1 whose
// bids close `days` after now (at least the 20 days of the rules), published.
export async function createTenderViaApi(server: ApiServer, title: string, days = 25): Promise<CreatedTender> {
  const api = await apiAs(server, 'tenderer');
  const deadline = new Date(Date.now() + days * 86_400_000);
  deadline.setUTCHours(2, 0, 0, 0);
  const revealWindowS = 86_400;
  const draft = await api.post('/api/v1/tenders', {
    data: {
      community_id: 'C1',
      title,
      service_tier: 'T2',
      area_centi_m2: 12_000_000,
      qualification: { min_credit_grade: 'A', min_star_rating: 3 },
      criteria: [{ code: 'plan', title: '服务方案' }],
      committee_size: 5,
      min_valid_bids: 3,
      candidate_cap: 3,
      candidate_cap_method: 'lowest_price',
      decision: { method: 'lowest_price' },
      beacon_source: '上海证券交易所当日收盘指数',
      bid_deadline: deadline.toISOString(),
      reveal_window_s: revealWindowS,
      candidate_publicity_days: 5,
      vote_window_days: 0,
      vote_window_s: 0,
      award_publicity_days: 5,
    },
  });
  if (draft.status() !== 201) throw new Error(`draft: ${draft.status()} ${await draft.text()}`);
  const { id } = (await draft.json()) as { id: string };
  const pub = await api.post(`/api/v1/tenders/${id}/publish`, { data: {} });
  if (pub.status() !== 200) throw new Error(`publish: ${pub.status()} ${await pub.text()}`);
  await api.dispose();
  return { id, title, bidDeadlineMs: deadline.getTime(), revealWindowS };
}

// As the admin: moves the server's dev clock forward (POST /dev/clock).
export async function advanceDevClock(server: ApiServer, seconds: number): Promise<void> {
  const api = await apiAs(server, 'admin');
  const r = await api.post('/api/v1/dev/clock', { data: { advance_s: seconds } });
  if (r.status() !== 200) throw new Error(`dev clock: ${r.status()} ${await r.text()}`);
  await api.dispose();
}
