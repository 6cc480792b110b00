import ipaddr from 'ipaddr.js';

/** Ranges an intranet lives on: allowed with URL_IMPORT_ALLOW_PRIVATE=true. */
const PRIVATE_RANGES = new Set(['loopback', 'private', 'uniqueLocal', 'carrierGradeNat']);

/** Cloud metadata endpoints (AWS, GCP, Azure, Tencent, Aliyun): refused even with the override. */
const METADATA = new Set(
  ['169.254.169.254', '169.254.170.2', '169.254.0.23', '100.100.100.200', 'fd00:ec2::254'].map((a) =>
    ipaddr.parse(a).toNormalizedString(),
  ),
);

const WORDS: Record<string, string> = {
  loopback: 'loopback',
  private: 'private',
  uniqueLocal: 'private',
  carrierGradeNat: 'shared (CGNAT)',
  linkLocal: 'link-local',
  unspecified: 'unspecified',
  multicast: 'multicast',
  broadcast: 'broadcast',
};

/**
 * Why a web import may not connect to `address`, or null when it may. Only public unicast
 * addresses pass by default; `allowPrivate` adds loopback, private and CGNAT ranges. Link-local,
 * metadata, multicast, reserved and translated ranges (NAT64, 6to4, Teredo) never pass. An
 * IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
 */
export function addressRefusal(address: string, allowPrivate: boolean): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return 'not an IP address';
  }
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  if (METADATA.has(parsed.toNormalizedString())) return 'a cloud metadata address';
  const range = parsed.range();
  if (range === 'unicast') return null;
  if (allowPrivate && PRIVATE_RANGES.has(range)) return null;
  return `a ${WORDS[range] ?? 'reserved'} address`;
}
