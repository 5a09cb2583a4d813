import ipaddr from 'ipaddr.js';

/**
 * IANA's global unicast allocation for IPv6. Everything outside it (IPv4-compatible `::a.b.c.d`, `::/8`,
 * `100::/64` discard, site-local…) is not a public destination, whatever ipaddr.js calls it.
 */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * True for every address an outbound request may not reach unless the operator allows private URLs:
 * anything ipaddr.js does not classify as plain `unicast` (loopback, private, link-local, CGNAT,
 * multicast, reserved, benchmarking, documentation…), and for IPv6 also the ranges that tunnel to IPv4
 * (NAT64 `64:ff9b::/96` and `64:ff9b:1::/48`, 6to4, Teredo) and anything outside global unicast.
 * IPv4-mapped IPv6 is judged as the IPv4 address it carries. Unparseable input counts as private.
 */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare) || bare.includes('%')) return true;
  const parsed = ipaddr.process(bare);
  if (parsed.kind() === 'ipv4') return parsed.range() !== 'unicast';
  const v6 = parsed as ipaddr.IPv6;
  return v6.range() !== 'unicast' || !v6.match(GLOBAL_UNICAST_V6);
}

/** True for loopback addresses (`127.0.0.0/8`, `::1`, and IPv4-mapped loopback). */
export function isLoopback(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  return ipaddr.isValid(bare) && ipaddr.process(bare).range() === 'loopback';
}
