import { ApiProperty } from '@nestjs/swagger';

export class DatabaseHealthDto {
  @ApiProperty({ enum: ['postgres', 'pglite'] }) kind!: string;
  @ApiProperty({ enum: ['up', 'down'] }) state!: string;
}

export class QueueHealthDto {
  @ApiProperty({ enum: ['redis', 'in-process'] }) kind!: string;
  @ApiProperty({ enum: ['up', 'down'] }) state!: string;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'], description: 'degraded (with status 503) when a store is down' }) status!: string;
  @ApiProperty({ enum: ['all', 'api'], description: 'all: api and worker in one process' }) mode!: string;
  @ApiProperty({ type: DatabaseHealthDto }) database!: DatabaseHealthDto;
  @ApiProperty({ type: QueueHealthDto }) queue!: QueueHealthDto;
  @ApiProperty({ enum: ['available', 'unavailable'], description: 'unavailable: ffmpeg or ffprobe is missing, and video uploads get 503' }) video!: string;
}
