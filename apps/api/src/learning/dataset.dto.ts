import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsDateString, IsIn, IsNumber, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { LABEL_PROVENANCES, type LabelProvenance } from '@loupe/vocabulary';

export class DatasetFilterDto {
  @ApiPropertyOptional({ description: 'Labelled at or after (ISO time)' }) @IsOptional() @IsDateString() from?: string;
  @ApiPropertyOptional({ description: 'Labelled before (ISO time)' }) @IsOptional() @IsDateString() to?: string;

  @ApiPropertyOptional({ example: ['hate_symbols'], description: "Only these policies' labels" })
  @IsOptional() @IsArray() @ArrayNotEmpty() @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 100, { each: true })
  policyIds?: string[];

  @ApiPropertyOptional({ enum: LABEL_PROVENANCES, isArray: true, description: 'Only labels reached this way; applied to the label that stands for each content' })
  @IsOptional() @IsArray() @ArrayNotEmpty() @IsIn(LABEL_PROVENANCES, { each: true })
  provenances?: LabelProvenance[];
}

export class DatasetWeightsDto {
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @IsNumber() @Min(0.01) @Max(100) single_review?: number;
  @ApiPropertyOptional({ default: 2 }) @IsOptional() @IsNumber() @Min(0.01) @Max(100) consensus?: number;
  @ApiPropertyOptional({ default: 2 }) @IsOptional() @IsNumber() @Min(0.01) @Max(100) senior?: number;
  @ApiPropertyOptional({ default: 2 }) @IsOptional() @IsNumber() @Min(0.01) @Max(100) appeal?: number;
  @ApiPropertyOptional({ default: 2 }) @IsOptional() @IsNumber() @Min(0.01) @Max(100) gold?: number;
}

export class DatasetRulesDto {
  @ApiPropertyOptional({ default: 0.2, description: 'The most recent share of the labels that forms the test split' })
  @IsOptional() @IsNumber() @Min(0) @Max(0.9)
  testShare?: number;

  @ApiPropertyOptional({ default: true, description: 'Take the test share per class (the policies an item violates, or none), so that a policy whose labels are all recent still trains; false: over all labels at once' })
  @IsOptional() @IsBoolean()
  perClassSplit?: boolean;

  @ApiPropertyOptional({ enum: ['exclude', 'downweight'], default: 'exclude', description: 'Labels of moderators failing gold checks when they labelled' })
  @IsOptional() @IsIn(['exclude', 'downweight'])
  failingGold?: 'exclude' | 'downweight';

  @ApiPropertyOptional({ default: 0.5, description: 'Their weight, when down-weighted' }) @IsOptional() @IsNumber() @Min(0.01) @Max(1) failingGoldWeight?: number;

  @ApiPropertyOptional({ type: DatasetWeightsDto, description: 'Weight of a label by its provenance' })
  @IsOptional() @ValidateNested() @Type(() => DatasetWeightsDto)
  weights?: DatasetWeightsDto;
}

export class DatasetCreateDto {
  @ApiPropertyOptional({ example: 'symbols-2026-12', description: 'Defaults to dataset-<time>' }) @IsOptional() @IsString() @Length(1, 200) name?: string;

  @ApiPropertyOptional({ type: DatasetFilterDto }) @IsOptional() @ValidateNested() @Type(() => DatasetFilterDto) filter?: DatasetFilterDto;

  @ApiPropertyOptional({ type: DatasetRulesDto }) @IsOptional() @ValidateNested() @Type(() => DatasetRulesDto) rules?: DatasetRulesDto;
}

export class DatasetDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: DatasetFilterDto }) filter!: DatasetFilterDto;
  @ApiProperty({ description: 'The rules in full, defaults included' }) rules!: Record<string, unknown>;
  @ApiProperty({
    description: 'rows per split (train, test, gold); per policy and split, positive and negative items; labels left out and why (superseded, failingGold, gold, filtered)',
    example: { rows: { train: 80, test: 20, gold: 5 }, byPolicy: { adult_nudity: { train: { positive: 40, negative: 40 } } }, left: { superseded: 3, failingGold: 0, gold: 1, filtered: 0 } },
  })
  counts!: Record<string, unknown>;
  @ApiProperty() rowCount!: number;
  @ApiProperty({ description: 'sha256 of the rows in canonical form: the same filter over the same labels gives the same hash' }) rowsHash!: string;
  @ApiProperty({ description: 'Where its files are: manifest.json and rows.jsonl' }) path!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) createdBy!: string | null;
  @ApiProperty() createdAt!: Date;
}
