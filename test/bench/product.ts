// What the bench's seeder (seed.mjs) takes from the console itself, bundled for the page: the
// store as the console opens it (its schema, and the middlewares that keep rows derived from
// messages in every write, such as a thread's row), and the search row it writes for a message.
export { WebcareDb } from '../../renderer/src/db/db';
export { searchRowOf } from '../../renderer/src/search/searchIndex';
