import { Controller, Get, Param, StreamableFile } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ContentPreviewService } from '@loupe/domain/analysis';
import { Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { toStreamableFile } from '../http/media-body';
import { UuidPipe } from '../http/uuid.pipe';

@ApiTags('analysis')
@Controller('v1/analysis/contents')
export class ContentPreviewController {
  constructor(private readonly previews: ContentPreviewService) {}

  @Get(':id/preview')
  @Roles('admin', 'analyst')
  @ApiOperation({
    summary: 'An item as analysts see it: blurred and greyscale',
    description: 'The softened preview (PREVIEW_BLUR, always greyscale; a muted contact sheet of frames for a video), never the original. Trend alerts’ examples and training packs link here.',
  })
  @ApiProduces('image/jpeg')
  @ApiOkResponse({ description: 'A JPEG' })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'content.not_found' })
  @ApiResponse({ status: 422, type: ApiErrorDto, description: 'media.corrupt, media.truncated, media.too_many_pixels' })
  async preview(@Param('id', UuidPipe) id: string): Promise<StreamableFile> {
    return toStreamableFile(await this.previews.preview(id));
  }
}
