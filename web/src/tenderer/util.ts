// Small helpers shared by the owners' committee pages.
import { api, ApiError, must } from '@/api/client';

export function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, 'client', String(e), String(e));
}

// 0.01 m² as square metres with two decimals (integers only).
export function squareMetres(centi: number): string {
  return `${Math.floor(centi / 100).toLocaleString('zh-CN')}.${String(centi % 100).padStart(2, '0')}`;
}

// Fen as yuan with two decimals.
export function yuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

// The logged-in account's community (a tenderer's), or a refusal.
export async function myCommunityId(): Promise<string> {
  const me = await must(api.GET('/me'));
  if (!me.community) throw new ApiError(403, 'no_community', '您的账户没有所属小区', 'your account has no community');
  return me.community.id;
}
