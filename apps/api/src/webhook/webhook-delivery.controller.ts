import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WebhookDeliveryService } from '@loupe/domain/webhooks';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { UuidPipe } from '../http/uuid.pipe';
import { WebhookDeliveryDto, WebhookDeliveryQueryDto } from './webhook.dto';
import { toWebhookDeliveryDto } from './webhook.mapper';
import type { Principal } from '@loupe/vocabulary';

@ApiTags('webhooks')
@Controller('v1/webhooks/:id/deliveries')
@Roles('admin')
export class WebhookDeliveryController {
  constructor(private readonly deliveries: WebhookDeliveryService) {}

  @Get()
  @ApiOperation({
    summary: "A subscription's deliveries, newest first",
    description: '`status=dead` is the dead-letter list: deliveries whose retries were spent. Each shows its attempts, the last status code and error.',
  })
  @ApiOkResponse({ type: [WebhookDeliveryDto] })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'webhook.not_found' })
  async list(@Param('id', UuidPipe) id: string, @Query() query: WebhookDeliveryQueryDto): Promise<WebhookDeliveryDto[]> {
    const { limit, ...filter } = query;
    return (await this.deliveries.list(id, filter, limit ?? 100)).map(toWebhookDeliveryDto);
  }

  @Post(':deliveryId/replay')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Send a dead (or delivered) delivery again',
    description: 'A new round of attempts with the same event id, so a receiver that has the event can drop the copy. Audited.',
  })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'webhook.not_found, webhook.delivery_not_found' })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'webhook.delivery_pending' })
  async replay(
    @Param('id', UuidPipe) id: string,
    @Param('deliveryId', UuidPipe) deliveryId: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<WebhookDeliveryDto> {
    return toWebhookDeliveryDto(await this.deliveries.replay(id, deliveryId, actor));
  }
}
