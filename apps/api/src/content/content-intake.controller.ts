import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AppealRow } from '@loupe/domain/review';
import { ViewsService } from '@loupe/domain/analysis';
import { AppealService, ReportService } from '@loupe/domain/review';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { Idempotent } from '../http/idempotency.interceptor';
import { UuidPipe } from '../http/uuid.pipe';
import { AppealCreateDto, AppealDto, ContentReachDto, ContentReachSeriesDto, ContentReportCreateDto, ContentReportResultDto, ContentViewsCreateDto } from './content-intake.dto';
import type { Principal } from '@loupe/vocabulary';

const toAppealDto = (a: AppealRow): AppealDto => ({
  id: a.id,
  contentId: a.contentId,
  decisionId: a.decisionId,
  statement: a.statement,
  status: a.status,
  caseId: a.caseId,
  createdAt: a.createdAt,
  decidedAt: a.decidedAt,
});

/** What the platform tells Loupe after ingest: user reports, appeals and view counts. */
@ApiTags('contents')
@Controller('v1/contents/:id')
export class ContentIntakeController {
  constructor(
    private readonly reports: ReportService,
    private readonly appeals: AppealService,
    private readonly views: ViewsService,
  ) {}

  @Post('reports')
  @Roles('service', 'admin')
  @Idempotent()
  @ApiOperation({ summary: 'A user report', description: 'Reports on the same item merge into one review case and raise its priority.' })
  @ApiCreatedResponse({ type: ContentReportResultDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'report.unknown_policy, report.before_post, report.reported_at_future, request.invalid' })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'content.not_found' })
  report(@Param('id', UuidPipe) id: string, @Body() body: ContentReportCreateDto, @CurrentPrincipal() actor: Principal): Promise<ContentReportResultDto> {
    return this.reports.report(id, body, actor);
  }

  @Post('appeals')
  @Roles('service', 'admin')
  @Idempotent()
  @ApiOperation({
    summary: "Appeal a removal on the creator's behalf",
    description: 'A moderator other than any who decided the item reviews it. An overturn reinstates the item and is recorded against the original decision.',
  })
  @ApiCreatedResponse({ type: AppealDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'appeal.not_removed, appeal.exists' })
  async appeal(@Param('id', UuidPipe) id: string, @Body() body: AppealCreateDto, @CurrentPrincipal() actor: Principal): Promise<AppealDto> {
    return toAppealDto(await this.appeals.create(id, body.statement ?? '', actor));
  }

  @Get('appeals')
  @Roles('service', 'admin', 'analyst')
  @ApiOperation({ summary: "An item's appeals and their outcomes" })
  @ApiOkResponse({ type: [AppealDto] })
  async appealsOf(@Param('id', UuidPipe) id: string): Promise<AppealDto[]> {
    return (await this.appeals.list(id)).map(toAppealDto);
  }

  @Get('reach')
  @Roles('service', 'admin', 'analyst')
  @ApiOperation({ summary: "An item's view counts over time, and the virality tiers it crossed with what each re-check did" })
  @ApiOkResponse({ type: ContentReachSeriesDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'content.not_found' })
  reach(@Param('id', UuidPipe) id: string): Promise<ContentReachSeriesDto> {
    return this.views.reachOf(id);
  }

  @Post('views')
  @Roles('service', 'admin')
  @ApiOperation({
    summary: 'The current view count',
    description: 'Feeds review priority (reach, view velocity) and re-checks of content that goes viral (VIRALITY_TIERS). For many items at once, POST /v1/views.',
  })
  @ApiCreatedResponse({ type: ContentReachDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'content.not_found' })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'views.out_of_order (older than the last count), views.count_decreased (lower than a count already recorded), request.invalid' })
  async recordViews(@Param('id', UuidPipe) id: string, @Body() body: ContentViewsCreateDto): Promise<ContentReachDto> {
    const { views, viewsPerHour, tiersCrossed } = await this.views.recordOne(id, body.views, body.observedAt, { shares: body.shares, reports: body.reports });
    return { views, viewsPerHour, tiersCrossed };
  }
}
