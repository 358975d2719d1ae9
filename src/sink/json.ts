import type { Dialog } from '../model/sip.js';
import type { Finding } from '../model/finding.js';
import type { StoreStats } from '../model/store-view.js';

/**
 * ISO-8601 UTC with microseconds, the headless contract's time format. Dialog times cluster
 * within the same second, so the date part is formatted once per second.
 */
export class IsoMicros {
  private second = -1n;
  private prefix = '';

  format(ns: bigint): string {
    const micros = ns / 1000n;
    const second = micros / 1_000_000n;
    if (second !== this.second) {
      this.second = second;
      this.prefix = new Date(Number(second) * 1000).toISOString().slice(0, 19);
    }
    return `${this.prefix}.${(micros % 1_000_000n).toString().padStart(6, '0')}Z`;
  }
}

/** JSON.stringify escapes C0; DEL and C1 from packets (reason phrases, Call-IDs) are escaped alike. */
function safe(line: string): string {
  return /[\u007f-\u009f]/.test(line) ? line.replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : line;
}

/** The headless JSON Lines output: field names as DESIGN.md's headless contract. */
export class JsonLines {
  private readonly time = new IsoMicros();

  dialog(d: Dialog, findings: readonly Finding[] = []): string {
    return safe(JSON.stringify({
      type: 'dialog',
      callId: d.callId,
      method: d.method,
      from: d.fromUser,
      to: d.toUser,
      src: d.src,
      dst: d.dst,
      msgs: d.messages.length,
      state: d.state,
      start: this.time.format(d.start),
      end: this.time.format(d.end),
      xcallid: d.xCallId,
      findings: findings.map((f) => ({ code: f.code, severity: f.severity, text: f.text })),
    }));
  }

  /** With a filter, `dialogs` counts the dialogs printed and `filter` says which expression chose them among how many. */
  summary(s: StoreStats, filtered?: { expression: string; matched: number }): string {
    return JSON.stringify({
      type: 'summary',
      dialogs: filtered ? filtered.matched : s.dialogs,
      messages: s.messages,
      frames: s.frames,
      skipped: s.skipped,
      ...(filtered && { filter: { expression: filtered.expression, total: s.dialogs } }),
    });
  }
}
