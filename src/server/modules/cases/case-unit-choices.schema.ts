import { z } from 'zod';

const unitChoice = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.string(),
  parentName: z.string().nullable(),
});

export const caseUnitChoices = z.object({
  departments: z.array(unitChoice).meta({
    description:
      'Departments the case can be whistled or redispatched to: those hanging off the owning unit or one of its ' +
      'ancestors (empty unless whistle or redispatch is among my allowed actions)',
  }),
  transferTargets: z.array(unitChoice).meta({
    description:
      'Units of the same kind at the same level as the unit holding the case (the lead department once whistled); ' +
      'empty unless transfer is allowed',
  }),
  dispatchTargets: z.array(unitChoice).meta({
    description:
      'Grids, communities and streets below the owning unit that I may dispatch to (at most 500); empty unless ' +
      'dispatch is allowed',
  }),
});
export type CaseUnitChoices = z.infer<typeof caseUnitChoices>;
