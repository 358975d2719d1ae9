/** Cells of `HH:MM:SS.uuuuuu`. */
export const CLOCK_WIDTH = 15;

const NS_PER_US = 1000n;
const US_PER_S = 1_000_000n;
const US_PER_DAY = 86_400n * US_PER_S;

function two(n: bigint): string {
  return n.toString().padStart(2, '0');
}

/**
 * Time of day of a capture timestamp as `HH:MM:SS.uuuuuu`. Pure arithmetic (no Date, no TZ lookup):
 * the caller passes the offset of the zone to show, in minutes east of UTC.
 */
export function formatClock(ts: bigint, utcOffsetMinutes = 0): string {
  const us = ts / NS_PER_US + BigInt(utcOffsetMinutes) * 60n * US_PER_S;
  const ofDay = ((us % US_PER_DAY) + US_PER_DAY) % US_PER_DAY;
  const secs = ofDay / US_PER_S;
  const micros = (ofDay % US_PER_S).toString().padStart(6, '0');
  return `${two(secs / 3600n)}:${two((secs / 60n) % 60n)}:${two(secs % 60n)}.${micros}`;
}

/** Time between two messages as `+S.uuuuuu` (`-` when captures run backwards). */
export function formatDelta(fromTs: bigint, toTs: bigint): string {
  let us = (toTs - fromTs) / NS_PER_US;
  const sign = us < 0n ? '-' : '+';
  if (us < 0n) us = -us;
  return `${sign}${us / US_PER_S}.${(us % US_PER_S).toString().padStart(6, '0')}`;
}
