import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiError } from '@loupe/common';

@Injectable()
export class FpsQueryPipe implements PipeTransform<string | undefined, number | undefined> {
  transform(value: string | undefined): number | undefined {
    if (value === undefined || value === '') return undefined;
    const fps = Number(value);
    if (!Number.isFinite(fps) || fps < 0 || fps > 120) throw ApiError.badRequest('request.invalid', 'fps must be a number from 0 (every frame) to 120');
    return fps;
  }
}
