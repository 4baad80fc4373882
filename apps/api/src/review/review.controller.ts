import { Body, Controller, Get, Header, HttpCode, HttpStatus, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ClaimService, PreviewService, ReviewDecisionService, TaskLeaseService } from '@loupe/domain/review';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { toStreamableFile } from '../http/media-body';
import { UuidPipe } from '../http/uuid.pipe';
import { ReviewDecisionCreateDto, ReviewDecisionDto, ReviewLeaseDto, ReviewNextQueryDto, ReviewPreviewQueryDto, ReviewTaskDto, ReviewTaskReasonDto } from './review.dto';
import { toReviewDecisionDto, toReviewLeaseDto, toReviewTaskDto } from './review.mapper';
import type { Principal } from '@loupe/vocabulary';

@ApiTags('review')
@Controller('v1/review')
@Roles('moderator')
export class ReviewController {
  constructor(
    private readonly claims: ClaimService,
    private readonly leases: TaskLeaseService,
    private readonly decisions: ReviewDecisionService,
    private readonly previews: PreviewService,
  ) {}

  @Get('next')
  @ApiOperation({
    summary: 'Claim the most urgent task you may take',
    description:
      'Leases it to you alone (REVIEW_LEASE_SECONDS). 204 when there is none. Past your exposure budget you get only low-severity work, or 423 with the break you need.',
  })
  @ApiOkResponse({ type: ReviewTaskDto })
  @ApiNoContentResponse({ description: 'No task for you' })
  @ApiResponse({ status: 423, type: ApiErrorDto, description: 'wellbeing.break_required' })
  async next(@CurrentPrincipal() moderator: Principal, @Query() query: ReviewNextQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<ReviewTaskDto | undefined> {
    const view = await this.claims.next(moderator, query.queue);
    if (!view) reply.status(HttpStatus.NO_CONTENT);
    return view ? toReviewTaskDto(view) : undefined;
  }

  @Get('tasks/:id')
  @ApiOperation({ summary: 'Read a task you hold' })
  @ApiOkResponse({ type: ReviewTaskDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'review.task_not_found' })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'review.lease_expired, review.task_closed' })
  async get(@Param('id', UuidPipe) id: string, @CurrentPrincipal() moderator: Principal): Promise<ReviewTaskDto> {
    return toReviewTaskDto(await this.leases.get(id, moderator));
  }

  @Get('tasks/:id/preview')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The softened preview of a task you hold', description: 'Blurred and greyscale to your preferences; a contact sheet of frames for a video (no sound).' })
  @ApiProduces('image/jpeg')
  @ApiOkResponse({ description: 'JPEG' })
  async preview(@Param('id', UuidPipe) id: string, @Query() query: ReviewPreviewQueryDto, @CurrentPrincipal() moderator: Principal): Promise<StreamableFile> {
    return toStreamableFile(await this.previews.preview(id, moderator, query));
  }

  @Post('tasks/:id/reveal')
  @Header('Cache-Control', 'no-store')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'The original media of a task you hold', description: 'An explicit step, recorded in the audit log and the wellbeing report.' })
  @ApiOkResponse({ description: 'The original bytes' })
  async reveal(@Param('id', UuidPipe) id: string, @CurrentPrincipal() moderator: Principal): Promise<StreamableFile> {
    return toStreamableFile(await this.previews.reveal(id, moderator));
  }

  @Post('tasks/:id/heartbeat')
  @ApiOperation({ summary: 'Extend your lease on a task' })
  @ApiCreatedResponse({ type: ReviewLeaseDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'review.lease_expired, review.task_closed' })
  async heartbeat(@Param('id', UuidPipe) id: string, @CurrentPrincipal() moderator: Principal): Promise<ReviewLeaseDto> {
    return toReviewLeaseDto(await this.leases.heartbeat(id, moderator));
  }

  @Post('tasks/:id/skip')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Give a task back with a reason', description: 'It returns to its queue, but never to you.' })
  @ApiNoContentResponse({ description: 'Skipped' })
  async skip(@Param('id', UuidPipe) id: string, @Body() body: ReviewTaskReasonDto, @CurrentPrincipal() moderator: Principal): Promise<void> {
    await this.leases.skip(id, moderator, body.reason);
  }

  @Post('tasks/:id/release')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Give a task back to its queue (for a break, say)' })
  @ApiNoContentResponse({ description: 'Released' })
  async release(@Param('id', UuidPipe) id: string, @CurrentPrincipal() moderator: Principal): Promise<void> {
    await this.leases.release(id, moderator);
  }

  @Post('tasks/:id/escalate')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Escalate a task to senior review, with a reason' })
  @ApiNoContentResponse({ description: 'Escalated' })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'review.already_senior' })
  async escalate(@Param('id', UuidPipe) id: string, @Body() body: ReviewTaskReasonDto, @CurrentPrincipal() moderator: Principal): Promise<void> {
    await this.leases.escalate(id, moderator, body.reason);
  }

  @Post('tasks/:id/decision')
  @ApiOperation({
    summary: 'Decide a task you hold',
    description:
      'Labels per policy, an action and a note; the time spent is measured from your claim. A single review settles the case; consensus waits for every blind review and sends disagreements to a senior. Sending the same decision again returns the first (200).',
  })
  @ApiCreatedResponse({ type: ReviewDecisionDto, description: 'Decision recorded' })
  @ApiOkResponse({ type: ReviewDecisionDto, description: 'The same decision was already recorded' })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'request.invalid, review.invalid_labels' })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'review.task_not_found' })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'review.lease_expired, review.task_closed, review.already_decided' })
  async decide(
    @Param('id', UuidPipe) id: string,
    @Body() body: ReviewDecisionCreateDto,
    @CurrentPrincipal() moderator: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReviewDecisionDto> {
    const { decision, created } = await this.decisions.decide(id, moderator, body);
    reply.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return toReviewDecisionDto(decision);
  }
}
