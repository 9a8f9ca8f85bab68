// The API client: types generated from schemas/openapi.json (openapi-typescript),
// calls through openapi-fetch. The session is the HttpOnly cookie
// (__Host-sunbid_session); page scripts never see a token.
import createClient, { type Middleware } from 'openapi-fetch';
import { ref, type Ref } from 'vue';
import type { components, paths } from './schema';

export type ErrorBody = components['schemas']['Error'];
export type Tender = components['schemas']['Tender'];

// An error answer of the API, or a network failure (code "network").
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageZh: string,
    readonly messageEn: string,
    // The error's `details` (e.g. deadline_too_soon's `earliest`).
    readonly details: Record<string, unknown> = {},
  ) {
    super(messageZh);
  }
  // The server's own words in the page's language.
  text(locale: string): string {
    return locale === 'en' ? this.messageEn : this.messageZh;
  }
}

// Splits the registry's "中文 / English" message when the answer has no
// message_zh / message_en (an older server).
export function toApiError(status: number, body: unknown): ApiError {
  const e = (body as Partial<ErrorBody> | undefined)?.error;
  if (!e) return new ApiError(status, 'http_' + status, `HTTP ${status}`, `HTTP ${status}`);
  const [zh, en] = e.message.includes(' / ') ? e.message.split(' / ', 2) : [e.message, e.message];
  const details = (e as { details?: Record<string, unknown> }).details ?? {};
  return new ApiError(status, e.code, e.message_zh ?? zh ?? e.message, e.message_en ?? en ?? e.message, details);
}

let onUnauthenticated: () => void = () => {};
export function setUnauthenticatedHandler(f: () => void): void {
  onUnauthenticated = f;
}

const unauthenticated: Middleware = {
  onResponse({ response, request }) {
    // A failed login is a 401 too; it is answered on the login page itself.
    if (response.status === 401 && !new URL(request.url).pathname.endsWith('/sessions')) {
      onUnauthenticated();
    }
    return undefined;
  },
};

export const api = createClient<paths>({ baseUrl: '/api/v1', credentials: 'same-origin' });
api.use(unauthenticated);

// The data of an openapi-fetch answer, or a thrown ApiError.
export async function must<T>(
  p: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await p;
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器', 'cannot reach the server');
  }
  if (r.error !== undefined || !r.response.ok) throw toApiError(r.response.status, r.error);
  return r.data as T;
}

// Any failure as an ApiError, for a page's error state.
export function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, 'client', String(e), String(e));
}

// A page's load with its loading and error states: `run` fills the page's
// refs; any failure becomes the ApiError LoadState shows.
export function useLoad(run: () => Promise<void>): { loading: Ref<boolean>; error: Ref<ApiError | null>; load: () => Promise<void> } {
  const loading = ref(true);
  const error = ref<ApiError | null>(null);
  async function load(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      await run();
    } catch (e) {
      error.value = asApiError(e);
    } finally {
      loading.value = false;
    }
  }
  return { loading, error, load };
}
