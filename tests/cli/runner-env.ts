// Loaded by mocha before any test (.mocharc.json "require"). Programs that the tests run through
// Pulumi's Node.js runner (zt-postgres preview) are transpiled without type checking, through the
// runner's own switch PULUMI_NODEJS_TRANSPILE_ONLY (sdk/nodejs/cmd/run/run.ts): `npm run typecheck`
// already checks every example, and a type-checked run of one example costs about 15 s more. The tests
// of TypeScript errors set it back to "false" for their own program.
process.env.PULUMI_NODEJS_TRANSPILE_ONLY ??= "true";
