import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GoldService, QueueService } from '@loupe/domain/review';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { SlugPipe } from '../http/slug.pipe';
import { UuidPipe } from '../http/uuid.pipe';
import {
  GoldItemCreateDto,
  GoldItemDto,
  ReviewQueueDto,
  ReviewQueuePutDto,
  RoutingRuleCreateDto,
  RoutingRuleDto,
  RoutingRuleUpdateDto,
} from './review-admin.dto';
import { toGoldItemDto, toReviewQueueDto, toRoutingRuleDto } from './review-admin.mapper';
import type { Principal } from '@loupe/vocabulary';

@ApiTags('review admin')
@Controller('v1/review')
export class ReviewAdminController {
  constructor(
    private readonly queues: QueueService,
    private readonly gold: GoldService,
  ) {}

  @Get('queues')
  @Roles('moderator', 'admin', 'analyst')
  @ApiOperation({ summary: 'The review queues, with open and leased tasks and the next SLA deadline' })
  @ApiOkResponse({ type: [ReviewQueueDto] })
  async listQueues(): Promise<ReviewQueueDto[]> {
    return (await this.queues.list()).map(toReviewQueueDto);
  }

  @Put('queues/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Create or change a queue: policy area, languages, regions, SLA, consensus, gold rate', description: 'Audited.' })
  @ApiOkResponse({ type: ReviewQueueDto })
  async putQueue(@Param('id', SlugPipe) id: string, @Body() body: ReviewQueuePutDto, @CurrentPrincipal() actor: Principal): Promise<ReviewQueueDto> {
    return toReviewQueueDto(await this.queues.put({ id, ...body }, actor));
  }

  @Get('routing-rules')
  @Roles('admin', 'analyst')
  @ApiOperation({ summary: 'The routing rules, in the order they are tried' })
  @ApiOkResponse({ type: [RoutingRuleDto] })
  async listRules(): Promise<RoutingRuleDto[]> {
    return (await this.queues.listRules()).map(toRoutingRuleDto);
  }

  @Post('routing-rules')
  @Roles('admin')
  @ApiOperation({
    summary: 'Add a routing rule',
    description: 'Conditions on source, policies, score band, region, language and severity pick the queue; the first rule by position that holds wins. Audited.',
  })
  @ApiCreatedResponse({ type: RoutingRuleDto })
  async createRule(@Body() body: RoutingRuleCreateDto, @CurrentPrincipal() actor: Principal): Promise<RoutingRuleDto> {
    return toRoutingRuleDto(await this.queues.createRule(body, actor));
  }

  @Patch('routing-rules/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change a routing rule (audited)' })
  @ApiOkResponse({ type: RoutingRuleDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'routing_rule.not_found' })
  async updateRule(@Param('id', UuidPipe) id: string, @Body() body: RoutingRuleUpdateDto, @CurrentPrincipal() actor: Principal): Promise<RoutingRuleDto> {
    return toRoutingRuleDto(await this.queues.updateRule(id, body, actor));
  }

  @Delete('routing-rules/:id')
  @Roles('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a routing rule (audited)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async deleteRule(@Param('id', UuidPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<void> {
    await this.queues.deleteRule(id, actor);
  }

  @Get('gold')
  @Roles('admin', 'analyst')
  @ApiOperation({ summary: 'Gold items, with how often moderators answered them right' })
  @ApiOkResponse({ type: [GoldItemDto] })
  async listGold(): Promise<GoldItemDto[]> {
    return (await this.gold.list()).map(toGoldItemDto);
  }

  @Post('gold')
  @Roles('admin')
  @ApiOperation({ summary: 'Add a gold item: a content item with its known answer', description: 'Queues inject gold tasks at their gold rate; answers are scored.' })
  @ApiCreatedResponse({ type: GoldItemDto })
  async createGold(@Body() body: GoldItemCreateDto, @CurrentPrincipal() actor: Principal): Promise<GoldItemDto> {
    return toGoldItemDto(await this.gold.create(body.contentId, body.labels, actor));
  }

  @Delete('gold/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Retire a gold item' })
  @ApiOkResponse({ type: GoldItemDto })
  async deactivateGold(@Param('id', UuidPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<GoldItemDto> {
    return toGoldItemDto(await this.gold.deactivate(id, actor));
  }
}
