import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import os from 'node:os';

/** The address ranges a contact point may not reach, each with what it is, for the message. */
const BLOCKED_RANGES: readonly { network: string; prefix: number; family: 'ipv4' | 'ipv6'; what: string }[] = [
  { network: '0.0.0.0', prefix: 8, family: 'ipv4', what: 'this host ("0.0.0.0/8")' },
  { network: '10.0.0.0', prefix: 8, family: 'ipv4', what: 'a private network (10.0.0.0/8)' },
  { network: '100.64.0.0', prefix: 10, family: 'ipv4', what: 'a carrier-grade NAT network (100.64.0.0/10)' },
  { network: '127.0.0.0', prefix: 8, family: 'ipv4', what: 'loopback (127.0.0.0/8)' },
  { network: '169.254.0.0', prefix: 16, family: 'ipv4', what: 'link-local (169.254.0.0/16, where cloud metadata services answer)' },
  { network: '172.16.0.0', prefix: 12, family: 'ipv4', what: 'a private network (172.16.0.0/12)' },
  { network: '192.0.0.0', prefix: 24, family: 'ipv4', what: 'IETF protocol assignments (192.0.0.0/24)' },
  { network: '192.168.0.0', prefix: 16, family: 'ipv4', what: 'a private network (192.168.0.0/16)' },
  { network: '198.18.0.0', prefix: 15, family: 'ipv4', what: 'a benchmarking network (198.18.0.0/15)' },
  { network: '224.0.0.0', prefix: 4, family: 'ipv4', what: 'multicast (224.0.0.0/4)' },
  { network: '240.0.0.0', prefix: 4, family: 'ipv4', what: 'reserved (240.0.0.0/4)' },
  { network: '::', prefix: 128, family: 'ipv6', what: 'the unspecified address (::)' },
  { network: '::1', prefix: 128, family: 'ipv6', what: 'loopback (::1)' },
  { network: 'fc00::', prefix: 7, family: 'ipv6', what: 'a unique local network (fc00::/7)' },
  { network: 'fe80::', prefix: 10, family: 'ipv6', what: 'link-local (fe80::/10)' },
  { network: 'ff00::', prefix: 8, family: 'ipv6', what: 'multicast (ff00::/8)' },
];

/** IPv6 forms that carry an IPv4 address in their last 32 bits: IPv4-mapped and NAT64. */
const EMBEDDING_V4 = [/^::ffff:(?:0:)?/i, /^64:ff9b::/i];

export const ALLOW_PRIVATE_TARGETS_SETTING = 'ALERT_ALLOW_PRIVATE_TARGETS';

/**
 * Keeps webhook and Slack deliveries off the server's own network (SSRF): loopback, link-local
 * (cloud metadata), private and reserved ranges, and the server's own addresses, unless the
 * instance allows them. Checked on the address a connection is about to use (the lookup hook of
 * the request), so a name that resolves elsewhere later, or to several addresses, is caught too.
 */
export class TargetGuard {
  private readonly ranges = BLOCKED_RANGES.map((range) => {
    const list = new BlockList();
    list.addSubnet(range.network, range.prefix, range.family);
    return { ...range, list };
  });
  private readonly own: ReadonlySet<string>;

  constructor(ownAddresses: readonly string[] = ownInterfaceAddresses()) {
    this.own = new Set(ownAddresses.map((address) => address.toLowerCase()));
  }

  /** Why a connection to `address` (an IP address) is refused, or null when it may go. */
  refusal(address: string, host: string): string | null {
    const v4 = embeddedV4(address);
    const family = v4 ? 'ipv4' : isIP(address) === 6 ? 'ipv6' : 'ipv4';
    const plain = v4 ?? address;
    const range = this.ranges.find((candidate) => candidate.family === family && candidate.list.check(plain, family));
    const what = range?.what ?? (this.own.has(plain.toLowerCase()) || this.own.has(address.toLowerCase()) ? 'an address of this server' : null);
    if (what === null) return null;
    return `Refused to connect to ${address}${host === address ? '' : ` (${host})`}: it is ${what}. Contact points may not reach loopback, link-local, private or this server's own addresses unless the instance sets ${ALLOW_PRIVATE_TARGETS_SETTING}=true`;
  }

  /** A lookup for http.request that resolves as dns.lookup does and fails when any answer is refused. */
  lookup(): LookupFunction {
    return (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
        if (error) {
          callback(error, '', 0);
          return;
        }
        const refused = addresses.map(({ address }) => this.refusal(address, hostname)).find((reason) => reason !== null);
        if (refused) {
          callback(Object.assign(new Error(refused), { code: 'ERR_TARGET_REFUSED' }), '', 0);
          return;
        }
        const [first] = addresses;
        if (options.all) callback(null, addresses);
        else if (first) callback(null, first.address, first.family);
        else callback(Object.assign(new Error(`${hostname} resolves to no address`), { code: 'ENOTFOUND' }), '', 0);
      });
    };
  }
}

function embeddedV4(address: string): string | null {
  if (isIP(address) !== 6) return null;
  for (const prefix of EMBEDDING_V4) {
    if (!prefix.test(address)) continue;
    const rest = address.replace(prefix, '');
    if (isIP(rest) === 4) return rest;
    const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(rest);
    if (hex?.[1] && hex[2]) {
      const high = Number.parseInt(hex[1], 16);
      const low = Number.parseInt(hex[2], 16);
      return [high >> 8, high & 255, low >> 8, low & 255].join('.');
    }
  }
  return null;
}

function ownInterfaceAddresses(): string[] {
  return Object.values(os.networkInterfaces()).flatMap((entries) => (entries ?? []).map(({ address }) => address.replace(/%.*$/, '')));
}
