// Times are shown in China time (UTC+8, no daylight saving), whatever the
// browser's zone.
const fmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

export function chinaTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : fmt.format(t);
}

export interface Left {
  d: number;
  h: number;
  m: number;
  s: number;
}

// The time left until `iso`, or null once it has passed.
export function timeLeft(iso: string, now: number): Left | null {
  const ms = Date.parse(iso) - now;
  if (!(ms > 0)) return null;
  const total = Math.floor(ms / 1000);
  return {
    d: Math.floor(total / 86400),
    h: Math.floor((total % 86400) / 3600),
    m: Math.floor((total % 3600) / 60),
    s: total % 60,
  };
}
