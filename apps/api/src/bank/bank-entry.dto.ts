import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';

const HEX64 = /^[0-9a-fA-F]{64}$/;

export class VpdqFrameDto {
  @ApiProperty({ example: 0 }) @IsInt() @Min(0) frameNumber!: number;
  @ApiProperty({ example: 0, description: 'seconds' }) @IsNumber() @Min(0) timestamp!: number;
  @ApiProperty({ minimum: 0, maximum: 100 }) @IsInt() @Min(0) @Max(100) quality!: number;
  @ApiProperty({ description: '64 hex characters' }) @Matches(HEX64, { message: 'pdq must be 64 hex characters' }) pdq!: string;
}

export class BankEntryCreateDto {
  @ApiProperty({ enum: ['pdq', 'vpdq'] })
  @IsIn(['pdq', 'vpdq'])
  signalType!: 'pdq' | 'vpdq';

  @ApiPropertyOptional({ description: 'PDQ: 64 hex characters' })
  @ValidateIf((o: BankEntryCreateDto) => o.signalType === 'pdq')
  @Matches(HEX64, { message: 'hash must be 64 hex characters' })
  hash?: string;

  @ApiPropertyOptional({ type: [VpdqFrameDto], description: 'vPDQ: the frame hashes' })
  @ValidateIf((o: BankEntryCreateDto) => o.signalType === 'vpdq')
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100_000) @ValidateNested({ each: true }) @Type(() => VpdqFrameDto)
  frames?: VpdqFrameDto[];

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'Defaults to 100 (trusted) for PDQ, and the best frame for vPDQ' })
  @IsOptional() @IsInt() @Min(0) @Max(100)
  quality?: number;

  @ApiPropertyOptional({ example: 'manual' }) @IsOptional() @IsString() @MaxLength(200) source?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) @ArrayMaxSize(50) tags?: string[];
}

export class BankEntryUpdateDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) @ArrayMaxSize(50) tags?: string[];
}

/** The form fields that go with an uploaded file to bank. */
export class BankEntryMediaCreateDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;

  @ApiPropertyOptional({ description: 'Comma-separated, or the field repeated' })
  @IsOptional()
  @Transform(({ value }) => [value].flat().flatMap((v) => String(v).split(',')).map((t) => t.trim()).filter((t) => t.length > 0))
  @IsArray() @IsString({ each: true }) @ArrayMaxSize(50)
  tags?: string[];
}

export class BankEntryReasonDto {
  @ApiProperty({ example: 'false positive: a popular meme template' })
  @IsString() @MaxLength(2000) @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}

export class BankEntryFeedbackDto {
  @ApiProperty() confirmed!: number;
  @ApiProperty() refuted!: number;
}

export class BankEntryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) bankId!: string;
  @ApiProperty({ description: 'Insertion order; pass as ?before= to page the entry list' }) seq!: number;
  @ApiProperty({ enum: ['pdq', 'vpdq'] }) signalType!: string;
  @ApiPropertyOptional({ description: 'PDQ hash (PDQ entries)' }) hash?: string;
  @ApiProperty() frameCount!: number;
  @ApiProperty() quality!: number;
  @ApiProperty() source!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) contentId!: string | null;
  @ApiProperty() note!: string;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty() enabled!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) disabledReason!: string | null;
  @ApiProperty() quarantined!: boolean;
  @ApiPropertyOptional({ nullable: true, type: Date }) quarantinedAt!: Date | null;
  @ApiProperty({ type: BankEntryFeedbackDto }) feedback!: BankEntryFeedbackDto;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}

export class AuditEventDto {
  @ApiProperty({ example: 'bank_entry.disable' }) action!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) actorId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) actorRole!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty() at!: Date;
}

export class BankEntryDetailDto extends BankEntryDto {
  @ApiPropertyOptional({ type: [VpdqFrameDto], description: 'vPDQ entries: the frame hashes' }) frames?: VpdqFrameDto[];
  @ApiProperty({ type: [AuditEventDto], description: 'Who created, changed, disabled, enabled or quarantined it, and why' }) history!: AuditEventDto[];
}
