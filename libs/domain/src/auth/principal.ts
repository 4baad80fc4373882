import type { Role } from '@loupe/database';

/** Who is calling: the API key that authenticated the request. */
export interface Principal {
  id: string;
  name: string;
  role: Role;
}
