import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiError } from '@loupe/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Path ids are UUIDs; anything else is a client error, not a database error. */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw ApiError.badRequest('request.invalid_id', `"${value}" is not a valid id`);
    return value.toLowerCase();
  }
}
