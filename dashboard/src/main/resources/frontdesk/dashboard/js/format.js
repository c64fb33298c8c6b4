// Numbers, times and durations as people read them. Every function answers "—" for an absent value.

const ABSENT = '—';
const absent = v => v === null || v === undefined || v === '' || (typeof v === 'number' && !Number.isFinite(v));

/** Microseconds as milliseconds: "0.42 ms", "12 ms", "1.3 s". */
export function ms(micros) {
  if (absent(micros)) return ABSENT;
  const m = Number(micros) / 1000;
  if (m >= 10_000) return (m / 1000).toFixed(1) + ' s';
  return m.toFixed(m < 10 ? 2 : 0) + ' ms';
}

/** Milliseconds as a duration: "500 ms", "5 s", "2 min". */
export function duration(millis) {
  if (absent(millis)) return ABSENT;
  const n = Number(millis);
  if (n < 1000) return n + ' ms';
  if (n < 120_000) return +(n / 1000).toFixed(1) + ' s';
  if (n < 7_200_000) return Math.round(n / 60_000) + ' min';
  return +(n / 3_600_000).toFixed(1) + ' h';
}

/** An ISO instant in the reader's locale. */
export function when(iso) {
  if (absent(iso)) return ABSENT;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
}

/** An ISO instant relative to now: "12 s ago", "3 min ago", "in 2 d". */
export function ago(iso) {
  if (absent(iso)) return ABSENT;
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return String(iso);
  const s = Math.round((Date.now() - t) / 1000);
  const a = Math.abs(s);
  const text = a < 60 ? a + ' s' : a < 3600 ? Math.round(a / 60) + ' min' : a < 172_800 ? Math.round(a / 3600) + ' h'
    : Math.round(a / 86_400) + ' d';
  return s >= 0 ? text + ' ago' : 'in ' + text;
}

export function count(n) {
  return absent(n) ? ABSENT : Number(n).toLocaleString();
}

/** A ratio 0..1 as a percentage. */
export function percent(ratio) {
  if (absent(ratio)) return ABSENT;
  const p = Number(ratio) * 100;
  return (p === 0 ? '0' : p < 0.1 ? '<0.1' : p.toFixed(p < 10 ? 1 : 0)) + ' %';
}

/** Splits a comma- or line-separated list, dropping blanks. */
export function list(text) {
  return String(text || '').split(/[\n,]/).map(x => x.trim()).filter(Boolean);
}

/** A size in bytes: "512 B", "4.0 KiB", "12 MiB", "1.1 GiB". */
export function bytes(n) {
  if (absent(n)) return ABSENT;
  let v = Number(n);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? String(v) : v.toFixed(v < 10 ? 1 : 0)) + ' ' + units[i];
}
