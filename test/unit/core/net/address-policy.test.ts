import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLoopback, isPrivateAddress } from '../../../../src/core/net/address-policy.ts';
import { checkDestination, precheckUrl } from '../../../../src/core/net/url-guard.ts';

describe('outbound address policy (SSRF)', () => {
  it('GIVEN the IPv6 forms that reach IPv4 or nothing (issue 12 #9) THEN every one is refused', () => {
    for (const address of [
      '::127.0.0.1', // IPv4-compatible
      '::7f00:1',
      '::a9fe:a9fe', // ::169.254.169.254
      '64:ff9b::7f00:1', // NAT64 well-known prefix
      '64:ff9b::808:808', // NAT64 to a public address: still a tunnel
      '64:ff9b:1::1', // local-use NAT64
      '2001::1', // Teredo
      '2001:0:4136:e378:8000:63bf:3fff:fdd2',
      '100::1', // discard-only
      '2002:7f00:1::', // 6to4
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::',
      '::1',
      'fe80::1',
      'fe80::1%eth0',
      'fc00::1',
      'fec0::1',
      'ff02::1',
      '2001:db8::1',
    ])
      assert.equal(isPrivateAddress(address), true, address);
  });

  it('GIVEN IPv4 special ranges THEN they are refused, public unicast is not', () => {
    for (const address of [
      '0.0.0.0',
      '10.1.2.3',
      '100.64.0.1',
      '127.0.0.1',
      '169.254.169.254',
      '172.16.0.1',
      '192.0.0.1',
      '192.0.2.1',
      '192.168.1.1',
      '198.18.0.1',
      '224.0.0.1',
      '240.0.0.1',
      '255.255.255.255',
      'not an address',
      '',
    ])
      assert.equal(isPrivateAddress(address), true, address);
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '[2a00:1450::1]'])
      assert.equal(isPrivateAddress(address), false, address);
  });

  it('GIVEN loopback forms THEN isLoopback says so', () => {
    for (const a of ['127.0.0.1', '127.8.9.1', '::1', '::ffff:127.0.0.1'])
      assert.equal(isLoopback(a), true, a);
    for (const a of ['10.0.0.1', '::', 'x']) assert.equal(isLoopback(a), false, a);
  });

  it('GIVEN a URL at submit THEN its host is resolved and every address checked', async () => {
    const resolver = (map: Record<string, string[]>) => async (host: string) => map[host] ?? [];
    const dns = resolver({
      'rebind.example': ['8.8.8.8', '10.0.0.5'],
      'nat64.example': ['64:ff9b::a9fe:a9fe'],
      'ok.example': ['93.184.216.34'],
    });
    const check = (url: string) => checkDestination(url, false, dns);
    assert.deepEqual(await check('https://rebind.example/hook'), { ok: false, error: 'url.private' });
    assert.deepEqual(await check('https://nat64.example/hook'), { ok: false, error: 'url.private' });
    assert.deepEqual(await check('https://nowhere.example/hook'), { ok: false, error: 'url.unresolvable' });
    assert.deepEqual(await check('http://[::ffff:7f00:1]/'), { ok: false, error: 'url.private' });
    assert.deepEqual(await check('ftp://ok.example/'), { ok: false, error: 'url.scheme' });
    assert.equal((await check('https://ok.example/hook')).ok, true);
    assert.equal((await checkDestination('https://rebind.example/', true, dns)).ok, true, 'allowPrivateUrls');
    assert.equal(precheckUrl('http://localhost./x', false).ok, false, 'a trailing dot is still localhost');
  });
});
