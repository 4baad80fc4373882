import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { VpdqFrameDto } from '../bank/bank-entry.dto';
import { BANK_ACTIONS, BANK_KINDS } from '@loupe/vocabulary';

export class HashResultDto {
  @ApiProperty({ enum: ['image', 'video'] }) kind!: string;
  @ApiProperty() width!: number;
  @ApiProperty() height!: number;
  @ApiPropertyOptional({ description: 'Images: the PDQ hash' }) pdq?: string;
  @ApiPropertyOptional({ description: 'Images: PDQ quality, 0..100' }) quality?: number;
  @ApiPropertyOptional({ type: [String], description: "Images: the 8 dihedral hashes, in the reference's order" }) dihedral?: string[];
  @ApiPropertyOptional({ nullable: true, type: Number }) durationSeconds?: number | null;
  @ApiPropertyOptional() frameRate?: number;
  @ApiPropertyOptional({ type: [VpdqFrameDto], description: 'Videos: vPDQ, one PDQ hash per sampled frame' }) frames?: VpdqFrameDto[];
}

export class HashLookupCreateDto {
  @ApiProperty({ enum: ['pdq', 'vpdq'] })
  @IsIn(['pdq', 'vpdq'])
  signalType!: 'pdq' | 'vpdq';

  @ApiPropertyOptional({ description: 'PDQ: 64 hex characters' })
  @ValidateIf((o: HashLookupCreateDto) => o.signalType === 'pdq')
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'hash must be 64 hex characters' })
  hash?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'PDQ quality of the query; below the floor nothing is actioned. Default 100' })
  @IsOptional() @IsInt() @Min(0) @Max(100)
  quality?: number;

  @ApiPropertyOptional({ type: [VpdqFrameDto] })
  @ValidateIf((o: HashLookupCreateDto) => o.signalType === 'vpdq')
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100_000) @ValidateNested({ each: true }) @Type(() => VpdqFrameDto)
  frames?: VpdqFrameDto[];
}

export class MatchBankDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: BANK_KINDS }) kind!: string;
  @ApiProperty({ enum: BANK_ACTIONS }) action!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) policyId!: string | null;
}

export class MatchEntryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['pdq', 'vpdq'] }) signalType!: string;
  @ApiProperty() source!: string;
  @ApiProperty() note!: string;
  @ApiProperty({ type: [String] }) tags!: string[];
}

export class HashMatchDto {
  @ApiProperty({ type: MatchBankDto }) bank!: MatchBankDto;
  @ApiProperty({ type: MatchEntryDto }) entry!: MatchEntryDto;
  @ApiProperty({ description: 'PDQ Hamming distance (vPDQ: the nearest frame pair)' }) distance!: number;
  @ApiPropertyOptional({ description: "vPDQ: % of the query's frames that match" }) queryMatchPercent?: number;
  @ApiPropertyOptional({ description: "vPDQ: % of the banked video's frames that match" }) comparedMatchPercent?: number;
  @ApiProperty({
    enum: ['actioned', 'allow_listed', 'ratio', 'low_quality', 'allow_bank'],
    description: 'What the match does: actioned; vetoed by an allow bank; outside the enabled ratio; below the quality floor; or is itself an allow-bank match',
  })
  disposition!: string;
}

export class HashLookupQueryDto {
  @ApiProperty({ enum: ['pdq', 'vpdq'] }) signalType!: string;
  @ApiPropertyOptional() hash?: string;
  @ApiProperty() quality!: number;
  @ApiPropertyOptional() frameCount?: number;
}

export class HashLookupActionDto {
  @ApiProperty({ enum: BANK_ACTIONS }) action!: string;
  @ApiProperty({ format: 'uuid' }) bankId!: string;
  @ApiProperty() bankName!: string;
  @ApiProperty({ format: 'uuid' }) entryId!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) policyId!: string | null;
}

export class HashLookupResultDto {
  @ApiProperty({ type: HashLookupQueryDto }) query!: HashLookupQueryDto;
  @ApiProperty({ type: [HashMatchDto] }) matches!: HashMatchDto[];
  @ApiPropertyOptional({ type: HashLookupActionDto, nullable: true, description: 'What ingest would do with this media' }) action!: HashLookupActionDto | null;
}
