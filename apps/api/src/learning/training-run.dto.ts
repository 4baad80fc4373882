import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { defaultTrainingParams, EVALUATION_SPLITS, GATE_METRICS } from '@loupe/domain/learning';
import { TRAINING_RUN_STATUSES, TRAINING_TRIGGERS } from '@loupe/vocabulary';
import { DatasetFilterDto } from './dataset.dto';

/** The defaults, for the documentation (TRAINING_MIN_LABELS's default shown). */
const DEFAULTS = defaultTrainingParams(30);

export class GateDto {
  @ApiPropertyOptional({ example: 'PR-AUC falls by at most 0.05' }) @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiProperty({ example: '*', description: "A policy id, or '*' for every policy of the report" }) @IsString() @Length(1, 100) policy!: string;
  @ApiProperty({ enum: GATE_METRICS }) @IsIn(GATE_METRICS) metric!: (typeof GATE_METRICS)[number];
  @ApiPropertyOptional({ enum: ['remove', 'review'], description: 'For precision, recall and F1: where they are read' }) @IsOptional() @IsIn(['remove', 'review']) at?: 'remove' | 'review';
  @ApiProperty({ description: 'False for ECE' }) @IsBoolean() greaterIsBetter!: boolean;
  @ApiPropertyOptional({ description: 'The candidate must reach it, whatever the champion does' }) @IsOptional() @IsNumber() threshold?: number;
  @ApiPropertyOptional({ description: 'How much worse than the champion the candidate may be, in the metric’s own units (negative: a gain required)' }) @IsOptional() @IsNumber() maxFall?: number;
  @ApiPropertyOptional({ description: 'The same, as a share of the champion’s value' }) @IsOptional() @IsNumber() maxRelativeFall?: number;
  @ApiPropertyOptional({ enum: EVALUATION_SPLITS, description: 'Default: test and gold' }) @IsOptional() @IsIn(EVALUATION_SPLITS) split?: (typeof EVALUATION_SPLITS)[number];
  @ApiPropertyOptional({ description: 'Skip policies the champion has no model for' }) @IsOptional() @IsBoolean() onlyIfChampionHasModel?: boolean;
}

export class TrainingParamsDto {
  @ApiPropertyOptional({ default: 'policy-heads', description: 'The model the run adds a version to' })
  @IsOptional() @IsString() @Matches(/^[a-z][a-z0-9_-]{0,62}$/)
  modelName?: string;
  @ApiPropertyOptional({ default: DEFAULTS.hidden, description: '0: logistic regression per policy; otherwise an MLP with this many hidden units' })
  @IsOptional() @IsInt() @Min(0) @Max(1024)
  hidden?: number;
  @ApiPropertyOptional({ default: DEFAULTS.epochs }) @IsOptional() @IsInt() @Min(1) @Max(1000) epochs?: number;
  @ApiPropertyOptional({ default: DEFAULTS.batchSize }) @IsOptional() @IsInt() @Min(1) @Max(4096) batchSize?: number;
  @ApiPropertyOptional({ default: DEFAULTS.learningRate }) @IsOptional() @IsNumber() @Min(0.000001) @Max(1) learningRate?: number;
  @ApiPropertyOptional({ default: DEFAULTS.l2 }) @IsOptional() @IsNumber() @Min(0) @Max(1) l2?: number;
  @ApiPropertyOptional({ default: DEFAULTS.seed }) @IsOptional() @IsInt() @Min(0) @Max(2147483647) seed?: number;
  @ApiPropertyOptional({ default: DEFAULTS.validationShare }) @IsOptional() @IsNumber() @Min(0) @Max(0.5) validationShare?: number;
  @ApiPropertyOptional({ default: DEFAULTS.patience }) @IsOptional() @IsInt() @Min(1) @Max(1000) patience?: number;
  @ApiPropertyOptional({ default: 30, description: 'Labels of each class a policy needs for a head (TRAINING_MIN_LABELS)' })
  @IsOptional() @IsInt() @Min(1) @Max(100000)
  minLabelsPerClass?: number;
  @ApiPropertyOptional({ default: 0.95, description: 'The proposed remove threshold is the lowest with at least this precision' })
  @IsOptional() @IsNumber() @Min(0.5) @Max(1)
  removePrecision?: number;
  @ApiPropertyOptional({ default: 0.9, description: 'The proposed review threshold is the highest with at least this recall' })
  @IsOptional() @IsNumber() @Min(0.5) @Max(1)
  reviewRecall?: number;
  @ApiPropertyOptional({
    default: 0.02,
    description: 'The review budget: the proposed review (and remove) threshold acts on at most this share of the test split’s not-violating items, even where the recall target needs more (1: no budget)',
  })
  @IsOptional() @IsNumber() @Min(0.001) @Max(1)
  reviewMaxFalsePositiveRate?: number;
  @ApiPropertyOptional({ default: 0.5, description: 'The proposed remove threshold is never below this score: a model less than sure does not remove unseen' })
  @IsOptional() @IsNumber() @Min(0) @Max(1)
  minRemoveThreshold?: number;
  @ApiPropertyOptional({
    type: [GateDto],
    description: 'The promotion gates of this run’s version (default: PR-AUC falls by at most 0.01 for every policy; recall at review by at most 0.02 where the champion has a model). 400 training.invalid_gates when one cannot be checked',
  })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => GateDto)
  gates?: GateDto[];
}

export class TrainingRunCreateDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Train on this dataset; otherwise the run snapshots one from filter' })
  @IsOptional() @IsUUID()
  datasetId?: string;
  @ApiPropertyOptional({ type: DatasetFilterDto }) @IsOptional() @ValidateNested() @Type(() => DatasetFilterDto) filter?: DatasetFilterDto;
  @ApiPropertyOptional({ type: TrainingParamsDto }) @IsOptional() @ValidateNested() @Type(() => TrainingParamsDto) params?: TrainingParamsDto;
}

export class TrainingRunDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: TRAINING_RUN_STATUSES }) status!: string;
  @ApiProperty({ enum: TRAINING_TRIGGERS }) trigger!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) datasetId!: string | null;
  @ApiProperty({ description: 'Hyper-parameters, defaults included' }) params!: Record<string, unknown>;
  @ApiProperty({
    nullable: true,
    description: 'stage (dataset, features, training, evaluating, saving), done/total, epoch/epochs, loss, validationLoss, samplesPerSecond',
    example: { stage: 'training', epoch: 12, epochs: 60, loss: 0.21, validationLoss: 0.25, samplesPerSecond: 41000 },
  })
  progress!: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why it failed; or which policies had too few labels for a head' }) message!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The model version it made' }) modelVersionId!: string | null;
  @ApiProperty({ example: 'loupe@0.1.0+931f2f1a2b3c' }) codeVersion!: string;
  @ApiProperty() cancelRequested!: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) requestedBy!: string | null;
  @ApiProperty({ nullable: true, type: Date }) startedAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date }) finishedAt!: Date | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Seconds from start to end' }) seconds!: number | null;
  @ApiProperty() createdAt!: Date;
}

export class TrainingRunQueryDto {
  @ApiPropertyOptional({ default: 50, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}
