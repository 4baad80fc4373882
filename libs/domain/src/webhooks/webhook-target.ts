import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Why a URL may not receive webhooks; `code` is the API error code. */
export class WebhookTargetError extends Error {
  constructor(
    readonly code: 'webhook.invalid_url' | 'webhook.target_not_public' | 'webhook.target_unresolvable',
    message: string,
  ) {
    super(message);
    this.name = 'WebhookTargetError';
  }
}

// IPv4 special-purpose ranges (RFC 6890 and its updates), multicast and reserved:
// nothing here is a platform's public endpoint, and much of it is our own network.
const NOT_PUBLIC_V4: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
// IPv6 is checked the other way round: only global unicast (2000::/3) is public,
// less the special ranges inside it (protocol assignments and Teredo, documentation, 6to4).
const NOT_PUBLIC_INSIDE_GLOBAL_V6: [string, number][] = [
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['3fff::', 20],
];

const notPublicV4 = new BlockList();
for (const [network, prefix] of NOT_PUBLIC_V4) notPublicV4.addSubnet(network, prefix, 'ipv4');
const globalV6 = new BlockList();
globalV6.addSubnet('2000::', 3, 'ipv6');
const notPublicV6 = new BlockList();
for (const [network, prefix] of NOT_PUBLIC_INSIDE_GLOBAL_V6) notPublicV6.addSubnet(network, prefix, 'ipv6');

/** True for an address on the public internet; false for loopback, private, link-local, CGNAT, documentation, multicast... */
export function isPublicAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) return !notPublicV4.check(address, 'ipv4');
  if (version === 6) {
    // BlockList matches IPv4-mapped addresses (::ffff:10.0.0.1) against the IPv4 rules too.
    if (notPublicV4.check(address, 'ipv6')) return false;
    return globalV6.check(address, 'ipv6') && !notPublicV6.check(address, 'ipv6');
  }
  return false;
}

/** The host of a URL as the resolver and the socket take it: IPv6 literals lose their brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** An absolute http or https URL without credentials; anything else is refused before any lookup. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookTargetError('webhook.invalid_url', `"${raw}" is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WebhookTargetError('webhook.invalid_url', `Only http and https URLs can receive webhooks, not ${url.protocol}`);
  }
  // Credentials in a URL end up in logs and audit rows; the signature authenticates us instead.
  if (url.username || url.password) throw new WebhookTargetError('webhook.invalid_url', 'A webhook URL may not carry a user name or password');
  if (!hostOf(url)) throw new WebhookTargetError('webhook.invalid_url', 'The URL has no host');
  return url;
}

export type AddressResolver = (host: string) => Promise<string[]>;

const RESOLVE_TIMEOUT_MS = 5_000;

/** Every address the system resolver gives for `host`, as a connection would see them. */
export const resolveAll: AddressResolver = async (host) => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${RESOLVE_TIMEOUT_MS} ms`)), RESOLVE_TIMEOUT_MS);
  });
  try {
    return (await Promise.race([lookup(host, { all: true, verbatim: true }), timeout])).map((a) => a.address);
  } finally {
    clearTimeout(timer);
  }
};

/** Refuses `addresses` of `host` unless every one of them is public. */
export function requirePublic(host: string, addresses: string[]): void {
  const refused = addresses.filter((address) => !isPublicAddress(address));
  if (addresses.length === 0 || refused.length > 0) {
    throw new WebhookTargetError(
      'webhook.target_not_public',
      `${host} resolves to ${refused.join(', ') || 'nothing'}, which is not a public address; set WEBHOOK_ALLOW_PRIVATE=true to allow internal receivers`,
    );
  }
}

/**
 * Checks a subscription's URL: http(s), and, unless private targets are
 * allowed, a host whose every address is public. Runs at creation and
 * update; the sender checks again, at connection time, on every delivery.
 */
export async function checkWebhookTarget(raw: string, allowPrivate: boolean, resolve: AddressResolver = resolveAll): Promise<URL> {
  const url = parseWebhookUrl(raw);
  if (allowPrivate) return url;
  const host = hostOf(url);
  if (isIP(host)) {
    requirePublic(host, [host]);
    return url;
  }
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch (error) {
    throw new WebhookTargetError('webhook.target_unresolvable', `${host} does not resolve: ${(error as Error).message}`);
  }
  requirePublic(host, addresses);
  return url;
}
