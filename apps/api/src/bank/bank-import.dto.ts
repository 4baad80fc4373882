import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class BankImportCreateDto {
  @ApiPropertyOptional({ enum: ['csv', 'jsonl'], description: 'Defaults from the file name (.csv, .jsonl, .ndjson)' })
  @IsOptional() @IsIn(['csv', 'jsonl'])
  format?: 'csv' | 'jsonl';
}

export class BankImportDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) bankId!: string;
  @ApiProperty({ enum: ['csv', 'jsonl'] }) format!: string;
  @ApiProperty({ enum: ['pending', 'running', 'completed', 'failed'] }) status!: string;
  @ApiProperty() linesRead!: number;
  @ApiProperty() imported!: number;
  @ApiProperty({ description: 'Lines whose media the bank already held' }) duplicates!: number;
  @ApiProperty({ description: 'Bad lines; each is listed in errors (up to 1000)' }) failed!: number;
  @ApiProperty({ type: [String], example: ['line 7: hash must be 64 hex characters'] }) errors!: string[];
  @ApiPropertyOptional({ nullable: true, type: String }) failureReason!: string | null;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({ nullable: true, type: Date }) finishedAt!: Date | null;
}
