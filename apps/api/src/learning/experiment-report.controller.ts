import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ExperimentReportService } from '@loupe/domain/learning';
import { Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { ExperimentReportDto, ExperimentReportQueryDto } from './experiment-report.dto';

@ApiTags('models')
@Controller('v1/models')
export class ExperimentReportController {
  constructor(private readonly reports: ExperimentReportService) {}

  @Get(':name/deployment/report')
  @Roles('admin', 'ml_engineer', 'analyst')
  @ApiOperation({
    summary: 'The shadow or canary report',
    description:
      "The challenger beside the champion on the items it scored, per policy: agreement by band, where each flags what the other does not, and each side against the human labels that arrived later. For a canary, also the two arms: the share of items each decided (against the configured percent), their outcomes, and their precision and recall against the labels. The window runs from the change that started the experiment to the one that ended it, or now.",
  })
  @ApiOkResponse({ type: ExperimentReportDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'model.no_experiment, model.version_not_found' })
  async report(@Param('name') name: string, @Query() query: ExperimentReportQueryDto): Promise<ExperimentReportDto> {
    return this.reports.report(name, query.version);
  }
}
