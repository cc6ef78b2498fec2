// ESLint for the whole project (ADR 115): the recommended sets of ESLint, typescript-eslint, react-hooks and jsx-a11y.
import js from '@eslint/js'
import jsxA11y from 'eslint-plugin-jsx-a11y'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const typed = process.env.LINT_TYPED === '1'

export default tseslint.config(
  { ignores: ['node_modules/', 'build/', 'public/build/', 'data/', 'bench/tmp/', 'tests/.tmp/', '.cache/', '.stryker-tmp/', 'reports/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...(typed ? tseslint.configs.recommendedTypeChecked : tseslint.configs.recommended),
  ...(typed ? [{ languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } }, { files: ['**/*.{js,mjs}'], ...tseslint.configs.disableTypeChecked }] : []),
  reactHooks.configs.flat.recommended,
  jsxA11y.flatConfigs.recommended,
  { languageOptions: { globals: { ...globals.node, ...globals.browser } } },
)
