import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiTags } from '@nestjs/swagger';
import { ViewsService, type ViewEvent } from '@loupe/domain/analysis';
import { Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { ViewsBatchCreateDto, ViewsBatchResultDto } from './content-intake.dto';
import { ViewsBatchPipe } from './views-batch.pipe';

/** View counts in bulk, as the platform's counters flush them. */
@ApiTags('contents')
@Controller('v1/views')
export class ViewsController {
  constructor(private readonly views: ViewsService) {}

  @Post()
  @HttpCode(200)
  @Roles('service', 'admin')
  @ApiOperation({
    summary: 'View counts of many items at once',
    description:
      'Each count is applied or rejected on its own (an unknown content id, a count older than the last recorded or lower than one already recorded); the answer lists the rejected events by their index, and the events that crossed virality tiers; the rest of the batch is applied. A malformed event (a negative count, a bad id) refuses the whole batch with 400 naming the field, and nothing is applied. Counts feed reach, review priority and virality tiers, as the single-item endpoint does.',
  })
  @ApiBody({ type: ViewsBatchCreateDto })
  @ApiOkResponse({ type: ViewsBatchResultDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'request.invalid (details.fields names each bad field, e.g. events[3].views)' })
  @ApiPayloadTooLargeResponse({ type: ApiErrorDto, description: 'views.batch_too_large: more than VIEWS_BATCH_MAX events' })
  // An array type, so the global validation pipe leaves the body to ViewsBatchPipe (see there why).
  async record(@Body(ViewsBatchPipe) events: ViewEvent[]): Promise<ViewsBatchResultDto> {
    const { applied, rejected, results } = await this.views.record(events);
    // Only what needs the caller's attention is listed: a batch of thousands answers in a few bytes.
    const rejections: ViewsBatchResultDto['rejections'] = [];
    const crossings: ViewsBatchResultDto['crossings'] = [];
    for (const r of results) {
      if (r.status === 'rejected') rejections.push({ index: r.index, contentId: r.contentId, code: r.code, message: r.message });
      else if (r.tiersCrossed.length > 0) crossings.push({ index: r.index, contentId: r.contentId, viewsPerHour: r.viewsPerHour, tiers: r.tiersCrossed });
    }
    return { applied, rejected, rejections, crossings };
  }
}
