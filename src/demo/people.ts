import type { Role } from '../core/database/schema.ts';

/** Fictional people for the demo: anyone who signs in uses this password. Never loaded in production unless asked. */
export const demoPassword = 'walk-alongside';

export interface DemoPerson {
  handle: string;
  id: string;
  calledName: string;
  fullName: string | null;
  roles: Role[];
  email?: string;
}

export interface DemoOrganisationSpec {
  id: string;
  slug: string;
  name: string;
  nameCy: string | null;
  defaultLanguage: 'en' | 'cy';
  people: DemoPerson[];
}

const riverside = '00000000-0000-4000-8000-000000000001';
const cwmTeg = '00000000-0000-4000-8000-000000000002';
const glanHafren = '00000000-0000-4000-8000-000000000003';
const id = (organisation: number, n: number) =>
  `00000000-0000-4000-8${organisation}00-${n.toString().padStart(12, '0')}`;

export const demoOrganisations: DemoOrganisationSpec[] = [
  {
    id: riverside,
    slug: 'riverside',
    name: 'Riverside Community Coaching',
    nameCy: 'Hyfforddi Cymunedol Glan yr Afon',
    defaultLanguage: 'en',
    people: [
      {
        handle: 'admin',
        id: id(1, 1),
        calledName: 'Priya',
        fullName: 'Priya Shah',
        roles: ['admin'],
        email: 'admin@riverside.example',
      },
      {
        handle: 'lead',
        id: id(1, 2),
        calledName: 'Gareth',
        fullName: 'Gareth Evans',
        roles: ['lead', 'coach'],
        email: 'lead@riverside.example',
      },
      {
        handle: 'coach',
        id: id(1, 3),
        calledName: 'Amara',
        fullName: 'Amara Okafor',
        roles: ['coach'],
        email: 'coach@riverside.example',
      },
      {
        handle: 'peer',
        id: id(1, 4),
        calledName: 'Tomasz',
        fullName: 'Tomasz Nowak',
        roles: ['peer', 'person'],
        email: 'peer@riverside.example',
      },
      {
        handle: 'partner',
        id: id(1, 5),
        calledName: 'Helen',
        fullName: 'Helen Morgan',
        roles: ['partner'],
        email: 'partner@riverside.example',
      },
      {
        handle: 'person',
        id: id(1, 6),
        calledName: 'Jordan',
        fullName: 'Jordan Reilly',
        roles: ['person'],
        email: 'person@riverside.example',
      },
      { handle: 'sam', id: id(1, 7), calledName: 'Sam', fullName: null, roles: ['person'] },
      { handle: 'nia', id: id(1, 8), calledName: 'Nia', fullName: 'Nia Williams', roles: ['person'] },
      {
        handle: 'dev',
        id: id(1, 9),
        calledName: 'Dev',
        fullName: 'Devinder Gill',
        roles: ['person', 'peer'],
      },
      { handle: 'marcus', id: id(1, 10), calledName: 'Marcus', fullName: 'Marcus Bell', roles: ['peer'] },
      {
        handle: 'funder',
        id: id(1, 11),
        calledName: 'Ruth',
        fullName: 'Ruth Adeyemi',
        roles: ['funder'],
        email: 'funder@riverside.example',
      },
    ],
  },
  {
    id: cwmTeg,
    slug: 'cwm-teg',
    name: 'Cwm Teg Family Link',
    nameCy: 'Cyswllt Teuluoedd Cwm Teg',
    defaultLanguage: 'cy',
    people: [
      {
        handle: 'admin',
        id: id(2, 1),
        calledName: 'Rhian',
        fullName: 'Rhian Pritchard',
        roles: ['admin', 'lead'],
        email: 'admin@cwmteg.example',
      },
      {
        handle: 'coach',
        id: id(2, 2),
        calledName: 'Dafydd',
        fullName: 'Dafydd Hughes',
        roles: ['coach'],
        email: 'coach@cwmteg.example',
      },
      {
        handle: 'person',
        id: id(2, 3),
        calledName: 'Elin',
        fullName: 'Elin Jones',
        roles: ['person'],
        email: 'person@cwmteg.example',
      },
      {
        handle: 'owain',
        id: id(2, 4),
        calledName: 'Owain',
        fullName: 'Owain Price',
        roles: ['person', 'peer'],
      },
      // Gareth works with both organisations, so signing in asks him which one.
      {
        handle: 'lead',
        id: id(2, 5),
        calledName: 'Gareth',
        fullName: 'Gareth Evans',
        roles: ['partner'],
        email: 'lead@riverside.example',
      },
      {
        handle: 'funder',
        id: id(2, 6),
        calledName: 'Rhodri',
        fullName: 'Rhodri Price',
        roles: ['funder'],
        email: 'funder@cwmteg.example',
      },
    ],
  },
  {
    id: glanHafren,
    slug: 'glan-hafren',
    name: 'Glan Hafren Mental Health Services',
    nameCy: 'Gwasanaethau Iechyd Meddwl Glan Hafren',
    defaultLanguage: 'en',
    // A mental health ward (Willow, in safer-wards' demo): the ward manager, nurses, support workers and a patient.
    people: [
      {
        handle: 'admin',
        id: id(3, 1),
        calledName: 'Carys',
        fullName: 'Carys Lloyd',
        roles: ['admin'],
        email: 'admin@glanhafren.example',
      },
      {
        handle: 'lead',
        id: id(3, 2),
        calledName: 'Owen',
        fullName: 'Owen Parry',
        roles: ['lead', 'coach'],
        email: 'lead@glanhafren.example',
      },
      {
        handle: 'coach',
        id: id(3, 3),
        calledName: 'Bethan',
        fullName: 'Bethan Rees',
        roles: ['coach'],
        email: 'coach@glanhafren.example',
      },
      {
        handle: 'person',
        id: id(3, 4),
        calledName: 'Alex',
        fullName: 'Alex Morgan',
        roles: ['person'],
        email: 'person@glanhafren.example',
      },
      { handle: 'kofi', id: id(3, 5), calledName: 'Kofi', fullName: 'Kofi Mensah', roles: ['coach'] },
      { handle: 'sian', id: id(3, 6), calledName: 'Siân', fullName: 'Siân Hughes', roles: ['coach'] },
      { handle: 'marek', id: id(3, 7), calledName: 'Marek', fullName: 'Marek Nowicki', roles: ['coach'] },
    ],
  },
];
