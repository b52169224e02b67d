/**
 * The permission catalogue. Roles are data (the roles table); this list is what a role may carry.
 * Labels are i18n keys `permissions.<code>` in the web catalogues.
 */
export const PERMISSIONS = [
  'unit.read',
  'unit.manage',
  'grid.read',
  'grid.manage',
  'person.read',
  'person.manage',
  'person.reveal',
  'carePerson.read',
  'carePerson.manage',
  'partyOrg.read',
  'partyOrg.manage',
  'account.read',
  'account.manage',
  'role.manage',
  'audit.read',
  'data.import',
  'data.export',
  'case.read',
  'case.intake',
  'case.handle',
  'case.dispatch',
  'case.supervise',
  'case.visit',
  'case.reveal',
  'case.configure',
  'metrics.read',
  'notice.manage',
  'activity.manage',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const DATA_SCOPES = ['all', 'subtree', 'unit', 'own'] as const;

/** Breadth order of data scopes, used so that nobody grants more than they hold. */
export const SCOPE_RANK = { own: 0, unit: 1, subtree: 2, all: 3 } as const;
