import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { MISS_CAUSES, SLICE_DIMENSIONS } from '@loupe/domain/analysis';

const CONFIRMED_BY = ['report', 'virality', 'retro_hunt', 'appeal', 'gold', 'sample', 'review', 'model', 'hash'];

export class MissesQueryDto {
  @ApiProperty({ example: '2026-Q4', description: 'A day (2026-12-01), an ISO week (2026-W49), a month (2026-12) or a quarter (2026-Q4), in UTC: violations confirmed in it' })
  @IsString() @Length(1, 20)
  period!: string;

  @ApiPropertyOptional({ example: 'adult_nudity', description: "Only this policy's violations (400 analysis.unknown_policy if it is not in the catalog)" })
  @IsOptional() @IsString() @Length(1, 100)
  policy?: string;

  @ApiPropertyOptional({ example: 'DE', description: 'Only content from this country: ISO 3166-1 alpha-2' })
  @IsOptional() @Matches(/^[A-Z]{2}$/, { message: 'region must be an ISO 3166-1 alpha-2 code, e.g. DE' })
  region?: string;

  @ApiPropertyOptional({ example: 'de', description: 'Only content in this language: a BCP 47 tag' })
  @IsOptional() @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'language must be a BCP 47 tag such as en or pt-BR' })
  language?: string;

  @ApiPropertyOptional({ enum: ['image', 'video'] })
  @IsOptional() @IsIn(['image', 'video'])
  kind?: 'image' | 'video';

  @ApiPropertyOptional({ default: 0.1, minimum: 0, maximum: 1, description: 'A score at most this far under the review threshold is near_threshold; further under, blind_spot' })
  @IsOptional() @Type(() => Number) @IsNumber() @Min(0) @Max(1)
  margin?: number;

  @ApiPropertyOptional({ default: 15, minimum: 1, maximum: 64, description: 'A banked hash at most this many bits beyond its bank’s PDQ distance makes a miss a hash_variant' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(64)
  hashMargin?: number;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json', description: 'csv: the missed items, one row each' })
  @IsOptional() @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class MissAllowDto {
  @ApiProperty() decisionId!: string;
  @ApiProperty({ enum: ['model', 'hash', 'human'], description: 'What let the item through first: the model (under every review threshold, and past the banks), a bank, or a moderator' })
  by!: string;
  @ApiProperty() at!: Date;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The moderator, for an allow by a human' }) actorId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'For an allow by a human: what had opened the case' }) caseSource!: string | null;
}

export class MissedItemDto {
  @ApiProperty() contentId!: string;
  @ApiProperty({ example: 'adult_nudity' }) policyId!: string;
  @ApiProperty({ enum: ['image', 'video'] }) kind!: string;
  @ApiProperty() region!: string;
  @ApiProperty() language!: string;
  @ApiProperty() uploadedAt!: Date;
  @ApiProperty({ type: MissAllowDto }) allowed!: MissAllowDto;
  @ApiProperty({ enum: CONFIRMED_BY, description: 'What confirmed the violation: the case a moderator removed it on (report, virality, appeal, gold, sample: a quality sample of allowed content; review for a case the model or a bank opened), a retro-hunt or a viral re-check that removed it, or a gold answer' })
  confirmedBy!: string;
  @ApiProperty() confirmedAt!: Date;
  @ApiProperty({ description: 'The decision, retro-hunt or gold item that confirmed it' }) confirmationId!: string;
  @ApiPropertyOptional({ nullable: true, type: Date, description: 'Null when only a gold answer confirmed it' }) removedAt!: Date | null;
  @ApiProperty({ enum: MISS_CAUSES }) cause!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'By cause. human_error: allowDecisionId, moderatorId, allowedAt, reviewedOn, overturnedBy, confirmationId. hash_variant: bankId, bankName, entryId, distance, bankThreshold, bitsBeyond. no_model: policyId, scoredBy. near_threshold: score, reviewThreshold, margin, belowBy, modelVersion. blind_spot: score, reviewThreshold, margin, modelVersion, kind.',
  })
  evidence!: Record<string, unknown>;
  @ApiPropertyOptional({ nullable: true, type: Number, description: "The policy's deciding score when the model routed the item; null if no model scored the policy" }) score!: number | null;
  @ApiProperty({ example: '0.7-0.8', description: "Tenths of the score ('none' when unscored)" }) scoreBand!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) modelVersion!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'The review threshold in force when the model routed the item' }) reviewThreshold!: number | null;
  @ApiProperty({ description: 'The platform’s last view count at or before the removal (or the confirmation)' }) viewsBeforeRemoval!: number;
  @ApiPropertyOptional({ nullable: true, type: Number }) secondsToRemoval!: number | null;
}

export class MissRateRowDto {
  @ApiProperty({ enum: ['all', ...SLICE_DIMENSIONS] }) dimension!: string;
  @ApiProperty({ description: "The slice's value ('*' for all; 'none' for an unscored item's model version and score band)" }) value!: string;
  @ApiProperty({ description: 'Violations confirmed in the period: each item once per policy' }) violations!: number;
  @ApiProperty({ description: 'Of them, let through first' }) missed!: number;
  @ApiProperty({ description: 'Of them, caught proactively: removed or sent to review by a bank or the model before anything let them through' }) caught!: number;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'missed / violations' }) missRate!: number | null;
}

export class MissCausesDto {
  @ApiProperty() human_error!: number;
  @ApiProperty() hash_variant!: number;
  @ApiProperty() no_model!: number;
  @ApiProperty() near_threshold!: number;
  @ApiProperty() blind_spot!: number;
}

export class MissDayDto {
  @ApiProperty({ example: '2026-12-01' }) date!: string;
  @ApiProperty() violations!: number;
  @ApiProperty() missed!: number;
  @ApiPropertyOptional({ nullable: true, type: Number }) missRate!: number | null;
  @ApiProperty({ type: MissCausesDto }) causes!: MissCausesDto;
}

export class WhatIfCandidateDto {
  @ApiProperty({ example: 0.55 }) reviewThreshold!: number;
  @ApiProperty({ description: 'Misses the model scored at or above this candidate (and below today’s threshold)' }) missesCaught!: number;
  @ApiProperty({ description: 'Routings (acting scores) in [candidate, current threshold) in the period: the reviews that threshold would have added' }) extraReviews!: number;
  @ApiProperty({ description: 'extraReviews divided by the days of the period that have begun' }) extraReviewsPerDay!: number;
}

export class WhatIfRecommendationDto {
  @ApiProperty() reviewThreshold!: number;
  @ApiProperty() missesCaught!: number;
  @ApiProperty() extraReviewsPerDay!: number;
  @ApiProperty() reason!: string;
}

export class WhatIfPolicyDto {
  @ApiProperty() policyId!: string;
  @ApiProperty() currentReviewThreshold!: number;
  @ApiProperty({ description: "The policy's misses in the report" }) misses!: number;
  @ApiProperty({ description: 'Of them, with a score a threshold could reach (not human errors, not unscored)' }) scoredMisses!: number;
  @ApiProperty({ description: 'Scored misses at or above today’s threshold (it was higher when they passed)' }) alreadyCaughtByCurrent!: number;
  @ApiProperty({ type: [WhatIfCandidateDto], description: 'Thresholds below the current one, 0.05 apart' }) candidates!: WhatIfCandidateDto[];
  @ApiPropertyOptional({ nullable: true, type: WhatIfRecommendationDto, description: 'The candidate with the most misses caught per added review; null when none catches a miss' })
  recommendation!: WhatIfRecommendationDto | null;
}

export class MissTotalsDto {
  @ApiProperty() violations!: number;
  @ApiProperty() missed!: number;
  @ApiProperty() caught!: number;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'missed / violations' }) missRate!: number | null;
  @ApiProperty({ description: 'Views the missed items gathered before removal, summed' }) viewsBeforeRemoval!: number;
  @ApiPropertyOptional({ nullable: true, type: Number }) medianSecondsToRemoval!: number | null;
}

export class MissesReportDto {
  @ApiProperty({ example: '2026-Q4' }) period!: string;
  @ApiProperty() from!: Date;
  @ApiProperty() to!: Date;
  @ApiProperty({ description: 'The near-threshold margin and the hash-variant margin (bits) used' }) margin!: number;
  @ApiProperty() hashMargin!: number;
  @ApiProperty({ type: MissTotalsDto }) totals!: MissTotalsDto;
  @ApiProperty({ type: MissCausesDto }) causes!: MissCausesDto;
  @ApiProperty({
    type: [MissRateRowDto],
    description:
      'Miss rate = missed / violations, where violations are the items (once per policy) whose first confirmation of a violation falls in the period: a removal never overturned, a retro-hunt removal, or a gold answer; and missed are those a decision had let through before. Overall first, then per policy, region, language, kind, model version and score band.',
  })
  rates!: MissRateRowDto[];
  @ApiProperty({ type: [MissedItemDto], description: 'The missed items, by confirmation time' }) items!: MissedItemDto[];
  @ApiProperty({ type: [MissDayDto], description: 'Per UTC day of confirmation, the period’s days that have begun' }) series!: MissDayDto[];
  @ApiProperty({ type: [WhatIfPolicyDto], description: 'Per policy with a miss: what lower review thresholds would have caught, and cost' }) whatIf!: WhatIfPolicyDto[];
}
