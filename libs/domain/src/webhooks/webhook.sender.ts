import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, LookupFunction } from 'node:net';
import { Injectable } from '@nestjs/common';
import { LoupeConfig } from '@loupe/config';
import type { WebhookAttemptResult } from '@loupe/database';
import { DELIVERY_ID_HEADER, EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, signWebhook } from './webhook-signature';
import { hostOf, parseWebhookUrl, requirePublic, WebhookTargetError } from './webhook-target';

export interface WebhookRequest {
  url: string;
  secret: string;
  body: string;
  eventId: string;
  eventType: string;
  deliveryId: string;
  attempt: number;
}

export interface WebhookSendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  /** Unix seconds for the signature; the clock by default. */
  now?: number;
}

/**
 * The address check at connection time: the addresses the socket will use
 * are the ones checked, so a DNS answer that changed since the subscription
 * was made (or changes between two lookups) cannot reach an internal host.
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...(options as LookupOptions), all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    try {
      requirePublic(hostname, addresses.map((a) => a.address));
    } catch (refused) {
      return callback(refused as NodeJS.ErrnoException, '', 0);
    }
    if ((options as LookupOptions).all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};

function describe(error: Error): string {
  return error instanceof WebhookTargetError ? `${error.code}: ${error.message}` : error.message;
}

/**
 * One POST of a signed event. It never follows a redirect (a 3xx is a
 * failure), gives up after `timeoutMs` from the first byte sent to the
 * response's status line, and reports instead of throwing.
 */
export function sendWebhook(request: WebhookRequest, options: WebhookSendOptions): Promise<WebhookAttemptResult> {
  let url: URL;
  try {
    url = parseWebhookUrl(request.url);
    const host = hostOf(url);
    if (!options.allowPrivate && isIP(host)) requirePublic(host, [host]);
  } catch (error) {
    return Promise.resolve({ delivered: false, statusCode: null, error: describe(error as Error) });
  }
  const timestamp = options.now ?? Math.floor(Date.now() / 1000);
  const body = Buffer.from(request.body, 'utf8');
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: WebhookAttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const outgoing = send(
      url,
      {
        method: 'POST',
        // A fresh connection each time, so every delivery goes through the address check.
        agent: false,
        lookup: options.allowPrivate ? undefined : publicOnlyLookup,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          'user-agent': 'Loupe-Webhooks/1',
          [SIGNATURE_HEADER]: signWebhook(request.secret, request.body, timestamp),
          [EVENT_ID_HEADER]: request.eventId,
          [EVENT_TYPE_HEADER]: request.eventType,
          [DELIVERY_ID_HEADER]: request.deliveryId,
          'loupe-delivery-attempt': String(request.attempt),
        },
      },
      (response: IncomingMessage) => {
        const status = response.statusCode ?? 0;
        // The status is the answer; the body is not read, and a slow one cannot hold the worker.
        response.destroy();
        if (status >= 200 && status < 300) return finish({ delivered: true, statusCode: status, error: null });
        const note = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
        finish({ delivered: false, statusCode: status, error: `HTTP ${status}${note}` });
      },
    );
    const timer = setTimeout(() => {
      outgoing.destroy(new Error(`no response within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    outgoing.on('error', (error) => finish({ delivered: false, statusCode: null, error: describe(error) }));
    outgoing.end(body);
  });
}

@Injectable()
export class WebhookSender {
  constructor(private readonly config: LoupeConfig) {}

  send(request: WebhookRequest): Promise<WebhookAttemptResult> {
    return sendWebhook(request, { timeoutMs: this.config.webhooks.timeoutMs, allowPrivate: this.config.webhooks.allowPrivate });
  }
}
