/**
 * How much of an SDP body the ladder writes on its arrow (sngrep's SDP info mode): "(SDP)" only,
 * the first media's address, port and codec (`INVITE (10.23.1.52:16756 PCMA)`), or every m= line.
 */
export const SDP_MODES = ['off', 'first', 'full'] as const;
export type SdpMode = (typeof SDP_MODES)[number];
