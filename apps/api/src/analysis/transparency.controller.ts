import { Readable } from 'node:stream';
import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { TransparencyService, transparencyCsv } from '@loupe/domain/analysis';
import { Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { DsaExportQueryDto, TransparencyQueryDto, TransparencyReportDto } from './transparency.dto';

@ApiTags('analysis')
@Controller('v1/analysis/transparency')
export class TransparencyController {
  constructor(private readonly transparency: TransparencyService) {}

  @Get()
  @Roles('admin', 'analyst')
  @ApiOperation({
    summary: 'Transparency figures for a period, per policy and country',
    description:
      'Items removed (each item once, at its first removal in the period), the proactive share (by a bank or a model before any user report), removed before any view, removed within 24 hours of upload, the automated share, removals by moderators, appeals and reinstatements in the period, and the median time from upload to removal. format=csv for a spreadsheet.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: TransparencyReportDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'analysis.invalid_period (details.field names the field), request.invalid' })
  async figures(@Query() query: TransparencyQueryDto): Promise<TransparencyReportDto | StreamableFile> {
    const { period, rows } = await this.transparency.report(query.period, { policyId: query.policy, country: query.country });
    if (query.format === 'csv') {
      return new StreamableFile(Buffer.from(transparencyCsv(rows)), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="transparency-${period.label}.csv"` });
    }
    return { period: period.label, from: period.from, to: period.to, rows };
  }

  @Get('dsa')
  @Roles('admin', 'analyst')
  @ApiOperation({
    summary: 'The period’s removals as EU DSA statements of reasons, streamed',
    description:
      "One line per call of the DSA Transparency Database's batch API: {\"statements\": [...]}, up to 100 statements each, validated against the database's rules. A removal decided on an appeal or a gold item has no statement (it is not a new restriction).",
  })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'JSONL, one batch per line' })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'analysis.invalid_period' })
  dsa(@Query() query: DsaExportQueryDto): StreamableFile {
    const { period, batches } = this.transparency.dsaExport(query.period);
    async function* lines() {
      for await (const batch of batches) yield `${JSON.stringify(batch)}\n`;
    }
    return new StreamableFile(Readable.from(lines()), { type: 'application/x-ndjson; charset=utf-8', disposition: `attachment; filename="dsa-statements-${period.label}.jsonl"` });
  }
}
