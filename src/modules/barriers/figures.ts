/**
 * Figures that leave the team: small counts hidden so nobody can be recognised, and CSV for spreadsheets.
 */

/** Counts from 1 to this minus one are shown as "fewer than" it. Nought identifies nobody and is shown. */
export const smallestShown = 5;

/** A count as it may be shown outside the team: the figure, or why it is not there. */
export type Shown = number | 'small' | 'hidden';

/**
 * Hides small counts in a group of cells whose sum the reader knows (the systems with the year's total,
 * the months of the year). Each count from 1 to 4 is shown as "fewer than 5"; then, if exactly one cell
 * is hidden, it could be worked out by subtraction, so the smallest other non-zero cell is hidden too.
 */
export function suppress(counts: number[]): Shown[] {
  const shown: Shown[] = counts.map((n) => (n > 0 && n < smallestShown ? 'small' : n));
  if (shown.filter((n) => typeof n !== 'number').length === 1) {
    let smallest = -1;
    shown.forEach((n, i) => {
      if (typeof n === 'number' && n > 0 && (smallest < 0 || n < (shown[smallest] as number))) smallest = i;
    });
    if (smallest >= 0) shown[smallest] = 'hidden';
  }
  return shown;
}

/** One count alone (a total): hidden when small. */
export const suppressOne = (count: number): Shown => (count > 0 && count < smallestShown ? 'small' : count);
