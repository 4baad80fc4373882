import { createReadStream } from 'node:fs';
import { Body, Controller, Get, Param, Post, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type DatasetRow, DatasetService } from '@loupe/domain/learning';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { UuidPipe } from '../http/uuid.pipe';
import { DatasetCreateDto, DatasetDto } from './dataset.dto';
import type { Principal } from '@loupe/vocabulary';

@ApiTags('datasets')
@Controller('v1/datasets')
export class DatasetController {
  constructor(private readonly datasets: DatasetService) {}

  @Post()
  @Roles('admin', 'ml_engineer')
  @ApiOperation({
    summary: 'Snapshot training labels into a dataset',
    description:
      'Chooses labels by time, policy and provenance; the latest label of each content stands (an overturned appeal replaces the original); labels of moderators failing gold are left out or down-weighted; consensus, senior and appeal labels weigh more. The most recent share is the test split; active gold items form the gold split. Written to DATA_DIR/datasets/<id>/ (manifest.json, rows.jsonl). Audited.',
  })
  @ApiCreatedResponse({ type: DatasetDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'request.invalid, dataset.invalid, dataset.unknown_policy' })
  async create(@Body() body: DatasetCreateDto, @CurrentPrincipal() actor: Principal): Promise<DatasetDto> {
    return this.toDto(await this.datasets.create({ name: body.name, filter: body.filter ?? {}, rules: body.rules }, actor));
  }

  @Get()
  @Roles('admin', 'ml_engineer', 'analyst')
  @ApiOperation({ summary: 'List datasets, newest first' })
  @ApiOkResponse({ type: [DatasetDto] })
  async list(): Promise<DatasetDto[]> {
    return (await this.datasets.list()).map((row) => this.toDto(row));
  }

  @Get(':id')
  @Roles('admin', 'ml_engineer', 'analyst')
  @ApiOperation({ summary: 'Read a dataset: its filter, rules, counts per policy and split, and the hash of its rows' })
  @ApiOkResponse({ type: DatasetDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'dataset.not_found' })
  async get(@Param('id', UuidPipe) id: string): Promise<DatasetDto> {
    return this.toDto(await this.datasets.get(id));
  }

  @Get(':id/rows')
  @Roles('admin', 'ml_engineer', 'analyst')
  @ApiOperation({
    summary: "A dataset's rows as JSONL",
    description: 'One row per line: content_id, label_id (null for gold), split (train, test, gold), weight, labels, provenance, labelled_at, media_sha256, media_format, kind, caption, hashtags, language.',
  })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'JSONL' })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'dataset.not_found' })
  async rows(@Param('id', UuidPipe) id: string): Promise<StreamableFile> {
    return new StreamableFile(createReadStream(await this.datasets.rowsPath(id)), {
      type: 'application/x-ndjson; charset=utf-8',
      disposition: `attachment; filename="dataset-${id}.jsonl"`,
    });
  }

  private toDto(row: DatasetRow): DatasetDto {
    return {
      id: row.id,
      name: row.name,
      filter: row.filter,
      rules: row.rules as unknown as Record<string, unknown>,
      counts: row.counts as unknown as Record<string, unknown>,
      rowCount: row.rowCount,
      rowsHash: row.rowsHash,
      path: this.datasets.directory(row.id),
      createdBy: row.createdBy,
      createdAt: row.createdAt,
    };
  }
}
