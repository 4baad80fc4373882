import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

export class TransparencyQueryDto {
  @ApiProperty({ example: '2026-Q4', description: 'A day (2026-12-01), an ISO week (2026-W49), a month (2026-12) or a quarter (2026-Q4), in UTC' })
  @IsString() @Length(1, 20)
  period!: string;

  @ApiPropertyOptional({ example: 'adult_nudity', description: "Only this policy's rows (and the totals)" })
  @IsOptional() @IsString() @Length(1, 100)
  policy?: string;

  @ApiPropertyOptional({ example: 'DE', description: "Only this country's rows (and the totals): ISO 3166-1 alpha-2" })
  @IsOptional() @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code, e.g. DE' })
  country?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional() @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class DsaExportQueryDto {
  @ApiProperty({ example: '2026-Q4', description: 'As for the figures' })
  @IsString() @Length(1, 20)
  period!: string;
}

export class TransparencyRowDto {
  @ApiProperty({ description: "A policy id, or '*' for all" }) policyId!: string;
  @ApiProperty({ description: "ISO 3166-1 alpha-2, or '*' for all" }) country!: string;
  @ApiProperty({ description: 'Items whose first removal falls in the period' }) removed!: number;
  @ApiProperty({ description: 'Removed by a bank or a model before any user report' }) proactive!: number;
  @ApiProperty({ nullable: true, type: Number }) proactiveShare!: number | null;
  @ApiProperty({ description: 'Removed while the platform had reported no view of the item' }) removedBeforeAnyView!: number;
  @ApiProperty({ nullable: true, type: Number }) removedBeforeAnyViewShare!: number | null;
  @ApiProperty({ description: 'Removed within 24 hours of upload' }) removedWithin24h!: number;
  @ApiProperty({ nullable: true, type: Number }) removedWithin24hShare!: number | null;
  @ApiProperty({ description: 'Decided by a bank or a model' }) automated!: number;
  @ApiProperty({ nullable: true, type: Number }) automatedShare!: number | null;
  @ApiProperty({ description: 'Decided by a moderator' }) humanReviewed!: number;
  @ApiProperty({ description: 'Appeals lodged in the period' }) appeals!: number;
  @ApiProperty({ description: 'Removals overturned in the period' }) reinstatements!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Median seconds from upload to removal' }) medianSecondsToAction!: number | null;
}

export class TransparencyReportDto {
  @ApiProperty({ example: '2026-Q4' }) period!: string;
  @ApiProperty() from!: Date;
  @ApiProperty() to!: Date;
  @ApiProperty({ type: [TransparencyRowDto], description: "Totals first ('*'), then per policy and country; an item removed under two policies counts in each policy's rows" })
  rows!: TransparencyRowDto[];
}
