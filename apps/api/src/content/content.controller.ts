import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, UseInterceptors } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { StagedFile } from '@loupe/media';
import { ContentIngestService, ContentQueryService } from '@loupe/domain/content';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { Idempotent } from '../http/idempotency.interceptor';
import { MediaUploadInterceptor, UploadedMedia } from '../http/media-upload.interceptor';
import { UuidPipe } from '../http/uuid.pipe';
import { ContentCreateDto, ContentCreatedDto, ContentDto } from './content.dto';
import { toContentCreatedDto, toContentDto } from './content.mapper';
import type { Principal } from '@loupe/vocabulary';

@ApiTags('contents')
@Controller('v1/contents')
export class ContentController {
  constructor(
    private readonly ingest: ContentIngestService,
    private readonly query: ContentQueryService,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @Roles('service', 'admin')
  @Idempotent()
  @UseInterceptors(MediaUploadInterceptor)
  @ApiOperation({ summary: 'Ingest an image or a video', description: 'Stores the upload and queues hashing (PDQ, or vPDQ for video), bank matching and classification.' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'creatorId', 'region', 'language'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'JPEG, PNG, WebP or GIF; MP4, MOV or WebM' },
        caption: { type: 'string' },
        hashtags: { type: 'string', description: 'Comma- or space-separated, or the field repeated' },
        creatorId: { type: 'string' },
        region: { type: 'string', example: 'US' },
        language: { type: 'string', example: 'en' },
        postedAt: { type: 'string', format: 'date-time', description: "When the user posted it, on the platform's clock (default: now)" },
      },
    },
  })
  @ApiAcceptedResponse({ type: ContentCreatedDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'Missing or unknown field (request.invalid, request.unknown_field, upload.file_missing), or postedAt ahead of the clock (content.posted_at_future)' })
  @ApiPayloadTooLargeResponse({ type: ApiErrorDto, description: 'Upload over UPLOAD_MAX_BYTES (upload.too_large)' })
  @ApiUnsupportedMediaTypeResponse({ type: ApiErrorDto, description: 'Not a supported image or video (media.unsupported_type)' })
  @ApiUnprocessableEntityResponse({ type: ApiErrorDto, description: 'Truncated, corrupt or oversized media (media.truncated, media.corrupt, media.too_many_pixels, media.too_long)' })
  async create(@UploadedMedia() file: StagedFile, @Body() fields: ContentCreateDto, @CurrentPrincipal() actor: Principal): Promise<ContentCreatedDto> {
    return toContentCreatedDto(await this.ingest.ingest(file, { ...fields, hashtags: fields.hashtags ?? [] }, actor));
  }

  @Get(':id')
  @Roles('service', 'admin', 'analyst', 'ml_engineer')
  @ApiOperation({ summary: 'Read a content item: status, decision, scores, hash and labels' })
  @ApiOkResponse({ type: ContentDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'content.not_found' })
  async get(@Param('id', UuidPipe) id: string): Promise<ContentDto> {
    return toContentDto(await this.query.get(id));
  }
}
