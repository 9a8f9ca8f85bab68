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

// An exclusive end instant as people say it: 00:00 China time on a date is
// "24:00" of the day before (民法典 203: a period ends at 24:00 of its last
// day). Formatting only: the instant itself comes from the server.
export function chinaEnd(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  if ((t + 8 * 3_600_000) % 86_400_000 !== 0) return fmt.format(t);
  return fmt.format(t - 1).replace(/\d{2}:\d{2}$/, '24:00');
}
