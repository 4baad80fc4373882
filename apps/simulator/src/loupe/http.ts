/**
 * The simulator's only way into Loupe: its public HTTP API, with one API key
 * per client (the platform's service key, each moderator's, the analyst's,
 * the ML engineer's), as a real platform and real moderators hold them. Any
 * answer other than the expected statuses throws with the server's code.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export interface HttpAnswer<T> {
  status: number;
  body: T;
}

export class LoupeHttp {
  /** Requests sent, by method and route shape: what the simulation cost the API. */
  static readonly requests = new Map<string, number>();

  constructor(
    readonly baseUrl: string,
    readonly key: string,
  ) {}

  as(key: string): LoupeHttp {
    return new LoupeHttp(this.baseUrl, key);
  }

  async get<T = any>(path: string, expect: number[] = [200]): Promise<T> {
    return (await this.send<T>('GET', path, undefined, expect)).body;
  }

  async post<T = any>(path: string, json?: unknown, expect: number[] = [200, 201, 202]): Promise<T> {
    return (await this.send<T>('POST', path, json, expect)).body;
  }

  async put<T = any>(path: string, json: unknown): Promise<T> {
    return (await this.send<T>('PUT', path, json, [200, 201])).body;
  }

  async patch<T = any>(path: string, json: unknown): Promise<T> {
    return (await this.send<T>('PATCH', path, json, [200])).body;
  }

  async upload(file: Buffer, filename: string, mime: string, fields: Record<string, string | undefined>): Promise<{ id: string; status: string }> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.append(name, value);
    form.append('file', new Blob([file], { type: mime }), filename);
    const answer = await this.send<{ id: string; status: string }>('POST', '/v1/contents', form, [202]);
    return answer.body;
  }

  async send<T>(method: string, path: string, body: unknown, expect: number[]): Promise<HttpAnswer<T>> {
    const route = `${method} ${path.replace(/\?.*$/, '').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id')}`;
    LoupeHttp.requests.set(route, (LoupeHttp.requests.get(route) ?? 0) + 1);
    const headers: Record<string, string> = { 'x-api-key': this.key };
    let payload: string | FormData | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    let response: Response | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload });
      } catch (error) {
        // A dropped connection under load: retry a few times before giving up.
        if (attempt < 4) {
          await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
          continue;
        }
        throw new Error(`Cannot reach Loupe at ${this.baseUrl} (${String((error as Error).cause ?? (error as Error).message)})`);
      }
      // 503 (database busy) and 429 are transient: wait and retry.
      if ((response.status === 503 || response.status === 429) && attempt < 6) {
        await response.text();
        await new Promise((resolve) => setTimeout(resolve, 300 * attempt));
        continue;
      }
      break;
    }
    const text = await response.text();
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (!expect.includes(response.status)) {
      const code = parsed && typeof parsed === 'object' ? (parsed as { code?: string }).code : undefined;
      const message = parsed && typeof parsed === 'object' ? (parsed as { message?: string }).message : String(parsed ?? '');
      throw new HttpError(response.status, code, `${method} ${path} answered ${response.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`);
    }
    return { status: response.status, body: parsed as T };
  }
}
