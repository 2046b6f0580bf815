// html-validate's settings for the pages the browser tests visit (test/browser/harness.ts checks every
// HTML page they are sent). A .mjs file rather than .htmlvalidate.json so each choice can say why.
export default {
  extends: ['html-validate:recommended'],
  rules: {
    // hono/jsx writes void elements as <meta/> and boolean attributes as checked="": both valid HTML,
    // only a matter of style, so the rules ask for the one style it always writes.
    'void-style': ['error', { style: 'selfclose' }],
    'attribute-boolean-style': ['error', { style: 'empty' }],
    'attribute-empty-style': ['error', { style: 'empty' }],
    // A group of GOV.UK checkboxes shares one name, as radios do; the form sends each ticked value.
    'form-dup-name': ['error', { shared: ['radio', 'checkbox', 'button', 'reset', 'submit'] }],
    // Switched off: a title names what the page shows, often in the words someone typed (an idea, a
    // goal), which can be long. HTML sets no limit; the rule is about search results, and every page
    // here is noindex.
    'long-title': 'off',
  },
};
