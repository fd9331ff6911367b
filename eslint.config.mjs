// ESLint flat config: typescript-eslint's recommended rules for every TypeScript file.
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/**", "dist/**", ".venv/**", ".tmp/**", "**/*.js", "**/*.mjs", "examples/*/node_modules/**", "examples/*/bin/**"] },
    ...tseslint.configs.recommended,
    {
        rules: {
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
            "no-console": "off",
        },
    },
);
