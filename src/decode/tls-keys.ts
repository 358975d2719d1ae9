import { constants, createDecipheriv, createHash, createHmac, createPrivateKey, privateDecrypt, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * TLS key schedules and record protection, with Node's own crypto: the TLS 1.0–1.2 PRF and
 * key block, TLS 1.3 HKDF-Expand-Label and KeyUpdate, RSA pre-master decryption, and one
 * RecordKeys per direction and epoch that opens records (AEAD or CBC + HMAC).
 */

export const TLS10 = 0x0301;
export const TLS11 = 0x0302;
export const TLS12 = 0x0303;
export const TLS13 = 0x0304;

type Hash = 'sha1' | 'sha256' | 'sha384';
type Mode = 'gcm' | 'chacha' | 'cbc';

export interface CipherSuite {
  id: number;
  mode: Mode;
  /** Node cipher name. */
  cipher: string;
  keyLen: number;
  /** HMAC of CBC suites; '' for AEAD. */
  mac: Hash | '';
  /** PRF / HKDF hash (TLS 1.2 and 1.3). */
  prf: 'sha256' | 'sha384';
  /** The pre-master secret is RSA-encrypted in ClientKeyExchange. */
  rsa: boolean;
  tls13: boolean;
}

const suites = new Map<number, CipherSuite>();
function suite(ids: number[], mode: Mode, bits: 128 | 256, mac: Hash | '', prf: 'sha256' | 'sha384', rsaIds: number[] = [], tls13 = false): void {
  const cipher = mode === 'chacha' ? 'chacha20-poly1305' : `aes-${bits}-${mode}`;
  for (const id of ids) suites.set(id, { id, mode, cipher, keyLen: bits / 8, mac, prf, rsa: rsaIds.includes(id), tls13 });
}
// Lists: RSA, DHE_RSA, ECDHE_ECDSA, ECDHE_RSA (the first id of each list is the RSA key exchange one, when it exists).
suite([0x002f, 0x0033, 0xc009, 0xc013], 'cbc', 128, 'sha1', 'sha256', [0x002f]);
suite([0x0035, 0x0039, 0xc00a, 0xc014], 'cbc', 256, 'sha1', 'sha256', [0x0035]);
suite([0x003c, 0x0067, 0xc023, 0xc027], 'cbc', 128, 'sha256', 'sha256', [0x003c]);
suite([0x003d, 0x006b], 'cbc', 256, 'sha256', 'sha256', [0x003d]);
suite([0xc024, 0xc028], 'cbc', 256, 'sha384', 'sha384');
suite([0x009c, 0x009e, 0xc02b, 0xc02f], 'gcm', 128, '', 'sha256', [0x009c]);
suite([0x009d, 0x009f, 0xc02c, 0xc030], 'gcm', 256, '', 'sha384', [0x009d]);
suite([0xccaa, 0xcca9, 0xcca8], 'chacha', 256, '', 'sha256');
suite([0x1301], 'gcm', 128, '', 'sha256', [], true);
suite([0x1302], 'gcm', 256, '', 'sha384', [], true);
suite([0x1303], 'chacha', 256, '', 'sha256', [], true);

export function cipherSuite(id: number): CipherSuite | undefined {
  return suites.get(id);
}

const MAC_LEN: Record<Hash, number> = { sha1: 20, sha256: 32, sha384: 48 };
const HASH_LEN = { sha256: 32, sha384: 48 } as const;
const AES_BLOCK = 16;
const TAG = 16;
const EXPLICIT_NONCE = 8;

function pHash(hash: string, secret: Buffer, seed: Buffer, len: number): Buffer {
  const out: Buffer[] = [];
  let a = seed;
  let have = 0;
  while (have < len) {
    a = createHmac(hash, secret).update(a).digest();
    const block = createHmac(hash, secret).update(a).update(seed).digest();
    out.push(block);
    have += block.length;
  }
  return Buffer.concat(out).subarray(0, len);
}

/** The TLS PRF: P_MD5 xor P_SHA1 over split halves before TLS 1.2 (RFC 2246 §5), P_hash of the suite's hash since. */
export function prf(version: number, hash: 'sha256' | 'sha384', secret: Buffer, label: string, seed: Buffer, len: number): Buffer {
  const labelSeed = Buffer.concat([Buffer.from(label, 'latin1'), seed]);
  if (version >= TLS12) return pHash(hash, secret, labelSeed, len);
  const half = Math.ceil(secret.length / 2);
  const md5 = pHash('md5', secret.subarray(0, half), labelSeed, len);
  const sha1 = pHash('sha1', secret.subarray(secret.length - half), labelSeed, len);
  for (let i = 0; i < len; i++) md5[i] ^= sha1[i];
  return md5;
}

/** The hash of the handshake so far, as the extended master secret (RFC 7627) and Finished use it. */
export function sessionHash(version: number, s: CipherSuite, messages: Buffer[]): Buffer {
  if (version >= TLS12) return messages.reduce((h, m) => h.update(m), createHash(s.prf)).digest();
  const md5 = createHash('md5');
  const sha1 = createHash('sha1');
  for (const m of messages) {
    md5.update(m);
    sha1.update(m);
  }
  return Buffer.concat([md5.digest(), sha1.digest()]);
}

/** master_secret from a pre-master secret; with extended master secret the seed is the session hash. */
export function masterSecret(version: number, s: CipherSuite, preMaster: Buffer, clientRandom: Buffer, serverRandom: Buffer, emsHash?: Buffer): Buffer {
  return emsHash
    ? prf(version, s.prf, preMaster, 'extended master secret', emsHash, 48)
    : prf(version, s.prf, preMaster, 'master secret', Buffer.concat([clientRandom, serverRandom]), 48);
}

/** Both directions' record keys of a TLS 1.0–1.2 session (RFC 5246 §6.3). */
export function tls12Keys(version: number, s: CipherSuite, master: Buffer, clientRandom: Buffer, serverRandom: Buffer, etm: boolean): { client: RecordKeys; server: RecordKeys } {
  const macLen = s.mac === '' ? 0 : MAC_LEN[s.mac];
  // GCM has a 4-byte salt, ChaCha20 a 12-byte IV; TLS 1.0 CBC takes its first IV from here, later versions send it.
  const ivLen = s.mode === 'gcm' ? 4 : s.mode === 'chacha' ? 12 : version === TLS10 ? AES_BLOCK : 0;
  const block = prf(version, s.prf, master, 'key expansion', Buffer.concat([serverRandom, clientRandom]), 2 * (macLen + s.keyLen + ivLen));
  let at = 0;
  const take = (n: number): Buffer => block.subarray(at, (at += n));
  const clientMac = take(macLen);
  const serverMac = take(macLen);
  const clientKey = take(s.keyLen);
  const serverKey = take(s.keyLen);
  const clientIv = take(ivLen);
  const serverIv = take(ivLen);
  return {
    client: new RecordKeys(s, version, clientKey, clientIv, clientMac, etm),
    server: new RecordKeys(s, version, serverKey, serverIv, serverMac, etm),
  };
}

function hkdfExpand(hash: string, prk: Buffer, info: Buffer, len: number): Buffer {
  const out: Buffer[] = [];
  let t = Buffer.alloc(0);
  for (let i = 1, have = 0; have < len; i++) {
    t = createHmac(hash, prk).update(t).update(info).update(Buffer.from([i])).digest();
    out.push(t);
    have += t.length;
  }
  return Buffer.concat(out).subarray(0, len);
}

/** HKDF-Expand-Label with an empty context (RFC 8446 §7.1): all the record layer needs. */
export function hkdfExpandLabel(hash: 'sha256' | 'sha384', secret: Buffer, label: string, len: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.concat([Buffer.from([len >> 8, len & 0xff, full.length]), full, Buffer.from([0])]);
  return hkdfExpand(hash, secret, info, len);
}

/** One direction's TLS 1.3 record keys from its traffic secret. */
export function tls13Keys(s: CipherSuite, secret: Buffer): RecordKeys {
  return new RecordKeys(s, TLS13, hkdfExpandLabel(s.prf, secret, 'key', s.keyLen), hkdfExpandLabel(s.prf, secret, 'iv', 12), Buffer.alloc(0), false, secret);
}

/** The traffic secret after a KeyUpdate (RFC 8446 §7.2). */
export function nextTrafficSecret(s: CipherSuite, secret: Buffer): Buffer {
  return hkdfExpandLabel(s.prf, secret, 'traffic upd', HASH_LEN[s.prf]);
}

/** What opening a record gave: the (inner) content type and the plaintext, or undefined when it does not authenticate. */
export interface Opened {
  type: number;
  data: Buffer;
}

/**
 * Opens the records of one direction in one epoch, counting its sequence number. A record
 * that does not authenticate leaves the state as it was.
 */
export class RecordKeys {
  seq = 0;
  /** TLS 1.0 CBC: the IV of the next record is the last ciphertext block of this one. */
  private iv: Buffer;

  constructor(
    readonly suite: CipherSuite,
    private readonly version: number,
    private readonly key: Buffer,
    iv: Buffer,
    private readonly macKey: Buffer,
    private readonly etm: boolean,
    /** TLS 1.3: the traffic secret these keys come from (KeyUpdate derives the next one). */
    readonly secret?: Buffer,
  ) {
    this.iv = iv;
  }

  open(type: number, version: number, rec: Buffer): Opened | undefined {
    const out = this.version === TLS13 ? this.open13(rec) : this.suite.mode === 'cbc' ? this.openCbc(type, version, rec) : this.openAead12(type, version, rec);
    if (out !== undefined) this.seq++;
    return out;
  }

  private seqBytes(): Buffer {
    const b = Buffer.alloc(8);
    b.writeUInt32BE(Math.floor(this.seq / 0x100000000), 0);
    b.writeUInt32BE(this.seq >>> 0, 4);
    return b;
  }

  /** The per-record nonce of ChaCha20 and TLS 1.3: the IV xor the sequence number. */
  private xorNonce(): Buffer {
    const nonce = Buffer.from(this.iv);
    const seq = this.seqBytes();
    for (let i = 0; i < 8; i++) nonce[4 + i] ^= seq[i];
    return nonce;
  }

  private aead(nonce: Buffer, aad: Buffer, ct: Buffer, tag: Buffer): Buffer | undefined {
    try {
      const d = createDecipheriv(this.suite.cipher as 'aes-128-gcm', this.key, nonce, { authTagLength: TAG });
      d.setAAD(aad, { plaintextLength: ct.length });
      d.setAuthTag(tag);
      return Buffer.concat([d.update(ct), d.final()]);
    } catch {
      return undefined;
    }
  }

  private header12(type: number, version: number, len: number): Buffer {
    const h = Buffer.alloc(13);
    this.seqBytes().copy(h, 0);
    h[8] = type;
    h.writeUInt16BE(version, 9);
    h.writeUInt16BE(len, 11);
    return h;
  }

  private openAead12(type: number, version: number, rec: Buffer): Opened | undefined {
    const gcm = this.suite.mode === 'gcm';
    const overhead = (gcm ? EXPLICIT_NONCE : 0) + TAG;
    if (rec.length < overhead) return undefined;
    const ct = rec.subarray(gcm ? EXPLICIT_NONCE : 0, rec.length - TAG);
    const nonce = gcm ? Buffer.concat([this.iv, rec.subarray(0, EXPLICIT_NONCE)]) : this.xorNonce();
    const data = this.aead(nonce, this.header12(type, version, ct.length), ct, rec.subarray(rec.length - TAG));
    return data && { type, data };
  }

  private open13(rec: Buffer): Opened | undefined {
    if (rec.length < TAG + 1) return undefined;
    const aad = Buffer.from([0x17, 0x03, 0x03, rec.length >> 8, rec.length & 0xff]);
    const inner = this.aead(this.xorNonce(), aad, rec.subarray(0, rec.length - TAG), rec.subarray(rec.length - TAG));
    if (inner === undefined) return undefined;
    // TLSInnerPlaintext: content, the real type, then zero padding.
    let end = inner.length;
    while (end > 0 && inner[end - 1] === 0) end--;
    if (end === 0) return undefined;
    return { type: inner[end - 1], data: inner.subarray(0, end - 1) };
  }

  private mac(type: number, version: number, parts: Buffer[]): Buffer {
    const len = parts.reduce((n, p) => n + p.length, 0);
    const h = createHmac(this.suite.mac, this.macKey).update(this.header12(type, version, len));
    for (const p of parts) h.update(p);
    return h.digest();
  }

  /** CBC + HMAC, MAC-then-encrypt or encrypt-then-MAC (RFC 7366); TLS 1.1+ sends each record's IV first. */
  private openCbc(type: number, version: number, rec: Buffer): Opened | undefined {
    const macLen = this.macKey.length;
    let body = rec;
    if (this.etm) {
      if (rec.length < macLen + AES_BLOCK) return undefined;
      body = rec.subarray(0, rec.length - macLen);
      if (!timingSafeEqual(this.mac(type, version, [body]), rec.subarray(body.length))) return undefined;
    }
    const explicit = this.version >= TLS11;
    const ivLen = explicit ? AES_BLOCK : 0;
    if (body.length < ivLen + AES_BLOCK || (body.length - ivLen) % AES_BLOCK !== 0) return undefined;
    const iv = explicit ? body.subarray(0, AES_BLOCK) : this.iv;
    const ct = body.subarray(ivLen);
    const d = createDecipheriv(this.suite.cipher as 'aes-128-cbc', this.key, iv).setAutoPadding(false);
    const plain = Buffer.concat([d.update(ct), d.final()]);
    const pad = plain[plain.length - 1] + 1;
    const contentEnd = plain.length - pad - (this.etm ? 0 : macLen);
    if (contentEnd < 0) return undefined;
    for (let i = plain.length - pad; i < plain.length; i++) if (plain[i] !== pad - 1) return undefined;
    const data = plain.subarray(0, contentEnd);
    if (!this.etm && !timingSafeEqual(this.mac(type, version, [data]), plain.subarray(contentEnd, contentEnd + macLen))) return undefined;
    if (!explicit) this.iv = Buffer.from(ct.subarray(ct.length - AES_BLOCK));
    return { type, data };
  }
}

const PREMASTER = 48;

/**
 * The 48-byte pre-master secret from an RSA ClientKeyExchange, trying each server key.
 * Node 20 refuses PKCS#1 v1.5 decryption (Marvin hardening), so the raw RSA result is
 * checked and unpadded here: 00 02, at least 8 non-zero bytes, 00, the secret.
 */
export function rsaPreMaster(keys: readonly KeyObject[], encrypted: Buffer): Buffer | undefined {
  for (const key of keys) {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (encrypted.length !== Math.ceil(bits / 8)) continue;
    let raw: Buffer;
    try {
      raw = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, encrypted);
    } catch {
      continue;
    }
    const zero = raw.indexOf(0, 2);
    if (raw[0] === 0 && raw[1] === 2 && zero >= 10 && raw.length - zero - 1 === PREMASTER) return raw.subarray(zero + 1);
  }
  return undefined;
}

const PEM_KEY = /-----BEGIN (?:RSA |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |ENCRYPTED )?PRIVATE KEY-----/g;

/** The RSA private keys in a PEM file (PKCS#1 or PKCS#8; certificates beside them are ignored). Throws with the reason. */
export function parseRsaKeys(pem: string): KeyObject[] {
  const blocks = pem.match(PEM_KEY) ?? [];
  if (blocks.length === 0) throw new Error('no PEM private key in it');
  return blocks.map((block) => {
    if (block.includes('ENCRYPTED')) throw new Error('the key is encrypted (decrypt it first: openssl pkey -in KEY -out PLAIN)');
    const key = createPrivateKey(block);
    if (key.asymmetricKeyType !== 'rsa') throw new Error(`a ${key.asymmetricKeyType ?? 'non-RSA'} key cannot decrypt a TLS key exchange`);
    return key;
  });
}

/** Key log labels (NSS SSLKEYLOGFILE format) the record layer uses. */
export type KeyLabel =
  | 'CLIENT_RANDOM' | 'RSA'
  | 'CLIENT_HANDSHAKE_TRAFFIC_SECRET' | 'SERVER_HANDSHAKE_TRAFFIC_SECRET'
  | 'CLIENT_TRAFFIC_SECRET_0' | 'SERVER_TRAFFIC_SECRET_0';

const LABELS = new Set<string>(['CLIENT_RANDOM', 'RSA', 'CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0']);
/** Secrets held at most; a key log larger than this keeps its first ones. */
const MAX_SECRETS = 1_000_000;

/**
 * Secrets from SSLKEYLOGFILE text (and pcapng Decryption Secrets Blocks): "LABEL <client
 * random or RSA prefix, hex> <secret, hex>" lines. A miss can ask `refresh` for more text
 * (a key log that grows while a live capture runs). Used lines are reported once each.
 */
export class TlsSecrets {
  private readonly map = new Map<string, Buffer>();
  private partial = '';

  constructor(
    readonly rsaKeys: readonly KeyObject[] = [],
    private readonly refresh?: () => string,
    private readonly onUse?: (line: string) => void,
  ) {}

  /** Adds key log text; a last line without its newline waits for the rest. */
  add(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.addLine(line);
  }

  /** Adds a complete key log (a DSB, a whole file): its last line needs no newline. */
  addAll(text: string): void {
    this.add(text);
    this.addLine(this.partial);
    this.partial = '';
  }

  private addLine(line: string): void {
    const [label, id, secret] = line.trim().split(/\s+/);
    if (label === undefined || id === undefined || secret === undefined || !LABELS.has(label)) return;
    if (!/^[0-9a-fA-F]+$/.test(id) || !/^[0-9a-fA-F]+$/.test(secret) || this.map.size >= MAX_SECRETS) return;
    this.map.set(`${label} ${id.toLowerCase()}`, Buffer.from(secret, 'hex'));
  }

  /** The secret logged for label and id (a client random, or the first 8 bytes of an RSA-encrypted pre-master). */
  get(label: KeyLabel, id: Buffer): Buffer | undefined {
    const key = `${label} ${id.toString('hex')}`;
    let secret = this.map.get(key);
    if (secret === undefined && this.refresh) {
      this.add(this.refresh());
      secret = this.map.get(key);
    }
    if (secret !== undefined) this.use(label, id, secret);
    return secret;
  }

  /** Records that a secret (logged or derived, e.g. a master secret from an RSA key) was used. */
  use(label: KeyLabel, id: Buffer, secret: Buffer): void {
    this.onUse?.(`${label} ${id.toString('hex')} ${secret.toString('hex')}`);
  }
}
