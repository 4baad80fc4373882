import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, Length, MaxLength, Min } from 'class-validator';

export class ContentReportCreateDto {
  @ApiProperty({ example: 'harassment' }) @IsString() @Length(1, 100) policyId!: string;
  @ApiProperty({ example: 'mocks a classmate by name' }) @IsString() @Length(1, 2000) reason!: string;
  @ApiPropertyOptional({ description: "The platform's reference for the reporter (not shown to moderators)" })
  @IsOptional() @IsString() @MaxLength(200)
  reporterRef?: string;
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
  @ApiPropertyOptional({ description: 'When it was counted; default now' }) @IsOptional() @Type(() => Date) @IsDate() observedAt?: Date;
}

export class ContentReachDto {
  @ApiProperty() views!: number;
  @ApiProperty() viewsPerHour!: number;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid', description: 'Set when the velocity opened a re-review of viral content' })
  viralCaseId!: string | null;
}
