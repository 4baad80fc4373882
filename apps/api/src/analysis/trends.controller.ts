import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { TrendAlertService, trendAlertsCsv, TrendScanService, TrendWorkService } from '@loupe/domain/analysis';
import type { Principal } from '@loupe/vocabulary';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { UuidPipe } from '../http/uuid.pipe';
import { TopTermsDto, TopTermsQueryDto, TrendAcknowledgeDto, TrendAlertDto, TrendListQueryDto, TrendScanRequestDto, TrendScanResultDto, TrendWorkRequestDto, TrendWorkResultDto } from './trends.dto';
import { toTopTermsDto, toTrendAlertDto } from './trends.mapper';

@ApiTags('analysis')
@Controller('v1/analysis/trends')
@Roles('admin', 'analyst')
export class TrendsController {
  constructor(
    private readonly scanner: TrendScanService,
    private readonly alerts: TrendAlertService,
    private readonly work: TrendWorkService,
  ) {}

  @Post('scan')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Scan for emerging trends now, or as of a past time',
    description:
      'Reads the hours before `until` (floored to the hour) as they stood then: hashtags and caption words whose share of flagged items (removed, reported, or held for review on a model’s or a bank’s suspicion) jumps against their own trailing 48 hours (a Poisson test), ' +
      'new visual clusters among the last day’s violating items (no item of the 30 days before looks alike), and bank entries or banks whose share of the hour’s items surges. ' +
      'Each trend becomes an alert, or updates the alert of the same burst. The same scan runs on its own at TREND_SCAN_CRON.',
  })
  @ApiOkResponse({ type: TrendScanResultDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'request.invalid' })
  async scan(@Body() body: TrendScanRequestDto): Promise<TrendScanResultDto> {
    const result = await this.scanner.scan({ until: body.until, asOf: body.asOf, hours: body.hours });
    return { ...result, alerts: result.alerts.map(toTrendAlertDto) };
  }

  @Get()
  @ApiOperation({ summary: 'Trend alerts, latest first', description: 'Filtered by status, kind, policy and the time they were last seen; format=csv for a spreadsheet (without the evidence).' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: [TrendAlertDto] })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'request.invalid' })
  async list(@Query() query: TrendListQueryDto): Promise<TrendAlertDto[] | StreamableFile> {
    const alerts = await this.alerts.list({ status: query.status, kind: query.kind, policyId: query.policy, since: query.since, limit: query.limit });
    if (query.format === 'csv') return new StreamableFile(Buffer.from(trendAlertsCsv(alerts)), { type: 'text/csv; charset=utf-8', disposition: 'attachment; filename="trend-alerts.csv"' });
    return alerts.map(toTrendAlertDto);
  }

  @Get('top-terms')
  @ApiOperation({
    summary: 'Top terms among violating or reported items, period over period',
    description: 'The N most frequent hashtags and caption words among flagged items created in the period, each with its count and rank in the period before (of the same kind), what climbed, what is new, and what dropped out.',
  })
  @ApiOkResponse({ type: TopTermsDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'analysis.invalid_period (details.field names the field), request.invalid' })
  async topTerms(@Query() query: TopTermsQueryDto): Promise<TopTermsDto> {
    return toTopTermsDto(await this.alerts.topTerms(query.period, { n: query.n, termKind: query.terms }));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A trend alert with its evidence' })
  @ApiOkResponse({ type: TrendAlertDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'trend.alert_not_found' })
  async get(@Param('id', UuidPipe) id: string): Promise<TrendAlertDto> {
    return toTrendAlertDto(await this.alerts.get(id));
  }

  @Post(':id/acknowledge')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Acknowledge a trend alert, with a note', description: 'Once: the first acknowledgement and its note stand (audited). A later scan that sees the same burst updates its figures and leaves it acknowledged.' })
  @ApiOkResponse({ type: TrendAlertDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'trend.alert_not_found' })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'trend.already_acknowledged' })
  async acknowledge(@Param('id', UuidPipe) id: string, @Body() body: TrendAcknowledgeDto, @CurrentPrincipal() actor: Principal): Promise<TrendAlertDto> {
    return toTrendAlertDto(await this.alerts.acknowledge(id, actor, body.note ?? null));
  }

  @Post(':id/work')
  @ApiOperation({
    summary: 'Turn a trend into work: a review queue of its items, a labelling batch, or a watch on new uploads',
    description:
      'Opens a review case for each of the alert’s items in a queue of its own (trend-<id> or label-<id>, keyed to nothing, so routing sends nothing else there), recorded in the alert’s work. ' +
      'Each item once: items a moderator already decided, or already in a live case elsewhere, are counted and left as they are. ' +
      'A watch (term bursts only) holds new uploads that carry the term, and that the models would allow, for review in the trend’s queue (decision source rule, case source trend) for `hours`: ' +
      'how a team keeps a new harm from being seen while the models learn it. One of each kind per alert.',
  })
  @ApiCreatedResponse({ type: TrendWorkResultDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'trend.alert_not_found' })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'trend.work_exists (details.queueId)' })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'request.invalid' })
  async makeWork(@Param('id', UuidPipe) id: string, @Body() body: TrendWorkRequestDto, @CurrentPrincipal() actor: Principal): Promise<TrendWorkResultDto> {
    const result = await this.work.makeWork(id, body.kind, actor, body.hours);
    return { ...result, alert: toTrendAlertDto(result.alert) };
  }
}
