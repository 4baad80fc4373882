import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { FEATURE_BACKFILL_STATUSES } from '@loupe/vocabulary';

export class FeatureBackfillDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: FEATURE_BACKFILL_STATUSES }) status!: string;
  @ApiProperty({ example: 'nsfwjs-mobilenetv2@4.3.0', description: "The backbone's id and version it embeds with" }) backbone!: string;
  @ApiProperty({ description: 'Classified items that needed an image embedding when it started: none from this backbone, or one stored before mid_gem existed' })
  total!: number;
  @ApiProperty({ description: 'Items done (embedded or skipped)' }) done!: number;
  @ApiProperty({ description: 'Items embedded and stored' }) embedded!: number;
  @ApiProperty({ description: 'Items skipped: no model input left to embed' }) skipped!: number;
  @ApiProperty({ description: 'done / total, 0..100 (100 when there was nothing to do)' }) percent!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Why it failed' }) failedReason!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) requestedBy!: string | null;
  @ApiProperty({ nullable: true, type: Date }) startedAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date }) finishedAt!: Date | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Seconds from start to end' }) seconds!: number | null;
  @ApiProperty() createdAt!: Date;
}

export class FeatureBackfillQueryDto {
  @ApiPropertyOptional({ default: 50, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}
