import { Controller, HttpCode, HttpStatus, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiExtraModels, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnprocessableEntityResponse, getSchemaPath } from '@nestjs/swagger';
import type { StagedFile } from '@loupe/media';
import { HashLookupService, LookupInput } from '@loupe/domain/matching';
import { Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { MediaUploadInterceptor, OptionalMediaUploadInterceptor, UploadedMedia } from '../http/media-upload.interceptor';
import { HashLookupCreateDto, HashLookupResultDto, HashResultDto } from './hash.dto';
import { FpsQueryPipe } from './fps-query.pipe';
import { HashLookupInput, HashLookupInputPipe } from './hash-lookup-input';
import { toHashLookupResultDto, toHashResultDto } from './hash.mapper';

@ApiTags('hashes')
@Controller('v1/hashes')
@Roles('admin', 'service', 'analyst', 'ml_engineer')
export class HashController {
  constructor(private readonly hashes: HashLookupService) {}

  @Post('hash')
  @HttpCode(HttpStatus.OK)
  @UseInterceptors(MediaUploadInterceptor)
  @ApiOperation({ summary: 'Hash an uploaded file: PDQ (and its 8 dihedral hashes) for an image, vPDQ for a video' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiQuery({ name: 'fps', required: false, description: 'Video frames per second to hash; 0 = every frame. Default VPDQ_FPS (1)' })
  @ApiOkResponse({ type: HashResultDto })
  @ApiUnprocessableEntityResponse({ type: ApiErrorDto, description: 'media.corrupt, media.truncated, media.too_many_pixels, media.too_long, media.too_many_frames (past SYNC_HASH_MAX_FRAMES)' })
  async hash(@UploadedMedia() file: StagedFile, @Query('fps', FpsQueryPipe) fps?: number): Promise<HashResultDto> {
    return toHashResultDto(await this.hashes.hashFile(file, { fps }));
  }

  @Post('lookup')
  @HttpCode(HttpStatus.OK)
  @UseInterceptors(OptionalMediaUploadInterceptor)
  @ApiOperation({
    summary: 'Look a hash or a file up in the banks',
    description:
      'JSON: a PDQ hash, or vPDQ frames. Multipart: a file, hashed as ingest would (an image is searched with all 8 dihedral hashes). Returns every match with its distance, bank and entry, and what ingest would do.',
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiExtraModels(HashLookupCreateDto)
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(HashLookupCreateDto) },
        { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
      ],
    },
  })
  @ApiOkResponse({ type: HashLookupResultDto })
  async lookup(@HashLookupInput(HashLookupInputPipe) input: LookupInput): Promise<HashLookupResultDto> {
    return toHashLookupResultDto(await this.hashes.lookupBy(input));
  }
}
