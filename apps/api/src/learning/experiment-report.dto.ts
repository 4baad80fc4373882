import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';

export class ExperimentReportQueryDto {
  @ApiPropertyOptional({ description: 'The challenger version; the current (or latest) shadow or canary when absent' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  version?: number;
}

export class ThresholdPairDto {
  @ApiProperty() review!: number;
  @ApiProperty() remove!: number;
}

export class LabelAgreementDto {
  @ApiProperty({ description: 'Items a human labelled for the policy after the model scored them' }) labelled!: number;
  @ApiProperty() truePositives!: number;
  @ApiProperty() falsePositives!: number;
  @ApiProperty() falseNegatives!: number;
  @ApiProperty() trueNegatives!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Of the flagged (review or remove) labelled items, the share labelled violating' }) precision!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Of the items labelled violating, the share flagged' }) recall!: number | null;
}

export class SideReportDto {
  @ApiProperty({ example: { allow: 40, review: 6, remove: 2 }, description: 'Items per band at this side’s thresholds' }) bands!: Record<string, number>;
  @ApiProperty({ nullable: true, type: Number }) meanScore!: number | null;
  @ApiProperty({ type: LabelAgreementDto }) againstLabels!: LabelAgreementDto;
}

export class PolicyComparisonDto {
  @ApiProperty() policyId!: string;
  @ApiProperty({ description: 'Items the challenger scored for the policy' }) items!: number;
  @ApiProperty({ description: 'Of them, items the champion scored too (a policy without a model has no champion score)' }) compared!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Share of compared items both put in the same band (allow, review, remove)' }) agreement!: number | null;
  @ApiProperty({ nullable: true, type: Number }) meanAbsoluteDifference!: number | null;
  @ApiProperty({ description: 'Items the challenger would flag and the champion did not' }) challengerOnly!: number;
  @ApiProperty({ description: 'Items the champion flagged and the challenger would not' }) championOnly!: number;
  @ApiProperty({ description: "challenger: its proposed thresholds (what promotion would apply); champion: the thresholds in force" })
  thresholds!: { challenger: ThresholdPairDto; champion: ThresholdPairDto | null };
  @ApiProperty({ type: SideReportDto }) challenger!: SideReportDto;
  @ApiProperty({ type: SideReportDto, nullable: true }) champion!: SideReportDto | null;
}

export class ArmPolicyDto {
  @ApiProperty() policyId!: string;
  @ApiProperty({ description: 'Items this arm sent to review or removed for the policy' }) flagged!: number;
  @ApiProperty({ type: LabelAgreementDto }) againstLabels!: LabelAgreementDto;
}

export class ArmReportDto {
  @ApiProperty() items!: number;
  @ApiProperty({ description: 'Percent of the window’s model decisions' }) share!: number;
  @ApiProperty({ example: { allowed: 90, in_review: 8, removed: 2 } }) outcomes!: Record<string, number>;
  @ApiProperty({ type: [ArmPolicyDto] }) policies!: ArmPolicyDto[];
}

export class CanaryArmsDto {
  @ApiProperty({ description: 'The configured percent' }) expectedShare!: number;
  @ApiProperty({ type: ArmReportDto, description: 'Items the challenger decided' }) challenger!: ArmReportDto;
  @ApiProperty({ type: ArmReportDto, description: 'Items the champion decided in the same window' }) champion!: ArmReportDto;
}

export class ExperimentWindowDto {
  @ApiProperty() from!: Date;
  @ApiProperty({ description: 'When the experiment ended or changed; now while it runs' }) to!: Date;
  @ApiProperty() running!: boolean;
}

export class ExperimentReportDto {
  @ApiProperty() modelName!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: ['shadow', 'canary'] }) mode!: string;
  @ApiProperty() percent!: number;
  @ApiProperty({ type: ExperimentWindowDto }) window!: ExperimentWindowDto;
  @ApiProperty({ description: 'Model decisions in the window' }) items!: number;
  @ApiProperty({ description: 'Of them, items the challenger scored' }) scored!: number;
  @ApiProperty({ description: 'Whether the window held more decisions than a report reads (50,000)' }) truncated!: boolean;
  @ApiProperty({ type: [PolicyComparisonDto] }) policies!: PolicyComparisonDto[];
  @ApiProperty({ type: CanaryArmsDto, nullable: true, description: 'A canary’s two arms; null for a shadow' }) arms!: CanaryArmsDto | null;
}
