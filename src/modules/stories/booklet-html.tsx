import type { Translate } from '../../core/i18n/index.ts';
import { formatDate } from '../../core/web/format.ts';
import type { PrintedBooklet } from './booklet-pdf.ts';

/**
 * The booklet as one HTML file that works on its own (opened from a disk, sent by email, put on a
 * website): the pictures are inside it, the few styles too, each story marked with its language.
 */
export function bookletHtml(booklet: PrintedBooklet, t: Translate): string {
  const paragraphs = (text: string) =>
    text
      .split(/\n\s*\n/)
      .filter((part) => part.trim())
      .map((part) => <p>{part.trim()}</p>);
  const style = `body{font-family:Arial,sans-serif;max-width:40em;margin:0 auto;padding:1em;line-height:1.5;color:#0b0c0c}
img{max-width:100%;height:auto}figcaption{font-size:.9em}article{margin-top:3em;page-break-before:always}`;
  return `<!DOCTYPE html>${(
    (
      <html lang={booklet.language}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{booklet.title}</title>
          <style>{style}</style>
        </head>
        <body>
          <header>
            <h1>{booklet.title}</h1>
            <p>{booklet.organisation}</p>
            <p>{formatDate(booklet.madeAt, booklet.language)}</p>
            {paragraphs(booklet.introduction)}
          </header>
          <nav aria-labelledby="contents">
            <h2 id="contents">{t('stories.booklet.contents')}</h2>
            {booklet.stories.length === 0 ? <p>{t('stories.booklet.empty')}</p> : null}
            <ol>
              {booklet.stories.map((story, index) => (
                <li lang={story.language}>
                  <a href={`#story-${index + 1}`}>{story.title}</a>
                </li>
              ))}
            </ol>
          </nav>
          <main>
            {booklet.stories.map((story, index) => (
              <article id={`story-${index + 1}`} lang={story.language}>
                <h2>{story.title}</h2>
                <p lang={booklet.language}>{story.byline}</p>
                {story.picture ? (
                  <figure>
                    <img
                      src={`data:${story.picture.type};base64,${Buffer.from(story.picture.bytes).toString('base64')}`}
                      alt={story.picture.description}
                    />
                    <figcaption>{story.picture.description}</figcaption>
                  </figure>
                ) : null}
                {paragraphs(story.words)}
              </article>
            ))}
          </main>
        </body>
      </html>
    )
  ).toString()}`;
}
