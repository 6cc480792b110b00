import { describe, expect, it } from 'vitest';
import { addressRefusal } from './address.ts';

describe('addressRefusal', () => {
  it('lets public addresses through, IPv4 and IPv6', () => {
    for (const a of ['8.8.8.8', '203.119.25.1', '2606:4700::1111']) expect(addressRefusal(a, false), a).toBeNull();
  });

  it('refuses loopback, private, link-local, CGNAT, metadata and special ranges', () => {
    const refused = [
      '127.0.0.1',
      '127.1.2.3',
      '10.0.0.5',
      '172.16.3.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '100.100.100.200',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '192.0.2.1',
      '198.18.0.1',
      '::',
      '::1',
      'fe80::1',
      'fc00::1',
      'fd00:ec2::254',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:169.254.169.254',
      '64:ff9b::7f00:1',
      '2002:7f00:1::',
    ];
    for (const a of refused) expect(addressRefusal(a, false), a).not.toBeNull();
  });

  it('allows intranet ranges with the override but never link-local or metadata', () => {
    for (const a of ['127.0.0.1', '::1', '10.0.0.5', '192.168.1.1', 'fd12::1', '::ffff:10.0.0.5', '100.64.0.1']) {
      expect(addressRefusal(a, true), a).toBeNull();
    }
    for (const a of ['169.254.169.254', '::ffff:169.254.169.254', '100.100.100.200', 'fd00:ec2::254', 'fe80::1']) {
      expect(addressRefusal(a, true), a).not.toBeNull();
    }
  });
});
