import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENT_TYPES, WebhookEventType } from '@loupe/domain/webhooks';
import { WEBHOOK_DELIVERY_STATUSES, WebhookDeliveryStatus } from '@loupe/vocabulary';

const EVENTS_DESCRIPTION = `Event types to receive:\n${WEBHOOK_EVENT_TYPES.map((t) => `- \`${t}\`: ${WEBHOOK_EVENT_DESCRIPTIONS[t]}`).join('\n')}`;

export class WebhookCreateDto {
  @ApiProperty({ example: 'https://platform.example/loupe-events', description: 'http or https; the host must resolve to public addresses unless WEBHOOK_ALLOW_PRIVATE=true' })
  @IsString() @Length(1, 2048)
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, description: EVENTS_DESCRIPTION })
  @IsArray() @ArrayNotEmpty() @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length) @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events!: WebhookEventType[];

  @ApiPropertyOptional({ minLength: 16, maxLength: 200, description: 'The signing secret; generated when absent. Returned once, in this response.' })
  @IsOptional() @IsString() @Length(16, 200)
  secret?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ default: true, description: 'A disabled subscription gets no new events' })
  @IsOptional() @IsBoolean()
  enabled?: boolean;
}

export class WebhookUpdateDto extends PartialType(WebhookCreateDto) {}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true }) events!: string[];
  @ApiProperty() description!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ example: 'whsec_AbC1', description: 'The first characters of the secret, to tell secrets apart' }) secretPrefix!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}

export class WebhookCreatedDto extends WebhookDto {
  @ApiProperty({ description: 'The signing secret. It is shown this once.' }) secret!: string;
}

export class WebhookDeliveryQueryDto {
  @ApiPropertyOptional({ enum: WEBHOOK_DELIVERY_STATUSES, description: 'dead: the dead-letter list' })
  @IsOptional() @IsIn(WEBHOOK_DELIVERY_STATUSES)
  status?: WebhookDeliveryStatus;

  @ApiPropertyOptional({ default: 100, maximum: 1000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;

  @ApiPropertyOptional({ description: 'The seq of the last delivery of the previous page' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) before?: number;
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Insertion order, for paging' }) seq!: number;
  @ApiProperty({ format: 'uuid', description: 'The event id, the same in every attempt and replay: receivers de-duplicate on it' }) eventId!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES }) eventType!: string;
  @ApiProperty({ enum: WEBHOOK_DELIVERY_STATUSES }) status!: string;
  @ApiProperty({ description: 'Replays so far' }) round!: number;
  @ApiProperty({ description: 'Attempts in the current round' }) attempts!: number;
  @ApiPropertyOptional({ nullable: true, type: Date }) lastAttemptAt!: Date | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) lastStatusCode!: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) lastError!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) deliveredAt!: Date | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The body sent: {id, type, createdAt, data}' }) event!: Record<string, unknown>;
}
