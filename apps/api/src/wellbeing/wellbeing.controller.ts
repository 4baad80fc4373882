import { Body, Controller, Get, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ExposureService, PreferencesService, WellbeingReportService } from '@loupe/domain/wellbeing';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { ExposureDto } from '../review/review.dto';
import {
  EffectivePreferencesDto,
  ModeratorBreakCreateDto,
  ModeratorBreakDto,
  PreviewDefaultsUpdateDto,
  PreviewPreferencesDto,
  PreviewPreferencesUpdateDto,
  WellbeingReportDto,
  WellbeingReportQueryDto,
} from './wellbeing.dto';
import type { Principal } from '@loupe/vocabulary';

const WEEK = 7 * 24 * 3600_000;

@ApiTags('wellbeing')
@Controller('v1')
export class WellbeingController {
  constructor(
    private readonly reports: WellbeingReportService,
    private readonly preferences: PreferencesService,
    private readonly exposure: ExposureService,
  ) {}

  @Get('wellbeing/report')
  @Roles('admin', 'analyst', 'moderator')
  @ApiOperation({ summary: 'Exposure, breaks and reveal rates per moderator and per team', description: 'A moderator sees only their own row.' })
  @ApiOkResponse({ type: WellbeingReportDto })
  report(@Query() query: WellbeingReportQueryDto, @CurrentPrincipal() requester: Principal): Promise<WellbeingReportDto> {
    const to = query.to ?? new Date();
    return this.reports.report({ from: query.from ?? new Date(to.getTime() - WEEK), to }, requester);
  }

  @Get('wellbeing/defaults')
  @Roles('admin', 'moderator')
  @ApiOperation({ summary: "The organisation's default preview: blur and greyscale" })
  @ApiOkResponse({ type: PreviewPreferencesDto })
  defaults(): Promise<PreviewPreferencesDto> {
    return this.preferences.defaults();
  }

  @Put('wellbeing/defaults')
  @Roles('admin')
  @ApiOperation({ summary: "Change the organisation's default preview (audited)" })
  @ApiOkResponse({ type: PreviewPreferencesDto })
  setDefaults(@Body() body: PreviewDefaultsUpdateDto, @CurrentPrincipal() actor: Principal): Promise<PreviewPreferencesDto> {
    return this.preferences.setDefaults(body, actor);
  }

  @Get('me/preferences')
  @Roles('moderator')
  @ApiOperation({ summary: 'Your preview preferences, and whether each is yours or the default' })
  @ApiOkResponse({ type: EffectivePreferencesDto })
  myPreferences(@CurrentPrincipal() moderator: Principal): Promise<EffectivePreferencesDto> {
    return this.preferences.effective(moderator.id);
  }

  @Put('me/preferences')
  @Roles('moderator')
  @ApiOperation({ summary: 'Set your blur level and greyscale; null goes back to the default' })
  @ApiOkResponse({ type: EffectivePreferencesDto })
  setMyPreferences(@Body() body: PreviewPreferencesUpdateDto, @CurrentPrincipal() moderator: Principal): Promise<EffectivePreferencesDto> {
    return this.preferences.update(moderator, body);
  }

  @Get('me/exposure')
  @Roles('moderator')
  @ApiOperation({ summary: 'Your exposure budget: high-severity items this hour and this shift' })
  @ApiOkResponse({ type: ExposureDto })
  myExposure(@CurrentPrincipal() moderator: Principal): Promise<ExposureDto> {
    return this.exposure.status(moderator.id);
  }

  @Post('me/breaks')
  @Roles('moderator')
  @ApiOperation({ summary: 'Take a break', description: 'A break of at least BREAK_MINUTES restarts your hourly exposure budget when it ends.' })
  @ApiCreatedResponse({ type: ModeratorBreakDto })
  takeBreak(@Body() body: ModeratorBreakCreateDto, @CurrentPrincipal() moderator: Principal): Promise<ModeratorBreakDto> {
    return this.exposure.takeBreak(moderator.id, body.minutes);
  }
}
