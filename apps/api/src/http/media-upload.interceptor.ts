import { CallHandler, createParamDecorator, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { finalize, Observable } from 'rxjs';
import { ApiError } from '@loupe/common';
import { MediaStore, StagedFile } from '@loupe/media';

type UploadRequest = FastifyRequest & { upload?: StagedFile; body: unknown };

const FILE_FIELD = 'file';

/**
 * Reads a multipart upload: the `file` part is streamed to the media store's
 * staging area (never held whole in memory, size-limited by @fastify/multipart),
 * the other parts become the body that the DTO validates. The staged file is
 * removed after the request unless the handler committed it.
 */
@Injectable()
export class MediaUploadInterceptor implements NestInterceptor {
  constructor(private readonly store: MediaStore) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<UploadRequest>();
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
          staged = await this.store.stage(part.file);
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
    const upload = staged;
    return next.handle().pipe(finalize(() => void this.store.discard(upload)));
  }
}

/** The staged upload, set by MediaUploadInterceptor. */
export const UploadedMedia = createParamDecorator(
  (_data: unknown, context: ExecutionContext): StagedFile => context.switchToHttp().getRequest<UploadRequest>().upload!,
);
