/**
 * Goal Attainment Scaling, pure: five levels from -2 to +2 per goal, weight = importance × difficulty
 * (each 0-3), and the Kiresuk-Sherman T-score with the usual correlation of 0.3 between goals.
 */

export const gasLevels = [-2, -1, 0, 1, 2] as const;
export type GasLevel = (typeof gasLevels)[number];
const rho = 0.3;

export interface ScaledGoal {
  level: number;
  importance: number;
  difficulty: number;
}

/** 50 is "as expected"; null when no goal carries any weight (a weight of 0 means "leave it out"). */
export function tScore(goals: ScaledGoal[]): number | null {
  const weighted = goals.map((goal) => ({ w: goal.importance * goal.difficulty, x: goal.level }));
  const sumW = weighted.reduce((sum, goal) => sum + goal.w, 0);
  if (sumW === 0) return null;
  const sumWX = weighted.reduce((sum, goal) => sum + goal.w * goal.x, 0);
  const sumW2 = weighted.reduce((sum, goal) => sum + goal.w * goal.w, 0);
  return 50 + (10 * sumWX) / Math.sqrt((1 - rho) * sumW2 + rho * sumW * sumW);
}

export interface GasRatingEvent {
  goalId: string;
  level: number;
  ratedAt: Date;
}

/**
 * The T-score after each rating, counting each goal at its latest level so far: the line the person
 * sees over time. Goals never rated yet are left out until their first rating.
 */
export function tScoreOverTime(
  weights: Map<string, { importance: number; difficulty: number }>,
  ratings: GasRatingEvent[],
): { at: Date; tScore: number }[] {
  const latest = new Map<string, number>();
  const points: { at: Date; tScore: number }[] = [];
  for (const rating of [...ratings].sort((a, b) => a.ratedAt.getTime() - b.ratedAt.getTime())) {
    const weight = weights.get(rating.goalId);
    if (!weight) continue;
    latest.set(rating.goalId, rating.level);
    const score = tScore([...latest].map(([goalId, level]) => ({ level, ...weights.get(goalId)! })));
    if (score !== null) points.push({ at: rating.ratedAt, tScore: Math.round(score * 10) / 10 });
  }
  return points;
}
