import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TrainingRunService, type TrainingRunRow } from '@loupe/domain/learning';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { UuidPipe } from '../http/uuid.pipe';
import { TrainingRunCreateDto, TrainingRunDto, TrainingRunQueryDto } from './training-run.dto';
import type { Principal } from '@loupe/vocabulary';

export function toTrainingRunDto(row: TrainingRunRow): TrainingRunDto {
  return {
    id: row.id,
    status: row.status,
    trigger: row.trigger,
    datasetId: row.datasetId,
    params: row.params,
    progress: row.progress as Record<string, unknown> | null,
    message: row.message,
    modelVersionId: row.modelVersionId,
    codeVersion: row.codeVersion,
    cancelRequested: row.cancelRequested,
    requestedBy: row.requestedBy,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    seconds: row.startedAt && row.finishedAt ? (row.finishedAt.getTime() - row.startedAt.getTime()) / 1000 : null,
    createdAt: row.createdAt,
  };
}

@ApiTags('training')
@Controller('v1/training-runs')
export class TrainingRunController {
  constructor(private readonly runs: TrainingRunService) {}

  @Post()
  @Roles('admin', 'ml_engineer')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Start a training run',
    description:
      'Snapshots a dataset (or uses the one given), trains a head for every policy with enough labels of each class (TRAINING_MIN_LABELS, default 30), evaluates the candidate beside the champion on the test and gold splits, proposes thresholds, checks the gates and adds a model version. One run at a time: a second request answers 409 with the active run in details.run.',
  })
  @ApiAcceptedResponse({ type: TrainingRunDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'request.invalid' })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'training.already_running' })
  async create(@Body() body: TrainingRunCreateDto, @CurrentPrincipal() actor: Principal): Promise<TrainingRunDto> {
    return toTrainingRunDto(await this.runs.request(body, actor, 'manual'));
  }

  @Get()
  @Roles('admin', 'ml_engineer', 'analyst')
  @ApiOperation({ summary: 'Training runs, newest first' })
  @ApiOkResponse({ type: [TrainingRunDto] })
  async list(@Query() query: TrainingRunQueryDto): Promise<TrainingRunDto[]> {
    return (await this.runs.list(query.limit)).map(toTrainingRunDto);
  }

  @Get(':id')
  @Roles('admin', 'ml_engineer', 'analyst')
  @ApiOperation({ summary: 'A training run: status, progress (epoch, loss, samples per second), the version it made' })
  @ApiOkResponse({ type: TrainingRunDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'training.run_not_found' })
  async get(@Param('id', UuidPipe) id: string): Promise<TrainingRunDto> {
    return toTrainingRunDto(await this.runs.get(id));
  }

  @Post(':id/cancel')
  @Roles('admin', 'ml_engineer')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Cancel a run', description: 'A queued run is cancelled at once; a running one stops at its next step (between batches). Audited.' })
  @ApiOkResponse({ type: TrainingRunDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'training.run_not_found' })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'training.run_ended' })
  async cancel(@Param('id', UuidPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<TrainingRunDto> {
    return toTrainingRunDto(await this.runs.cancel(id, actor));
  }
}
