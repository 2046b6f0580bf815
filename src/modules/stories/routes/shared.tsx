import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../../../core/context.ts';
import type { Scope } from '../../../core/database/tenancy.ts';
import type { Language, Translate } from '../../../core/i18n/index.ts';
import { canReach, teamMatesOf } from '../../../core/teams.ts';
import { type FieldErrors, FieldsetGroup, type FormValues } from '../../../core/web/forms.tsx';
import { taskPage } from '../../../core/web/page.tsx';
import { highlight, type Piece } from '../names.ts';
import type { Story, StoryScope } from '../stories.ts';

export type C = Context<AppEnv>;

export const id = 'stories';
/** A key in this module's catalogue. */
export const w = (key: string) => `${id}.${key}`;

export const storyPath = (storyId: string, rest = '') => `/stories/${storyId}${rest}`;
export const bookletPath = (bookletId: string, rest = '') => `/stories/booklets/${bookletId}${rest}`;

/** The author, or the coach who helped write it while their teams still reach the author. */
export async function mayWrite(scope: Scope, viewerId: string, story: Story): Promise<boolean> {
  if (story.authorId === viewerId) return true;
  return story.helpedById === viewerId && (await canReach(scope, viewerId, story.authorId));
}

/**
 * May this person read the story? Its author always, and the coach who helped write it while they
 * reach the author; anyone else only as far as the author's consent goes now: their coach and team
 * (the staff whose teams reach them, or who work in a team with them), the organisation, or anyone.
 */
export async function mayRead(scope: Scope, viewerId: string, story: Story): Promise<boolean> {
  if (await mayWrite(scope, viewerId, story)) return true;
  if (story.withdrawnAt) return false;
  switch (story.scope) {
    case 'me':
      return false;
    case 'team':
      return (
        (await canReach(scope, viewerId, story.authorId)) ||
        (await teamMatesOf(scope, story.authorId)).includes(viewerId)
      );
    case 'organisation':
    case 'public':
      return true;
  }
}

const notices: Record<string, string> = {
  written: 'notices.written',
  saved: 'notices.saved',
  same: 'notices.same',
  anonymised: 'notices.anonymised',
  shared: 'notices.shared',
  withdrawn: 'notices.withdrawn',
  booklet: 'notices.booklet',
  bookletSaved: 'notices.bookletSaved',
  moved: 'notices.moved',
};

/** A stories page: its title as the heading, the notice named by `?done=`, the form's errors (400 then). */
export function page(
  c: C,
  options: { title: string; errors?: FieldErrors; narrow?: boolean; back?: { href: string; label: string } },
  body: Child,
) {
  const notice = notices[c.req.query('done') ?? ''];
  return taskPage(c, { ...options, notice: notice ? c.get('t')(w(notice)) : null }, body);
}

const scopeTags: Record<StoryScope, string> = {
  me: 'govuk-tag--grey',
  team: 'govuk-tag--blue',
  organisation: 'govuk-tag--purple',
  public: 'govuk-tag--green',
};

export function ScopeTag({ t, story }: { t: Translate; story: Pick<Story, 'scope' | 'withdrawnAt'> }) {
  if (story.withdrawnAt) return <strong class="govuk-tag govuk-tag--red">{t(w('scope.withdrawn'))}</strong>;
  return <strong class={`govuk-tag ${scopeTags[story.scope]}`}>{t(w(`scope.${story.scope}`))}</strong>;
}

/** A story's words as paragraphs, in the language it was written in, with names marked when asked. */
export function StoryWords(props: { words: string; language: Language; names?: readonly string[] }) {
  const paragraphs = props.words.split(/\n\s*\n/).filter((part) => part.trim());
  return (
    <div lang={props.language}>
      {paragraphs.map((paragraph) => (
        <p class="govuk-body alongside-words">
          {props.names ? <Marked pieces={highlight(paragraph.trim(), props.names)} /> : paragraph.trim()}
        </p>
      ))}
    </div>
  );
}

export function Marked({ pieces }: { pieces: Piece[] }) {
  return <>{pieces.map((piece) => (typeof piece === 'string' ? piece : <mark>{piece.mark}</mark>))}</>;
}

/** Who the reader sees as the author: their chosen name or "anonymous". */
export const byline = (t: Translate, story: Pick<Story, 'shownName'>) =>
  story.shownName ?? t(w('story.anonymous'));

/** The consent wording for each scope, shown beside the choice and kept exactly as shown. */
export const consentWording = (t: Translate, scope: StoryScope, organisation: string) =>
  `${t(w(`sharing.options.${scope}`))}. ${t(w(`sharing.wording.${scope}`), { organisation })}`;

/**
 * Radios whose every choice says what it means under its label (GOV.UK radio hints): the consent
 * choices, whose words are the very words kept with the author's choice.
 */
export function RadiosWithHints(props: {
  name: string;
  legend: string;
  options: { value: string; label: string; hint: string }[];
  values: FormValues;
  errors: FieldErrors;
  t: Translate;
}) {
  const current = props.values[props.name] ?? '';
  return (
    <FieldsetGroup name={props.name} legend={props.legend} errors={props.errors} t={props.t}>
      <div class="govuk-radios">
        {props.options.map((option, index) => {
          const id = index === 0 ? props.name : `${props.name}-${option.value}`;
          return (
            <div class="govuk-radios__item">
              <input
                class="govuk-radios__input"
                id={id}
                name={props.name}
                type="radio"
                value={option.value}
                checked={option.value === current}
                aria-describedby={`${id}-item-hint`}
              />
              <label class="govuk-label govuk-radios__label" for={id}>
                {option.label}
              </label>
              <div id={`${id}-item-hint`} class="govuk-hint govuk-radios__hint">
                {option.hint}
              </div>
            </div>
          );
        })}
      </div>
    </FieldsetGroup>
  );
}
