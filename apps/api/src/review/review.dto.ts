import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
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
}

export class ReviewTaskDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() queue!: string;
  @ApiProperty({ enum: ['open', 'leased', 'done'] }) status!: string;
  @ApiProperty({ description: 'Expected harm: severity weight times score' }) priority!: number;
  @ApiProperty({ example: 'model_uncertain' }) reason!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why the machine sent it here' }) machineReason!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) leaseExpiresAt!: Date | null;
  @ApiProperty({ type: ReviewContentDto }) content!: ReviewContentDto;
  @ApiProperty({ type: [ContentScoreDto] }) scores!: ContentScoreDto[];
  @ApiProperty() createdAt!: Date;
}

export class ReviewLeaseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() leaseExpiresAt!: Date;
}

export class ReviewDecisionCreateDto {
  @ApiProperty({ type: [PolicyLabelDto], description: 'Per policy: violating or not; any violating label removes the item' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => PolicyLabelDto)
  labels!: PolicyLabelDto[];

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
  @ApiPropertyOptional({ nullable: true, type: String }) note!: string | null;
  @ApiProperty() decidedAt!: Date;
}
