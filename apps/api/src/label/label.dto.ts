import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsString } from 'class-validator';

export const LABEL_PROVENANCE_VALUES = ['single_review', 'consensus', 'senior', 'gold', 'appeal'] as const;

export class LabelExportQueryDto {
  @ApiPropertyOptional({ description: 'ISO time, inclusive' }) @IsOptional() @Type(() => Date) @IsDate() from?: Date;
  @ApiPropertyOptional({ description: 'ISO time, exclusive' }) @IsOptional() @Type(() => Date) @IsDate() to?: Date;
  @ApiPropertyOptional({ example: 'adult_nudity' }) @IsOptional() @IsString() policyId?: string;
  @ApiPropertyOptional({ enum: LABEL_PROVENANCE_VALUES }) @IsOptional() @IsIn(LABEL_PROVENANCE_VALUES) provenance?: (typeof LABEL_PROVENANCE_VALUES)[number];
}
