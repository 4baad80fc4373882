import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDate, IsISO31661Alpha2, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { PolicyLabelDto } from '../policy/policy.dto';
import { CONTENT_STATUSES, DECISION_SOURCES, OUTCOMES } from '@loupe/vocabulary';

const toHashtagList = ({ value }: { value: unknown }) =>
  [value]
    .flat()
    .flatMap((v) => String(v).split(/[\s,]+/))
    .map((tag) => tag.replace(/^#/, '').trim().toLowerCase())
    .filter((tag) => tag.length > 0);

/** The multipart fields of an upload (the file itself is the `file` part). */
export class ContentCreateDto {
  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional() @IsString() @MaxLength(4000)
  caption?: string;

  @ApiPropertyOptional({ type: [String], description: 'Repeat the field, or separate with commas or spaces; a leading # is dropped' })
  @IsOptional() @Transform(toHashtagList) @IsArray() @ArrayMaxSize(100)
  @Matches(/^[\p{L}\p{N}_]{1,100}$/u, { each: true, message: 'each hashtag must be letters, digits or _' })
  hashtags?: string[];

  @ApiProperty({ example: 'creator-42' })
  @IsString() @Length(1, 200)
  creatorId!: string;

  @ApiProperty({ example: 'US', description: 'ISO 3166-1 alpha-2 country code' })
  @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value)) @IsISO31661Alpha2()
  region!: string;

  @ApiProperty({ example: 'en', description: 'BCP 47 language tag' })
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'language must be a BCP 47 tag such as en or pt-BR' })
  language!: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: "When the user posted it, on the platform's clock (default: when Loupe receives it). Trends bucket items by it, and it is the DSA statement's content_date. At most 5 minutes ahead of Loupe's clock (content.posted_at_future).",
  })
  @IsOptional() @Type(() => Date) @IsDate()
  postedAt?: Date;
}

export class ContentCreatedDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: CONTENT_STATUSES, example: 'received' }) status!: string;
}

export class ContentVideoDto {
  @ApiPropertyOptional({ nullable: true, type: Number, example: 10, description: 'Seconds, as the container declares it' }) durationSeconds!: number | null;
  @ApiProperty({ example: 30, description: 'Frames per second (the stream\'s average rate)' }) frameRate!: number;
  @ApiProperty({ example: 'h264' }) codec!: string;
  @ApiProperty() hasAudio!: boolean;
  @ApiProperty({ example: 0, description: 'Display rotation in degrees; frames are hashed as stored, unrotated, like the vPDQ reference' }) rotation!: number;
}

export class ContentMediaDto {
  @ApiProperty() sha256!: string;
  @ApiProperty({ enum: ['jpeg', 'png', 'webp', 'gif', 'mp4', 'mov', 'webm'] }) format!: string;
  @ApiProperty() bytes!: number;
  @ApiPropertyOptional({ nullable: true, type: Number }) width!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) height!: number | null;
  @ApiPropertyOptional({ nullable: true, type: ContentVideoDto, description: "A video's stream, as its upload's probe read it; null for an image" }) video!: ContentVideoDto | null;
}

export class ContentDecisionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: OUTCOMES }) outcome!: string;
  @ApiProperty({ enum: DECISION_SOURCES }) source!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: [String] }) policyIds!: string[];
  @ApiPropertyOptional({ nullable: true, type: String }) modelVersion!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) matchDistance!: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) actorId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid', description: 'An appeal overturned this earlier decision' })
  overturnsDecisionId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid', description: 'The later decision that overturned this one on appeal' })
  overturnedByDecisionId!: string | null;
  @ApiProperty() decidedAt!: Date;
}

export class ContentScoreDto {
  @ApiProperty({ example: 'nsfwjs-mobilenetv2', description: 'The baseline model, or a model of the registry (e.g. policy-heads)' }) modelId!: string;
  @ApiProperty({ example: '4.3.0', description: 'The exact version: a package version, or a registry version number' }) modelVersion!: string;
  @ApiProperty({ example: 'wasm', description: 'What ran it: the tfjs backend (wasm, tensorflow, cpu), or onnxruntime' }) backend!: string;
  @ApiProperty({ enum: ['champion', 'shadow', 'canary'], description: 'champion decides; shadow is scored beside and never acts; canary is the challenger deciding its share' })
  servingRole!: string;
  @ApiProperty({ description: 'Whether these scores decided the item' }) acted!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) outputs!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) policyScores!: Record<string, number>;
  @ApiProperty() scoredAt!: Date;
}

export class ContentHashDto {
  @ApiProperty({ example: 'pdq' }) signalType!: string;
  @ApiProperty({ description: '64 hex characters' }) hash!: string;
  @ApiProperty({ minimum: 0, maximum: 100 }) quality!: number;
}

export class ContentFrameHashDto {
  @ApiProperty() frameNumber!: number;
  @ApiProperty({ description: 'seconds' }) timestamp!: number;
  @ApiProperty() quality!: number;
  @ApiProperty() pdq!: string;
}

export class ContentMatchDto {
  @ApiProperty({ format: 'uuid' }) bankId!: string;
  @ApiProperty() bankName!: string;
  @ApiProperty({ enum: ['block', 'allow'] }) bankKind!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) policyId!: string | null;
  @ApiProperty({ format: 'uuid' }) entryId!: string;
  @ApiProperty() distance!: number;
  @ApiPropertyOptional({ nullable: true, type: Number }) queryMatchPercent!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) comparedMatchPercent!: number | null;
  @ApiProperty({ enum: ['actioned', 'allow_listed', 'ratio', 'low_quality', 'allow_bank'] }) disposition!: string;
  @ApiPropertyOptional({ nullable: true, enum: ['confirmed', 'refuted'], type: String, description: "The moderator's verdict, once given" }) feedback!: string | null;
}

export class ContentLabelDto {
  @ApiProperty({ type: [PolicyLabelDto] }) labels!: PolicyLabelDto[];
  @ApiProperty({ enum: ['removed', 'allowed'] }) outcome!: string;
  @ApiProperty() provenance!: string;
  @ApiProperty({ format: 'uuid' }) labellerId!: string;
  @ApiProperty() labelledAt!: Date;
}

export class ContentFailureDto {
  @ApiProperty({ example: 'media.truncated' }) code!: string;
  @ApiProperty() reason!: string;
}

export class ContentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['image', 'video'] }) kind!: string;
  @ApiProperty({ enum: CONTENT_STATUSES }) status!: string;
  @ApiProperty({ type: ContentMediaDto }) media!: ContentMediaDto;
  @ApiPropertyOptional({ nullable: true, type: String }) caption!: string | null;
  @ApiProperty({ type: [String] }) hashtags!: string[];
  @ApiProperty() creatorId!: string;
  @ApiProperty() region!: string;
  @ApiProperty() language!: string;
  @ApiPropertyOptional({ type: ContentDecisionDto, nullable: true }) decision!: ContentDecisionDto | null;
  @ApiProperty({ type: [ContentDecisionDto], description: 'Every routing outcome, newest first' }) history!: ContentDecisionDto[];
  @ApiProperty({ type: [ContentScoreDto] }) scores!: ContentScoreDto[];
  @ApiPropertyOptional({ type: ContentHashDto, nullable: true, description: 'Images: the PDQ hash' }) hash!: ContentHashDto | null;
  @ApiProperty({ type: [ContentFrameHashDto], description: 'Videos: vPDQ, one PDQ hash per sampled frame' }) frames!: ContentFrameHashDto[];
  @ApiProperty({ type: [ContentMatchDto], description: 'Bank matches found at ingest' }) matches!: ContentMatchDto[];
  @ApiProperty({ type: [ContentLabelDto] }) labels!: ContentLabelDto[];
  @ApiPropertyOptional({ type: ContentFailureDto, nullable: true }) failure!: ContentFailureDto | null;
  @ApiProperty({ description: 'When the user posted it (postedAt at ingest, else when Loupe received it)' }) postedAt!: Date;
  @ApiProperty({ description: 'When Loupe received it' }) createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}
