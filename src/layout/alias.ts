import { hostOf } from './flow-message.js';

/**
 * An `ip:port` address through the rc file's aliases: the name given for exactly that ip:port,
 * else the name of its ip with the port kept ("pbx:5060"), else undefined (no alias applies).
 */
export function aliasOf(address: string, aliases: ReadonlyMap<string, string> | undefined): string | undefined {
  if (aliases === undefined || aliases.size === 0) return undefined;
  const exact = aliases.get(address);
  if (exact !== undefined) return exact;
  const host = hostOf(address);
  const name = host === address ? undefined : aliases.get(host);
  return name === undefined ? undefined : `${name}:${address.slice(address.lastIndexOf(':') + 1)}`;
}
