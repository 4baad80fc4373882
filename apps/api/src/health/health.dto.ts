import { ApiProperty } from '@nestjs/swagger';

export class DatabaseHealthDto {
  @ApiProperty({ enum: ['postgres', 'pglite'] }) kind!: string;
  @ApiProperty({ enum: ['up', 'down'] }) state!: string;
}

export class QueueHealthDto {
  @ApiProperty({ enum: ['redis', 'in-process'] }) kind!: string;
  @ApiProperty({ enum: ['up', 'down'] }) state!: string;
}

export class BackboneHealthDto {
  @ApiProperty({ enum: ['onnxruntime', 'tfjs'], description: 'What the compute threads serve the backbone on (before any has loaded it: what is asked for)' }) runtime!: string;
  @ApiProperty({ enum: ['onnxruntime', 'tfjs'], description: 'BACKBONE_RUNTIME' }) requested!: string;
  @ApiProperty({ description: 'true when onnxruntime was asked for and a thread serves tfjs instead: still serving, slower' }) fallback!: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    enum: ['artefact_unavailable', 'artefact_missing', 'artefact_corrupt', 'artefact_mismatch', 'load_failed'],
    description: "Why it fell back, as a code (the detail is in the process's log): the registry has no graph, its file is missing, does not hash to the registered sha256, is another backbone's, or does not load",
  })
  reason!: string | null;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'], description: 'degraded (with status 503) when a store is down' }) status!: string;
  @ApiProperty({ enum: ['all', 'api'], description: 'all: api and worker in one process' }) mode!: string;
  @ApiProperty({ type: DatabaseHealthDto }) database!: DatabaseHealthDto;
  @ApiProperty({ type: QueueHealthDto }) queue!: QueueHealthDto;
  @ApiProperty({ enum: ['available', 'unavailable'], description: 'unavailable: ffmpeg or ffprobe is missing, and video uploads get 503' }) video!: string;
  @ApiProperty({ type: BackboneHealthDto, nullable: true, description: 'The backbone this process classifies with; null in a process that classifies nothing (api mode). A fallback to tfjs does not make status degraded' })
  backbone!: BackboneHealthDto | null;
}
