import { Readable } from 'node:stream';
import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { LabelExportService } from '@loupe/domain/review';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { LabelExportQueryDto } from './label.dto';
import type { Principal } from '@loupe/vocabulary';

@ApiTags('labels')
@Controller('v1/labels')
export class LabelController {
  constructor(private readonly labels: LabelExportService) {}

  @Get('export')
  @Roles('admin', 'ml_engineer', 'analyst')
  @ApiOperation({
    summary: 'Export training labels as JSONL, streamed',
    description:
      'One final label per line: content, the media\'s sha256 and format, caption, hashtags and language, policy labels, provenance (single_review, consensus, senior, gold, appeal), agreement, whether the labeller was passing gold checks, and the model scores and version at review time. superseded_by names the content\'s latest label when a later one (an overturned appeal) replaced this one; null on the label that stands.',
  })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'JSONL' })
  export(@Query() query: LabelExportQueryDto, @CurrentPrincipal() actor: Principal): StreamableFile {
    return new StreamableFile(Readable.from(this.labels.lines(query, actor)), {
      type: 'application/x-ndjson; charset=utf-8',
      disposition: 'attachment; filename="labels.jsonl"',
    });
  }
}
