import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      ".tools/**",
      ".reports/**",
      "coverage/**",
      "**/node_modules/**",
      "**/bin/**",
      ".pulumi-demo/**",
    ],
  },
  js.configs.recommended,
  // Type-aware rules: floating promises and unsafe `any` hide easily in async-heavy code like this.
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // CommonJS scripts and benchmarks (plain JavaScript): no type information, and require() is how they load code.
    files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        require: "readonly",
        module: "writable",
        exports: "writable",
        process: "readonly",
        console: "readonly",
        __dirname: "readonly",
        setTimeout: "readonly",
        fetch: "readonly",
      },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Pulumi programs outside the project's tsconfig (each is compiled by Pulumi on its own): no type information.
    files: ["tests/e2e/programs/**/*.ts", "examples/**/*.ts"],
    ...tseslint.configs.disableTypeChecked,
  },
);
