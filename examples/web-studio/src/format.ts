/** 75.25 -> "1:15.2" */
export function formatTime(seconds: number | null | undefined, decimals = 1): string {
  if (seconds == null || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, seconds);
  const m = Math.floor(s / 60);
  const rest = (s - m * 60).toFixed(decimals).padStart(decimals ? 3 + decimals : 2, '0');
  return `${m}:${rest}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

export function percent(p: number | null | undefined): string {
  return p == null ? '' : `${Math.round(Math.min(1, Math.max(0, p)) * 100)}%`;
}
