import { Controller, Get, Header, Param, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../http/access.decorators';
import { DASHBOARD_CSP, readDashboardAsset } from './dashboard-assets';

/**
 * The analysts' dashboard: a static page whose script signs in with an API
 * key and reads the analysis endpoints. The page itself holds no data, so it
 * is public; it is a web page, not part of the API, and left out of OpenAPI.
 */
@ApiExcludeController()
@Controller('dashboard')
export class DashboardController {
  @Get()
  @Public()
  @Header('Content-Security-Policy', DASHBOARD_CSP)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-cache')
  async page(): Promise<StreamableFile> {
    const asset = await readDashboardAsset('index.html');
    return new StreamableFile(asset.body, { type: asset.contentType });
  }

  @Get(':file')
  @Public()
  @Header('Content-Security-Policy', DASHBOARD_CSP)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-cache')
  async asset(@Param('file') file: string): Promise<StreamableFile> {
    const asset = await readDashboardAsset(file);
    return new StreamableFile(asset.body, { type: asset.contentType });
  }
}
