import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PRIOR_JUDGEMENTS } from '@loupe/domain/analysis';

const PERIOD = { example: '2026-Q4', description: 'A day (2026-12-01), an ISO week (2026-W49), a month (2026-12) or a quarter (2026-Q4), in UTC, of the decisions counted. Absent: all time.' };

export class AccuracyQueryDto {
  @ApiPropertyOptional(PERIOD) @IsOptional() @IsString() @Length(1, 20) period?: string;
  @ApiPropertyOptional({ example: 'eating_disorder_promotion', description: 'Only this policy' }) @IsOptional() @IsString() @Length(1, 100) policy?: string;
  @ApiPropertyOptional({ example: 'emea-night', description: "Only this team's moderators (rows, pairs with one of them, weakest cells); queue agreement is not cut by team" })
  @IsOptional() @IsString() @Length(1, 100)
  team?: string;
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
  @ApiPropertyOptional({ enum: ['moderators', 'pairs', 'queues', 'weakest'], default: 'moderators', description: 'With format=csv: which table' })
  @IsOptional() @IsIn(['moderators', 'pairs', 'queues', 'weakest'])
  table?: 'moderators' | 'pairs' | 'queues' | 'weakest';
}

export class EstimatedLabelsQueryDto {
  @ApiPropertyOptional(PERIOD) @IsOptional() @IsString() @Length(1, 20) period?: string;
  @ApiPropertyOptional({ example: 'adult_nudity', description: 'Only this policy' }) @IsOptional() @IsString() @Length(1, 100) policy?: string;
}

export class IntervalDto {
  @ApiProperty() lower!: number;
  @ApiProperty() upper!: number;
}

export class GoldFiguresDto {
  @ApiProperty({ description: 'Gold reviews counted' }) reviews!: number;
  @ApiProperty() correct!: number;
  @ApiProperty() accuracy!: number;
  @ApiProperty({ type: IntervalDto, description: 'Wilson score interval, 95%' }) interval!: IntervalDto;
}

export class EstimatedFiguresDto {
  @ApiProperty({ description: 'Items this moderator labelled under the policy' }) labels!: number;
  @ApiProperty({ description: "Dawid–Skene: P(answered violating | violating)" }) sensitivity!: number;
  @ApiProperty({ description: 'Dawid–Skene: P(answered not violating | not violating)' }) specificity!: number;
  @ApiProperty({ description: "The policy's estimated prevalence-weighted share right: Σ prior_k · confusion[k][k]" }) accuracy!: number;
}

export class ObservedFiguresDto {
  @ApiProperty({ description: 'Decisions scored against the gold answer, the label that stands, or the estimated true label' }) decisions!: number;
  @ApiProperty() correct!: number;
  @ApiProperty() accuracy!: number;
  @ApiProperty({ type: IntervalDto, description: 'Wilson score interval, 95%' }) interval!: IntervalDto;
}

export class WeightedFiguresDto {
  @ApiProperty({ description: "Every judgement of the moderator under the policy, scored or not: the mix the weights come from" }) judgements!: number;
  @ApiProperty({ description: 'The scored judgements the strata are measured on' }) decisions!: number;
  @ApiProperty({
    description:
      `The share right over all the judgements: a scored one counts as scored, an unscored one at the share right among the scored of its stratum (the case asked about the policy or not, times the answer given), pulled toward the pooled share as if by ${PRIOR_JUDGEMENTS} more judgements at it. Scoring favours asked policies and removals (consensus, escalations, appeals); this undoes that part of the selection, and equals the plain share where everything was scored`,
  })
  accuracy!: number;
  @ApiProperty({ type: IntervalDto, description: '±1.96 standard errors of the weighted share, clipped to [0, 1]' }) interval!: IntervalDto;
  @ApiProperty({ description: 'The share of the judgements in strata with nothing scored: counted at the pooled share' }) pooledShare!: number;
}

export class ModeratorAccuracyDto {
  @ApiProperty() moderatorId!: string;
  @ApiProperty({ nullable: true, type: String, description: "The moderator's key name" }) name!: string | null;
  @ApiProperty() team!: string;
  @ApiProperty() policyId!: string;
  @ApiProperty({ type: GoldFiguresDto, nullable: true }) gold!: GoldFiguresDto | null;
  @ApiProperty({ type: EstimatedFiguresDto, nullable: true }) estimated!: EstimatedFiguresDto | null;
  @ApiProperty({ type: ObservedFiguresDto, nullable: true }) observed!: ObservedFiguresDto | null;
  @ApiProperty({ type: WeightedFiguresDto, nullable: true }) weighted!: WeightedFiguresDto | null;
}

export class EstimateSummaryDto {
  @ApiProperty() policyId!: string;
  @ApiProperty({ description: 'Items reviewed under the policy' }) items!: number;
  @ApiProperty({ description: "Labels counted: each moderator's latest per item" }) labels!: number;
  @ApiProperty() moderators!: number;
  @ApiProperty({ description: 'The estimated share of items that violate' }) prevalence!: number;
  @ApiProperty() iterations!: number;
  @ApiProperty({ description: 'False: the EM stopped at its iteration limit; read the rates with care' }) converged!: boolean;
}

export class PairAgreementDto {
  @ApiProperty() policyId!: string;
  @ApiProperty({ description: 'The first moderator id in string order' }) moderatorA!: string;
  @ApiProperty() moderatorB!: string;
  @ApiProperty({ description: 'Items both labelled under the policy' }) sharedItems!: number;
  @ApiProperty({ nullable: true, type: Number }) observedAgreement!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: "Cohen's kappa; null when chance agreement is 1 (see note)" }) kappa!: number | null;
  @ApiPropertyOptional() note?: string;
}

export class QueueAgreementDto {
  @ApiProperty() queueId!: string;
  @ApiProperty() policyId!: string;
  @ApiProperty({ description: "Items with at least two moderators' labels" }) items!: number;
  @ApiProperty() ratings!: number;
  @ApiProperty({ nullable: true, type: Number }) observedAgreement!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: "Fleiss' kappa" }) kappa!: number | null;
  @ApiPropertyOptional() note?: string;
}

export class TrainingCellDto {
  @ApiProperty() team!: string;
  @ApiProperty() policyId!: string;
  @ApiProperty({ nullable: true, type: String, description: "The right answer's nuance, e.g. recovery" }) nuance!: string | null;
  @ApiProperty() decisions!: number;
  @ApiProperty() correct!: number;
  @ApiProperty() accuracy!: number;
  @ApiProperty({ type: IntervalDto }) interval!: IntervalDto;
  @ApiProperty({ description: 'Moderators of the team with decisions in the cell' }) moderators!: number;
}

export class AccuracyReportDto {
  @ApiProperty({ nullable: true, type: String, example: '2026-Q4', description: 'null: all time' }) period!: string | null;
  @ApiProperty({ nullable: true, type: Date }) from!: Date | null;
  @ApiProperty({ nullable: true, type: Date }) to!: Date | null;
  @ApiProperty({ type: [ModeratorAccuracyDto], description: 'Per policy, then moderator name' }) moderators!: ModeratorAccuracyDto[];
  @ApiProperty({ type: [EstimateSummaryDto], description: 'Dawid–Skene per policy' }) estimates!: EstimateSummaryDto[];
  @ApiProperty({ type: [PairAgreementDto] }) pairs!: PairAgreementDto[];
  @ApiProperty({ type: [QueueAgreementDto] }) queues!: QueueAgreementDto[];
  @ApiProperty({ type: [TrainingCellDto], description: 'Lowest accuracy first: where targeted training helps most' }) weakest!: TrainingCellDto[];
}

export class EstimatedLabelDto {
  @ApiProperty() contentId!: string;
  @ApiProperty() policyId!: string;
  @ApiProperty({ description: "Dawid–Skene's estimated true label" }) violating!: boolean;
  @ApiProperty({ description: 'Its posterior probability' }) probability!: number;
  @ApiProperty({ description: 'Moderators who labelled the item under the policy' }) reviewers!: number;
  @ApiProperty({ example: '/v1/analysis/contents/6f1c…/preview', description: 'A blurred preview for analysts' }) previewUrl!: string;
}

export class EstimatedLabelsDto {
  @ApiProperty({ nullable: true, type: String }) period!: string | null;
  @ApiProperty({ type: [EstimatedLabelDto] }) items!: EstimatedLabelDto[];
}

export class TrainingPackCreateDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Whose training: one moderator (or give team)' }) @IsOptional() @IsUUID() moderatorId?: string;
  @ApiPropertyOptional({ example: 'emea-night', description: 'Whose training: a team (or give moderatorId)' }) @IsOptional() @IsString() @Length(1, 100) team?: string;
  @ApiProperty({ example: 'eating_disorder_promotion' }) @IsString() @Length(1, 100) policyId!: string;
  @ApiPropertyOptional({ example: 'recovery', description: "Only items whose right answer has this nuance of the policy" })
  @IsOptional() @IsString() @Matches(/^[a-z0-9_-]{1,100}$/)
  nuance?: string;
  @ApiPropertyOptional(PERIOD) @IsOptional() @IsString() @Length(1, 20) period?: string;
}

export class TrainingPackListQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() moderatorId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) team?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) policy?: string;
}

export class TrainingPackQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json', description: 'csv: the items, one per line' }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

export class TrainingPackItemDto {
  @ApiProperty() contentId!: string;
  @ApiProperty({ description: 'The answer given: violating or not' }) given!: boolean;
  @ApiProperty({ description: 'The right answer' }) correct!: boolean;
  @ApiProperty({ nullable: true, type: String, description: "The right answer's nuance" }) nuance!: string | null;
  @ApiProperty({ description: "Why: the deciding review's note, the nuance's title, or how the answer was reached" }) reason!: string;
  @ApiProperty({ enum: ['gold', 'settled', 'estimated'], description: 'gold answer; the label that stands (consensus, senior, appeal); Dawid–Skene estimate' }) source!: string;
  @ApiProperty({ example: '/v1/analysis/contents/6f1c…/preview', description: 'A blurred preview for analysts' }) previewUrl!: string;
}

export class AccuracyFiguresDto {
  @ApiProperty() decisions!: number;
  @ApiProperty() correct!: number;
  @ApiProperty({ nullable: true, type: Number }) accuracy!: number | null;
  @ApiProperty({ type: IntervalDto, nullable: true, description: 'Wilson score interval, 95%' }) interval!: IntervalDto | null;
}

export class TrainingPackSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: String }) moderatorId!: string | null;
  @ApiProperty({ nullable: true, type: String }) team!: string | null;
  @ApiProperty() policyId!: string;
  @ApiProperty({ nullable: true, type: String }) nuance!: string | null;
  @ApiProperty({ description: 'Items in the pack' }) itemCount!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Fixed when the pack was made' }) accuracyBefore!: number | null;
  @ApiProperty() decisionsBefore!: number;
  @ApiProperty({ nullable: true, type: String }) createdBy!: string | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ nullable: true, type: Date, description: 'When the training took place' }) deliveredAt!: Date | null;
}

export class TrainingPackDto extends TrainingPackSummaryDto {
  @ApiProperty({ type: [TrainingPackItemDto] }) items!: TrainingPackItemDto[];
  @ApiProperty({ type: AccuracyFiguresDto, description: 'On the decisions the pack was made from' }) before!: AccuracyFiguresDto;
  @ApiProperty({ type: AccuracyFiguresDto, nullable: true, description: 'On the decisions made since delivery, scored as accuracy before was; null until delivered' })
  after!: AccuracyFiguresDto | null;
  @ApiProperty({ nullable: true, type: Number, description: 'after − before, when both are known' }) change!: number | null;
}
