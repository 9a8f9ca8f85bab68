// Display helpers for verified entries (integers stay exact: BigInt).
import type { JsonValue } from '@/crypto/canonical';

function plain(v: JsonValue): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

// Indented JSON text for reading (not the hashed form).
export function pretty(v: JsonValue): string {
  return JSON.stringify(plain(v), null, 2);
}

// A member of an entry's payload as text, or ''.
export function member(payload: Map<string, JsonValue> | null, name: string): string {
  const v = payload?.get(name);
  return typeof v === 'string' ? v : typeof v === 'bigint' ? v.toString() : '';
}

// The entry's envelope members (time, tender, actor, role) from its text.
export function envelope(text: string): Record<string, string> {
  const o = JSON.parse(text) as Record<string, unknown>;
  const s = (k: string) => (o[k] === null || o[k] === undefined ? '—' : String(o[k]));
  return { time: s('time'), tender: s('tender'), actor: s('actor'), role: s('role') };
}
