import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ContentScoreDto } from '../content/content.dto';
import { PolicyLabelDto } from '../policy/policy.dto';

export class ReviewContentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['image', 'video'] }) kind!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) caption!: string | null;
  @ApiProperty({ type: [String] }) hashtags!: string[];
  @ApiProperty() region!: string;
  @ApiProperty() language!: string;
  @ApiPropertyOptional({ nullable: true, type: Number }) width!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) height!: number | null;
  @ApiProperty({ description: 'Views so far, as the platform last reported' }) views!: number;
  @ApiProperty({ description: 'Views per hour' }) viewsPerHour!: number;
}

export class ExposureDto {
  @ApiProperty({ description: 'High-severity items in the rolling hour' }) lastHour!: number;
  @ApiProperty() hourlyLimit!: number;
  @ApiProperty({ description: 'High-severity items in the rolling shift' }) thisShift!: number;
  @ApiProperty() shiftLimit!: number;
  @ApiProperty() shiftHours!: number;
  @ApiProperty({ description: 'Only low- and medium-severity work is offered' }) restricted!: boolean;
  @ApiProperty({ description: 'No work is offered until a break' }) breakRequired!: boolean;
  @ApiProperty() retryAfterSeconds!: number;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Said plainly, when the budget is reached' }) message!: string | null;
}

export class ReviewTaskDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() queue!: string;
  @ApiProperty({ enum: ['open', 'leased', 'done', 'cancelled'] }) status!: string;
  @ApiProperty({ enum: ['model', 'hash', 'report', 'virality', 'appeal', 'sample'], description: 'What brought the item to review; sample: a quality sample of what the model allowed' }) source!: string;
  @ApiProperty({ enum: ['low', 'medium', 'high', 'critical'] }) severity!: string;
  @ApiProperty({ type: [String], description: 'Policies suspected' }) policyIds!: string[];
  @ApiProperty({ description: 'Expected harm: severity x probability x reach x reports' }) priority!: number;
  @ApiProperty({ description: 'When the queue promises a decision' }) slaDeadline!: Date;
  @ApiProperty({ description: 'User reports merged into this case' }) reportsCount!: number;
  @ApiProperty() reason!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: "Why the machine sent it here (never other moderators' verdicts: reviews are blind)" })
  machineReason!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) leaseExpiresAt!: Date | null;
  @ApiProperty({ type: ReviewContentDto }) content!: ReviewContentDto;
  @ApiProperty({ type: [ContentScoreDto] }) scores!: ContentScoreDto[];
  @ApiProperty({ description: 'The blurred, greyscale preview (GET)' }) previewUrl!: string;
  @ApiProperty({ description: 'The original, after an explicit, audited reveal (POST)' }) revealUrl!: string;
  @ApiProperty({ type: ExposureDto }) exposure!: ExposureDto;
  @ApiProperty() createdAt!: Date;
}

export class ReviewLeaseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() leaseExpiresAt!: Date;
}

export class ReviewDecisionCreateDto {
  @ApiProperty({ type: [PolicyLabelDto], description: 'Per policy: violating or not, with a nuance where the catalog has them; any violating label removes the item' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => PolicyLabelDto)
  labels!: PolicyLabelDto[];

  @ApiPropertyOptional({ example: 'remove', description: 'The action the moderator asks for (remove, allow, age_restrict, warn, ...)' })
  @IsOptional() @Matches(/^[a-z][a-z_]{1,40}$/, { message: 'action must be a short snake_case word' })
  action?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000)
  note?: string;
}

export class ReviewDecisionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty({ format: 'uuid' }) contentId!: string;
  @ApiProperty({ enum: ['removed', 'allowed'] }) outcome!: string;
  @ApiProperty({ type: [PolicyLabelDto] }) labels!: PolicyLabelDto[];
  @ApiPropertyOptional({ nullable: true, type: String }) action!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) note!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'From claim to decision' }) timeSpentMs!: number | null;
  @ApiProperty() decidedAt!: Date;
}

export class ReviewTaskReasonDto {
  @ApiProperty({ example: 'not my language' })
  @IsString() @MaxLength(2000) @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}

export class ReviewPreviewQueryDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'Override your blur for this preview' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100)
  blur?: number;

  @ApiPropertyOptional({ description: 'Override greyscale for this preview' })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  greyscale?: boolean;
}

export class ReviewNextQueryDto {
  @ApiPropertyOptional({ description: 'Claim from this queue only' })
  @IsOptional() @IsString() @MaxLength(100)
  queue?: string;
}
