import { storedVideoProbe, toVideoProbe } from './video-probe.mapper';

describe('storedVideoProbe', () => {
  const probe = toVideoProbe({
    format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '3.000000' },
    streams: [
      { index: 0, codec_type: 'video', codec_name: 'h264', width: 320, height: 240, avg_frame_rate: '25/1', r_frame_rate: '25/1', nb_frames: '75', pix_fmt: 'yuv420p' },
    ],
  });

  it('reads back a probe kept as JSON', () => {
    expect(storedVideoProbe(JSON.parse(JSON.stringify(probe)))).toEqual(probe);
  });

  it('refuses what is not a whole probe, so the file is probed again', () => {
    expect(storedVideoProbe(null)).toBeNull();
    expect(storedVideoProbe('probe')).toBeNull();
    const { frameRate: _dropped, ...older } = probe;
    expect(storedVideoProbe(older)).toBeNull();
    expect(storedVideoProbe({ ...probe, codedWidth: 0 })).toBeNull();
    expect(storedVideoProbe({ ...probe, frameRate: '25' })).toBeNull();
    expect(storedVideoProbe({ ...probe, rotation: 1.5 })).toBeNull();
    expect(storedVideoProbe({ ...probe, duration: undefined })).toBeNull();
    expect(storedVideoProbe({ ...probe, duration: 0 })).toBeNull();
    expect(storedVideoProbe({ ...probe, frameCount: -75 })).toBeNull();
    expect(storedVideoProbe({ ...probe, codedHeight: 120.5 })).toBeNull();
    expect(storedVideoProbe({ ...probe, rotation: 450 })).toBeNull();
    expect(storedVideoProbe({ ...probe, duration: null, frameCount: null, pixelFormat: null })).not.toBeNull();
  });
});
