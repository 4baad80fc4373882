import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ModeratorService } from '@loupe/domain/review';
import { ModeratorDto, ModeratorGoldDto, ModeratorUpdateDto } from './moderator.dto';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { UuidPipe } from '../http/uuid.pipe';
import type { Principal } from '@loupe/vocabulary';

@ApiTags('moderators')
@Controller('v1/moderators')
export class ModeratorController {
  constructor(private readonly moderators: ModeratorService) {}

  @Get()
  @Roles('admin', 'analyst')
  @ApiOperation({ summary: 'Moderators (API keys of role moderator), with team and seniority' })
  @ApiOkResponse({ type: [ModeratorDto] })
  list(): Promise<ModeratorDto[]> {
    return this.moderators.list();
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: "Set a moderator's team and seniority (audited)" })
  @ApiOkResponse({ type: ModeratorDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'moderator.not_found' })
  async update(@Param('id', UuidPipe) id: string, @Body() body: ModeratorUpdateDto, @CurrentPrincipal() actor: Principal): Promise<ModeratorDto> {
    await this.moderators.update(id, body, actor);
    return (await this.moderators.list()).find((m) => m.id === id)!;
  }

  @Get(':id/gold')
  @Roles('admin', 'analyst')
  @ApiOperation({ summary: "A moderator's gold-check record" })
  @ApiOkResponse({ type: ModeratorGoldDto })
  gold(@Param('id', UuidPipe) id: string): Promise<ModeratorGoldDto> {
    return this.moderators.goldStatus(id);
  }
}
