import { Body, Controller, Get, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Principal } from '@loupe/domain/auth';
import { ReviewService } from '@loupe/domain/review';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { UuidPipe } from '../http/uuid.pipe';
import { ReviewDecisionCreateDto, ReviewDecisionDto, ReviewLeaseDto, ReviewTaskDto } from './review.dto';
import { toReviewDecisionDto, toReviewLeaseDto, toReviewTaskDto } from './review.mapper';

@ApiTags('review')
@Controller('v1/review')
@Roles('moderator')
export class ReviewController {
  constructor(private readonly review: ReviewService) {}

  @Get('next')
  @ApiOperation({ summary: 'Claim the most urgent open task', description: 'Leases it to you (REVIEW_LEASE_SECONDS, default 300). 204 when the queue is empty.' })
  @ApiQuery({ name: 'queue', required: false })
  @ApiOkResponse({ type: ReviewTaskDto })
  @ApiNoContentResponse({ description: 'No open task' })
  async next(@CurrentPrincipal() moderator: Principal, @Res({ passthrough: true }) reply: FastifyReply, @Query('queue') queue?: string): Promise<ReviewTaskDto | undefined> {
    const view = await this.review.next(moderator, queue);
    if (!view) {
      reply.status(HttpStatus.NO_CONTENT);
      return undefined;
    }
    return toReviewTaskDto(view);
  }

  @Get('tasks/:id')
  @ApiOperation({ summary: 'Read a task you hold' })
  @ApiOkResponse({ type: ReviewTaskDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'review.task_not_found' })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'review.lease_expired, review.task_closed' })
  async get(@Param('id', UuidPipe) id: string, @CurrentPrincipal() moderator: Principal): Promise<ReviewTaskDto> {
    return toReviewTaskDto(await this.review.get(id, moderator));
  }

  @Post('tasks/:id/heartbeat')
  @ApiOperation({ summary: 'Extend your lease on a task' })
  @ApiCreatedResponse({ type: ReviewLeaseDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'review.lease_expired, review.task_closed' })
  async heartbeat(@Param('id', UuidPipe) id: string, @CurrentPrincipal() moderator: Principal): Promise<ReviewLeaseDto> {
    return toReviewLeaseDto(await this.review.heartbeat(id, moderator));
  }

  @Post('tasks/:id/decision')
  @ApiOperation({
    summary: 'Decide a task you hold',
    description: 'Labels per policy. Settles the content (removed or allowed), stores a training label, and banks the hash of removed content. Sending the same decision again returns the first (200).',
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
    const { decision, created } = await this.review.decide(id, moderator, body);
    reply.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return toReviewDecisionDto(decision);
  }
}
