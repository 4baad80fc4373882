import { createParamDecorator, ExecutionContext, Injectable, PipeTransform } from '@nestjs/common';
import type { StagedFile } from '@loupe/media';
import type { LookupInput } from '@loupe/domain/matching';
import { createValidationPipe } from '../http/validation.pipe';
import { HashLookupCreateDto } from './hash.dto';
import { toLookupQuery } from './hash.mapper';

interface RawLookupInput {
  file?: StagedFile;
  body: unknown;
}

/** The lookup's input: the uploaded file when the request was multipart, else the JSON body. */
export const HashLookupInput = createParamDecorator((_data: unknown, context: ExecutionContext): RawLookupInput => {
  const request = context.switchToHttp().getRequest<{ upload?: StagedFile; body: unknown }>();
  return { file: request.upload, body: request.body };
});

/** Validates the JSON body only when no file came: a file lookup needs no other field. */
@Injectable()
export class HashLookupInputPipe implements PipeTransform<RawLookupInput, Promise<LookupInput>> {
  private readonly validation = createValidationPipe();

  async transform({ file, body }: RawLookupInput): Promise<LookupInput> {
    if (file) return { file };
    const dto = (await this.validation.transform(body ?? {}, { type: 'body', metatype: HashLookupCreateDto })) as HashLookupCreateDto;
    return { query: toLookupQuery(dto) };
  }
}
