import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';

export class RetroHuntCreateDto {
  @ApiPropertyOptional({ format: 'uuid', description: "A bank: re-match recent allowed content against the entries it gained since its last hunt" })
  @IsOptional()
  @IsUUID()
  bankId?: string;

  @ApiPropertyOptional({ description: 'A model name: re-score recent allowed content with its champion' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  modelName?: string;
}

export class RetroHuntDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['bank', 'model'] }) trigger!: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'] }) status!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) bankId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Date, description: "A bank hunt: the entries added at or after this (null: all the bank's entries)" }) entriesSince!: Date | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) modelVersionId!: string | null;
  @ApiProperty({ description: 'Allowed content uploaded this many days before the hunt started' }) windowDays!: number;
  @ApiProperty({ description: 'Items in the window' }) total!: number;
  @ApiProperty({ description: 'Items looked at so far' }) done!: number;
  @ApiProperty({ description: 'Items caught' }) found!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) failedReason!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) startedAt!: Date | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) finishedAt!: Date | null;
  @ApiProperty() createdAt!: Date;
}

export class RetroHuntFindingDto {
  @ApiProperty({ format: 'uuid' }) contentId!: string;
  @ApiProperty({ enum: ['removed', 'in_review'] }) outcome!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) bankEntryId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) distance!: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'name@version' }) modelVersion!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) score!: number | null;
  @ApiProperty({ type: [String] }) policyIds!: string[];
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) caseId!: string | null;
  @ApiProperty() createdAt!: Date;
}

export class RetroHuntCatchDto {
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) bankEntryId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) modelVersion!: string | null;
  @ApiProperty() items!: number;
}

export class RetroHuntReportDto {
  @ApiProperty({ type: RetroHuntDto }) hunt!: RetroHuntDto;
  @ApiProperty({ type: [RetroHuntFindingDto] }) findings!: RetroHuntFindingDto[];
  @ApiProperty({ type: [RetroHuntCatchDto], description: 'Catches credited to each bank entry or model version' }) catches!: RetroHuntCatchDto[];
}
