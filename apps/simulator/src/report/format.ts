/** How the report writes shares and numbers: a dash for a figure it does not have. */
export const pct = (share: number | null | undefined, digits = 1) => (share === null || share === undefined ? '–' : `${(share * 100).toFixed(digits)}%`);
export const num = (n: number | null | undefined, digits = 1) => (n === null || n === undefined ? '–' : n.toFixed(digits));
