import type { StyledLine } from '../present/styled.js';

/**
 * SIP syntax colours for message text (start line, header names and values, SDP body).
 * Stand-in until present/message.ts lands.
 */
export function messageStyledLines(lines: readonly string[]): StyledLine[] {
  let inBody = false;
  return lines.map((line, i): StyledLine => {
    if (i === 0) return [{ text: line, style: line.startsWith('SIP/') ? 'sipStatus' : 'sipMethod' }];
    if (line === '') {
      inBody = true;
      return [];
    }
    if (inBody) return [{ text: line, style: /^[a-z]=/.test(line) ? 'sdp' : 'body' }];
    const colon = line.indexOf(':');
    if (colon <= 0) return [{ text: line, style: 'sipHeaderValue' }];
    return [
      { text: line.slice(0, colon + 1), style: 'sipHeaderName' },
      { text: line.slice(colon + 1), style: 'sipHeaderValue' },
    ];
  });
}
