export interface ContactSheetLayoutInput {
  /** Number of tiles. */
  count: number;
  /** Tiles per row at most; fewer when there are fewer tiles. */
  columns: number;
  /** Width / height of a tile as displayed. */
  tileAspect: number;
  /** Neither side of the sheet exceeds this. */
  maxSide: number;
  /** Pixels between tiles and around the edge. */
  gap: number;
  /** Tiles never get larger than the source frame (no upscaling). */
  maxTileWidth?: number;
  maxTileHeight?: number;
}

export interface ContactSheetTile {
  left: number;
  top: number;
}

export interface ContactSheetLayout {
  width: number;
  height: number;
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
  gap: number;
  /** Reading order: left to right, then top to bottom; the last row is left-aligned. */
  tiles: ContactSheetTile[];
}

/**
 * Sizes one grid of equal tiles so the whole sheet, gaps included, fits in
 * `maxSide` on both axes while keeping the frames' aspect ratio.
 */
export function contactSheetLayout(input: ContactSheetLayoutInput): ContactSheetLayout {
  const { count, tileAspect, maxSide, gap } = input;
  if (!(Number.isInteger(count) && count > 0)) throw new RangeError(`count must be a positive integer, got ${count}`);
  if (!(Number.isInteger(input.columns) && input.columns > 0)) throw new RangeError(`columns must be a positive integer, got ${input.columns}`);
  if (!(Number.isFinite(tileAspect) && tileAspect > 0)) throw new RangeError(`tileAspect must be positive, got ${tileAspect}`);
  if (!(Number.isInteger(maxSide) && maxSide > 0)) throw new RangeError(`maxSide must be a positive integer, got ${maxSide}`);
  if (!(Number.isInteger(gap) && gap >= 0)) throw new RangeError(`gap must be a non-negative integer, got ${gap}`);

  const columns = Math.min(input.columns, count);
  const rows = Math.ceil(count / columns);
  const widthLimit = Math.min(Math.floor((maxSide - (columns + 1) * gap) / columns), input.maxTileWidth ?? Infinity);
  const heightLimit = Math.min(Math.floor((maxSide - (rows + 1) * gap) / rows), input.maxTileHeight ?? Infinity);
  if (widthLimit < 1 || heightLimit < 1) {
    throw new RangeError(`A ${columns}x${rows} sheet with ${gap} px gaps does not fit in ${maxSide} px`);
  }

  // Fit the aspect ratio inside the limit box; rounding the free side cannot overshoot it
  // because the exact value is already below an integer limit.
  let tileWidth: number;
  let tileHeight: number;
  if (widthLimit / heightLimit > tileAspect) {
    tileHeight = heightLimit;
    tileWidth = Math.min(widthLimit, Math.max(1, Math.round(heightLimit * tileAspect)));
  } else {
    tileWidth = widthLimit;
    tileHeight = Math.min(heightLimit, Math.max(1, Math.round(widthLimit / tileAspect)));
  }

  const tiles: ContactSheetTile[] = [];
  for (let i = 0; i < count; i++) {
    const column = i % columns;
    const row = Math.floor(i / columns);
    tiles.push({ left: gap + column * (tileWidth + gap), top: gap + row * (tileHeight + gap) });
  }
  return {
    width: columns * tileWidth + (columns + 1) * gap,
    height: rows * tileHeight + (rows + 1) * gap,
    columns,
    rows,
    tileWidth,
    tileHeight,
    gap,
    tiles,
  };
}
