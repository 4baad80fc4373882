/* The community guidelines' terms: how bad a violation is, and how a model's outputs feed a policy. */

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Which outputs of which model add up to a policy's score. */
export interface PolicyModelInput {
  model: string;
  outputs: string[];
}

/** A finer label inside a policy, e.g. recovery content next to eating-disorder promotion. */
export interface PolicyNuance {
  id: string;
  title: string;
  violating: boolean;
}
