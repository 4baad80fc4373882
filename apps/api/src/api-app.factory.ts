import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { LoupeConfig } from '@loupe/config';
import { ApiModule } from './api.module';
import { registerJsonBodyParser } from './http/json-body.parser';
import { createValidationPipe } from './http/validation.pipe';

/** Builds the HTTP application; main.ts and the e2e tests share it. */
export async function createApiApp(config: LoupeConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: 1024 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(config), adapter, {
    logger: config.logLevels,
    bufferLogs: false,
    abortOnError: false,
    // Loupe registers its own JSON parser (see json-body.parser.ts).
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  registerJsonBodyParser(fastify);
  await fastify.register(multipart, {
    limits: { fileSize: config.http.uploadMaxBytes, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 25 },
  });
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', String(request.id));
  });

  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  // A factory, built on the first request for the docs and kept: scanning
  // every controller costs about 200 ms of the start, which each process
  // (and each test server) paid whether or not anyone read the docs.
  const document = () =>
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Loupe')
        .setDescription('Human-in-the-loop content moderation: ingest, hash matching, classification, human review.')
        .setVersion('0.1.0')
        .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'api-key')
        .build(),
    );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
