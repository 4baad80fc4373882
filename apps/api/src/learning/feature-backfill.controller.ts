import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FeatureBackfillService } from '@loupe/domain/learning';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { UuidPipe } from '../http/uuid.pipe';
import { FeatureBackfillDto, FeatureBackfillQueryDto } from './feature-backfill.dto';
import { toFeatureBackfillDto } from './feature-backfill.mapper';
import type { Principal } from '@loupe/vocabulary';

@ApiTags('features')
@Controller('v1/features/backfill')
export class FeatureBackfillController {
  constructor(private readonly backfills: FeatureBackfillService) {}

  @Post()
  @Roles('admin', 'ml_engineer')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Start a feature backfill',
    description:
      "Computes and stores the image embedding (the backbone's id and version with it) of every classified item that has none from the current backbone, or one stored before the mid_gem readout existed, from the item's stored model input. Items without a model input left are counted as skipped. Text features need no backfill: they are computed from the item's caption, hashtags and language by a versioned featuriser whenever they are read. A job on the learning queue; progress is in the record. One at a time: a second request answers 409 with the active backfill in details.backfill. Audited.",
  })
  @ApiAcceptedResponse({ type: FeatureBackfillDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'features.backfill_running' })
  async create(@CurrentPrincipal() actor: Principal): Promise<FeatureBackfillDto> {
    return toFeatureBackfillDto(await this.backfills.request(actor));
  }

  @Get()
  @Roles('admin', 'ml_engineer', 'analyst')
  @ApiOperation({ summary: 'Feature backfills, newest first' })
  @ApiOkResponse({ type: [FeatureBackfillDto] })
  async list(@Query() query: FeatureBackfillQueryDto): Promise<FeatureBackfillDto[]> {
    return (await this.backfills.list(query.limit)).map(toFeatureBackfillDto);
  }

  @Get(':id')
  @Roles('admin', 'ml_engineer', 'analyst')
  @ApiOperation({ summary: 'A feature backfill: status, items done of the total, embedded and skipped' })
  @ApiOkResponse({ type: FeatureBackfillDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'request.invalid_id' })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'features.backfill_not_found' })
  async get(@Param('id', UuidPipe) id: string): Promise<FeatureBackfillDto> {
    return toFeatureBackfillDto(await this.backfills.get(id));
  }
}
