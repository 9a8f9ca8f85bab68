// Who is logged in, as the login answer said. The session itself is an
// HttpOnly cookie; only its role, account and expiry are kept here
// (sessionStorage), none of them a secret.
import { defineStore } from 'pinia';
import { api, must } from '@/api/client';

interface SessionInfo {
  role: string;
  accountId: string;
  expiresAt: string;
  username: string;
}

const KEY = 'sunbid.session';

function load(): SessionInfo | null {
  try {
    const s = sessionStorage.getItem(KEY);
    return s ? (JSON.parse(s) as SessionInfo) : null;
  } catch {
    return null;
  }
}

export const useSession = defineStore('session', {
  state: () => ({ info: load() }),
  getters: {
    loggedIn: (s) => s.info !== null && Date.parse(s.info.expiresAt) > Date.now(),
  },
  actions: {
    async login(username: string, password: string): Promise<void> {
      const r = await must(api.POST('/sessions', { body: { username, password, cookie: true } }));
      this.info = { role: r.role, accountId: r.account_id, expiresAt: r.expires_at, username };
      sessionStorage.setItem(KEY, JSON.stringify(this.info));
    },
    forget(): void {
      this.info = null;
      sessionStorage.removeItem(KEY);
    },
    async logout(): Promise<void> {
      try {
        await must(api.DELETE('/sessions/current'));
      } finally {
        this.forget();
      }
    },
  },
});
