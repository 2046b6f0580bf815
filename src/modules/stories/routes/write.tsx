import type { Hono } from 'hono';
import type { AppEnv } from '../../../core/context.ts';
import type { Scope } from '../../../core/database/tenancy.ts';
import type { Language } from '../../../core/i18n/index.ts';
import { imageType } from '../../../core/images.ts';
import { findPerson, type PersonSummary } from '../../../core/people.ts';
import { canReach } from '../../../core/teams.ts';
import { renderProblem } from '../../../core/web/errors.tsx';
import {
  Button,
  Checkboxes,
  CsrfField,
  describedByFor,
  type FieldErrors,
  FieldGroup,
  type FormValues,
  formValues,
  Radios,
  TextArea,
  TextInput,
} from '../../../core/web/forms.tsx';
import { inOrganisation } from '../../../core/web/middleware.ts';
import {
  createStory,
  findStory,
  maxPictureBytes,
  type PictureInput,
  type PictureType,
  pictureTypes,
  type Story,
  type StoryInput,
  updateStory,
} from '../stories.ts';
import { type C, mayWrite, page, storyPath, w } from './shared.tsx';

interface ReadForm {
  values: FormValues;
  errors: FieldErrors;
  input: StoryInput;
  picture: PictureInput | null;
  removePicture: boolean;
}

/**
 * Reads the story form (multipart, with its picture). The picture's kind is found from its bytes:
 * PNG, JPEG or WebP, never SVG (a document that can carry script) whatever the file calls itself.
 * What was typed is kept whatever is wrong; a file cannot be put back in a form, so the message asks
 * for it again.
 */
async function readStoryForm(c: C): Promise<ReadForm> {
  const t = c.get('t');
  const body = await c.req.parseBody();
  const values = await formValues(c);
  const errors: FieldErrors = {};
  const text = (name: string, max: number, required: string | null) => {
    const value = (values[name] ?? '').trim();
    if (!value && required) errors[name] = t(w(required));
    else if (value.length > max) errors[name] = t('errors.tooLong', { max });
    return value;
  };
  const title = text('title', 200, 'errors.title');
  const words = text('words', 20000, 'errors.words');
  const language: Language = values.language === 'cy' ? 'cy' : 'en';
  const anonymous = values.nameChoice === 'anonymous';
  if (values.nameChoice !== 'name' && values.nameChoice !== 'anonymous')
    errors.nameChoice = t(w('errors.nameChoice'));
  const shownName = text('shownName', 100, anonymous ? null : 'errors.shownName');
  const description = text('pictureDescription', 1000, null);
  const removePicture = values.removePicture === 'yes';
  let picture: PictureInput | null = null;
  const file = body.picture;
  // A file field left empty still arrives, with no name and no bytes: that is "no picture".
  if (file instanceof File && (file.size > 0 || file.name)) {
    if (file.size > maxPictureBytes) errors.picture = t(w('errors.pictureTooBig'));
    else {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const type = imageType(bytes);
      if (!type || !pictureTypes.includes(type as PictureType)) errors.picture = t(w('errors.pictureType'));
      else if (!description) errors.pictureDescription = t(w('errors.pictureDescription'));
      else picture = { type: type as PictureType, bytes, description };
    }
    if (errors.picture && !errors.pictureDescription && !description)
      errors.pictureDescription = t(w('errors.pictureDescription'));
  }
  return {
    values,
    errors,
    input: { title, words, language, shownName: anonymous ? null : shownName || null },
    picture,
    removePicture,
  };
}

/** Who a new story is by: the person themselves, or someone a coach supports and is writing it with. */
async function authorFor(
  c: C,
  scope: Scope,
  forId: string | undefined,
): Promise<PersonSummary | 'forbidden' | null> {
  const me = c.get('user')!.personId;
  if (!forId || forId === me) return findPerson(scope, me);
  if (!c.get('can')('help', 'stories')) return 'forbidden';
  if (!(await canReach(scope, me, forId))) return null;
  return findPerson(scope, forId);
}

export function writeRoutes(app: Hono<AppEnv>) {
  const newPage = async (c: C, values: FormValues | null, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const forId = c.req.query('for') || values?.for || undefined;
    const author = await inOrganisation(c, (scope) => authorFor(c, scope, forId));
    if (author === 'forbidden') return renderProblem(c, 403);
    if (!author) return renderProblem(c, 404);
    const helping = author.id !== c.get('user')!.personId;
    const shown: FormValues = values ?? {
      language: c.get('language'),
      nameChoice: 'name',
      shownName: author.calledName,
    };
    return page(
      c,
      {
        title: helping ? t(w('write.titleWith'), { name: author.calledName }) : t(w('write.title')),
        errors,
        narrow: true,
        back: { href: '/stories', label: t(w('back.stories')) },
      },
      <>
        {helping ? (
          <div class="govuk-inset-text">{t(w('write.helping'), { name: author.calledName })}</div>
        ) : (
          <p class="govuk-body">{t(w('write.intro'))}</p>
        )}
        <StoryForm
          c={c}
          action={helping ? `/stories/new?for=${author.id}` : '/stories/new'}
          values={shown}
          errors={errors}
          hidden={helping ? { for: author.id } : {}}
          button={t(w('write.save'))}
        />
      </>,
    );
  };

  app.get('/stories/new', (c) => newPage(c, null));
  app.post('/stories/new', async (c) => {
    const form = await readStoryForm(c);
    const forId = form.values.for || c.req.query('for') || undefined;
    const result = await inOrganisation(c, async (scope) => {
      const author = await authorFor(c, scope, forId);
      if (author === 'forbidden' || !author) return author;
      if (Object.keys(form.errors).length > 0) return 'errors' as const;
      return createStory(scope, author.id, { ...form.input, picture: form.picture });
    });
    if (result === 'forbidden') return renderProblem(c, 403);
    if (result === null) return renderProblem(c, 404);
    if (result === 'errors') return newPage(c, form.values, form.errors);
    return c.redirect(storyPath(result, '?done=written'), 303);
  });

  const editPage = async (c: C, values: FormValues | null, errors: FieldErrors = {}) => {
    const t = c.get('t');
    const me = c.get('user')!.personId;
    const story = await inOrganisation(c, async (scope) => {
      const found = await findStory(scope, c.req.param('storyId')!);
      return found && (await mayWrite(scope, me, found)) ? found : null;
    });
    if (!story) return renderProblem(c, 404);
    const shown: FormValues = values ?? {
      title: story.own.title,
      words: story.own.words,
      language: story.language,
      nameChoice: story.shownName === null ? 'anonymous' : 'name',
      shownName: story.shownName ?? '',
      pictureDescription: story.pictureDescription ?? '',
    };
    return page(
      c,
      {
        title: t(w('edit.title')),
        errors,
        narrow: true,
        back: { href: storyPath(story.id), label: t(w('back.story')) },
      },
      <>
        <p class="govuk-body">{t(w('edit.intro'))}</p>
        <StoryForm
          c={c}
          action={storyPath(story.id, '/edit')}
          values={shown}
          errors={errors}
          story={story}
          hidden={{}}
          button={t(w('edit.save'))}
        />
      </>,
    );
  };

  app.get('/stories/:storyId/edit', (c) => editPage(c, null));
  app.post('/stories/:storyId/edit', async (c) => {
    const form = await readStoryForm(c);
    const me = c.get('user')!.personId;
    const t = c.get('t');
    const result = await inOrganisation(c, async (scope) => {
      const story = await findStory(scope, c.req.param('storyId'));
      if (!story || !(await mayWrite(scope, me, story))) return null;
      const keeping = story.pictureType && !form.picture && !form.removePicture;
      if (keeping && !(form.values.pictureDescription ?? '').trim())
        form.errors.pictureDescription = t(w('errors.pictureDescription'));
      if (Object.keys(form.errors).length > 0) return 'errors' as const;
      await updateStory(scope, story, {
        ...form.input,
        picture: form.picture ?? (form.removePicture ? 'remove' : 'keep'),
        pictureDescription: (form.values.pictureDescription ?? '').trim() || null,
      });
      return story.id;
    });
    if (result === null) return renderProblem(c, 404);
    if (result === 'errors') return editPage(c, form.values, form.errors);
    return c.redirect(storyPath(result, '?done=saved'), 303);
  });
}

function StoryForm(props: {
  c: C;
  action: string;
  values: FormValues;
  errors: FieldErrors;
  story?: Story;
  hidden: Record<string, string>;
  button: string;
}) {
  const { c, values, errors, story } = props;
  const t = c.get('t');
  const pictureProps = { name: 'picture', hint: t(w('write.pictureHint')), errors };
  return (
    <form method="post" action={props.action} enctype="multipart/form-data" novalidate>
      <CsrfField c={c} />
      {Object.entries(props.hidden).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <TextInput name="title" label={t(w('write.storyTitle'))} values={values} errors={errors} t={t} />
      <TextArea
        name="words"
        label={t(w('write.words'))}
        hint={t(w('write.wordsHint'))}
        rows={12}
        values={values}
        errors={errors}
        t={t}
      />
      <Radios
        name="language"
        legend={t(w('write.language'))}
        options={[
          { value: 'en', label: t(w('languages.en')) },
          { value: 'cy', label: t(w('languages.cy')) },
        ]}
        values={values}
        errors={errors}
        t={t}
      />
      <Radios
        name="nameChoice"
        legend={t(w('write.nameChoice'))}
        hint={t(w('write.nameChoiceHint'))}
        options={[
          { value: 'name', label: t(w('write.nameShown')) },
          { value: 'anonymous', label: t(w('write.anonymous')) },
        ]}
        values={values}
        errors={errors}
        t={t}
      />
      <TextInput
        name="shownName"
        label={t(w('write.shownName'))}
        hint={t(w('write.shownNameHint'))}
        width="20"
        values={values}
        errors={errors}
        t={t}
      />
      {story?.pictureType ? (
        <>
          <p class="govuk-body">{t(w('edit.hasPicture'))}</p>
          <img
            class="alongside-story-picture"
            src={storyPath(story.id, '/picture')}
            alt={story.pictureDescription ?? ''}
            width="300"
          />
          <Checkboxes
            name="removePicture"
            legend={t(w('edit.removeLegend'))}
            options={[{ value: 'yes', label: t(w('edit.remove')) }]}
            chosen={values.removePicture === 'yes' ? ['yes'] : []}
            errors={errors}
            t={t}
          />
        </>
      ) : null}
      <FieldGroup
        {...pictureProps}
        label={story?.pictureType ? t(w('edit.newPicture')) : t(w('write.picture'))}
        t={t}
      >
        <input
          class={`govuk-file-upload${errors.picture ? ' govuk-file-upload--error' : ''}`}
          id="picture"
          name="picture"
          type="file"
          accept="image/png,image/jpeg,image/webp"
          aria-describedby={describedByFor(pictureProps)}
        />
      </FieldGroup>
      <TextArea
        name="pictureDescription"
        label={t(w('write.pictureDescription'))}
        hint={t(w('write.pictureDescriptionHint'))}
        values={values}
        errors={errors}
        t={t}
      />
      <Button>{props.button}</Button>
    </form>
  );
}
