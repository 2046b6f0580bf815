import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coreGrants, Permissions } from '../src/core/permissions.ts';
import { organisationAdmin } from '../src/modules/organisation-admin/index.tsx';

const permissions = new Permissions([coreGrants, organisationAdmin.permissions!]);

describe('permissions', () => {
  it('lets an admin manage people and read the audit trail, and nobody else', () => {
    const admin = { personId: 'a', roles: ['admin'] as const };
    const coach = { personId: 'c', roles: ['coach', 'lead'] as const };
    assert.equal(permissions.can(admin, 'manage', 'person'), true);
    assert.equal(permissions.can(admin, 'read', 'audit-trail'), true, 'manage includes read');
    assert.equal(permissions.can(coach, 'read', 'audit-trail'), false);
    assert.equal(permissions.can(null, 'read', 'person'), false);
  });

  it('grants "own" only for the person the record is about', () => {
    const someone = { personId: 'p1', roles: ['person'] as const };
    assert.equal(permissions.can(someone, 'read', 'record-history', { personId: 'p1' }), true);
    assert.equal(permissions.can(someone, 'read', 'record-history', { personId: 'p2' }), false);
    assert.equal(permissions.can(someone, 'read', 'record-history'), false, 'no target, no own');
  });

  it('binds to one actor for routes and views', () => {
    const can = permissions.for({ personId: 'a', roles: ['admin'] });
    assert.equal(can('manage', 'outbox'), true);
    assert.equal(can('delete', 'universe'), false);
  });
});
