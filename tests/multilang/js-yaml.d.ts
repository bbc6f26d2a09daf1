// js-yaml ships without types; it is installed with mocha (a pinned devDependency). The YAML example
// test only needs `load`.
declare module "js-yaml" {
  export function load(text: string): unknown;
}
