/**
 * A small client of Loupe's HTTP API for `loupe demo history`: one API key
 * per client, JSON in and out, multipart for uploads. Any answer other than
 * the expected status throws with the server's error code, so a sample that
 * cannot be made says why.
 */
export class LoupeHttpClient {
  constructor(
    readonly baseUrl: string,
    readonly key: string,
  ) {}

  as(key: string): LoupeHttpClient {
    return new LoupeHttpClient(this.baseUrl, key);
  }

  async get<T = any>(path: string, expect: number[] = [200]): Promise<T> {
    return (await this.send('GET', path, undefined, expect)).body as T;
  }

  async post<T = any>(path: string, json?: unknown, expect: number[] = [200, 201]): Promise<T> {
    return (await this.send('POST', path, json, expect)).body as T;
  }

  async put<T = any>(path: string, json: unknown): Promise<T> {
    return (await this.send('PUT', path, json, [200, 201])).body as T;
  }

  async patch<T = any>(path: string, json: unknown): Promise<T> {
    return (await this.send('PATCH', path, json, [200])).body as T;
  }

  /** A claim: the task, or null when the queue has nothing for this moderator (204). */
  async claim(queue: string): Promise<any | null> {
    const { status, body } = await this.send('GET', `/v1/review/next?queue=${encodeURIComponent(queue)}`, undefined, [200, 204]);
    return status === 204 ? null : body;
  }

  async upload(file: Buffer, fields: Record<string, string | undefined>, filename = 'upload.png'): Promise<string> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.append(name, value);
    form.append('file', new Blob([file], { type: 'image/png' }), filename);
    const response = await this.fetch('POST', '/v1/contents', form);
    const body = await parse(response);
    if (response.status !== 202) throw failure('POST', '/v1/contents', response.status, body);
    return (body as { id: string }).id;
  }

  /** The PDQ hash ingest would compute for this file. */
  async pdq(file: Buffer): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([file], { type: 'image/png' }), 'hash.png');
    const response = await this.fetch('POST', '/v1/hashes/hash', form);
    const body = await parse(response);
    if (response.status !== 200) throw failure('POST', '/v1/hashes/hash', response.status, body);
    return (body as { pdq: string }).pdq;
  }

  private async send(method: string, path: string, json: unknown, expect: number[]): Promise<{ status: number; body: unknown }> {
    const response = await this.fetch(method, path, json === undefined ? undefined : JSON.stringify(json));
    const body = await parse(response);
    if (!expect.includes(response.status)) throw failure(method, path, response.status, body);
    return { status: response.status, body };
  }

  private async fetch(method: string, path: string, body: string | FormData | undefined): Promise<Response> {
    const headers: Record<string, string> = { 'x-api-key': this.key };
    if (typeof body === 'string') headers['content-type'] = 'application/json';
    try {
      return await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    } catch (error) {
      throw new Error(`Cannot reach Loupe at ${this.baseUrl} (${(error as Error).cause ?? (error as Error).message}); is the server running?`);
    }
  }
}

async function parse(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function failure(method: string, path: string, status: number, body: unknown): Error {
  const detail = body && typeof body === 'object' ? `${(body as { code?: string }).code ?? ''} ${(body as { message?: string }).message ?? ''}`.trim() : String(body ?? '');
  return new Error(`${method} ${path} answered ${status}${detail ? `: ${detail}` : ''}`);
}
