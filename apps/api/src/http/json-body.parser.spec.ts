import Fastify from 'fastify';
import { registerJsonBodyParser } from './json-body.parser';

describe('registerJsonBodyParser', () => {
  const app = Fastify();
  registerJsonBodyParser(app);
  app.post('/echo', async (request) => ({ keys: Object.keys(request.body as object), polluted: ({} as Record<string, unknown>).polluted ?? null }));
  afterAll(() => app.close());

  const post = (payload: string) => app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload });

  it('drops __proto__ keys, spelled out or behind a unicode escape', async () => {
    for (const payload of ['{"a":1,"__proto__":{"polluted":true}}', '{"a":1,"\\u005f_proto__":{"polluted":true}}']) {
      const response = await post(payload);
      expect(response.json()).toEqual({ keys: ['a'], polluted: null });
    }
  });

  it('parses ordinary bodies, and refuses broken ones with a code', async () => {
    expect((await post('{"events":[{"views":1}]}')).json()).toEqual({ keys: ['events'], polluted: null });
    const broken = await post('{"a":');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().code).toBe('request.invalid_json');
  });
});
