import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AccuracyService, accuracyCsv, packCsv, TrainingPackService } from '@loupe/domain/analysis';
import type { Principal } from '@loupe/vocabulary';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { UuidPipe } from '../http/uuid.pipe';
import {
  AccuracyQueryDto,
  AccuracyReportDto,
  EstimatedLabelsDto,
  EstimatedLabelsQueryDto,
  TrainingPackCreateDto,
  TrainingPackDto,
  TrainingPackListQueryDto,
  TrainingPackQueryDto,
  TrainingPackSummaryDto,
} from './accuracy.dto';
import { toAccuracyReportDto, toEstimatedLabelDto, toTrainingPackDto, toTrainingPackSummaryDto } from './accuracy.mapper';

const csvFile = (text: string, name: string) => new StreamableFile(Buffer.from(text), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${name}.csv"` });

@ApiTags('analysis')
@Controller('v1/analysis')
export class AccuracyController {
  constructor(
    private readonly accuracy: AccuracyService,
    private readonly packs: TrainingPackService,
  ) {}

  @Get('accuracy')
  @Roles('admin', 'analyst')
  @ApiOperation({
    summary: 'Moderator accuracy per moderator and policy, agreement, and where training would help most',
    description:
      "Per moderator and policy: accuracy on gold items with a 95% Wilson interval; Dawid–Skene's estimated sensitivity, specificity and accuracy from every overlapping review (gold or not); and accuracy against the best answer there is (the gold answer, else the label that stands unless it is the decision itself alone, else the estimated true label where two or more moderators reviewed the item). Cohen's kappa per pair of moderators and policy with their shared items; Fleiss' kappa per queue and policy. `weakest`: accuracy per (team, policy, nuance of the right answer), lowest first. Without a period: all time (Dawid–Skene and kappa need overlapping reviews). Teams are moderators' teams now. format=csv exports one table (table=moderators|pairs|queues|weakest).",
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: AccuracyReportDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'analysis.invalid_period (details.field names the field), request.invalid' })
  async report(@Query() query: AccuracyQueryDto): Promise<AccuracyReportDto | StreamableFile> {
    const report = await this.accuracy.report({ period: query.period, policyId: query.policy, team: query.team });
    if (query.format === 'csv') return csvFile(accuracyCsv(report, query.table ?? 'moderators'), `accuracy-${query.table ?? 'moderators'}-${report.period.label ?? 'all'}`);
    return toAccuracyReportDto(report);
  }

  @Get('accuracy/items')
  @Roles('admin', 'analyst')
  @ApiOperation({
    summary: "Dawid–Skene's estimated true label of each item reviewed, per policy",
    description: 'From every review of the period (all time without one): the label, its posterior probability and how many moderators labelled the item, with a blurred preview link.',
  })
  @ApiOkResponse({ type: EstimatedLabelsDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'analysis.invalid_period, request.invalid' })
  async items(@Query() query: EstimatedLabelsQueryDto): Promise<EstimatedLabelsDto> {
    const { period, items } = await this.accuracy.estimatedLabels({ period: query.period, policyId: query.policy });
    return { period: period.label, items: items.map(toEstimatedLabelDto) };
  }

  @Post('training-packs')
  @Roles('admin', 'analyst')
  @ApiOperation({
    summary: 'Make a training pack: the items a moderator or a team got wrong under a policy (and nuance)',
    description:
      "Gold misses, and decisions overturned by the label that stands or outvoted by the estimated true label, in the period (all time without one); each item once, with the right answer, the reason (the deciding review's note, else the nuance's title, else how the answer was reached) and a blurred preview link. Accuracy before is fixed now. Audited.",
  })
  @ApiCreatedResponse({ type: TrainingPackDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'analysis.pack_target_required (neither or both of moderatorId and team), analysis.invalid_period, request.invalid' })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'analysis.moderator_not_found, analysis.team_not_found, analysis.policy_not_found, analysis.nuance_not_found' })
  @ApiUnprocessableEntityResponse({ type: ApiErrorDto, description: 'analysis.nothing_to_train: every scored decision was right (details.decisions)' })
  async create(@Body() body: TrainingPackCreateDto, @CurrentPrincipal() actor: Principal): Promise<TrainingPackDto> {
    return toTrainingPackDto(await this.packs.create(body, actor));
  }

  @Get('training-packs')
  @Roles('admin', 'analyst')
  @ApiOperation({ summary: 'Training packs, newest first (up to 200)' })
  @ApiOkResponse({ type: [TrainingPackSummaryDto] })
  async list(@Query() query: TrainingPackListQueryDto): Promise<TrainingPackSummaryDto[]> {
    return (await this.packs.list({ moderatorId: query.moderatorId, team: query.team, policyId: query.policy })).map(toTrainingPackSummaryDto);
  }

  @Get('training-packs/:id')
  @Roles('admin', 'analyst')
  @ApiOperation({
    summary: 'A training pack: its items, accuracy before, and accuracy after its delivery',
    description: 'Accuracy after is computed now, on the decisions made since delivery. format=csv exports the items.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: TrainingPackDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'analysis.training_pack_not_found' })
  async get(@Param('id', UuidPipe) id: string, @Query() query: TrainingPackQueryDto): Promise<TrainingPackDto | StreamableFile> {
    const view = await this.packs.get(id);
    if (query.format === 'csv') return csvFile(packCsv(view.pack.policyId, view.pack.items), `training-pack-${id}`);
    return toTrainingPackDto(view);
  }

  @Post('training-packs/:id/delivered')
  @Roles('admin', 'analyst')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Mark the training done, now: accuracy after counts the decisions made from this moment', description: 'Once per pack. Audited.' })
  @ApiOkResponse({ type: TrainingPackDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'analysis.training_pack_not_found' })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'analysis.training_pack_delivered (details.deliveredAt)' })
  async delivered(@Param('id', UuidPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<TrainingPackDto> {
    return toTrainingPackDto(await this.packs.markDelivered(id, actor));
  }
}
