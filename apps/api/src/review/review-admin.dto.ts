import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PolicyLabelDto } from '../policy/policy.dto';
import { CASE_SOURCES, SEVERITIES } from '@loupe/vocabulary';

export class ReviewQueuePutDto {
  @ApiProperty({ example: 'Adult nudity, German' }) @IsString() @Length(1, 200) name!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiPropertyOptional({ type: [String], description: 'The policy area' }) @IsOptional() @IsArray() @IsString({ each: true }) @ArrayMaxSize(50) policyIds?: string[];
  @ApiPropertyOptional({ type: [String], example: ['de'] }) @IsOptional() @IsArray() @IsString({ each: true }) @ArrayMaxSize(50) languages?: string[];
  @ApiPropertyOptional({ type: [String], example: ['DE', 'AT', 'CH'] }) @IsOptional() @IsArray() @IsString({ each: true }) @ArrayMaxSize(300) regions?: string[];
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() seniorOnly?: boolean;
  @ApiPropertyOptional({ default: 1440, description: 'Minutes from a case opening to its SLA deadline' }) @IsOptional() @IsInt() @Min(1) slaMinutes?: number;
  @ApiPropertyOptional({ default: 1, description: 'Independent blind reviews a case needs when consensus applies' }) @IsOptional() @IsInt() @Min(1) @Max(9) consensusReviews?: number;
  @ApiPropertyOptional({ default: 0, description: 'Share of claims answered with a gold task' }) @IsOptional() @IsNumber() @Min(0) @Max(1) goldRate?: number;
}

export class ReviewQueueCountsDto {
  @ApiProperty() open!: number;
  @ApiProperty() leased!: number;
  @ApiPropertyOptional({ nullable: true, type: Date }) nextDeadline!: Date | null;
  @ApiProperty({ description: 'Unfinished cases past their SLA deadline now' }) overdue!: number;
  @ApiProperty({ description: 'Cases that breached their SLA in the last 24 hours (decided since or not)' }) breachesLast24h!: number;
}

export class ReviewQueueDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: [String] }) policyIds!: string[];
  @ApiProperty({ type: [String] }) languages!: string[];
  @ApiProperty({ type: [String] }) regions!: string[];
  @ApiProperty() seniorOnly!: boolean;
  @ApiProperty() slaMinutes!: number;
  @ApiProperty() consensusReviews!: number;
  @ApiProperty() goldRate!: number;
  @ApiPropertyOptional({ type: ReviewQueueCountsDto }) counts?: ReviewQueueCountsDto;
}

export class RoutingConditionsDto {
  @ApiPropertyOptional({ type: [String], enum: CASE_SOURCES }) @IsOptional() @IsArray() @IsIn(CASE_SOURCES, { each: true }) sources?: string[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) policyIds?: string[];
  @ApiPropertyOptional({ minimum: 0, maximum: 1 }) @IsOptional() @IsNumber() @Min(0) @Max(1) minScore?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 1 }) @IsOptional() @IsNumber() @Min(0) @Max(1) maxScore?: number;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) regions?: string[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) languages?: string[];
  @ApiPropertyOptional({ type: [String], enum: SEVERITIES }) @IsOptional() @IsArray() @IsIn(SEVERITIES, { each: true }) severities?: string[];
}

export class RoutingRuleCreateDto {
  @ApiProperty({ example: 'German nudity' }) @IsString() @Length(1, 200) name!: string;
  @ApiProperty({ description: 'Rules are tried in ascending position; the first that holds wins' }) @IsInt() @Min(0) position!: number;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;
  @ApiProperty({ type: RoutingConditionsDto }) @ValidateNested() @Type(() => RoutingConditionsDto) conditions!: RoutingConditionsDto;
  @ApiProperty({ example: 'nudity-de' }) @Matches(/^[a-z0-9][a-z0-9_-]{0,99}$/) queueId!: string;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Independent reviews for cases this rule routes, whatever the queue says' })
  @IsOptional() @IsInt() @Min(1) @Max(9)
  consensusReviews?: number | null;
}

export class RoutingRuleUpdateDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) position?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean;
  @ApiPropertyOptional({ type: RoutingConditionsDto }) @IsOptional() @ValidateNested() @Type(() => RoutingConditionsDto) conditions?: RoutingConditionsDto;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[a-z0-9][a-z0-9_-]{0,99}$/) queueId?: string;
  @ApiPropertyOptional({ nullable: true, type: Number }) @IsOptional() @IsInt() @Min(1) @Max(9) consensusReviews?: number | null;
}

export class RoutingRuleDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() position!: number;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: RoutingConditionsDto }) conditions!: RoutingConditionsDto;
  @ApiProperty() queueId!: string;
  @ApiPropertyOptional({ nullable: true, type: Number }) consensusReviews!: number | null;
  @ApiProperty() updatedAt!: Date;
}

export class GoldItemCreateDto {
  @ApiProperty({ format: 'uuid' }) @Matches(/^[0-9a-f-]{36}$/i) contentId!: string;
  @ApiProperty({ type: [PolicyLabelDto], description: 'The known answer' })
  @IsArray() @ValidateNested({ each: true }) @Type(() => PolicyLabelDto)
  labels!: PolicyLabelDto[];
}

export class GoldItemDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) contentId!: string;
  @ApiProperty({ type: [PolicyLabelDto] }) labels!: PolicyLabelDto[];
  @ApiProperty() active!: boolean;
  @ApiPropertyOptional({ description: 'Times moderators answered it (list only)' }) answered?: number;
  @ApiPropertyOptional({ description: '...and got it right' }) correct?: number;
  @ApiProperty() createdAt!: Date;
}
