/**
 * Every reason a frame, or a part of one, is dropped: a fixed set, so the stats stay a handful
 * of counters whatever a capture holds. Values taken from the packet (an unknown link type,
 * ethertype, family …) never become part of a key: they go to a bounded sample of details.
 */
export const SKIP_REASONS = [
  // source
  'text-message-too-big',
  // link layers
  'linktype-unsupported', 'link-too-deep', 'eth-short', 'eth-llc', 'ethertype-unsupported', 'vlan-short', 'sll-short', 'sll2-short',
  'loopback-short', 'loopback-family-unsupported', 'ppp-short', 'ppp-proto-unsupported', 'pppoe-short', 'pppoe-bad-header',
  'mpls-short', 'gre-short', 'gre-bad-version', 'gre-source-routing', 'erspan-short',
  'tzsp-short', 'tzsp-bad-version', 'tzsp-not-packet', 'tzsp-encapsulation-unsupported', 'tzsp-truncated',
  // network
  'ip-truncated', 'ip-bad-version', 'ip-proto-unsupported', 'tunnel-too-deep',
  'ip4-truncated', 'ip4-bad-version', 'ip4-bad-header', 'ip6-truncated', 'ip6-bad-version', 'ip6-nested-fragment', 'esp',
  'frag-too-big', 'frag-empty', 'frag-inconsistent', 'frag-incomplete', 'frag-duplicate', 'frag-too-many',
  'gtp-not-gpdu', 'gtp-truncated', 'gtp-bad-extension',
  // transport and streams
  'udp-truncated', 'udp-bad-length',
  'tcp-truncated', 'tcp-bad-header', 'tcp-retransmission', 'tcp-gap', 'tcp-incomplete', 'tcp-buffer-overflow',
  'tcp-too-many-segments', 'tcp-budget-evicted', 'tcp-resync', 'tcp-not-sip', 'tcp-message-too-big', 'tls',
  'sctp-truncated', 'sctp-bad-chunk', 'sctp-orphan-fragment', 'sctp-incomplete',
  'ws-message-too-big', 'ws-orphan-continuation', 'ws-compressed', 'ws-incomplete',
  'hep-truncated', 'hep-bad-length', 'hep-bad-chunk', 'hep-bad-header', 'hep-no-payload', 'hep-no-address', 'hep-compressed',
  'hep-resync', 'hep-not-sip', 'hep-log', 'hep-rtcp-bad', 'hep-rtcp-unmatched', 'hep-auth-failed', 'hep-too-many-connections',
  'tls-bad-handshake', 'tls-bad-key', 'tls-bad-record', 'tls-buffer-overflow', 'tls-handshake-too-big', 'tls-no-handshake',
  'tls-no-key', 'tls-not-sip', 'tls-unsupported',
  // media (-r, fax)
  'rtp-short', 'rtp-version', 'rtp-bad-length', 'rtcp', 'rtcp-short', 'rtcp-version', 'rtcp-bad-length', 'rtp-stream-limit',
  'media-endpoint-limit', 'udptl-short', 'udptl-length', 'udptl-trailing',
  't38-short', 't38-unknown-type', 't38-length', 't38-ifp-limit', 't30-short', 't30-address', 't30-too-long',
  // SIP and the store
  'not-sip', 'sip-bad-start-line', 'sip-no-call-id', 'sip-header-too-long', 'sip-too-large', 'sip-tls', 'sip-hep-duplicate',
  'dialog-refused-earlier', 'dialog-not-invite', 'match-expression', 'dialog-limit', 'dialog-facts-over-limit',
] as const;

export type SkipReason = (typeof SKIP_REASONS)[number];

/** Distinct details kept per reason (the first ones seen); the rest are only counted. */
export const SKIP_DETAIL_SAMPLE = 8;
