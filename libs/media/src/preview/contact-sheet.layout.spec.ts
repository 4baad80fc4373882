import { contactSheetLayout, type ContactSheetLayout } from './contact-sheet.layout';

function expectNoOverlap(layout: ContactSheetLayout): void {
  const { tiles, tileWidth, tileHeight, gap } = layout;
  for (const tile of tiles) {
    expect(tile.left).toBeGreaterThanOrEqual(gap);
    expect(tile.top).toBeGreaterThanOrEqual(gap);
    expect(tile.left + tileWidth + gap).toBeLessThanOrEqual(layout.width);
    expect(tile.top + tileHeight + gap).toBeLessThanOrEqual(layout.height);
  }
  for (let i = 0; i < tiles.length; i++) {
    for (let j = i + 1; j < tiles.length; j++) {
      const apart =
        tiles[i].left + tileWidth + gap <= tiles[j].left ||
        tiles[j].left + tileWidth + gap <= tiles[i].left ||
        tiles[i].top + tileHeight + gap <= tiles[j].top ||
        tiles[j].top + tileHeight + gap <= tiles[i].top;
      expect(apart).toBe(true);
    }
  }
}

describe('contactSheetLayout', () => {
  it('lays 9 landscape frames out 3x3 within 720 px, width-bound', () => {
    const layout = contactSheetLayout({ count: 9, columns: 3, tileAspect: 4 / 3, maxSide: 720, gap: 4 });
    expect(layout).toMatchObject({ columns: 3, rows: 3, tileWidth: 234, tileHeight: 176, width: 718, height: 544, gap: 4 });
    expect(layout.tiles).toHaveLength(9);
    expect(layout.tiles[0]).toEqual({ left: 4, top: 4 });
    expect(layout.tiles[4]).toEqual({ left: 4 + 238, top: 4 + 180 });
    expect(layout.tiles[8]).toEqual({ left: 4 + 2 * 238, top: 4 + 2 * 180 });
    expectNoOverlap(layout);
  });

  it('lays portrait frames out height-bound, keeping their aspect ratio', () => {
    const layout = contactSheetLayout({ count: 9, columns: 3, tileAspect: 3 / 4, maxSide: 720, gap: 4 });
    expect(layout).toMatchObject({ tileWidth: 176, tileHeight: 234, width: 544, height: 718 });
    expectNoOverlap(layout);
  });

  it('keeps both sides within maxSide for many aspect ratios and counts', () => {
    for (const tileAspect of [0.2, 9 / 16, 1, 4 / 3, 16 / 9, 5]) {
      for (let count = 1; count <= 20; count++) {
        for (const columns of [1, 3, 5]) {
          const layout = contactSheetLayout({ count, columns, tileAspect, maxSide: 500, gap: 3 });
          expect(Math.max(layout.width, layout.height)).toBeLessThanOrEqual(500);
          expect(layout.tiles).toHaveLength(count);
          expect(Math.abs(layout.tileWidth / layout.tileHeight - tileAspect) / tileAspect).toBeLessThan(0.25);
          expectNoOverlap(layout);
        }
      }
    }
  });

  it('uses fewer columns when there are fewer tiles, and left-aligns a partial last row', () => {
    const two = contactSheetLayout({ count: 2, columns: 3, tileAspect: 1, maxSide: 300, gap: 4 });
    expect(two).toMatchObject({ columns: 2, rows: 1 });
    const five = contactSheetLayout({ count: 5, columns: 3, tileAspect: 1, maxSide: 300, gap: 4 });
    expect(five).toMatchObject({ columns: 3, rows: 2 });
    expect(five.tiles[3].left).toBe(five.tiles[0].left);
    expect(five.tiles[4].left).toBe(five.tiles[1].left);
  });

  it('never makes a tile larger than the source frame', () => {
    const layout = contactSheetLayout({ count: 4, columns: 2, tileAspect: 4 / 3, maxSide: 720, gap: 4, maxTileWidth: 64, maxTileHeight: 48 });
    expect(layout).toMatchObject({ tileWidth: 64, tileHeight: 48, width: 2 * 64 + 12, height: 2 * 48 + 12 });
  });

  it('refuses a sheet too small for its gaps, and invalid input', () => {
    expect(() => contactSheetLayout({ count: 9, columns: 3, tileAspect: 1, maxSide: 15, gap: 4 })).toThrow(RangeError);
    expect(() => contactSheetLayout({ count: 0, columns: 3, tileAspect: 1, maxSide: 100, gap: 4 })).toThrow(RangeError);
    expect(() => contactSheetLayout({ count: 3, columns: 0, tileAspect: 1, maxSide: 100, gap: 4 })).toThrow(RangeError);
    expect(() => contactSheetLayout({ count: 3, columns: 3, tileAspect: 0, maxSide: 100, gap: 4 })).toThrow(RangeError);
  });
});
