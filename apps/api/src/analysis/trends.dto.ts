import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { DEFAULT_SCAN_HOURS, DEFAULT_WATCH_HOURS, MAX_SCAN_HOURS, MAX_WATCH_HOURS } from '@loupe/domain/analysis';

const KINDS = ['term_burst', 'visual_cluster', 'bank_surge'] as const;
const STATUSES = ['open', 'acknowledged'] as const;
const WORK_KINDS = ['review_queue', 'labelling_batch', 'watch'] as const;

export class TrendScanRequestDto {
  @ApiPropertyOptional({ description: "The scan's now (ISO time): the hours up to it, floored to the hour, are read as they stood then. Default: now." })
  @IsOptional() @Type(() => Date) @IsDate()
  until?: Date;

  @ApiPropertyOptional({
    description:
      'What is known by this ISO time counts (removals, reports, cases opened): default `until`, which replays a past scan as it ran. ' +
      'A scan of past hours with what was learnt since passes a later time, such as now. Not before `until`.',
  })
  @IsOptional() @Type(() => Date) @IsDate()
  asOf?: Date;

  @ApiPropertyOptional({ default: DEFAULT_SCAN_HOURS, minimum: 13, maximum: MAX_SCAN_HOURS, description: 'Hours read before `until`; each hour is judged against up to 48 hours before it, and only after 12' })
  @IsOptional() @IsInt() @Min(13) @Max(MAX_SCAN_HOURS)
  hours?: number;
}

export class TrendListQueryDto {
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: (typeof STATUSES)[number];
  @ApiPropertyOptional({ enum: KINDS }) @IsOptional() @IsIn(KINDS) kind?: (typeof KINDS)[number];
  @ApiPropertyOptional({ example: 'adult_nudity', description: 'Only alerts concerning this policy' }) @IsOptional() @IsString() @Length(1, 100) policy?: string;
  @ApiPropertyOptional({ description: 'Only alerts last seen at or after this ISO time' }) @IsOptional() @Type(() => Date) @IsDate() since?: Date;
  @ApiPropertyOptional({ default: 100, maximum: 1000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

export class TopTermsQueryDto {
  @ApiProperty({ example: '2026-W49', description: 'A day (2026-12-01), an ISO week (2026-W49), a month (2026-12) or a quarter (2026-Q4), in UTC; compared with the period of the same kind before it' })
  @IsString() @Length(1, 20)
  period!: string;

  @ApiPropertyOptional({ default: 20, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) n?: number;

  @ApiPropertyOptional({ enum: ['hashtag', 'caption', 'all'], default: 'all', description: 'Hashtags (#tag), caption words, or both' })
  @IsOptional() @IsIn(['hashtag', 'caption', 'all'])
  terms?: 'hashtag' | 'caption' | 'all';
}

export class TrendAcknowledgeDto {
  @ApiPropertyOptional({ maxLength: 2000, example: 'Known raid; escalated to the policy team' }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class TrendWorkRequestDto {
  @ApiProperty({
    enum: WORK_KINDS,
    description:
      'review_queue: a queue of its items for moderators; labelling_batch: the same, in a queue named as a batch whose decisions become training labels (as every human decision does); ' +
      'watch: from now on, new uploads carrying its term (a term burst only) that the models would allow are held for review in the trend’s queue, for `hours`',
  })
  @IsIn(WORK_KINDS)
  kind!: (typeof WORK_KINDS)[number];

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_WATCH_HOURS, default: DEFAULT_WATCH_HOURS, description: 'For a watch: how long it holds new uploads' })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_WATCH_HOURS)
  hours?: number;
}

export class TrendWorkRecordDto {
  @ApiProperty({ enum: WORK_KINDS }) kind!: string;
  @ApiProperty({ example: 'trend-1a2b3c4d', description: 'Claim its tasks with GET /v1/review/next?queue=…' }) queueId!: string;
  @ApiProperty({ description: 'Cases opened in it (a watch: 0 when made; its holds are counted by the queue)' }) items!: number;
  @ApiProperty() at!: string;
  @ApiPropertyOptional({ description: 'A watch: until when it holds new uploads' }) until?: string;
}

export class TrendAlertDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: KINDS }) kind!: string;
  @ApiProperty({ example: '#burst', description: 'The term (#tag or a caption word), cluster:<oldest item id>, entry:<bank entry id> or bank:<bank id>' }) subject!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The policy most of its items concern (a bank surge: the bank’s)' }) policyId!: string | null;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiProperty({ description: 'The hour the burst began (its first flagged hour; a cluster: its oldest item’s hour)' }) firstSeenAt!: Date;
  @ApiProperty({ description: 'The latest hour seen in it' }) lastSeenAt!: Date;
  @ApiProperty({ description: 'Items in its flagged hours (a cluster: its items)' }) count!: number;
  @ApiProperty({ description: 'What the baseline predicted for the same hours (0 for a cluster with no counterpart before)' }) baseline!: number;
  @ApiProperty({ description: 'count / baseline (a cluster: its size)' }) lift!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'examples [{contentId, previewUrl}] (blurred, greyscale previews), contentIds (its items, oldest first), peak {at, count, total, expected, lift, pValue}, hours [{at, count, total, flagged}] from a day before, policies {policyId: items}; a term: relatedTerms; a bank surge: bankId, bankName, entryId; a cluster: leader, minSimilarity, nearestBaselineSimilarity',
  })
  evidence!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) acknowledgedBy!: string | null;
  @ApiProperty({ nullable: true, type: Date }) acknowledgedAt!: Date | null;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ type: [TrendWorkRecordDto] }) work!: TrendWorkRecordDto[];
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}

export class TrendScanResultDto {
  @ApiProperty() from!: Date;
  @ApiProperty() until!: Date;
  @ApiProperty() hours!: number;
  @ApiProperty({ description: 'What was known by this time counted' }) asOf!: Date;
  @ApiProperty({ description: 'Items posted in the window and removed, reported or held for review on suspicion by `asOf`' }) flaggedItems!: number;
  @ApiProperty({ description: 'Alerts the scan created' }) created!: number;
  @ApiProperty({ type: [TrendAlertDto], description: 'The alerts it found, new or updated' }) alerts!: TrendAlertDto[];
}

export class TrendWorkResultDto {
  @ApiProperty({ type: TrendAlertDto }) alert!: TrendAlertDto;
  @ApiProperty({ type: TrendWorkRecordDto }) work!: TrendWorkRecordDto;
  @ApiProperty({ description: 'Items already in a live case in another queue: not opened again' }) alreadyInReview!: number;
  @ApiProperty({ description: 'Items a moderator has already decided (they have their label)' }) alreadyDecided!: number;
  @ApiProperty({
    description:
      'Items whose case nobody had started, moved from another queue into the trend’s (a review queue or a watch; a labelling batch moves none). ' +
      'A watch gathers the alert’s items the models already sent to review.',
  })
  gathered!: number;
}

export class TopTermRowDto {
  @ApiProperty() term!: string;
  @ApiProperty() rank!: number;
  @ApiProperty() count!: number;
  @ApiProperty() previousCount!: number;
  @ApiProperty({ nullable: true, type: Number }) previousRank!: number | null;
  @ApiProperty() change!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Positive: climbed' }) rankChange!: number | null;
  @ApiProperty({ description: 'Not seen in the previous period' }) isNew!: boolean;
  @ApiProperty({ description: 'In this top N, not in the previous one' }) entered!: boolean;
}

export class DroppedTermDto {
  @ApiProperty() term!: string;
  @ApiProperty() previousRank!: number;
  @ApiProperty() previousCount!: number;
  @ApiProperty() count!: number;
}

export class TopTermsDto {
  @ApiProperty({ example: '2026-W49' }) period!: string;
  @ApiProperty() from!: Date;
  @ApiProperty() to!: Date;
  @ApiProperty() previousFrom!: Date;
  @ApiProperty() previousTo!: Date;
  @ApiProperty({ type: [TopTermRowDto], description: 'Terms among violating or reported items created in the period, most frequent first' }) rows!: TopTermRowDto[];
  @ApiProperty({ type: [DroppedTermDto], description: 'Terms of the previous top N that left it' }) dropped!: DroppedTermDto[];
}
