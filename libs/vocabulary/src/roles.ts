/* Who may do what: every API key has one role. */

export const ROLES = ['admin', 'service', 'moderator', 'ml_engineer', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: the API key that authenticated the request. */
export interface Principal {
  id: string;
  name: string;
  role: Role;
}
