import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { MissesService, missesCsv } from '@loupe/domain/analysis';
import { Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { MissesQueryDto, MissesReportDto } from './misses.dto';
import { toMissesReportDto } from './misses.mapper';

@ApiTags('analysis')
@Controller('v1/analysis/misses')
export class MissesController {
  constructor(private readonly misses: MissesService) {}

  @Get()
  @Roles('admin', 'analyst')
  @ApiOperation({
    summary: 'Missed violations: content let through first and confirmed violating later',
    description:
      'The items (once per policy) first allowed by the model, past the banks, or by a moderator, and confirmed violating in the period (by a report, a viral re-review, a retro-hunt, an appeal or a gold check); ' +
      'the miss rate per policy, region, language, kind, model version and score band; views before removal and time to removal; one cause per missed item with its evidence ' +
      '(human_error, hash_variant, no_model, near_threshold, blind_spot); a per-day series; and, per policy, what lower review thresholds would have caught and how many more reviews a day they would have cost. format=csv gives the missed items.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: MissesReportDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'analysis.invalid_period or analysis.unknown_policy (details.field names the field), request.invalid (details.fields)' })
  async report(@Query() query: MissesQueryDto): Promise<MissesReportDto | StreamableFile> {
    const report = await this.misses.report(
      query.period,
      { policyId: query.policy, region: query.region, language: query.language, kind: query.kind },
      { margin: query.margin, hashMargin: query.hashMargin },
    );
    if (query.format === 'csv') {
      return new StreamableFile(Buffer.from(missesCsv(report.items)), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="misses-${report.period.label}.csv"` });
    }
    return toMissesReportDto(report);
  }
}
