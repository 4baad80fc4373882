import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsDate, IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';

export class ModelVersionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'policy-heads' }) modelName!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: ['trained', 'uploaded', 'exported'], description: "exported: the backbone's graph, exported by Loupe (model `backbone`; its lineage is on the card); never promoted or deployed" }) source!: string;
  @ApiProperty({ example: 'onnx' }) format!: string;
  @ApiProperty({ description: 'sha256 of the ONNX artefact, stored under MODELS_DIR' }) artefactSha256!: string;
  @ApiProperty() artefactBytes!: number;
  @ApiProperty({ description: 'inputs (embedding, text, image), their feature names and widths, and the policy of each output' }) signature!: Record<string, unknown>;
  @ApiProperty({ type: [String] }) policies!: string[];
  @ApiProperty({ description: 'Proposed per policy: {review, remove}; they take effect on promotion', example: { hate_symbols: { review: 0.41, remove: 0.83 } } })
  thresholds!: Record<string, unknown>;
  @ApiProperty({ nullable: true, description: 'Gate results: each gate per policy, passed, failed or skipped, with values and the reason' }) gates!: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: Boolean }) gatesPassed!: boolean | null;
  @ApiProperty({ description: "The model card: intended use, data, metrics by policy and slice, known limits; for the backbone's graph, its lineage (source model and version, exporter and version, sha256, input, outputs, parity with tfjs)" }) card!: Record<string, unknown>;
  @ApiProperty({ description: 'dataset, training run and parent version', example: { datasetId: '…', trainingRunId: '…', parentVersionId: null } })
  lineage!: { datasetId: string | null; trainingRunId: string | null; parentVersionId: string | null };
  @ApiProperty({ type: [String], description: 'Aliases pointing at this version' }) aliases!: string[];
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) createdBy!: string | null;
  @ApiProperty() createdAt!: Date;
}

export class ModelSummaryDto {
  @ApiProperty({ example: 'policy-heads' }) name!: string;
  @ApiProperty() versions!: number;
  @ApiProperty() latestVersion!: number;
  @ApiProperty({ example: { champion: 3, challenger: 4 } }) aliases!: Record<string, number>;
  @ApiProperty({ nullable: true, description: 'The challenger running beside the champion: {version, mode, percent}' }) experiment!: Record<string, unknown> | null;
}

export class ServedPolicyDto {
  @ApiProperty() policyId!: string;
  @ApiProperty() modelName!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'uuid' }) versionId!: string;
}

export class ExperimentDto {
  @ApiProperty() modelName!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: ['shadow', 'canary'] }) mode!: string;
  @ApiProperty() percent!: number;
}

export class DeploymentDto {
  @ApiProperty({ description: 'The time asked about' }) at!: Date;
  @ApiProperty({ nullable: true, type: Number, description: 'The change in force then; null before any' }) seq!: number | null;
  @ApiProperty({ nullable: true, type: String, enum: ['promote', 'rollback', 'deploy'] }) action!: string | null;
  @ApiProperty({ nullable: true, type: String }) modelName!: string | null;
  @ApiProperty({ nullable: true, type: Date, description: 'When that change was made' }) changedAt!: Date | null;
  @ApiProperty({ type: [ServedPolicyDto], description: 'Which version decided which policy; a policy not listed was decided by the baseline model, if it covers it' })
  policies!: ServedPolicyDto[];
  @ApiProperty({ type: [ExperimentDto] }) experiments!: ExperimentDto[];
}

export class DeploymentQueryDto {
  @ApiPropertyOptional({ description: 'ISO time; now when absent' }) @IsOptional() @Type(() => Date) @IsDate() at?: Date;
}

export class AliasSetDto {
  @ApiProperty({ example: 4 }) @IsInt() @Min(1) version!: number;
}

export class OverrideDto {
  @ApiProperty({ example: 'Recall gate fails on 12 gold items; reviewed by hand' }) @IsString() @Length(3, 2000) reason!: string;
}

export class PromoteDto {
  @ApiPropertyOptional({ description: "The version; the challenger's, else the latest, when absent" }) @IsOptional() @IsInt() @Min(1) version?: number;
  @ApiPropertyOptional({
    type: [String],
    example: ['dangerous_acts'],
    description: "Only these of the version's heads, judged by their own gates; the other policies keep what serves them. All of its heads when absent",
  })
  @IsOptional() @IsArray() @ArrayNotEmpty() @ArrayMaxSize(100) @IsString({ each: true })
  policies?: string[];
  @ApiPropertyOptional({ type: OverrideDto, description: 'Admin only: promote past failed gates, with a reason (audited)' })
  @IsOptional() @ValidateNested() @Type(() => OverrideDto)
  override?: OverrideDto;
}

export class DeploymentSetDto {
  @ApiProperty({ nullable: true, type: Number, description: 'The challenger version; null with mode none' }) @IsOptional() @IsInt() @Min(1) challenger!: number | null;
  @ApiProperty({ enum: ['shadow', 'canary', 'none'] }) @IsIn(['shadow', 'canary', 'none']) mode!: 'shadow' | 'canary' | 'none';
  @ApiPropertyOptional({ description: 'Share of items, by a stable hash of the content id: canary decides them; shadow scores them (default 100)' })
  @IsOptional() @IsNumber() @Min(0) @Max(100)
  percent?: number;
}

export class ModelUploadDto {
  @ApiProperty({ enum: ['embedding', 'text', 'image'], description: "What the model's one input is: the backbone's embedding (576 midGem, 1280 pooled or 256 dense wide), hashed text features (a power of two wide), or 224x224 RGB pixels (float32 in [0, 1], [N, 224, 224, 3] or [N, 3, 224, 224]; see the route's description)" })
  @IsIn(['embedding', 'text', 'image'])
  input!: 'embedding' | 'text' | 'image';

  @ApiProperty({ description: 'The policy of each output column, in order, comma-separated (multipart fields are text)', example: 'hate_symbols,spam' })
  @IsString() @Length(1, 2000)
  outputs!: string;
}
