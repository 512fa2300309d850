// dependency-cruiser's CLI reads its config from JavaScript; the rules are in .dependency-cruiser.ts.
export { default } from './.dependency-cruiser.ts';
