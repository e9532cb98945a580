import { describe, expect, it } from '@jest/globals';
import { expectNamed } from '@slipway/testing-matchers';
import { isPublicAddress, WebhookAddressPolicy, WebhookAddressRefused, type ResolvedAddress } from '../webhook-address-policy';

const resolverOf =
  (table: Record<string, string[]>) =>
  async (hostname: string): Promise<ResolvedAddress[]> => {
    const answers = table[hostname];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.255',
    '0.0.0.0',
    '0.1.2.3',
    '224.0.0.1',
    '239.255.255.250',
    '255.255.255.255',
    '::',
    '::1',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:10.0.0.1',
    '64:ff9b::7f00:1',
    '2002:7f00:1::',
    'fe80::1',
    'fe80::1%eth0',
    'febf::1',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::127.0.0.1',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '169.255.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2a00:1450::1'])(
    'accepts %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );

  it('refuses what is not an IP address', () => {
    expect(isPublicAddress('example.com')).toBe(false);
  });
});

describe('WebhookAddressPolicy', () => {
  const dns = resolverOf({
    'hooks.example.com': ['93.184.216.34'],
    'dual.example.com': ['93.184.216.34', '2606:2800:220:1::1'],
    localhost: ['127.0.0.1', '::1'],
    'rebind.example.com': ['93.184.216.34', '10.0.0.7'],
    'metadata.example.com': ['169.254.169.254'],
    'mapped.example.com': ['::ffff:127.0.0.1'],
  });
  const strict = new WebhookAddressPolicy([]);

  it('resolves public hosts to every address they have', async () => {
    await expect(strict.resolve('https://hooks.example.com/x', dns)).resolves.toEqual([{ address: '93.184.216.34', family: 4 }]);
    await expect(strict.resolve('http://dual.example.com/x', dns)).resolves.toHaveLength(2);
    await expect(strict.resolve('http://93.184.216.34:8080/x', dns)).resolves.toEqual([{ address: '93.184.216.34', family: 4 }]);
  });

  it('refuses loopback, link-local, private and special hosts in every spelling', async () => {
    const urls = [
      'http://127.0.0.1/x',
      'http://127.1/x',
      'http://2130706433/',
      'http://0177.0.0.1/',
      'http://0x7f.0.0.1/',
      'http://0x7f000001/',
      'http://017700000001/',
      'http://[::1]/x',
      'http://[::ffff:127.0.0.1]/x',
      'http://[::ffff:7f00:1]/x',
      'http://[0:0:0:0:0:ffff:a9fe:a9fe]/latest/meta-data',
      'http://[fe80::1]/x',
      'http://[fd00::1]/x',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      'http://172.20.1.1/',
      'http://192.168.0.10/',
      'http://100.100.100.200/',
      'http://0.0.0.0:5432/',
      'http://224.0.0.251/',
      'http://localhost:3000/x',
      'http://LOCALHOST./x',
      'http://rebind.example.com/x',
      'http://metadata.example.com/x',
      'http://mapped.example.com/x',
    ];
    for (const url of urls) await expectNamed(strict.resolve(url, dns), url).rejects.toThrow(WebhookAddressRefused);
  });

  it('says which address was refused', async () => {
    await expect(strict.resolve('http://rebind.example.com/x', dns)).rejects.toThrow('rebind.example.com resolves to 10.0.0.7, which is not a public address');
    await expect(strict.resolve('http://2130706433/', dns)).rejects.toThrow('127.0.0.1 is not a public address');
    await expect(strict.resolve('http://nowhere.invalid/', dns)).rejects.toThrow(/nowhere.invalid does not resolve \(ENOTFOUND\)/);
    await expect(strict.resolve('ftp://hooks.example.com/', dns)).rejects.toThrow('must be an http(s) URL');
  });

  it('lets the allow-list open CIDRs and hostnames, and nothing else', async () => {
    const policy = new WebhookAddressPolicy(['127.0.0.1', '10.0.0.0/8', 'fd00::/8', 'localhost']);
    await expect(policy.resolve('http://127.0.0.1:9/x', dns)).resolves.toEqual([{ address: '127.0.0.1', family: 4 }]);
    await expect(policy.resolve('http://[::ffff:127.0.0.1]:9/x', dns)).resolves.toHaveLength(1);
    await expect(policy.resolve('http://10.200.0.1/x', dns)).resolves.toHaveLength(1);
    await expect(policy.resolve('http://[fd12::1]/x', dns)).resolves.toHaveLength(1);
    await expect(policy.resolve('http://rebind.example.com/x', dns)).resolves.toHaveLength(2);
    await expect(policy.resolve('http://localhost/x', dns)).resolves.toHaveLength(2);
    await expect(policy.resolve('http://127.0.0.2/x', dns)).rejects.toThrow(WebhookAddressRefused);
    await expect(policy.resolve('http://169.254.169.254/x', dns)).rejects.toThrow(WebhookAddressRefused);
    await expect(policy.resolve('http://192.168.1.1/x', dns)).rejects.toThrow(WebhookAddressRefused);
  });

  it('refuses an invalid CIDR in its settings', () => {
    expect(() => new WebhookAddressPolicy(['10.0.0.0/33'])).toThrow('invalid CIDR');
  });
});
