import { CallHandler, createParamDecorator, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { catchError, concatMap, from, Observable, throwError } from 'rxjs';
import { ApiError } from '@loupe/common';
import { MediaStore, StagedFile } from '@loupe/media';

type UploadRequest = FastifyRequest & { upload?: StagedFile; body: unknown };

const FILE_FIELD = 'file';

/**
 * Reads a multipart upload: the `file` part is streamed to the media store's
 * staging area (never held whole in memory, size-limited by @fastify/multipart),
 * the other parts become the body that the DTO validates. The staged file is
 * removed before the response unless the handler committed it.
 */
@Injectable()
export class MediaUploadInterceptor implements NestInterceptor {
  /** Whether the route also takes a plain JSON body instead of an upload. */
  protected readonly optional: boolean = false;

  constructor(private readonly store: MediaStore) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<UploadRequest>();
    if (this.optional && !request.isMultipart()) return next.handle();
    if (!request.isMultipart()) {
      throw ApiError.unsupportedMediaType('request.not_multipart', 'Send the upload as multipart/form-data');
    }
    const fields: Record<string, string | string[]> = {};
    let staged: StagedFile | undefined;
    try {
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          if (part.fieldname !== FILE_FIELD || staged) {
            part.file.resume();
            throw staged
              ? ApiError.badRequest('upload.too_many_files', 'Send exactly one file')
              : ApiError.badRequest('request.unknown_field', `Unexpected file field "${part.fieldname}"; use "${FILE_FIELD}"`);
          }
          staged = { ...(await this.store.stage(part.file)), originalName: part.filename };
        } else {
          const value = String(part.value);
          const previous = fields[part.fieldname];
          fields[part.fieldname] = previous === undefined ? value : [previous, value].flat();
        }
      }
    } catch (error) {
      if (staged) await this.store.discard(staged);
      throw error;
    }
    if (!staged) throw ApiError.badRequest('upload.file_missing', `The multipart field "${FILE_FIELD}" with the media file is required`);
    if (staged.bytes === 0) {
      await this.store.discard(staged);
      throw ApiError.badRequest('upload.empty_file', 'The uploaded file is empty');
    }
    request.upload = staged;
    request.body = fields;
    // The staged file goes before the response does, so a refused upload leaves nothing behind by the time the client hears of it.
    const cleanup = () => this.store.discard(staged);
    return next.handle().pipe(
      concatMap((value) => from(cleanup().then(() => value))),
      catchError((error: unknown) => from(cleanup()).pipe(concatMap(() => throwError(() => error)))),
    );
  }
}

/** For routes that take either an upload or a JSON body (e.g. a hash lookup by file or by hash). */
@Injectable()
export class OptionalMediaUploadInterceptor extends MediaUploadInterceptor {
  protected override readonly optional = true;
}

/** The staged upload, set by MediaUploadInterceptor; undefined on a JSON request to an optional route. */
export const UploadedMedia = createParamDecorator(
  (_data: unknown, context: ExecutionContext): StagedFile => context.switchToHttp().getRequest<UploadRequest>().upload!,
);
