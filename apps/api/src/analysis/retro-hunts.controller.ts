import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiError } from '@loupe/common';
import { RetroHuntService } from '@loupe/domain/analysis';
import type { Principal } from '@loupe/vocabulary';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { UuidPipe } from '../http/uuid.pipe';
import { RetroHuntCreateDto, RetroHuntDto, RetroHuntReportDto } from './retro-hunts.dto';

@ApiTags('analysis')
@Controller('v1/analysis/retro-hunts')
export class RetroHuntsController {
  constructor(private readonly hunts: RetroHuntService) {}

  @Post()
  @Roles('admin', 'analyst', 'ml_engineer')
  @ApiOperation({
    summary: 'Start a retro-hunt',
    description:
      "Re-matches recent allowed content (RETRO_HUNT_DAYS, default 7) against a bank's new entries, or re-scores it with a model's champion, in the background (job analysis.retro-hunt, with progress). What it finds is removed or sent to review as new content would be, and counted as a catch of the entry or model version. Loupe starts one on its own when a bank gains entries or a model is promoted (RETRO_HUNT_ON_BANK_CHANGE, RETRO_HUNT_ON_PROMOTION). A bank's hunt not yet started is returned rather than a second one made.",
  })
  @ApiCreatedResponse({ type: RetroHuntDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'retro_hunt.target: give exactly one of bankId and modelName' })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'bank.not_found, model.no_champion' })
  start(@Body() body: RetroHuntCreateDto, @CurrentPrincipal() actor: Principal): Promise<RetroHuntDto> {
    if ((body.bankId === undefined) === (body.modelName === undefined)) throw ApiError.badRequest('retro_hunt.target', 'Give exactly one of bankId and modelName');
    return this.hunts.start(body.bankId !== undefined ? { bankId: body.bankId } : { modelName: body.modelName! }, actor.id);
  }

  @Get()
  @Roles('admin', 'analyst', 'ml_engineer')
  @ApiOperation({ summary: 'Recent retro-hunts, newest first, with their progress' })
  @ApiOkResponse({ type: [RetroHuntDto] })
  list(): Promise<RetroHuntDto[]> {
    return this.hunts.list();
  }

  @Get(':id')
  @Roles('admin', 'analyst', 'ml_engineer')
  @ApiOperation({ summary: 'A retro-hunt: its progress, what it caught, and the catches per bank entry or model version' })
  @ApiOkResponse({ type: RetroHuntReportDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'retro_hunt.not_found' })
  report(@Param('id', UuidPipe) id: string): Promise<RetroHuntReportDto> {
    return this.hunts.report(id);
  }
}
