import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { BANK_ACTIONS, BANK_KINDS, BankAction, BankKind } from '@loupe/vocabulary';

export class BankCreateDto {
  @ApiProperty({ example: 'ncmec-shared', description: 'Unique; letters, digits, -, _ and .' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, { message: 'name must be 1-100 letters, digits, ".", "-" or "_"' })
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ enum: BANK_KINDS, default: 'block', description: 'allow: a suppression list; its matches are never actioned and veto block matches' })
  @IsOptional() @IsIn(BANK_KINDS)
  kind?: BankKind;

  @ApiPropertyOptional({ example: 'adult_nudity', nullable: true, type: String, description: 'The policy a match is actioned under' })
  @IsOptional() @IsString() @Length(1, 100)
  policyId?: string | null;

  @ApiPropertyOptional({ enum: BANK_ACTIONS, default: 'remove', description: 'What a block match does: remove at ingest, or send to review' })
  @IsOptional() @IsIn(BANK_ACTIONS)
  action?: BankAction;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, default: 1, description: 'Share of matches actioned, for a gradual roll-out; the rest are only recorded' })
  @IsOptional() @IsNumber() @Min(0) @Max(1)
  enabledRatio?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 256, default: 31, description: 'PDQ distance (inclusive) at which an entry matches; also the vPDQ frame distance' })
  @IsOptional() @IsInt() @Min(0) @Max(256)
  pdqDistance?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, default: 80, description: "vPDQ: share (%) of the uploaded video's frames that must match" })
  @IsOptional() @IsNumber() @Min(0) @Max(100)
  vpdqQueryPercent?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, default: 0, description: "vPDQ: share (%) of the banked video's frames that must match" })
  @IsOptional() @IsNumber() @Min(0) @Max(100)
  vpdqComparedPercent?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, default: 0.5, description: 'Quarantine an entry when refutations reach this share of its feedback' })
  @IsOptional() @IsNumber() @Min(0) @Max(1)
  quarantineRefuteRate?: number;

  @ApiPropertyOptional({ minimum: 1, default: 3, description: '...once it has at least this many verdicts' })
  @IsOptional() @IsInt() @Min(1)
  quarantineMinFeedback?: number;
}

export class BankUpdateDto extends PartialType(BankCreateDto) {}

export class BankDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: BANK_KINDS }) kind!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) policyId!: string | null;
  @ApiProperty({ enum: BANK_ACTIONS }) action!: string;
  @ApiProperty() enabledRatio!: number;
  @ApiProperty() pdqDistance!: number;
  @ApiProperty() vpdqQueryPercent!: number;
  @ApiProperty() vpdqComparedPercent!: number;
  @ApiProperty() quarantineRefuteRate!: number;
  @ApiProperty() quarantineMinFeedback!: number;
  @ApiPropertyOptional({ description: 'Entries in the bank (list only)' }) entryCount?: number;
  @ApiPropertyOptional({ description: 'Entries enabled and not quarantined (list only)' }) activeEntryCount?: number;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}
