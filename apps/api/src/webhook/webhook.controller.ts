import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WebhookSubscriptionService } from '@loupe/domain/webhooks';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { UuidPipe } from '../http/uuid.pipe';
import { WebhookCreateDto, WebhookCreatedDto, WebhookDto, WebhookUpdateDto } from './webhook.dto';
import { toWebhookCreatedDto, toWebhookDto } from './webhook.mapper';
import type { Principal } from '@loupe/vocabulary';

const TARGET_ERRORS = 'request.invalid, webhook.invalid_url, webhook.target_not_public, webhook.target_unresolvable';

@ApiTags('webhooks')
@Controller('v1/webhooks')
@Roles('admin')
export class WebhookController {
  constructor(private readonly webhooks: WebhookSubscriptionService) {}

  @Post()
  @ApiOperation({
    summary: 'Subscribe a URL to events',
    description: 'Deliveries are signed with the secret (Loupe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">). The response holds the secret; it is shown once.',
  })
  @ApiCreatedResponse({ type: WebhookCreatedDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: TARGET_ERRORS })
  async create(@Body() body: WebhookCreateDto, @CurrentPrincipal() actor: Principal): Promise<WebhookCreatedDto> {
    return toWebhookCreatedDto(await this.webhooks.create(body, actor));
  }

  @Get()
  @ApiOperation({ summary: 'List webhook subscriptions (never their secrets)' })
  @ApiOkResponse({ type: [WebhookDto] })
  async list(): Promise<WebhookDto[]> {
    return (await this.webhooks.list()).map(toWebhookDto);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a webhook subscription' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'webhook.not_found' })
  async get(@Param('id', UuidPipe) id: string): Promise<WebhookDto> {
    return toWebhookDto(await this.webhooks.get(id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a subscription: URL, events, secret, description, enabled', description: 'Audited; a new URL is checked as at creation.' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: TARGET_ERRORS })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'webhook.not_found' })
  async update(@Param('id', UuidPipe) id: string, @Body() body: WebhookUpdateDto, @CurrentPrincipal() actor: Principal): Promise<WebhookDto> {
    return toWebhookDto(await this.webhooks.update(id, body, actor));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a subscription and its deliveries' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'webhook.not_found' })
  async delete(@Param('id', UuidPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<void> {
    await this.webhooks.delete(id, actor);
  }
}
