import { SESSION_EXPIRES_S, type Call, type Step } from './call-plan.js';
import type { Endpoint, Subscriber } from './population.js';

/**
 * Renders one message of a planned dialog as carrier / PBX equipment would send it. Pure: the same call and
 * step always give the same text, which is what makes retransmissions byte-identical.
 */

const ALLOW = 'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, INFO, UPDATE, PRACK, MESSAGE';
const SUPPORTED = 'Supported: replaces, timer, 100rel, path';
const REASON_PHRASE: Record<number, string> = {
  100: 'Trying', 180: 'Ringing', 183: 'Session Progress', 200: 'OK', 401: 'Unauthorized', 403: 'Forbidden',
  404: 'Not Found', 486: 'Busy Here', 487: 'Request Terminated', 488: 'Not Acceptable Here',
};
const Q850: Record<number, string> = {
  403: 'Reason: Q.850;cause=21;text="Call rejected"',
  404: 'Reason: Q.850;cause=1;text="Unallocated (unassigned) number"',
  486: 'Reason: Q.850;cause=17;text="User busy"',
  487: 'Reason: Q.850;cause=31;text="Normal, unspecified"',
  488: 'Reason: Q.850;cause=88;text="Incompatible destination"',
};
const CODECS: Record<number, readonly string[]> = {
  0: ['a=rtpmap:0 PCMU/8000'],
  3: ['a=rtpmap:3 GSM/8000'],
  8: ['a=rtpmap:8 PCMA/8000'],
  9: ['a=rtpmap:9 G722/8000'],
  18: ['a=rtpmap:18 G729/8000', 'a=fmtp:18 annexb=no'],
  96: ['a=rtpmap:96 opus/48000/2', 'a=fmtp:96 useinbandfec=1;maxplaybackrate=16000'],
  97: ['a=rtpmap:97 iLBC/8000', 'a=fmtp:97 mode=30'],
  101: ['a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16'],
};

const CRLF = '\r\n';

function sdp(owner: Endpoint, session: number, version: number, rtpPort: number, payloads: readonly number[]): string {
  const lines = [
    'v=0',
    `o=- ${session} ${session + version} IN IP4 ${owner.ip}`,
    's=-',
    `c=IN IP4 ${owner.ip}`,
    't=0 0',
    `m=audio ${rtpPort} RTP/AVP ${payloads.join(' ')}`,
  ];
  for (const pt of payloads) lines.push(...CODECS[pt]!);
  lines.push('a=ptime:20', 'a=sendrecv');
  return lines.join(CRLF) + CRLF;
}

function callerSdp(call: Call, version: number): string {
  return sdp(call.caller, call.sdpSession, version, call.callerRtpPort, call.offer);
}

function calleeSdp(call: Call, version: number): string {
  return sdp(call.callee, call.sdpSession ^ 0x5a5a5a, version, call.calleeRtpPort, call.answer);
}

function withBody(lines: string[], body: string): string {
  if (body) lines.push('Content-Type: application/sdp');
  lines.push(`Content-Length: ${body.length}`);
  return lines.join(CRLF) + CRLF + CRLF + body;
}

function via(sender: Endpoint, branch: string): string {
  // Phones behind NAT ask for rport; trunk equipment on 5060 does not.
  return `Via: SIP/2.0/UDP ${sender.ip}:${sender.port};branch=z9hG4bK${branch}${sender.port === 5060 ? '' : ';rport'}`;
}

/** The Via a response carries back: the request's, with rport filled in by the receiving proxy. */
function viaEcho(sender: Endpoint, branch: string): string {
  return sender.port === 5060
    ? via(sender, branch)
    : `Via: SIP/2.0/UDP ${sender.ip}:${sender.port};branch=z9hG4bK${branch};rport=${sender.port};received=${sender.ip}`;
}

function aor(sub: Subscriber, domain: string): string {
  return `<sip:${sub.number}@${domain}>`;
}

function fromHeader(call: Call): string {
  return `From: "${call.from.display}" ${aor(call.from, call.caller.domain)};tag=${call.fromTag}`;
}

function toHeader(call: Call, tagged: boolean): string {
  return `To: ${aor(call.to, call.callee.domain)}${tagged ? `;tag=${call.toTag}` : ''}`;
}

function requestUri(call: Call): string {
  return `sip:${call.to.number}@${call.callee.domain};user=phone`;
}

function contactUri(sub: Subscriber, at: Endpoint): string {
  return `sip:${sub.number}@${at.ip}:${at.port}`;
}

function routeSet(call: Call, name: 'Record-Route' | 'Route'): string[] {
  return call.recordRoute ? [`${name}: <sip:${call.recordRoute.ip};lr;ftag=${call.fromTag}>`] : [];
}

/** Transaction-specific branch suffixes, so every transaction of a dialog has its own branch. */
function branch(call: Call, transaction: string): string {
  return `${call.branch}${transaction}`;
}

function invite(call: Call): string {
  const lines = [
    `INVITE ${requestUri(call)} SIP/2.0`,
    via(call.caller, branch(call, '1')),
    ...routeSet(call, 'Record-Route'),
    `Max-Forwards: ${call.recordRoute ? 69 : 70}`,
    fromHeader(call),
    toHeader(call, false),
    `Call-ID: ${call.callId}`,
    `CSeq: ${call.cseq} INVITE`,
    `Contact: <${contactUri(call.from, call.caller)};transport=udp>`,
  ];
  if (call.assertedIdentity) lines.push(`P-Asserted-Identity: "${call.from.display}" ${aor(call.from, call.caller.domain)}`);
  if (call.diversion) {
    lines.push(`Diversion: ${aor(call.diversion, call.callee.domain)};reason=unconditional;counter=1;privacy=off`);
  }
  if (call.xCallId) lines.push(`X-Call-ID: ${call.xCallId}`);
  lines.push(ALLOW, SUPPORTED, `Session-Expires: ${SESSION_EXPIRES_S};refresher=uac`, 'Min-SE: 90', `User-Agent: ${call.caller.agent}`);
  return withBody(lines, callerSdp(call, 0));
}

/** Response of the called side to a request of the caller. */
function calleeResponse(call: Call, status: number, cseq: string, requestBranch: string, dialogForming: boolean, body: string): string {
  const lines = [
    `SIP/2.0 ${status} ${REASON_PHRASE[status]}`,
    viaEcho(call.caller, requestBranch),
    ...(dialogForming ? routeSet(call, 'Record-Route') : []),
    fromHeader(call),
    toHeader(call, status !== 100),
    `Call-ID: ${call.callId}`,
    `CSeq: ${cseq}`,
  ];
  if (dialogForming) {
    lines.push(`Contact: <${contactUri(call.to, call.callee)}>`, ALLOW, SUPPORTED);
    if (status === 200) lines.push('Require: timer', `Session-Expires: ${SESSION_EXPIRES_S};refresher=uac`);
  }
  if (Q850[status]) lines.push(Q850[status]!);
  lines.push(`Server: ${call.callee.agent}`);
  return withBody(lines, body);
}

/** ACK, CANCEL, re-INVITE and BYE from the caller. In-dialog ones go to the callee's Contact through the route set. */
function callerRequest(call: Call, method: string, cseq: number, transaction: string, inDialog: boolean, body: string, extra: string[] = []): string {
  const lines = [
    `${method} ${inDialog ? contactUri(call.to, call.callee) : requestUri(call)} SIP/2.0`,
    via(call.caller, branch(call, transaction)),
    ...(inDialog ? routeSet(call, 'Route') : []),
    'Max-Forwards: 70',
    fromHeader(call),
    toHeader(call, method !== 'CANCEL'),
    `Call-ID: ${call.callId}`,
    `CSeq: ${cseq} ${method}`,
    ...extra,
    `User-Agent: ${call.caller.agent}`,
  ];
  return withBody(lines, body);
}

/** BYE of the called side and its 200: From and To swap, the callee keeps its own CSeq space. */
function calleeBye(call: Call, response: boolean): string {
  const lines = [
    response ? 'SIP/2.0 200 OK' : `BYE ${contactUri(call.from, call.caller)} SIP/2.0`,
    (response ? viaEcho : via)(call.callee, branch(call, 'e')),
    ...(response ? [] : [...routeSet(call, 'Route'), 'Max-Forwards: 70']),
    `From: ${aor(call.to, call.callee.domain)};tag=${call.toTag}`,
    `To: "${call.from.display}" ${aor(call.from, call.caller.domain)};tag=${call.fromTag}`,
    `Call-ID: ${call.callId}`,
    `CSeq: ${call.calleeCseq} BYE`,
    ...(response ? [] : ['Reason: Q.850;cause=16;text="Normal call clearing"']),
    response ? `Server: ${call.caller.agent}` : `User-Agent: ${call.callee.agent}`,
  ];
  return withBody(lines, '');
}

function register(call: Call, authorized: boolean): string {
  const domain = call.callee.domain;
  const user = call.from.number;
  const lines = [
    `REGISTER sip:${domain} SIP/2.0`,
    via(call.caller, branch(call, authorized ? '2' : '1')),
    'Max-Forwards: 70',
    `Contact: <${contactUri(call.from, call.caller)};transport=udp>;reg-id=1;+sip.instance="<urn:uuid:00000000-0000-1000-8000-${call.branch.slice(0, 12).padEnd(12, '0')}>"`,
    `To: "${call.from.display}" <sip:${user}@${domain}>`,
    `From: "${call.from.display}" <sip:${user}@${domain}>;tag=${call.fromTag}`,
    `Call-ID: ${call.callId}`,
    `CSeq: ${call.cseq + (authorized ? 1 : 0)} REGISTER`,
    'Expires: 3600',
    ALLOW,
    'Supported: path, gruu, outbound',
    `User-Agent: ${call.caller.agent}`,
  ];
  if (authorized) {
    lines.push(`Authorization: Digest username="${user.slice(1)}",realm="${domain}",nonce="${nonce(call)}",uri="sip:${domain}",` +
      `response="${(call.toTag + call.branch + call.fromTag).padEnd(32, '0').slice(0, 32)}",algorithm=MD5,cnonce="${call.fromTag}",qop=auth,nc=00000001`);
  }
  return withBody(lines, '');
}

function nonce(call: Call): string {
  return `${call.toTag}${call.sdpSession.toString(16)}`;
}

function registerResponse(call: Call, authorized: boolean): string {
  const domain = call.callee.domain;
  const user = call.from.number;
  const lines = [
    authorized ? 'SIP/2.0 200 OK' : 'SIP/2.0 401 Unauthorized',
    viaEcho(call.caller, branch(call, authorized ? '2' : '1')),
    `To: "${call.from.display}" <sip:${user}@${domain}>;tag=${call.toTag}`,
    `From: "${call.from.display}" <sip:${user}@${domain}>;tag=${call.fromTag}`,
    `Call-ID: ${call.callId}`,
    `CSeq: ${call.cseq + (authorized ? 1 : 0)} REGISTER`,
    authorized
      ? `Contact: <${contactUri(call.from, call.caller)};transport=udp>;expires=3600`
      : `WWW-Authenticate: Digest realm="${domain}", nonce="${nonce(call)}", qop="auth", algorithm=MD5`,
    `Server: ${call.callee.agent}`,
  ];
  return withBody(lines, '');
}

function options(call: Call, response: boolean): string {
  const target = `sip:${call.callee.ip}:${call.callee.port}`;
  const lines = [
    response ? 'SIP/2.0 200 OK' : `OPTIONS ${target} SIP/2.0`,
    (response ? viaEcho : via)(call.caller, branch(call, '1')),
    ...(response ? [] : ['Max-Forwards: 70']),
    `From: <sip:ping@${call.caller.domain}>;tag=${call.fromTag}`,
    `To: <${target}>${response ? `;tag=${call.toTag}` : ''}`,
    `Call-ID: ${call.callId}`,
    `CSeq: ${call.cseq} OPTIONS`,
    ...(response ? [ALLOW, SUPPORTED, 'Accept: application/sdp'] : [`Contact: <sip:ping@${call.caller.ip}:${call.caller.port}>`]),
    response ? `Server: ${call.callee.agent}` : `User-Agent: ${call.caller.agent}`,
  ];
  return withBody(lines, '');
}

export function renderMessage(call: Call, step: Step): string {
  const invCseq = `${call.cseq} INVITE`;
  const inDialogCseq = call.cseq + step.refresh;
  switch (step.kind) {
    case 'invite': return invite(call);
    case 'trying': return calleeResponse(call, 100, invCseq, branch(call, '1'), false, '');
    case 'ringing': return calleeResponse(call, 180, invCseq, branch(call, '1'), true, '');
    case 'progress': return calleeResponse(call, 183, invCseq, branch(call, '1'), true, calleeSdp(call, 0));
    case 'ok-invite': return calleeResponse(call, 200, invCseq, branch(call, '1'), true, calleeSdp(call, 0));
    case 'final': return calleeResponse(call, call.status, invCseq, branch(call, '1'), false, '');
    // ACK of a non-2xx final belongs to the INVITE transaction: same branch, not in-dialog.
    case 'ack-final': return callerRequest(call, 'ACK', call.cseq, '1', false, '');
    case 'ack-ok': return callerRequest(call, 'ACK', call.cseq, 'a', true, '');
    case 'cancel': return callerRequest(call, 'CANCEL', call.cseq, '1', false, '', ['Reason: SIP;cause=487;text="ORIGINATOR_CANCEL"']);
    case 'ok-cancel': return calleeResponse(call, 200, `${call.cseq} CANCEL`, branch(call, '1'), false, '');
    case 'reinvite':
      return callerRequest(call, 'INVITE', inDialogCseq, `r${step.refresh}`, true, callerSdp(call, step.refresh),
        [`Contact: <${contactUri(call.from, call.caller)};transport=udp>`, `Session-Expires: ${SESSION_EXPIRES_S};refresher=uac`]);
    case 'ok-reinvite':
      return calleeResponse(call, 200, `${inDialogCseq} INVITE`, branch(call, `r${step.refresh}`), true, calleeSdp(call, step.refresh));
    case 'ack-reinvite': return callerRequest(call, 'ACK', inDialogCseq, `k${step.refresh}`, true, '');
    case 'bye-caller':
      return callerRequest(call, 'BYE', inDialogCseq + 1, 'b', true, '', ['Reason: Q.850;cause=16;text="Normal call clearing"']);
    case 'ok-bye-caller': return calleeResponse(call, 200, `${inDialogCseq + 1} BYE`, branch(call, 'b'), false, '');
    case 'bye-callee': return calleeBye(call, false);
    case 'ok-bye-callee': return calleeBye(call, true);
    case 'register': return register(call, false);
    case 'unauthorized': return registerResponse(call, false);
    case 'register-auth': return register(call, true);
    case 'ok-register': return registerResponse(call, true);
    case 'options': return options(call, false);
    case 'ok-options': return options(call, true);
  }
}
