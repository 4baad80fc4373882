import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDate, IsInt, IsOptional, Max, Min } from 'class-validator';

export class WellbeingReportQueryDto {
  @ApiPropertyOptional({ description: 'ISO time; default 7 days ago' }) @IsOptional() @Type(() => Date) @IsDate() from?: Date;
  @ApiPropertyOptional({ description: 'ISO time; default now' }) @IsOptional() @Type(() => Date) @IsDate() to?: Date;
}

export class ModeratorWellbeingDto {
  @ApiProperty({ format: 'uuid' }) moderatorId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() team!: string;
  @ApiProperty() reviews!: number;
  @ApiProperty({ description: 'High- and critical-severity items shown' }) highSeverityExposures!: number;
  @ApiProperty() breaks!: number;
  @ApiProperty() breakMinutes!: number;
  @ApiProperty({ description: 'Originals revealed' }) reveals!: number;
  @ApiProperty({ description: 'Reveals per review' }) revealRate!: number;
}

export class TeamWellbeingDto {
  @ApiProperty() team!: string;
  @ApiProperty() moderators!: number;
  @ApiProperty() reviews!: number;
  @ApiProperty() highSeverityExposures!: number;
  @ApiProperty() breaks!: number;
  @ApiProperty() breakMinutes!: number;
  @ApiProperty() reveals!: number;
  @ApiProperty() revealRate!: number;
}

export class WellbeingReportDto {
  @ApiProperty() from!: Date;
  @ApiProperty() to!: Date;
  @ApiProperty({ type: [ModeratorWellbeingDto] }) moderators!: ModeratorWellbeingDto[];
  @ApiProperty({ type: [TeamWellbeingDto] }) teams!: TeamWellbeingDto[];
}

export class ModeratorBreakCreateDto {
  @ApiProperty({ minimum: 1, maximum: 240, example: 15 }) @IsInt() @Min(1) @Max(240) minutes!: number;
}

export class ModeratorBreakDto {
  @ApiProperty() startedAt!: Date;
  @ApiProperty() endsAt!: Date;
  @ApiProperty({ description: 'Taken while the exposure budget was reached' }) required!: boolean;
}

export class PreviewPreferencesDto {
  @ApiProperty({ minimum: 0, maximum: 100 }) blur!: number;
  @ApiProperty() greyscale!: boolean;
}

export class PreviewPreferencesUpdateDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 100, nullable: true, type: Number, description: 'null: the organisation default' })
  @IsOptional() @IsInt() @Min(0) @Max(100)
  blur?: number | null;

  @ApiPropertyOptional({ nullable: true, type: Boolean }) @IsOptional() @IsBoolean() greyscale?: boolean | null;
}

export class PreviewDefaultsUpdateDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 100 }) @IsOptional() @IsInt() @Min(0) @Max(100) blur?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() greyscale?: boolean;
}

export class EffectivePreferencesDto extends PreviewPreferencesDto {
  @ApiProperty({ example: { blur: 'own', greyscale: 'default' } }) source!: { blur: string; greyscale: string };
}
