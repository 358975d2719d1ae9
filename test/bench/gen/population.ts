import type { Random } from './random.js';

/** A SIP element seen in the capture: where it sends from and how it names itself. */
export interface Endpoint {
  ip: string;
  /** The IPv4 address as an unsigned 32-bit number, for the packet headers. */
  ip32: number;
  port: number;
  /** User-Agent (requests) or Server (responses) value. */
  agent: string;
  /** SIP domain this element serves or registers to. */
  domain: string;
}

export interface Subscriber {
  display: string;
  /** E.164 with leading '+'. */
  number: string;
}

/** Everyone who appears in the benchmark capture. */
export interface Population {
  /** Carrier proxies and SBCs on 5060: the capture point sits in front of them. */
  cores: Endpoint[];
  /** PBXs and media gateways on 5060: trunk peers of the cores. */
  trunks: Endpoint[];
  /** Desk and soft phones behind NAT, on ephemeral ports. */
  phones: Endpoint[];
  subscribers: Subscriber[];
}

const CORE_AGENTS = [
  'Kamailio (5.7.4 (x86_64/linux))',
  'OpenSIPS (3.4.5 (x86_64/linux))',
  'Ribbon SBC Core 11.01.00R002',
  'Oracle ESBC 9.1.0',
];
const TRUNK_AGENTS = [
  'Asterisk PBX 18.20.0',
  'FPBX-16.0.40.7(18.20.0)',
  '3CXPhoneSystem 18.0.9.20 (20)',
  'Mediant 800B/v.7.20A.258.459',
  'Cisco-SIPGateway/IOS-15.6.3.M8',
  'FreeSWITCH-mod_sofia/1.10.11-release~64bit',
];
const PHONE_AGENTS = [
  'Yealink SIP-T46S 66.86.0.15',
  'PolycomVVX-VVX_450-UA/6.4.3.4021',
  'Grandstream GXP2170 1.0.11.23',
  'snom D785/10.1.141.13',
  'Linphone/5.2.0 (belle-sip/5.2.0)',
  'MicroSIP/3.21.3',
  'Z 5.6.1 v2.10.19.2',
  'Cisco/SPA504G-7.6.2f',
];
const CARRIER_DOMAINS = ['sip.carrier-one.net', 'voice.telco-europe.com'];
const TRUNK_DOMAINS = ['pbx.acme-logistics.de', 'voip.bakery-nord.de', 'sip.hotel-sol.es', 'pbx.lawfirm-uk.co.uk', 'tel.dental-paris.fr'];

const FIRST = ['Anna', 'Lukas', 'Marie', 'Jonas', 'Sofia', 'Elias', 'Emma', 'Noah', 'Lea', 'Paul', 'Clara', 'Ben', 'Lucia',
  'Hugo', 'Olivia', 'Mateo', 'Chloe', 'Oliver', 'Isla', 'James', 'Camille', 'Pablo', 'Alba', 'Jakob', 'Mia', 'Felix'];
const LAST = ['Schmidt', 'Mueller', 'Weber', 'Fischer', 'Garcia', 'Martinez', 'Lopez', 'Smith', 'Jones', 'Taylor', 'Brown',
  'Martin', 'Bernard', 'Dubois', 'Wagner', 'Becker', 'Hoffmann', 'Sanchez', 'Evans', 'Moreau', 'Laurent', 'Schulz'];
/** Country code and national prefixes, so numbers look like real E.164 ranges. */
const NUMBERING: readonly [string, readonly string[]][] = [
  ['49', ['30', '40', '89', '69', '221', '1512', '1701']],
  ['44', ['20', '161', '121', '7700', '7911']],
  ['34', ['91', '93', '6']],
  ['33', ['1', '4', '6']],
  ['1', ['212', '415', '617']],
];

function ip32(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function endpoint(ip: string, port: number, agent: string, domain: string): Endpoint {
  return { ip, ip32: ip32(ip), port, agent, domain };
}

function e164(rnd: Random): string {
  const [cc, prefixes] = rnd.pick(NUMBERING);
  const prefix = rnd.pick(prefixes);
  const total = cc === '1' ? 11 : rnd.int(11, 13);
  let rest = '';
  while (cc.length + prefix.length + rest.length < total) rest += String(rnd.int(0, 9));
  return `+${cc}${prefix}${rest}`;
}

export function makePopulation(rnd: Random): Population {
  const cores = Array.from({ length: 6 }, (_, i) =>
    endpoint(`10.20.0.${10 + i}`, 5060, CORE_AGENTS[i % CORE_AGENTS.length]!, CARRIER_DOMAINS[i % CARRIER_DOMAINS.length]!));
  const trunks = Array.from({ length: 40 }, (_, i) =>
    endpoint(`172.16.${i >> 3}.${20 + (i & 7)}`, 5060, rnd.pick(TRUNK_AGENTS), TRUNK_DOMAINS[i % TRUNK_DOMAINS.length]!));
  const phones = Array.from({ length: 300 }, () =>
    endpoint(`192.168.${rnd.int(0, 40)}.${rnd.int(2, 254)}`, rnd.int(1024, 65000), rnd.pick(PHONE_AGENTS), rnd.pick(CARRIER_DOMAINS)));
  const subscribers = Array.from({ length: 5000 }, () => ({ display: `${rnd.pick(FIRST)} ${rnd.pick(LAST)}`, number: e164(rnd) }));
  return { cores, trunks, phones, subscribers };
}
