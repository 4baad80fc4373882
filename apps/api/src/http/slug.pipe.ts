import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiError } from '@loupe/common';

/** Ids that people choose (queues): lowercase letters, digits, - and _. */
@Injectable()
export class SlugPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[a-z0-9][a-z0-9_-]{0,99}$/.test(value)) {
      throw ApiError.badRequest('request.invalid_id', `"${value}" is not a valid id: use lowercase letters, digits, - and _`);
    }
    return value;
  }
}
