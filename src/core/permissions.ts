import type { Role } from './database/schema.ts';

/**
 * The one permission model: a role may do an action to a subject, either to any of them in its
 * organisation or only to its own (where the record is about the person themselves).
 */
export interface Grant {
  action: 'read' | 'create' | 'update' | 'delete' | 'manage' | (string & {});
  subject: string;
  scope: 'own' | 'any';
}
export type RoleGrants = Partial<Record<Role, Grant[]>>;

export interface Actor {
  personId: string;
  roles: readonly Role[];
}

/** The record being acted on, when "own" matters: whose personal data it is. */
export interface Target {
  personId?: string | null;
}

export type Can = (action: Grant['action'], subject: string, target?: Target) => boolean;

export class Permissions {
  private readonly grants = new Map<Role, Grant[]>();

  constructor(sets: RoleGrants[]) {
    for (const set of sets) {
      for (const [role, grants] of Object.entries(set) as [Role, Grant[]][]) {
        this.grants.set(role, [...(this.grants.get(role) ?? []), ...grants]);
      }
    }
  }

  can(actor: Actor | null, action: Grant['action'], subject: string, target?: Target): boolean {
    if (!actor) return false;
    return actor.roles.some((role) =>
      (this.grants.get(role) ?? []).some(
        (grant) =>
          grant.subject === subject &&
          (grant.action === action || grant.action === 'manage') &&
          (grant.scope === 'any' || (target?.personId != null && target.personId === actor.personId)),
      ),
    );
  }

  /** `can` bound to one actor, for routes and views. */
  for(actor: Actor | null): Can {
    return (action, subject, target) => this.can(actor, action, subject, target);
  }
}

/** What the core itself grants: everyone may see who has looked at or changed their own record. */
export const coreGrants: RoleGrants = Object.fromEntries(
  (['person', 'peer', 'coach', 'lead', 'partner', 'admin', 'funder'] as const).map((role) => [
    role,
    [{ action: 'read', subject: 'record-history', scope: 'own' }],
  ]),
);
