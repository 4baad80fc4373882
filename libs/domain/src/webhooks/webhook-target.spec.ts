import { checkWebhookTarget, isPublicAddress, WebhookTargetError } from './webhook-target';

describe('webhook targets', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.0.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '192.0.2.10',
    '198.18.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::a00:1',
    '2001:db8::1',
    '2002:a00:1::1',
    'not-an-address',
  ])('%s is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.215.14', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e'])('%s is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  async function refusal(url: string, resolve?: (host: string) => Promise<string[]>): Promise<string> {
    try {
      await checkWebhookTarget(url, false, resolve);
    } catch (error) {
      expect(error).toBeInstanceOf(WebhookTargetError);
      return (error as WebhookTargetError).code;
    }
    throw new Error(`${url} was accepted`);
  }

  it('refuses private literals, names that resolve to private addresses, and other schemes', async () => {
    expect(await refusal('http://127.0.0.1:8080/hook')).toBe('webhook.target_not_public');
    expect(await refusal('http://10.1.2.3/hook')).toBe('webhook.target_not_public');
    expect(await refusal('http://169.254.169.254/latest/meta-data')).toBe('webhook.target_not_public');
    expect(await refusal('http://[::1]/hook')).toBe('webhook.target_not_public');
    expect(await refusal('http://[::ffff:7f00:1]/hook')).toBe('webhook.target_not_public');
    // The URL parser reads these as 127.0.0.1, as a socket would.
    expect(await refusal('http://2130706433/hook')).toBe('webhook.target_not_public');
    expect(await refusal('http://0x7f.1/hook')).toBe('webhook.target_not_public');
    // localhost, from the system's resolver (no network needed).
    expect(await refusal('http://localhost:3000/hook')).toBe('webhook.target_not_public');
    // One private address among public ones is enough to refuse.
    expect(await refusal('https://hooks.example/x', async () => ['93.184.215.14', '10.0.0.7'])).toBe('webhook.target_not_public');
    expect(await refusal('https://hooks.example/x', async () => { throw new Error('ENOTFOUND'); })).toBe('webhook.target_unresolvable');
    expect(await refusal('ftp://93.184.215.14/x')).toBe('webhook.invalid_url');
    expect(await refusal('file:///etc/passwd')).toBe('webhook.invalid_url');
    expect(await refusal('http://user:pw@93.184.215.14/x')).toBe('webhook.invalid_url');
    expect(await refusal('not a url')).toBe('webhook.invalid_url');
  });

  it('accepts public targets, and private ones when the operator allows them', async () => {
    await expect(checkWebhookTarget('https://hooks.example/x', false, async () => ['93.184.215.14'])).resolves.toBeInstanceOf(URL);
    await expect(checkWebhookTarget('https://93.184.215.14/x', false)).resolves.toBeInstanceOf(URL);
    await expect(checkWebhookTarget('http://127.0.0.1:9/x', true)).resolves.toBeInstanceOf(URL);
    await expect(checkWebhookTarget('ftp://127.0.0.1/x', true)).rejects.toThrow(WebhookTargetError);
  });
});
