import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendWebhook } from './webhook.sender';
import { verifyWebhookSignature } from './webhook-signature';

describe('sendWebhook', () => {
  let server: Server;
  let port: number;
  let received: { headers: IncomingMessage['headers']; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        if (request.url === '/moved') return void response.writeHead(302, { location: 'http://127.0.0.1/' }).end();
        if (request.url === '/silent') return; // never answers
        response.writeHead(request.url === '/down' ? 503 : 204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  beforeEach(() => (received = []));
  afterAll(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });

  const request = (url: string) => ({ url, secret: 'whsec_x', body: '{"id":"e1"}', eventId: 'e1', eventType: 'content.removed', deliveryId: 'd1', attempt: 2 });

  it('posts the body, signed, with the event id, type, delivery id and attempt in headers', async () => {
    expect(await sendWebhook(request(`http://127.0.0.1:${port}/ok`), { timeoutMs: 2000, allowPrivate: true })).toEqual({ delivered: true, statusCode: 204, error: null });
    const [{ headers, body }] = received;
    expect(body).toBe('{"id":"e1"}');
    expect(headers).toMatchObject({ 'content-type': 'application/json', 'loupe-event-id': 'e1', 'loupe-event-type': 'content.removed', 'loupe-delivery-id': 'd1', 'loupe-delivery-attempt': '2' });
    expect(verifyWebhookSignature('whsec_x', body, headers['loupe-signature'] as string)).toBe(true);
  });

  it('refuses a private address, by literal or by name, before connecting, unless allowed', async () => {
    for (const url of [`http://127.0.0.1:${port}/`, `http://localhost:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`]) {
      const refused = await sendWebhook(request(url), { timeoutMs: 2000, allowPrivate: false });
      expect(refused).toMatchObject({ delivered: false, statusCode: null, error: expect.stringMatching(/^webhook\.target_not_public/) });
    }
    expect(received).toHaveLength(0);
    expect(await sendWebhook(request(`http://localhost:${port}/`), { timeoutMs: 2000, allowPrivate: true })).toMatchObject({ delivered: true });
    expect(received).toHaveLength(1);
  });

  it('counts an error status, a redirect, a refused connection and a silent receiver as failures', async () => {
    const options = { timeoutMs: 500, allowPrivate: true };
    expect(await sendWebhook(request(`http://127.0.0.1:${port}/down`), options)).toEqual({ delivered: false, statusCode: 503, error: 'HTTP 503' });
    expect(await sendWebhook(request(`http://127.0.0.1:${port}/moved`), options)).toEqual({ delivered: false, statusCode: 302, error: 'HTTP 302 (redirects are not followed)' });
    expect(await sendWebhook(request(`http://127.0.0.1:${port}/silent`), options)).toEqual({ delivered: false, statusCode: null, error: 'no response within 500 ms' });
    const closed = await sendWebhook(request('http://127.0.0.1:1/'), options);
    expect(closed).toMatchObject({ delivered: false, statusCode: null, error: expect.stringContaining('ECONNREFUSED') });
    expect(await sendWebhook(request('ftp://127.0.0.1/'), options)).toMatchObject({ delivered: false, error: expect.stringMatching(/^webhook\.invalid_url/) });
  });
});
