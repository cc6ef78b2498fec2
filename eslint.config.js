// ESLint for the whole project (ADR 115): the recommended sets of ESLint, typescript-eslint, react-hooks and jsx-a11y.
import js from '@eslint/js'
import jsxA11y from 'eslint-plugin-jsx-a11y'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['node_modules/', 'build/', 'public/build/', 'data/', 'bench/tmp/', 'tests/.tmp/', '.cache/', '.stryker-tmp/', 'reports/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  reactHooks.configs.flat.recommended,
  jsxA11y.flatConfigs.recommended,
  { languageOptions: { globals: { ...globals.node, ...globals.browser } } },
  {
    rules: {
      // A leading underscore says "unused on purpose" (a rest sibling left out, an argument a signature needs).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // French copy carries narrow no-break spaces before « : ; ? ! » on purpose (docs/translations.md).
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true }],
      // The no-JavaScript-first pages learn in an effect that scripts run (or what the browser supports)
      // and only then show the enhanced form: the one render after hydration is the point (ADR 115).
      'react-hooks/set-state-in-effect': 'off',
    },
  },
  // Kysely over schemas the migrations are still building, and rows of any table: typed as any by design.
  { files: ['db/migrations/**', 'db/dialect.ts', 'db/index.ts', 'server/migrate-to-postgres.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  // Tests read JSON bodies of every shape; an any there is a test's choice, not a type hole in the product.
  { files: ['tests/**', '**/*.test.{ts,tsx}'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  // Models are not React: useTotpCode() spends a code, it is not a hook.
  { files: ['app/models/**'], rules: { 'react-hooks/rules-of-hooks': 'off' } },
  // The PDF is rendered once on the server (react-pdf): a component made per render loses no state.
  { files: ['app/letters/pdf.server.tsx'], rules: { 'react-hooks/static-components': 'off' } },
)
