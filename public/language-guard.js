// The language guard in the browser. While someone types in a field marked data-language-guard, the
// suggestions the server would give on submit appear under it, in its polite live region. It never
// blocks typing; without JavaScript, or in a browser too old for it, the server's pause does the job.
(() => {
  const apostrophes = /[\u2018\u2019\u02bc\u2032`]/g;

  /** Compiled labels from /language-guard/labels, as `compileLabels` in the server makes them. */
  function compile(labels) {
    return labels.map((label) => ({ ...label, regex: new RegExp(label.pattern, 'giu') }));
  }

  /** The same as `findLabelsWith` in src/core/language-guard/index.ts; a test holds the two together. */
  function findLabels(labels, text, language) {
    const composed = text.normalize('NFC');
    const normal = composed.replace(apostrophes, "'");
    const found = [];
    for (const label of labels) {
      const regex = label.regex;
      regex.lastIndex = 0;
      for (let match = regex.exec(normal); match; match = regex.exec(normal)) {
        if (match[0].length === 0) {
          regex.lastIndex++;
          continue;
        }
        const rank = label.own ? 0 : label.language === language ? 1 : 2;
        found.push({ start: match.index, end: match.index + match[0].length, rank, label });
      }
    }
    found.sort((a, b) => a.start - b.start || b.end - a.end || a.rank - b.rank);
    const placed = [];
    for (const own of [true, false]) {
      for (const match of found) {
        if (Boolean(match.label.own) !== own) continue;
        if (placed.some((other) => match.start < other.end && other.start < match.end)) continue;
        placed.push(match);
      }
    }
    placed.sort((a, b) => a.start - b.start);
    const seen = new Set();
    const suggestions = [];
    for (const match of placed) {
      if (seen.has(match.label.key)) continue;
      seen.add(match.label.key);
      suggestions.push({
        key: match.label.key,
        phrase: composed.slice(match.start, match.end),
        suggestion: match.label.suggestion,
      });
    }
    return suggestions;
  }

  globalThis.alongsideLanguageGuard = { compile, findLabels };
  if (typeof document === 'undefined') return;

  function element(name, className, text) {
    const made = document.createElement(name);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  /** Once someone has hidden the suggestions, the form saves their words as written, with no pause. */
  function markSeen(form) {
    if (!form || form.querySelector('input[name="wordingSeen"]')) return;
    const seen = element('input');
    seen.type = 'hidden';
    seen.name = 'wordingSeen';
    seen.value = 'yes';
    form.append(seen);
  }

  function watch(field, labels) {
    const region = document.getElementById(`${field.id}-wording`);
    if (!region) return;
    const words = region.dataset;
    const language = document.documentElement.lang === 'cy' ? 'cy' : 'en';
    const hidden = new Set();
    const keyOf = (list) => list.map((found) => `${found.key}|${found.phrase.toLowerCase()}`).join('\n');
    const current = () => findLabels(labels, field.value, language).filter((found) => !hidden.has(found.key));
    let shownList = current();
    let shown = keyOf(shownList);

    function hideButton() {
      const button = element(
        'button',
        'govuk-button govuk-button--secondary govuk-!-margin-bottom-0',
        words.hide,
      );
      button.type = 'button';
      button.addEventListener('click', () => {
        for (const found of shownList) hidden.add(found.key);
        region.replaceChildren();
        shown = '';
        shownList = [];
        markSeen(field.form);
        field.focus();
      });
      return button;
    }

    function render(list) {
      region.replaceChildren();
      if (list.length === 0) return;
      const notice = element('div', 'govuk-inset-text alongside-wording__notice');
      notice.append(element('p', 'govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-2', words.title));
      const items = element('ul', 'govuk-list');
      for (const found of list) {
        const values = { phrase: found.phrase, suggestion: found.suggestion };
        items.append(
          element(
            'li',
            '',
            words.youWrote.replace(/\{(phrase|suggestion)\}/g, (_, name) => values[name]),
          ),
        );
      }
      notice.append(items, element('p', 'govuk-body', words.choice), hideButton());
      region.append(notice);
    }

    // A notice the server showed after a pause gets the same button to hide it.
    const fromServer = region.querySelector('.alongside-wording__notice');
    if (fromServer) fromServer.append(hideButton());

    let timer;
    field.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const list = current();
        const key = keyOf(list);
        if (key === shown) return;
        shown = key;
        shownList = list;
        render(list);
      }, 300);
    });
  }

  const fields = document.querySelectorAll('[data-language-guard]');
  if (fields.length === 0) return;
  fetch('/language-guard/labels', { credentials: 'same-origin', headers: { accept: 'application/json' } })
    .then((response) => (response.ok ? response.json() : null))
    .then((body) => {
      if (!body || !Array.isArray(body.labels)) return;
      const labels = compile(body.labels);
      for (const field of fields) watch(field, labels);
    })
    // No labels (signed out, offline, an old browser's regular expressions): the server still checks.
    .catch(() => {});
})();
