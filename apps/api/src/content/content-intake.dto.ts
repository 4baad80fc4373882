import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsDate, IsInt, IsOptional, IsString, IsUUID, Length, MaxLength, Min, ValidateNested } from 'class-validator';

export class ContentReportCreateDto {
  @ApiProperty({ example: 'harassment' }) @IsString() @Length(1, 100) policyId!: string;
  @ApiProperty({ example: 'mocks a classmate by name' }) @IsString() @Length(1, 2000) reason!: string;
  @ApiPropertyOptional({ description: "The platform's reference for the reporter (not shown to moderators)" })
  @IsOptional() @IsString() @MaxLength(200)
  reporterRef?: string;
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: "When the user reported it, on the platform's clock (default: now); not before the item was posted (report.before_post), at most 5 minutes ahead (report.reported_at_future)",
  })
  @IsOptional() @Type(() => Date) @IsDate()
  reportedAt?: Date;
}

export class ContentReportResultDto {
  @ApiProperty({ format: 'uuid' }) reportId!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid', description: 'The review case; null when the item is already removed' }) caseId!: string | null;
  @ApiProperty({ description: 'True when it joined an open case (whose priority rose)' }) merged!: boolean;
}

export class AppealCreateDto {
  @ApiPropertyOptional({ maxLength: 4000, description: "The creator's statement" }) @IsOptional() @IsString() @MaxLength(4000) statement?: string;
}

export class AppealDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) contentId!: string;
  @ApiProperty({ format: 'uuid', description: 'The decision appealed against' }) decisionId!: string;
  @ApiProperty() statement!: string;
  @ApiProperty({ enum: ['open', 'upheld', 'overturned'] }) status!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) caseId!: string | null;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({ nullable: true, type: Date }) decidedAt!: Date | null;
}

export class ContentViewsCreateDto {
  @ApiProperty({ description: 'The view count now (cumulative)' }) @IsInt() @Min(0) views!: number;
  @ApiPropertyOptional({ description: 'Shares counted by now (cumulative)' }) @IsOptional() @IsInt() @Min(0) shares?: number;
  @ApiPropertyOptional({ description: 'User reports counted by the platform by now (cumulative)' }) @IsOptional() @IsInt() @Min(0) reports?: number;
  @ApiPropertyOptional({ description: 'When it was counted; default now' }) @IsOptional() @Type(() => Date) @IsDate() observedAt?: Date;
}

export class ContentReachDto {
  @ApiProperty() views!: number;
  @ApiProperty() viewsPerHour!: number;
  @ApiProperty({ type: [Number], description: 'Virality tiers (views per hour) this count crossed; each sends the item to a re-check (re-score, re-match, and human review when the tier says so)' })
  tiersCrossed!: number[];
}

export class ViewEventDto extends ContentViewsCreateDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() contentId!: string;
}

export class ViewsBatchCreateDto {
  @ApiProperty({ type: [ViewEventDto], description: 'Up to VIEWS_BATCH_MAX (default 10,000) counts; several counts of one item are applied in order of observedAt' })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ViewEventDto)
  events!: ViewEventDto[];
}

export class ViewRejectionDto {
  @ApiProperty({ description: 'Position of the event in the batch' }) index!: number;
  @ApiProperty({ format: 'uuid' }) contentId!: string;
  @ApiProperty({ enum: ['content.not_found', 'views.out_of_order', 'views.count_decreased'] }) code!: string;
  @ApiProperty() message!: string;
}

export class ViewTierCrossingDto {
  @ApiProperty({ description: 'Position of the event in the batch' }) index!: number;
  @ApiProperty({ format: 'uuid' }) contentId!: string;
  @ApiProperty() viewsPerHour!: number;
  @ApiProperty({ type: [Number], description: 'Virality tiers (views per hour) this count crossed' }) tiers!: number[];
}

export class ViewsBatchResultDto {
  @ApiProperty() applied!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty({ type: [ViewRejectionDto], description: 'Each event not applied, and why; every other event was applied' }) rejections!: ViewRejectionDto[];
  @ApiProperty({ type: [ViewTierCrossingDto], description: 'Events whose count crossed virality tiers: each item goes to a re-check' }) crossings!: ViewTierCrossingDto[];
}

export class ViewSampleDto {
  @ApiProperty() observedAt!: Date;
  @ApiProperty() views!: number;
  @ApiProperty() velocityPerHour!: number;
  @ApiPropertyOptional({ nullable: true, type: Number }) shares!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) reports!: number | null;
}

export class ViralityTierDto {
  @ApiProperty({ description: 'Views per hour' }) tier!: number;
  @ApiProperty({ enum: ['rescore', 'review'] }) action!: string;
  @ApiProperty() crossedAt!: Date;
  @ApiPropertyOptional({ nullable: true, type: Date, description: 'When the re-check ran; null while it is pending' }) checkedAt!: Date | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'What the re-check did, e.g. "model: removed", "review", "rescored: allowed"' }) outcome!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) caseId!: string | null;
}

export class ContentReachSeriesDto {
  @ApiProperty({ format: 'uuid' }) contentId!: string;
  @ApiProperty({ type: [ViewSampleDto] }) series!: ViewSampleDto[];
  @ApiProperty({ type: [ViralityTierDto] }) tiers!: ViralityTierDto[];
}
