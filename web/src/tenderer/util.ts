// Small helpers shared by the owners' committee pages.
import { ApiError } from '@/api/client';

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
