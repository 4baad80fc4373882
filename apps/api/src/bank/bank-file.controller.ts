import { Readable } from 'node:stream';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, StreamableFile, UseInterceptors } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiError } from '@loupe/common';
import type { StagedFile } from '@loupe/media';
import { BankExportService, BankImportService } from '@loupe/domain/matching';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { MediaUploadInterceptor, UploadedMedia } from '../http/media-upload.interceptor';
import { UuidPipe } from '../http/uuid.pipe';
import { BankImportCreateDto, BankImportDto } from './bank-import.dto';
import { BANK_READERS } from './bank.controller';
import { toBankImportDto } from './bank.mapper';
import type { Principal } from '@loupe/vocabulary';

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson; charset=utf-8' } as const;

@ApiTags('banks')
@Controller('v1/banks/:bankId')
export class BankFileController {
  constructor(
    private readonly importer: BankImportService,
    private readonly exporter: BankExportService,
  ) {}

  @Post('imports')
  @Roles('admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @UseInterceptors(MediaUploadInterceptor)
  @ApiOperation({
    summary: 'Import a CSV or JSONL hash file into a bank',
    description:
      'Columns/keys: signal_type (pdq, vpdq), hash (or frames for vpdq in JSONL), quality, source, note, tags. Runs as a job; follow it at GET …/imports/:importId. Bad lines are reported by line number; good lines are never lost.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' }, format: { type: 'string', enum: ['csv', 'jsonl'] } } } })
  @ApiAcceptedResponse({ type: BankImportDto })
  async create(
    @Param('bankId', UuidPipe) bankId: string,
    @UploadedMedia() file: StagedFile,
    @Body() body: BankImportCreateDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<BankImportDto> {
    return toBankImportDto(await this.importer.start(bankId, file, body.format, actor));
  }

  @Get('imports/:importId')
  @Roles(...BANK_READERS)
  @ApiOperation({ summary: "An import's progress and report" })
  @ApiOkResponse({ type: BankImportDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'bank_import.not_found' })
  async get(@Param('bankId', UuidPipe) bankId: string, @Param('importId', UuidPipe) importId: string): Promise<BankImportDto> {
    return toBankImportDto(await this.importer.get(bankId, importId));
  }

  @Get('export')
  @Roles(...BANK_READERS)
  @ApiOperation({ summary: 'Export a bank as CSV or JSONL, streamed', description: 'The same format that imports read.' })
  @ApiQuery({ name: 'format', enum: ['csv', 'jsonl'], required: false })
  @ApiProduces(CONTENT_TYPES.csv, CONTENT_TYPES.jsonl)
  @ApiOkResponse({ description: 'The file' })
  async export(@Param('bankId', UuidPipe) bankId: string, @Query('format') format = 'csv'): Promise<StreamableFile> {
    if (format !== 'csv' && format !== 'jsonl') throw ApiError.badRequest('request.invalid', 'format must be csv or jsonl');
    return new StreamableFile(Readable.from(await this.exporter.open(bankId, format)), {
      type: CONTENT_TYPES[format],
      disposition: `attachment; filename="bank-${bankId}.${format}"`,
    });
  }
}
